// Real inputs to start from, and fast-check arbitraries that damage them: the shipped playbooks,
// the example snapshots and the command output and files they record, found for each registered
// parser through its `source` (query user, tasklist, sc, powercfg, QWCLog, Journyx tables), plus
// samples in the documented shapes of Windows and Linux output for the commands no example
// records yet (who, systemctl show, reg query, powercfg /requests as admin, sc's failures).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import type { ParserDef, ParserInput } from '../../src/host/parsers/index.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A fixed seed: the suite is reproducible; FUZZ_SEED and FUZZ_RUNS explore further locally. */
export const FC = {
  seed: Number(process.env.FUZZ_SEED ?? 0x5eed),
  numRuns: Number(process.env.FUZZ_RUNS ?? 120),
  endOnFailure: true,
  interruptAfterTimeLimit: 60_000,
};

function yamlFiles(dir: string): { name: string; text: string }[] {
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => ({ name: n, text: readFileSync(path.join(dir, n), 'utf8') }));
}

export const PLAYBOOK_TEXTS = [...yamlFiles(path.join(ROOT, 'playbooks')), ...yamlFiles(path.join(ROOT, 'test', 'fixtures', 'playbooks'))].map((f) => f.text);
export const SNAPSHOT_TEXTS = yamlFiles(path.join(ROOT, 'examples')).map((f) => f.text);

interface Recorded {
  argv: string[];
  exitCode: number | null;
  stdout?: string;
  stderr?: string;
}
const snapshots = SNAPSHOT_TEXTS.map((t) => parse(t) as { commands?: Recorded[]; files?: { path: string; content?: string }[]; settings?: Record<string, Record<string, unknown>> });
const commands = snapshots.flatMap((s) => s.commands ?? []);
const outputs = (test: (argv: string[]) => boolean): string[] => [...new Set(commands.filter((c) => test(c.argv) && c.stdout).map((c) => c.stdout!))];
const files = (test: RegExp): string[] => [...new Set(snapshots.flatMap((s) => (s.files ?? []).filter((f) => test.test(f.path) && f.content).map((f) => f.content!)))];

export const CONFIG_TEXTS = [
  ...snapshots.filter((s) => s.settings).map((s) => `# site settings\nagents:\n${Object.entries(s.settings!).map(([a, vars]) => `  ${a}:\n${Object.entries(vars).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n')}`).join('\n')}\n`),
  'agents:\n  cism:\n    windowsUser: frontdesk\n    processNames: [CISM.exe, CismTray.exe]\n',
  '{"agents": {"qbwc": {"logPath": "C:\\\\ProgramData\\\\Intuit\\\\QBWebConnector\\\\log\\\\QWCLog.txt"}}}\n',
];

/** Samples no example snapshot records yet, by parser id. */
const EXTRA: Record<string, ParserInput[]> = {
  'sc-query': [
    { exitCode: 1060, stdout: '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n', stderr: '' },
    { exitCode: 5, stdout: '[SC] OpenService FAILED 5:\r\n\r\nAccess is denied.\r\n\r\n', stderr: '' },
  ],
  'powercfg-requests': [
    {
      exitCode: 0,
      stdout:
        'DISPLAY:\r\nNone.\r\n\r\nSYSTEM:\r\n[PROCESS] \\Device\\HarddiskVolume3\\Program Files\\Example Backup\\backupagent.exe\r\nBackup in progress\r\n\r\nAWAYMODE:\r\nNone.\r\n\r\nEXECUTION:\r\n[SERVICE] \\FileSyncHelper\r\n\r\nPERFBOOST:\r\nNone.\r\n\r\nACTIVELOCKSCREEN:\r\nNone.\r\n\r\n',
      stderr: '',
    },
  ],
  'reg-query': [
    { exitCode: 0, stdout: '\r\nHKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\r\n    Level    REG_SZ    DEBUG\r\n    UpdateLock    REG_SZ    False\r\n\r\n', stderr: '' },
    { exitCode: 0, stdout: '\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage\r\n    OEMCP    REG_SZ    437\r\n    Flags    REG_DWORD    0x1f\r\n    Multi    REG_MULTI_SZ    a\\0b\\0\r\n    (Default)    REG_SZ\r\n\r\n', stderr: '' },
  ],
  who: [{ exitCode: 0, stdout: 'frontdesk tty7         2026-11-20 08:02 (:0)\nfrontdesk pts/0        2026-11-20 09:15 (10.0.0.5)\nroot     pts/1        2026-11-20 10:01 (tmux(12).%0)\n', stderr: '' }],
  'systemctl-show': [
    { exitCode: 0, stdout: 'LoadState=loaded\nActiveState=active\nSubState=running\n', stderr: '' },
    { exitCode: 0, stdout: 'SubState=dead\nLoadState=not-found\nActiveState=inactive\n', stderr: '' },
  ],
};

/** Real inputs of a registered parser: what the examples recorded from its source, and EXTRA. */
export function parserSamples(def: ParserDef): ParserInput[] {
  const src = def.source;
  const recorded: ParserInput[] =
    'argv' in src
      ? commands.filter((c) => src.argv.every((a, i) => c.argv[i] === a) && c.stdout).map((c) => ({ exitCode: c.exitCode ?? 0, stdout: c.stdout!, stderr: c.stderr ?? '' }))
      : files(src.file).map((content) => ({ exitCode: 0, stdout: content, stderr: '' }));
  const seen = new Set<string>();
  return [...recorded, ...(EXTRA[def.id] ?? [])].filter((x) => !seen.has(x.stdout) && seen.add(x.stdout));
}

const TASKLIST = outputs((a) => a[0] === 'tasklist');
const QWCLOG = files(/QWCLog\.txt$/i);
const SYNC_LOG = files(/sync\.log$/i);

export const SEEDS = {
  tasklist: TASKLIST,
  qwclog: QWCLOG,
  syncLog: SYNC_LOG,
  playbooks: PLAYBOOK_TEXTS,
  snapshots: SNAPSHOT_TEXTS,
  configs: CONFIG_TEXTS,
};

// ---------------------------------------------------------------------------------------------
// Damage

/** Characters that mean something to one of the formats (quotes, separators, line ends, BOM, NUL). */
const SPECIAL = ['\0', '\r', '\n', '\r\n', '\t', ' ', '"', "'", ',', ':', ';', '|', '>', '<', '-', '#', '&', '*', '!', '%', '@', '`', '{', '}', '[', ']', '(', ')', '\\', '=', '\uFEFF', 'é', '\u00a0', '\u2028', '\ud800', '0', '9'];
/** Fragments of real syntax, so that damage also builds plausible-looking structure. */
const TOKENS = [
  'UTC\t: ', '20261120.14:03:00 UTC\t: X() : ', 'QBWC1013', 'HRESULT = 0x80040408', 'Message: ', 'UpdateLock has been set to True', 'UpdateLock has been set to False',
  'Performing SCHEDULED UPDATE for application = ', "updateWS() for application = 'A' has STARTED", 'Log file initialized at ', 'LOCKED:PC:1:',
  '[SC] OpenService FAILED 1060:', 'STATE              : 4  RUNNING', 'SERVICE_NAME: x', 'REG_SZ', '    ', 'HKEY_LOCAL_MACHINE\\X',
  '"N/A"', '","', '"""', ' Active ', ' Disc ', '>', '  1  ', '99999999999999999999', '-1', '1e400', 'NaN',
  '  - ', ': ', '- ', '? ', '&a ', '*a', '!!js/function ', '!!binary ', '<<: *a', '${x}', '${', '%ProgramData%', '\n---\n', '\n...\n', '|-\n', '>\n',
  'probe: ', 'needs: [', 'with: {', 'checks:\n', 'remediate: [', 'pattern: "(a+)+$"', 'timeout: 0s', 'maxAge: 99999999d',
  'syncdoctorSnapshot: 1', 'hang: true', 'contentBase64: "@@@"', 'capturedAt: "2026-02-30T25:61:00Z"',
  'Records\tStatus\tStarted\n', 'in progress', '0\tin progress\t11/20/2026 8:00 AM\n', 'LoadState=', 'ActiveState=',
];

type Op =
  | { k: 'set'; at: number; s: string }
  | { k: 'del'; at: number; len: number }
  | { k: 'ins'; at: number; s: string }
  | { k: 'dupLine'; at: number }
  | { k: 'delLine'; at: number }
  | { k: 'swapLines'; a: number; b: number }
  | { k: 'cut'; at: number }
  | { k: 'repeat'; at: number; len: number; times: number }
  | { k: 'eol'; mode: 'lf' | 'crlf' | 'cr' }
  | { k: 'indent'; at: number; by: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('set' as const), at: fc.nat(), s: fc.constantFrom(...SPECIAL) }),
  fc.record({ k: fc.constant('del' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ k: fc.constant('ins' as const), at: fc.nat(), s: fc.oneof(fc.constantFrom(...TOKENS, ...SPECIAL), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })) }),
  fc.record({ k: fc.constant('dupLine' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('delLine' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 300 }) }),
  fc.record({ k: fc.constant('eol' as const), mode: fc.constantFrom('lf' as const, 'crlf' as const, 'cr' as const) }),
  fc.record({ k: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 8 }) }),
);

function apply(text: string, o: Op): string {
  const n = text.length;
  const at = (i: number) => (n === 0 ? 0 : i % (n + 1));
  const lines = () => text.split('\n');
  switch (o.k) {
    case 'set':
      return text.slice(0, at(o.at)) + o.s + text.slice(at(o.at) + 1);
    case 'del':
      return text.slice(0, at(o.at)) + text.slice(at(o.at) + o.len);
    case 'ins':
      return text.slice(0, at(o.at)) + o.s + text.slice(at(o.at));
    case 'cut':
      return text.slice(0, at(o.at));
    case 'repeat': {
      const s = text.slice(at(o.at), at(o.at) + o.len);
      return text.slice(0, at(o.at)) + s.repeat(o.times) + text.slice(at(o.at));
    }
    case 'eol':
      return text.replace(/\r\n|\r|\n/g, o.mode === 'lf' ? '\n' : o.mode === 'crlf' ? '\r\n' : '\r');
    default: {
      const ls = lines();
      const i = ls.length ? ('at' in o ? o.at : 0) % ls.length : 0;
      if (o.k === 'dupLine') ls.splice(i, 0, ls[i] ?? '');
      else if (o.k === 'delLine') ls.splice(i, 1);
      else if (o.k === 'indent') ls[i] = o.by >= 0 ? ' '.repeat(o.by) + (ls[i] ?? '') : (ls[i] ?? '').slice(-o.by);
      else if (o.k === 'swapLines' && ls.length) {
        const a = o.a % ls.length;
        const b = o.b % ls.length;
        [ls[a], ls[b]] = [ls[b]!, ls[a]!];
      }
      return ls.join('\n');
    }
  }
}

/** A real example damaged by 1 to 6 edits (bytes, lines, line ends, indentation, repeats). */
export function damaged(seeds: readonly string[]): fc.Arbitrary<string> {
  if (!seeds.length) throw new Error('no seeds');
  return fc.tuple(fc.constantFrom(...seeds), fc.array(op, { minLength: 1, maxLength: 6 })).map(([s, ops]) => ops.reduce(apply, s));
}

/** Lines assembled from real lines of the seeds and syntax fragments, in any order. */
export function reassembled(seeds: readonly string[]): fc.Arbitrary<string> {
  const lines = [...new Set(seeds.flatMap((s) => s.split(/\r?\n/)))].filter(Boolean).slice(0, 500);
  return fc.array(fc.oneof(fc.constantFrom(...lines), fc.constantFrom(...TOKENS)), { maxLength: 40 }).chain((ls) => fc.constantFrom('\n', '\r\n').map((eol) => ls.join(eol)));
}

/** Anything: random text (any code unit, lone surrogates included) and random bytes as text. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...SPECIAL, ...TOKENS), maxLength: 60 }),
);

/** Real, damaged, reassembled or random text for a parser. */
export function textFor(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: damaged(seeds) }, { weight: 2, arbitrary: reassembled(seeds) }, { weight: 1, arbitrary: anyText }, { weight: 1, arbitrary: fc.constantFrom(...seeds) });
}

export const exitCode = fc.oneof(fc.constantFrom(0, 0, 0, 1, 5, 1060, 9009, -1, 255), fc.integer());
