#!/usr/bin/env node
// Bundles the CLI into one file, dist/syncdoctor.mjs, that runs with plain `node` from any folder:
// no node_modules, no network. bin/syncdoctor.js runs this same file, so the installed CLI and a
// copied bundle cannot drift apart. The shipped playbooks are embedded, already parsed
// (src/playbook/builtin.ts is replaced by them). Type checking is tsc's job (`npm run build`).
//
// Two stages: the CLI is bundled as one CommonJS function body, and the file itself is a small
// launcher carrying it as text (src/cli/launcher.ts), with the packages only some runs need packed
// beside it. Compiling ~0.8 MB of JavaScript costs more than node's own start-up, so it happens
// only when a command runs (from a V8 code cache trained here), and `--version` does not pay.
// Inside, heavy modules still load lazily (dynamic import), as from the source tree.
//
//   node scripts/build.mjs [--outfile FILE] [--quiet] [--profiling]
//
// --profiling (for `npm run bench`): the same bundle with the CLI not minified, so that esbuild's
// `// path` comment before each module lets a CPU profile's line tell its module.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { runInThisContext } from 'node:vm';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { parseDocument } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const profiling = args.includes('--profiling');
const outArg = args.indexOf('--outfile');
const outfile = path.resolve(outArg >= 0 && args[outArg + 1] ? args[outArg + 1] : path.join(ROOT, 'dist', 'syncdoctor.mjs'));

/** Serves the playbooks' text in place of src/playbook/builtin.ts. */
const embedPlaybooks = {
  name: 'embed-playbooks',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]playbook[\\/]builtin\.ts$/ }, async () => {
      const dir = path.join(ROOT, 'playbooks');
      const names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
      const list = await Promise.all(
        names.map(async (name) => {
          const text = await readFile(path.join(dir, name), 'utf8');
          // Parsed here with the loader's own options: YAML parsing is most of a cold start's cost.
          const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
          if (doc.errors.length) throw new Error(`playbooks/${name}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
          const value = doc.toJS({ maxAliasCount: 100 });
          // Only a value JSON keeps exactly is embedded; otherwise the bundle parses the text.
          return isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value) ? { name, text, value } : { name, text };
        }),
      );
      return {
        contents: `export const EMBEDDED_PLAYBOOKS = ${JSON.stringify(list)};\n`,
        loader: 'js',
        watchFiles: names.map((n) => path.join(dir, n)),
      };
    });
  },
};

/** Serves the code cache's hash in place of src/cli/app-source.ts. */
const embedCodeCacheHash = (codeCacheSha256) => ({
  name: 'embed-code-cache-hash',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]cli[\\/]app-source\.ts$/ }, () => ({ contents: `export const CODE_CACHE_SHA256 = ${JSON.stringify(codeCacheSha256)};\n`, loader: 'js' }));
  },
});

// Packages only some runs need, left out of the CLI and compiled on their first require
// (src/cli/launcher.ts): the prompts (interactive runs) and iconv-lite (Windows output in a legacy
// code page). Together they were over a third of the CLI's size, which every command paid to read.
const LAZY = ['@inquirer/prompts', 'iconv-lite'];

/**
 * The CLI's `import('iconv-lite')` and the like become a require of the package, which the
 * launcher serves: a small module `module.exports = require(id)` with the package external. Left
 * external themselves, they would stay `import()`, which code compiled by vm.Script cannot run.
 */
const requireLazyPackages = {
  name: 'require-lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${LAZY.map((id) => id.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.kind === 'require-call' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-package' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.5',
  write: false,
  // Whitespace and syntax only: a smaller file parses faster; names stay readable in a bug report.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};
const failed = () => process.exit(1); // esbuild has already printed what is wrong, with file:line:col

const started = Date.now();
// Stage 1, the CLI: one CommonJS function body that src/cli/launcher.ts compiles when a command
// runs. `import.meta.url` (ps-list finds its fastlist.exe by it) is the bundle file's URL.
const app = await build({
  ...common,
  entryPoints: [path.join(ROOT, 'src', 'cli', 'entry.ts')],
  format: 'cjs',
  outfile: path.join(path.dirname(outfile), 'cli.cjs'),
  ...(profiling ? { minifyWhitespace: false, minifySyntax: false } : {}),
  define: { 'import.meta.url': '__sdImportMetaUrl' },
  // vm.Script code cannot run import(): a dynamic import of a node built-in becomes a require.
  supported: { 'dynamic-import': false },
  legalComments: 'eof',
  // Non-ASCII written as escapes: the payload is read back as one-byte text (see below).
  charset: 'ascii',
  plugins: [embedPlaybooks, requireLazyPackages],
}).catch(failed);

// Each lazy package: a CommonJS body of its own (the others stay external: prompts use iconv-lite),
// deflated, as base64 text.
const lazyPackages = {};
for (const id of LAZY) {
  const pkg = await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(id)});`, resolveDir: ROOT, loader: 'js' },
    format: 'cjs',
    define: { 'import.meta.url': '__sdImportMetaUrl' },
    legalComments: 'eof',
    external: LAZY.filter((other) => other !== id),
  }).catch(failed);
  lazyPackages[id] = deflateRawSync(pkg.outputFiles[0].contents, { level: 9 }).toString('base64');
}
// Nothing on this machine runs the code-page decoder (Windows only), so try both here, from the
// packed text, as the launcher will load them.
{
  const lazyRequire = (id) => {
    if (!LAZY.includes(id)) return createRequire(import.meta.url)(id);
    const module = { exports: {} };
    const body = inflateRawSync(Buffer.from(lazyPackages[id], 'base64')).toString('utf8');
    // The launcher's wrapper (compile() in src/cli/launcher.ts), strict mode included.
    runInThisContext(`(function (exports, require, module, __filename, __dirname, __sdImportMetaUrl) {'use strict';${body}\n})`)(module.exports, lazyRequire, module, outfile, path.dirname(outfile), `file://${outfile}`);
    return module.exports;
  };
  const iconv = lazyRequire('iconv-lite');
  const prompts = lazyRequire('@inquirer/prompts');
  if (iconv.decode(Buffer.from([0x82, 0x9c]), 'cp437') !== 'é£' || iconv.decode(Buffer.from([0x8f]), 'cp866') !== 'П' || typeof prompts.select !== 'function') {
    process.stderr.write('build: a lazily loaded package does not work from the bundle\n');
    process.exit(1);
  }
}

// Stage 2, the file itself: the launcher, with the CLI inside as text.
// The payload after the launcher's code, as its readPayload reads it: `//` comment lines, which
// node skips at a glance (a string literal this size cost ~10 ms of every start-up).
// esbuild prints a control character in a string literal as itself (the yaml package's lexer has
// three, "\u0002" and the like), and keeps non-ASCII in comments and regex literals as it is. Each
// is written as an escape, which means the same there (UTF-16 units: a pair in a regex is still one
// character), so that every line is a plain one-byte `//` line. One after a backslash would change
// meaning, so it stays, and is refused below.
const cliText = app.outputFiles[0].text.replace(/(?<!\\)[^\n\t\x20-\x7e]/g, (c) => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
});
const notPlain = /[^\n\t\x20-\x7e]/.exec(cliText);
if (notPlain) {
  const line = cliText.slice(0, notPlain.index).split('\n').length;
  process.stderr.write(`build: the bundled CLI has a character outside printable ASCII after a backslash (U+${notPlain[0].codePointAt(0).toString(16).padStart(4, '0')}, line ${line} of the CLI: ${JSON.stringify(cliText.slice(notPlain.index - 40, notPlain.index + 10))}); write it as a \\u escape in the source\n`);
  process.exit(1);
}
const payload = [
  '//@syncdoctor-payload',
  ...Object.entries(lazyPackages).map(([id, packed]) => `//@lazy ${id} ${packed}`),
  '//@cli',
  ...cliText.split('\n').map((line) => `//${line}`),
].join('\n');
const launcher = async (codeCacheSha256) => {
  const r = await build({
    ...common,
    entryPoints: [path.join(ROOT, 'src', 'cli', 'launcher.ts')],
    format: 'esm',
    outfile,
    banner: { js: '#!/usr/bin/env node' },
    plugins: [embedCodeCacheHash(codeCacheSha256)],
  }).catch(failed);
  const code = r.outputFiles[0].text;
  if (code.includes('//@syncdoctor-payload')) throw new Error('build: the launcher code contains the payload marker');
  return `${code.endsWith('\n') ? code : `${code}\n`}${payload}\n`;
};

await mkdir(path.dirname(outfile), { recursive: true });
// Written whole or not at all: a test or a running CLI may be reading the old one right now.
const tmp = `${outfile}.${process.pid}.tmp.mjs`;
const tmpCache = `${tmp}.v8cache`;
const cleanUp = () => Promise.all([rm(tmp, { force: true }), rm(tmpCache, { force: true })]);
await writeFile(tmp, await launcher(''));
await chmod(tmp, 0o755);
// The embedded playbooks must load, or every run of this bundle would stop at exit 65: the old
// bundle stays in place when they do not.
try {
  execFileSync(process.execPath, [tmp, 'validate'], { stdio: ['ignore', 'ignore', 'pipe'] });
} catch (err) {
  await cleanUp();
  process.stderr.write(`build: the bundled playbooks do not validate:\n${err.stderr ?? err.message}`);
  process.exit(1);
}
// The code cache: V8's compiled CLI after one real command, a snapshot replay (the engine, the
// probes, the reporters; a live run compiles its host functions as it goes). It fits only the
// node that built it; the launcher accepts it only with the hash written into it here.
let codeCacheSha256 = '';
const training = spawnSync(process.execPath, [tmp, 'check', '--snapshot', path.join(ROOT, 'examples', 'qbwc-popup-blocking.yaml'), '--json'], {
  env: { ...process.env, SYNCDOCTOR_BUILD_CODE_CACHE: tmpCache },
  stdio: ['ignore', 'ignore', 'pipe'],
});
const cache = await readFile(tmpCache).catch(() => undefined);
if (cache && (training.status === 0 || training.status === 1 || training.status === 2)) {
  codeCacheSha256 = createHash('sha256').update(cache).digest('hex');
  await writeFile(tmp, await launcher(codeCacheSha256));
  await rename(tmpCache, `${outfile}.v8cache`);
} else {
  // Not fatal: the bundle is the same without it, only slower to start.
  process.stderr.write(`build: no code cache (training run exited ${training.status}): ${training.stderr}\n`);
  await rm(`${outfile}.v8cache`, { force: true });
}
await rename(tmp, outfile);

// ps-list runs a vendored fastlist.exe found next to its own module file, which in the bundle is
// syncdoctor.mjs: copy them beside it. A lone copied bundle falls back to tasklist (src/host/live.ts).
const vendor = path.join(ROOT, 'node_modules', 'ps-list', 'vendor');
const exes = (await readdir(vendor).catch(() => [])).filter((n) => n.endsWith('.exe'));
if (exes.length) {
  const dest = path.join(path.dirname(outfile), 'vendor');
  await mkdir(dest, { recursive: true });
  for (const n of exes) await copyFile(path.join(vendor, n), path.join(dest, n));
}

if (!quiet) {
  const kb = Math.round((await stat(outfile)).size / 1024);
  process.stdout.write(`built ${path.relative(process.cwd(), outfile) || outfile} (${kb} KiB) in ${Date.now() - started} ms\n`);
}
