// Everything the robustness suite feeds hostile input to, by name. Runs inside a worker thread
// (see sandbox.ts), so that a hang is a test failure rather than a stuck test run. Each target
// returns the broken invariants of its output ([] when the output is well-formed; `diagnose`
// returns the checks' states instead); what it throws is classified in worker.ts.
import { HostError, InputError, UsageError } from '../../src/core/errors.js';
import { parseDuration } from '../../src/core/duration.js';
import { regexError } from '../../src/core/formats.js';
import { regexSafetyProblem } from '../../src/core/regex-safety.js';
import { timestampParser } from '../../src/core/timestamp.js';
import { decodeSimple } from '../../src/host/decode.js';
import { HostFacts } from '../../src/host/facts.js';
import { PARSERS, type ParserInput } from '../../src/host/parsers/index.js';
import { parseJournyxSessions } from '../../src/host/parsers/journyx-sessions.js';
import { parsePowercfgQuery } from '../../src/host/parsers/powercfg-query.js';
import { parsePowercfgAvailable, parsePowercfgRequests } from '../../src/host/parsers/powercfg.js';
import { parseIdleMinutes, parseQueryUser } from '../../src/host/parsers/query-user.js';
import { decodeLogBytes, medianIntervalMinutes, parseQwcLog, readQwcLogTail } from '../../src/host/parsers/qwclog.js';
import { parseRegQuery, regDword } from '../../src/host/parsers/reg-query.js';
import { parseScQuery } from '../../src/host/parsers/sc-query.js';
import { parseSystemctlShow } from '../../src/host/parsers/systemctl-show.js';
import { parseCsvLine, parseTasklistCsv } from '../../src/host/parsers/tasklist.js';
import { parseSnapshot, SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { parseConfig } from '../../src/playbook/config.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { parseSetOption, resolvePlaybook } from '../../src/playbook/resolve.js';
import { interpolate, referencedVars } from '../../src/playbook/vars.js';

export { HostError, InputError, UsageError };

type Check = string[];
const bad = (cond: boolean, what: string): Check => (cond ? [] : [what]);
const isStrings = (xs: unknown): boolean => Array.isArray(xs) && xs.every((x) => typeof x === 'string');
const okNum = (n: unknown): boolean => n === null || (typeof n === 'number' && Number.isFinite(n));

function sessions(r: { rows: { user: unknown; id: unknown; state: unknown; idleMinutes: unknown }[]; problems: unknown }): Check {
  return [
    ...bad(isStrings(r.problems), 'problems are strings'),
    ...r.rows.flatMap((s, i) => [
      ...bad(typeof s.user === 'string' && s.user !== '', `rows[${i}].user is a non-empty string`),
      ...bad(s.id === null || (Number.isSafeInteger(s.id) && (s.id as number) >= 0), `rows[${i}].id`),
      ...bad(['active', 'disconnected', 'unknown'].includes(s.state as string), `rows[${i}].state`),
      ...bad(s.idleMinutes === null || (typeof s.idleMinutes === 'number' && s.idleMinutes >= 0), `rows[${i}].idleMinutes`),
    ]),
  ];
}

/** A position is a real place in the named file. */
function positioned(err: InputError, file: string): Check {
  return err.problems.flatMap((p, i) => [
    ...bad(typeof p.message === 'string' && p.message.length > 0, `problems[${i}] has a message`),
    ...bad(p.pos !== undefined && p.pos.file === file && p.pos.line >= 1 && p.pos.col >= 1, `problems[${i}] has a position in ${file}: ${JSON.stringify(p.pos)} ${p.message}`),
  ]);
}

/** A loader either returns or throws an InputError whose every problem has a position. */
function loader<T>(file: string, load: () => T, after?: (v: T) => Check): Check {
  try {
    const v = load();
    return after ? after(v) : [];
  } catch (err) {
    if (err instanceof InputError) return positioned(err, file);
    throw err;
  }
}

const SNAPSHOT: Snapshot = {
  syncdoctorSnapshot: 1,
  capturedAt: '2026-11-20T14:03:00Z',
  platform: 'win32',
  hostname: 'FUZZ-PC',
  uptimeSeconds: 3600,
  processes: [{ pid: 10, ppid: 1, name: 'Agent.exe' }],
};

/** Each parser's own invariants beyond the registry's (optional: a new parser needs none). */
const SHAPES: Record<string, (r: never) => Check> = {
  'query-user': (r: { sessions: Parameters<typeof sessions>[0]['rows']; problems: unknown; noUsers: boolean }) => [
    ...sessions({ rows: r.sessions, problems: r.problems }),
    ...bad(r.noUsers === (r.sessions.length === 0), 'noUsers'),
  ],
  who: (r: Parameters<typeof sessions>[0]) => sessions(r),
  tasklist: (r: ReturnType<typeof parseTasklistCsv>) => r.rows.flatMap((row, i) => bad(Number.isSafeInteger(row.pid) && row.pid >= 0 && okNum(row.memKb), `rows[${i}] pid/mem`)),
  'sc-query': (r: ReturnType<typeof parseScQuery>) => [...bad(okNum(r.state) && okNum(r.pid) && okNum(r.win32ExitCode), 'numbers'), ...bad(r.installed || r.state === null, 'not installed has no state')],
  'powercfg-available': (r: ReturnType<typeof parsePowercfgAvailable>) => bad(isStrings(r.available) && r.unavailable.every((u) => typeof u.state === 'string' && isStrings(u.reasons)), 'shape'),
  'powercfg-requests': (r: ReturnType<typeof parsePowercfgRequests>) => bad(r.sections.every((s) => typeof s.name === 'string' && s.entries.every((e) => typeof e.target === 'string')), 'shape'),
  'powercfg-query': (r: ReturnType<typeof parsePowercfgQuery>) => bad(okNum(r.acSeconds) && okNum(r.dcSeconds), 'shape'),
  'reg-query': (r: ReturnType<typeof parseRegQuery>) => [...r.values.flatMap((v, i) => bad(/^REG_[A-Z_]+$/.test(v.type) && typeof v.name === 'string', `values[${i}]`)), ...r.values.flatMap((v) => bad(okNum(regDword(v.data)), 'dword'))],
  'systemctl-show': (r: ReturnType<typeof parseSystemctlShow>) => bad(typeof r.installed === 'boolean', 'shape'),
  'journyx-sessions': (r: ReturnType<typeof parseJournyxSessions>) => r.sessions.flatMap((s, i) => bad(okNum(s.records) && okNum(s.at) && typeof s.inProgress === 'boolean', `sessions[${i}]`)),
  qwclog: (r: ReturnType<typeof parseQwcLog>) => [
    ...bad(Number.isSafeInteger(r.entries) && r.entries >= 0, 'entries'),
    ...bad(isStrings(r.problems) && r.problems.length <= 101, 'problems bounded'),
    ...bad(r.errorsOutsideCycles.length <= 200, 'loose errors bounded'),
    ...r.cycles.flatMap((c, i) => bad(!Number.isNaN(c.startedAt.getTime()) && !Number.isNaN(c.lastSeenAt.getTime()), `cycles[${i}] times`)),
    ...Object.values(r.apps).flatMap((a) => bad(a.cycles > 0 && okNum(a.medianIntervalMinutes), `app ${a.app}`)),
  ],
};

export const TARGETS: Record<string, (input: never) => Check | Promise<Check>> = {
  // --- loaders: text → value, or InputError with positions ---
  parsePlaybook: (text: string) =>
    loader('fuzz.yaml', () => parsePlaybook('fuzz.yaml', text), (pb) => {
      // A playbook that loads must also resolve (or fail with an InputError) without crashing.
      try {
        resolvePlaybook(pb, []);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
      }
      return [];
    }),
  parseConfig: (text: string) => loader('site.yaml', () => parseConfig('site.yaml', text)),
  parseSnapshot: (text: string) =>
    loader('pc.yaml', () => parseSnapshot('pc.yaml', text), (s) => {
      // A snapshot that loads must replay: the host reads every kind of fact without throwing.
      const host = new SnapshotHost(s);
      return bad(host.now().getTime() === Date.parse(s.capturedAt), 'the clock is capturedAt');
    }),

  // --- every registered parser (src/host/parsers/index.ts): never throws, except the HostError it
  // documents for a failed command; what it returns has the registry's shape and its own ---
  parser: ({ id, input }: { id: string; input: ParserInput }) => {
    const def = PARSERS.find((p) => p.id === id);
    if (!def) throw new Error(`no parser ${id}`);
    let r: { problems: readonly string[] };
    try {
      r = def.parse(input);
    } catch (err) {
      if (err instanceof HostError && def.throwsOnFailedCommand) return [];
      throw err;
    }
    return [...bad(isStrings(r.problems), 'problems are strings'), ...(SHAPES[id]?.(r as never) ?? [])];
  },
  parseQueryUser: (text: string) => sessions(parseQueryUser(text)),
  parseIdleMinutes: (text: string) => bad(okNum(parseIdleMinutes(text)), 'idle minutes'),
  parseCsvLine: (text: string) => bad(isStrings(parseCsvLine(text)), 'fields'),
  parseQwcLog: ({ text, now, truncated }: { text: string; now: number; truncated: boolean }) => SHAPES.qwclog!(parseQwcLog(text, { now: new Date(now), truncated }) as never),
  readQwcLogTail: async ({ bytes, maxBytes, chunk }: { bytes: Uint8Array; maxBytes: number; chunk: number }) => {
    // A reader that returns at most `chunk` bytes per call, as a slow or shrinking file may.
    const readAt = async (offset: number, length: number) => bytes.subarray(offset, offset + Math.min(length, Math.max(1, chunk)));
    const r = await readQwcLogTail(bytes.length, readAt, { maxBytes });
    return [...bad(typeof r.text === 'string' && typeof r.truncated === 'boolean', 'shape'), ...bad(r.text.length <= Math.max(maxBytes, 0) + 1, 'bounded by maxBytes')];
  },
  medianIntervalMinutes: (times: number[]) => bad(okNum(medianIntervalMinutes(times.map((t) => new Date(t)))), 'minutes or null'),
  decodeLogBytes: (bytes: Uint8Array) => bad(typeof decodeLogBytes(bytes) === 'string', 'text'),
  decodeSimple: (bytes: Uint8Array) => {
    const r = decodeSimple(bytes);
    return bad(r === undefined || typeof r === 'string', 'text');
  },

  // --- small languages from playbooks and the command line ---
  timestampParse: ({ format, text }: { format: string; text: string }) => {
    const p = timestampParser(format);
    if (!p) return [];
    const v = p.parse(text, 0);
    return bad(v === undefined || Number.isFinite(v), 'a time or undefined');
  },
  parseDuration: (text: string) => {
    const v = parseDuration(text);
    return bad(v === undefined || (Number.isFinite(v) && v >= 0) || v === Infinity, 'a duration');
  },
  regexSafety: (pattern: string) => {
    const a = regexSafetyProblem(pattern);
    const b = regexError(pattern);
    return bad((a === undefined || typeof a === 'string') && (b === undefined || typeof b === 'string'), 'a reason or undefined');
  },
  parseSetOption: (text: string) => {
    try {
      parseSetOption(text);
      return [];
    } catch (err) {
      if (err instanceof UsageError) return [];
      throw err;
    }
  },
  interpolate: ({ value, vars }: { value: unknown; vars: Record<string, string | string[]> }) => {
    referencedVars(value);
    interpolate(value, vars);
    return [];
  },

  // --- the harness checks itself: a bug and a hang must be reported, not missed ---
  selfTestThrow: () => {
    throw new TypeError('a bug');
  },
  selfTestHang: () => {
    for (;;);
  },

  // --- a whole diagnosis on a replayed host, for hostile playbooks and values ---
  diagnose: async ({ playbook, snapshot, settings }: { playbook: string; snapshot?: Snapshot; settings?: Record<string, Record<string, string | string[]>> }) => {
    const pb = resolvePlaybook(parsePlaybook('hostile.yaml', playbook), settings ? [{ settings, origin: 'hostile config', kind: 'input' }] : []);
    const deadline = new AbortController();
    try {
      const report = await runDiagnosis({ facts: new HostFacts(new SnapshotHost(snapshot ?? SNAPSHOT), { signal: deadline.signal }), playbooks: [pb], named: [pb.spec.id], deadline: deadline.signal });
      return report.agents.flatMap((a) => a.checks.map((c) => `${c.id}=${c.state}${c.error ? `: ${c.error}` : ''}`));
    } finally {
      deadline.abort();
    }
  },
};
