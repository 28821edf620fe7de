// Property-based fuzzing of every loader and parser: real examples damaged byte by byte and line
// by line, reassembled from real lines, or random, never end in an uncaught exception or a hang.
// Loaders reject only with an InputError whose every problem has a file:line:col; parsers never
// throw, except the HostError some document for a failed command (non-zero exit).
// Reproducible (fixed seed); FUZZ_RUNS=5000 FUZZ_SEED=n npx vitest run test/robustness for more.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, verdict } from './sandbox.js';
import { PARSERS } from '../../src/host/parsers/index.js';
import { anyText, exitCode, FC, parserSamples, ROOT, SEEDS, textFor } from './seeds.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.create();
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

const TEST_TIMEOUT = 120_000;

/** Runs `target` on every generated input; any uncaught error, hang or malformed output fails. */
async function fuzz<T>(target: string, arb: fc.Arbitrary<T>, allowed: readonly string[] = [], runs = FC.numRuns): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      const v = verdict(await sandbox.call(target, input), allowed);
      if (v) throw new Error(`${target}: ${v}`);
    }),
    { ...FC, numRuns: runs },
  );
}

const text = (seeds: readonly string[]) => textFor(seeds);
const bytes = (seeds: readonly string[]) =>
  fc.oneof(
    fc.uint8Array({ maxLength: 4096 }),
    text(seeds).map((t) => new TextEncoder().encode(t)),
    text(seeds).map((t) => Uint8Array.from(t, (c) => c.charCodeAt(0) & 0xff)), // as windows-1252 bytes
    fc.tuple(fc.constantFrom(new Uint8Array([0xef, 0xbb, 0xbf]), new Uint8Array([0xff, 0xfe]), new Uint8Array([0xfe, 0xff])), fc.uint8Array({ maxLength: 200 })).map(([a, b]) => new Uint8Array([...a, ...b])),
  );

describe('loaders: playbooks, config, snapshots', () => {
  it('parsePlaybook: an InputError with file:line:col, or a playbook that also resolves', () => fuzz('parsePlaybook', text(SEEDS.playbooks)), TEST_TIMEOUT);
  it('parseConfig (site settings)', () => fuzz('parseConfig', text(SEEDS.configs)), TEST_TIMEOUT);
  it('parseSnapshot: an InputError with file:line:col, or a snapshot that replays', () => fuzz('parseSnapshot', text(SEEDS.snapshots), [], Math.ceil(FC.numRuns / 2)), TEST_TIMEOUT);
  it('the same loaders on JSON (the fast path) and on its damage', async () => {
    const { parse } = await import('yaml');
    const json = [...SEEDS.snapshots.map((t) => JSON.stringify(parse(t), null, 1)), ...SEEDS.playbooks.map((t) => JSON.stringify(parse(t)))];
    await fuzz('parseSnapshot', text(json.slice(0, SEEDS.snapshots.length)), [], Math.ceil(FC.numRuns / 2));
    await fuzz('parsePlaybook', text(json.slice(SEEDS.snapshots.length)), [], Math.ceil(FC.numRuns / 2));
  }, TEST_TIMEOUT);
  it('hostile structure: deep nesting, alias bombs, duplicate keys, multiple documents, huge scalars', async () => {
    const cases = [
      '['.repeat(100_000),
      '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
      Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}- x`).join('\n'),
      '- '.repeat(50_000) + 'x',
      'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      'id: a\nid: b\n',
      '{"id": "a", "id": "b"}',
      'id: a\n---\nid: b\n',
      `id: ${'x'.repeat(4_000_000)}\n`,
      `note: "${'\\u0041'.repeat(500_000)}"\n`,
      '*undefined_alias\n',
      '!!js/function "function(){}"\n',
    ];
    for (const target of ['parsePlaybook', 'parseSnapshot', 'parseConfig']) {
      // Twice in the same worker: a stack overflow inside the YAML composer once left V8 unable to
      // compile regexes (a fatal abort of the whole process on the next parse).
      for (const c of [...cases, ...cases]) expect(verdict(await sandbox.call(target, c, 20_000)), `${target} on ${JSON.stringify(c.slice(0, 40))}`).toBe('');
    }
  }, TEST_TIMEOUT);
});

describe('native output parsers, every one in the registry', () => {
  for (const def of PARSERS) {
    const samples = parserSamples(def);
    it(`${def.id} (${def.reads.split(':')[0]}): from ${samples.length} real samples, damaged, reassembled or random`, () => {
      expect(samples.length, `${def.id}: no example snapshot records its source; add a sample to EXTRA in seeds.ts`).toBeGreaterThan(0);
      const input = fc.record({
        exitCode: fc.oneof(fc.constantFrom(...samples.map((x) => x.exitCode)), exitCode),
        stdout: text(samples.map((x) => x.stdout)),
        stderr: fc.oneof(fc.constant(''), anyText),
      });
      return fuzz('parser', input.map((i) => ({ id: def.id, input: i })));
    }, TEST_TIMEOUT);
  }
  it('query user without its exit code (as redaction reads it)', () => fuzz('parseQueryUser', text(parserSamples(PARSERS.find((p) => p.id === 'query-user')!).map((x) => x.stdout))), TEST_TIMEOUT);
  it('idle times', () => fuzz('parseIdleMinutes', fc.oneof(anyText, fc.constantFrom('none', '.', '12', '1:05', '2+03:04', '99999999999999999999+1:1', '*'))), TEST_TIMEOUT);
  it('CSV lines', () => fuzz('parseCsvLine', text(SEEDS.tasklist.flatMap((t) => t.split(/\r?\n/)).slice(0, 200))), TEST_TIMEOUT);
});

describe('Web Connector log (QWCLog.txt)', () => {
  const now = fc.oneof(fc.constant(Date.parse('2026-11-20T14:03:00Z')), fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(Number.NaN));
  it('parseQwcLog', () => fuzz('parseQwcLog', fc.record({ text: text(SEEDS.qwclog), now, truncated: fc.boolean() })), TEST_TIMEOUT);
  it('readQwcLogTail with short reads and any window', () =>
    fuzz('readQwcLogTail', fc.record({ bytes: bytes(SEEDS.qwclog), maxBytes: fc.oneof(fc.integer({ min: -10, max: 5000 }), fc.constant(4 * 1024 * 1024)), chunk: fc.integer({ min: 1, max: 5000 }) })), TEST_TIMEOUT);
  it('decoding log bytes (UTF-8, BOMs, windows-1252)', async () => {
    await fuzz('decodeLogBytes', bytes(SEEDS.qwclog));
    await fuzz('decodeSimple', bytes(SEEDS.qwclog));
  }, TEST_TIMEOUT);
  it('cadence from start times', () => fuzz('medianIntervalMinutes', fc.array(fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(Number.NaN)), { maxLength: 50 })), TEST_TIMEOUT);
});

describe('small languages in playbooks and on the command line', () => {
  const formats = fc.oneof(fc.constantFrom('iso', 'qwclog', 'MM/DD/YYYY hh:mm:ss A', 'YYYY-MM-DD HH:mm:ss', 'D.M.YYYY H:mm'), anyText);
  it('timestamp formats and timestamps', () => fuzz('timestampParse', fc.record({ format: formats, text: fc.oneof(anyText, text(SEEDS.syncLog)) })), TEST_TIMEOUT);
  it('durations', () => fuzz('parseDuration', fc.oneof(anyText, fc.stringMatching(/^[\d.]{0,30}(ms|s|m|h|d)?([\d.]{0,20}(ms|s|m|h|d))*$/))), TEST_TIMEOUT);
  it('regex safety check on any pattern (never throws, always fast)', () =>
    fuzz('regexSafety', fc.oneof(anyText, fc.string({ unit: fc.constantFrom('(', ')', '[', ']', '{', '}', '*', '+', '?', '|', '\\', 'a', '1', ',', '^', '$', '.', '<', '>', '=', '!', ':'), maxLength: 80 }))), TEST_TIMEOUT);
  it('--set agent.var=value', () => fuzz('parseSetOption', fc.oneof(anyText, fc.stringMatching(/^[a-z-]{0,8}\.?[A-Za-z_]{0,8}=?.{0,20}$/))), TEST_TIMEOUT);
  it('${var} interpolation over any value', () =>
    fuzz('interpolate', fc.record({ value: fc.jsonValue({ maxDepth: 4 }), vars: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }))) })), TEST_TIMEOUT);
});

describe('huge and pathological inputs stay linear', () => {
  const HUGE = [
    'x'.repeat(4_000_000),
    '\n'.repeat(1_000_000),
    '\r'.repeat(1_000_000),
    '"'.repeat(1_000_000),
    ' 1 Active'.repeat(300_000),
    '\t'.repeat(1_000_000),
    'a,'.repeat(1_000_000),
    '    x    REG_SZ    '.repeat(200_000),
    `${'20261120.14:03:00 UTC\t: X() : QBWC1013 HRESULT = 0x80040408 '.repeat(50_000)}\n`.repeat(4),
    '\0'.repeat(2_000_000),
    '[x] '.repeat(500_000),
    '1'.repeat(1_000_000),
  ];
  const targets: [string, (t: string) => unknown][] = [
    ...PARSERS.map((def): [string, (t: string) => unknown] => [`parser ${def.id}`, (t) => ({ id: def.id, input: { exitCode: 0, stdout: t, stderr: '' } })]),
    ['regexSafety', (t) => t.slice(0, 200_000)],
  ];
  for (const [target, input] of targets) {
    it(`${target}: MBs of pathological text finish in seconds`, async () => {
      for (const h of HUGE) {
        const r = await sandbox.call(target.split(' ')[0]!, input(h), 15_000);
        expect(verdict(r), `${target} on ${JSON.stringify(h.slice(0, 30))}… (${h.length} chars)`).toBe('');
      }
    }, TEST_TIMEOUT);
  }
});

describe('the harness', () => {
  it('reports an uncaught error and a hang (and recovers from the hang)', async () => {
    expect(verdict(await sandbox.call('selfTestThrow', null))).toMatch(/^uncaught TypeError: a bug/);
    expect(verdict(await sandbox.call('selfTestHang', null, 500))).toMatch(/^hang/);
    expect(verdict(await sandbox.call('parser', { id: 'who', input: { exitCode: 0, stdout: 'root pts/0 2026-11-20 10:01', stderr: '' } }))).toBe('');
  });
});

describe('coverage: every parser is fuzzed', () => {
  it('each function exported by src/host/parsers/*.ts is reached by the registry (index.ts) or has its own fuzz target', () => {
    const dir = path.join(ROOT, 'src', 'host', 'parsers');
    const reached = readFileSync(path.join(dir, 'index.ts'), 'utf8') + readFileSync(path.join(import.meta.dirname, 'targets.ts'), 'utf8');
    const missing: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'index.ts')) {
      for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/^export (?:async )?function (\w+)/gm)) {
        if (!new RegExp(`\\b${m[1]}\\(`).test(reached)) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(missing, 'register the parser in src/host/parsers/index.ts (a helper: a target in test/robustness/targets.ts)').toEqual([]);
  });
});
