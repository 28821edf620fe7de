// The single-file bundle's first stage (scripts/build.mjs). The CLI it carries is ~0.8 MB of
// JavaScript, and compiling that costs node more than its own start-up; so it travels as text and
// is compiled only when a command runs, and `--version` (the same line commander prints) does not
// wait for it. Everything else is the CLI itself, unchanged.
//
// The text sits after this code as `//` comment lines (the payload, below): node skips a comment
// line at a glance, where a 0.8 MB string literal full of escapes cost ~10 ms of every start-up,
// `--version` included. The launcher reads its own file to get it back.
//
// Three more things make a command start faster without changing what it does:
// - A V8 code cache beside the bundle (`syncdoctor.mjs.v8cache`, written by the build): V8 then
//   skips compiling most of the CLI. It is used only when its SHA-256 is the one this file was
//   built with, so nobody can slip compiled code into a run (a SYSTEM task, say) by dropping a
//   file beside the bundle; V8 itself refuses it under another Node/V8 build or other flags, and
//   the CLI then compiles from source as before. A copied bundle without it works the same. Run
//   as root, it is also used only from where no other user can change it (the rules that apply to
//   configs and playbooks, host/posix-trust.ts): a few lstat calls. On Windows the same question
//   costs a process start per folder (icacls), more than the cache saves, so there its content
//   alone decides (docs/security.md).
// - Packages only some runs need (prompts, legacy code pages) travel compressed and are compiled
//   on their first `require`.
// - The CLI text is ASCII (the build checks), so reading it back is a plain one-byte copy.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { VERSION } from '../core/version.js';
import { untrustedWhenRootSync } from '../host/posix-trust.js';
import { CODE_CACHE_SHA256 } from './app-source.js';

/**
 * The payload, after the launcher's code: a line `//@syncdoctor-payload`, then one line
 * `//@lazy <package> <deflated CommonJS body, base64>` per lazy package, then a line `//@cli`,
 * then the CLI's CommonJS body, every line prefixed `//`, to the end of the file.
 */
function readPayload(file: string): { cli: string; lazy: Map<string, string> } {
  const text = readFileSync(file).toString('latin1');
  // Joined at run time so that the launcher's own code never contains the marker line (esbuild
  // folds a constant expression; the build checks).
  let at = text.indexOf(`\n${['//@syncdoctor', 'payload'].join('-')}\n`);
  if (at < 0) throw new Error(`${file}: no embedded CLI (not a complete syncdoctor bundle)`);
  at = text.indexOf('\n', at + 1) + 1;
  const lazy = new Map<string, string>();
  while (text.startsWith('//@lazy ', at)) {
    const end = text.indexOf('\n', at);
    const [id, packed] = text.slice(at + 8, end).split(' ');
    lazy.set(id!, packed!);
    at = end + 1;
  }
  if (!text.startsWith('//@cli\n', at)) throw new Error(`${file}: no embedded CLI (not a complete syncdoctor bundle)`);
  return { cli: text.slice(at + 9).replaceAll('\n//', '\n'), lazy };
}

// The compiled CLI's name in stack traces. Not the bundle's path: V8 keeps the name the code cache
// was built under, so a path would name the build's temporary file.
const EMBEDDED_CLI_NAME = 'syncdoctor.mjs (embedded CLI)';

type CommonJsBody = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string, importMetaUrl: string) => void;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const file = fileURLToPath(import.meta.url);
  const dir = file.replace(/[\\/][^\\/]*$/, '');
  const nodeRequire = createRequire(import.meta.url);
  const payload = readPayload(file);
  const loaded = new Map<string, object>();
  // The bundled CLI's `require`: lazy packages from this file, everything else (node's built-ins)
  // from node.
  const require = ((id: string) => {
    const packed = payload.lazy.get(id);
    if (packed === undefined) return nodeRequire(id);
    let exports = loaded.get(id);
    if (!exports) {
      const { inflateRawSync } = nodeRequire('node:zlib') as typeof import('node:zlib');
      const module = { exports: {} };
      compile(inflateRawSync(Buffer.from(packed, 'base64')).toString('utf8'), `${file} (embedded ${id})`).runInThisContext()(module.exports, require, module, file, dir, import.meta.url);
      loaded.set(id, (exports = module.exports));
    }
    return exports;
  }) as NodeJS.Require;

  const cache = trustedCodeCache(`${file}.v8cache`);
  const cli = compile(payload.cli, EMBEDDED_CLI_NAME, cache.data);
  // Why a PC starts slowly, on request (the RMM's script can set it): one line on stderr.
  if (process.env.SYNCDOCTOR_DEBUG_STARTUP === '1') {
    process.stderr.write(`syncdoctor: code cache ${cache.data && cli.cachedDataRejected ? 'rejected by V8 (another Node.js build or other node flags)' : cache.status}\n`);
  }
  // The build writes the cache from a real run (scripts/build.mjs): after the run, so that it
  // holds the functions a command compiled, not just the top level.
  const writeCacheTo = process.env.SYNCDOCTOR_BUILD_CODE_CACHE;
  if (writeCacheTo) process.once('exit', () => writeFileSync(writeCacheTo, cli.createCachedData()));
  const module = { exports: {} };
  cli.runInThisContext()(module.exports, require, module, file, dir, import.meta.url);
}

/** A CommonJS function body (strict, as the ES modules it was built from are), compiled. */
function compile(body: string, filename: string, cachedData?: Buffer): Script & { runInThisContext(): CommonJsBody } {
  return new Script(`(function (exports, require, module, __filename, __dirname, __sdImportMetaUrl) {'use strict';${body}\n})`, { filename, cachedData });
}

/** The code cache beside the bundle, if it is the one the build made; otherwise none, and why. */
function trustedCodeCache(cachePath: string): { data?: Buffer; status: string } {
  if (!CODE_CACHE_SHA256) return { status: 'not built' };
  if (process.env.SYNCDOCTOR_NO_CODE_CACHE === '1') return { status: 'off (SYNCDOCTOR_NO_CODE_CACHE=1)' };
  let data: Buffer;
  try {
    data = readFileSync(cachePath);
  } catch {
    return { status: `not found (${cachePath})` }; // a copied bundle travels without it
  }
  if (createHash('sha256').update(data).digest('hex') !== CODE_CACHE_SHA256) return { status: `not used: ${cachePath} is not the one this bundle was built with` };
  const distrust = untrustedWhenRootSync(cachePath);
  if (distrust) return { status: `not used: run as root, and another user could change it (${distrust})` };
  return { data, status: 'used' };
}
