// The layers of src/ as docs/architecture.md writes them down: this test reads the table there
// and fails on any import in src/ that points up or sideways against it, naming the file and the
// import. There is no list of exceptions: where the rule is wrong, change the document.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

interface Rules {
  /** Layer name → its folder under src/ and the layers it may import. */
  layers: Map<string, { folder: string; mayImport: Set<string> }>;
}

/** Node modules and packages that reach the operating system. */
const OS_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|os|dns|dns\/promises|http|https|http2|tls|dgram)$|^(ps-list|systeminformation|execa)(\/|$)/;
const OS_LAYERS = new Set(['host', 'cli']);

/** Reads the "Layers" table of docs/architecture.md. */
export function readRules(markdown: string): Rules {
  const layers: Rules['layers'] = new Map();
  const section = markdown.split(/^## Layers$/m)[1]?.split(/^## /m)[0] ?? '';
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const folder = /^`src\/([a-z-]+)`$/.exec(cells[2] ?? '');
    if (!folder || !cells[1]) continue;
    const may = cells[4] === 'nothing' ? [] : (cells[4] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    layers.set(cells[1], { folder: folder[1]!, mayImport: new Set(may) });
  }
  return { layers };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : /\.ts$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

/** Every import that breaks the rules, as "file: import 'x' — why". */
export function layerViolations(srcDir: string, rules: Rules): string[] {
  const byFolder = new Map([...rules.layers].map(([name, l]) => [l.folder, name]));
  const layerOf = (file: string): string | undefined => {
    const rel = path.relative(srcDir, file);
    if (rel.startsWith('..')) return undefined;
    return byFolder.get(rel.split(path.sep)[0]!);
  };
  const out: string[] = [];
  for (const file of sourceFiles(srcDir)) {
    const where = path.relative(path.dirname(srcDir), file).split(path.sep).join('/');
    const from = layerOf(file);
    if (!from) {
      out.push(`${where}: not in a documented layer (add its folder to the table in docs/architecture.md)`);
      continue;
    }
    const allowed = rules.layers.get(from)!.mayImport;
    // preProcessFile sees static imports, re-exports, `import type` and dynamic import('...').
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        const to = layerOf(target);
        if (!to) out.push(`${where}: import '${spec}' leaves the layers of src/`);
        else if (to !== from && !allowed.has(to)) out.push(`${where}: import '${spec}' — ${from} may not import ${to} (it may import: ${[...allowed].join(', ') || 'nothing'})`);
      } else if (OS_MODULES.test(spec) && !OS_LAYERS.has(from)) {
        out.push(`${where}: import '${spec}' — only host and cli touch the operating system`);
      }
    }
  }
  return out;
}

const rules = readRules(readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8'));

describe('the layers of src/', () => {
  it('the table in docs/architecture.md names every folder of src/, and nothing imports cli', () => {
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect([...rules.layers.values()].map((l) => l.folder).sort()).toEqual(folders);
    for (const [name, l] of rules.layers) {
      expect(l.mayImport.has('cli'), `${name} may import cli`).toBe(false);
      for (const m of l.mayImport) expect(rules.layers.has(m), `${name} may import an unknown layer ${m}`).toBe(true);
    }
  });

  it('every import in src/ points the way the table allows', () => {
    expect(layerViolations(path.join(ROOT, 'src'), rules)).toEqual([]);
  });

  it('catches an import that points up, one that goes sideways, the OS outside host, and one leaving src/', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'syncdoctor-layers-'));
    try {
      const src = path.join(dir, 'src');
      const put = (rel: string, text: string) => {
        mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
        writeFileSync(path.join(src, rel), text);
      };
      for (const l of rules.layers.values()) put(`${l.folder}/ok.ts`, 'export const x = 1;\n');
      put('core/up.ts', "import type { HostFacts } from '../host/ok.js';\n");
      put('actions/sideways.ts', "import { x } from '../probes/ok.js';\nexport const y = await import('../probes/ok.js');\n");
      put('probes/disk.ts', "import { readFile } from 'node:fs/promises';\n");
      put('reporters/out.ts', "export { x } from '../../test/helpers/cli.js';\n");
      expect(layerViolations(src, rules)).toEqual([
        "src/actions/sideways.ts: import '../probes/ok.js' — actions may not import probes (it may import: host, core)",
        "src/actions/sideways.ts: import '../probes/ok.js' — actions may not import probes (it may import: host, core)",
        "src/core/up.ts: import '../host/ok.js' — core may not import host (it may import: nothing)",
        "src/probes/disk.ts: import 'node:fs/promises' — only host and cli touch the operating system",
        "src/reporters/out.ts: import '../../test/helpers/cli.js' leaves the layers of src/",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('documents a clone has', () => {
  const files = (dir: string, ext: RegExp): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), ext) : ext.test(e.name) ? [path.join(dir, e.name)] : []));

  it('no source, test, script, playbook or doc cites the first design brief or the reference folder outside the repository', () => {
    const cited = [...files('src', /\.ts$/), ...files('test', /\.ts$/), ...files('bench', /\.m?js$/), ...files('scripts', /\.m?js$/), ...files('playbooks', /\.yaml$/), ...files('docs', /\.md$/), 'README.md']
      .filter((f) => f !== path.join('test', 'architecture', 'layers.test.ts'))
      .flatMap((f) => readFileSync(path.join(ROOT, f), 'utf8').split('\n').flatMap((line, i) => (/DESIGN\.md|\.\.\/shared\b|\breference\/[a-z-]+\.md/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])));
    expect(cited).toEqual([]);
  });

  it('every relative link in the README and docs/ points at a file of the repository', () => {
    const broken = ['README.md', ...files('docs', /\.md$/)].flatMap((f) =>
      [...readFileSync(path.join(ROOT, f), 'utf8').matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)/g)].flatMap((m) => {
        try {
          readFileSync(path.join(ROOT, path.dirname(f), m[1]!));
          return [];
        } catch (err) {
          return (err as NodeJS.ErrnoException).code === 'EISDIR' ? [] : [`${f}: ${m[1]}`];
        }
      }),
    );
    expect(broken).toEqual([]);
  });
});
