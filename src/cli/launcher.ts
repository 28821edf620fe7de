// The single-file bundle's first stage (scripts/build.mjs). The CLI it carries is ~1.6 MB of
// JavaScript, and compiling that costs node more than its own start-up; so it is kept as text and
// compiled only when a command runs, and `--version` (the same line commander prints) does not
// wait for it. Everything else is the CLI itself, unchanged.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import { VERSION } from '../core/version.js';
import { APP_SOURCE } from './app-source.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const file = fileURLToPath(import.meta.url);
  // A CommonJS function body; strict, as the ES modules it was built from are.
  const cli = compileFunction(`'use strict';${APP_SOURCE}`, ['exports', 'require', 'module', '__filename', '__dirname', '__sdImportMetaUrl'], {
    filename: `${file} (embedded CLI)`,
  });
  const module = { exports: {} };
  cli(module.exports, createRequire(import.meta.url), module, file, path(file), import.meta.url);
}

function path(file: string): string {
  return file.replace(/[\\/][^\\/]*$/, '');
}
