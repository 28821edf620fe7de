#!/usr/bin/env node
// Bundles the CLI into one file, dist/syncdoctor.mjs, that runs with plain `node` from any folder:
// no node_modules, no network. bin/syncdoctor.js runs this same file, so the installed CLI and a
// copied bundle cannot drift apart. The shipped playbooks are embedded, already parsed
// (src/playbook/builtin.ts is replaced by them). Type checking is tsc's job (`npm run build`).
//
// Two stages: the CLI is bundled as one CommonJS function body, and the file itself is a small
// launcher holding it as text (src/cli/launcher.ts). Compiling ~1.6 MB of JavaScript costs more
// than node's own start-up, so it happens only when a command runs, and `--version` does not pay.
// Inside, heavy modules still load lazily (dynamic import), as from the source tree.
//
//   node scripts/build.mjs [--outfile FILE] [--quiet]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
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

/** Serves the bundled CLI, as text, in place of src/cli/app-source.ts. */
const embedApp = (source) => ({
  name: 'embed-app',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]cli[\\/]app-source\.ts$/ }, () => ({ contents: `export const APP_SOURCE = ${JSON.stringify(source)};\n`, loader: 'js' }));
  },
});

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
  define: { 'import.meta.url': '__sdImportMetaUrl' },
  legalComments: 'eof',
  plugins: [embedPlaybooks],
}).catch(failed);

// Stage 2, the file itself: the launcher, with the CLI inside as text.
const result = await build({
  ...common,
  entryPoints: [path.join(ROOT, 'src', 'cli', 'launcher.ts')],
  format: 'esm',
  outfile,
  banner: { js: '#!/usr/bin/env node' },
  plugins: [embedApp(app.outputFiles[0].text)],
}).catch(failed);

const [out] = result.outputFiles;
await mkdir(path.dirname(outfile), { recursive: true });
// Written whole or not at all: a test or a running CLI may be reading the old one right now.
const tmp = `${outfile}.${process.pid}.tmp.mjs`;
await writeFile(tmp, out.contents);
await chmod(tmp, 0o755);
// The embedded playbooks must load, or every run of this bundle would stop at exit 65: the old
// bundle stays in place when they do not.
try {
  execFileSync(process.execPath, [tmp, 'validate'], { stdio: ['ignore', 'ignore', 'pipe'] });
} catch (err) {
  await rm(tmp, { force: true });
  process.stderr.write(`build: the bundled playbooks do not validate:\n${err.stderr ?? err.message}`);
  process.exit(1);
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
  const kb = Math.round(out.contents.length / 1024);
  process.stdout.write(`built ${path.relative(process.cwd(), outfile) || outfile} (${kb} KiB) in ${Date.now() - started} ms\n`);
}
