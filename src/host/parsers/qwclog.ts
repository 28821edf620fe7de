// QuickBooks Web Connector log (QWCLog.txt) analyser, as its entries, header blocks and
// cycles are documented in the QBWC Programmer's Guide and seen in real logs. Pure: text in,
// facts out; never throws on damaged input. One pass over the text, each line examined only up
// to MAX_LINE characters, so a 20 MB log or a megabyte-long line stays linear.

import { normaliseCode } from '../../core/error-codes.js';

export type QwcCycleKind = 'scheduled' | 'manual' | 'unknown';
export type QwcVerdict = 'completed' | 'completed-with-errors' | 'interrupted' | 'possibly-running';

export interface QwcError {
  at: Date;
  /** Normalised HRESULT (`0x8004...`) or `QBWCnnnn`; null for web-service errors. */
  code: string | null;
  message: string | null;
  kind: 'qbwc' | 'hresult' | 'web-service';
  /** QBWC codes: the first continuation line (usually the exception message). */
  detail?: string | null;
}

export interface QwcCycle {
  kind: QwcCycleKind;
  app: string | null;
  appUrl: string | null;
  startedAt: Date;
  /** Time of `UpdateLock has been set to False`; null when the cycle never got there. */
  endedAt: Date | null;
  /** Time of the cycle's last entry. */
  lastSeenAt: Date;
  verdict: QwcVerdict;
  errors: QwcError[];
  /** Computer name from `Got Lock = LOCKED:<COMPUTER>:<ticks>`. */
  lockHolder: string | null;
  staleLockSuspected: boolean;
  authRet1?: string | null;
  companyFile?: string | null;
  response?: string | null;
}

export interface QwcHeader {
  /** Text after "Log file initialized at", as written. */
  initializedAt: string | null;
  /** The same, parsed when it has the English shape QBWC writes; else null. */
  initializedAtDate: Date | null;
  version: string | null;
  level: string | null;
}

export interface QwcAppSummary {
  app: string;
  cycles: number;
  lastStart: Date | null;
  /** End of the last cycle that completed without errors. */
  lastCompleted: Date | null;
  /** End of the last cycle that reached `set to False`, with or without errors. */
  lastEnded: Date | null;
  lastError: QwcError | null;
  lastCycleKind: QwcCycleKind;
  lastVerdict: QwcVerdict;
  /** Every start (scheduled or manual), in file order. */
  starts: Date[];
  /** Scheduled starts only: the cadence is inferred from these. */
  scheduledStarts: Date[];
  /** Median spacing of scheduled starts in minutes; null with fewer than two. */
  medianIntervalMinutes: number | null;
}

export interface QwcLogAnalysis {
  /** The last header block seen (the current log level and version). */
  header: QwcHeader | null;
  headerBlocks: number;
  entries: number;
  cycles: QwcCycle[];
  apps: Record<string, QwcAppSummary>;
  /** Errors logged while no cycle was open (most recent ones kept). */
  errorsOutsideCycles: QwcError[];
  problems: string[];
  lastEntryAt: Date | null;
  /** A header block followed earlier entries: the log was cleared or recreated. */
  restarted: boolean;
}

export interface QwcParseOptions {
  /** The clock to judge "possibly still running" against; without it an open cycle is interrupted. */
  now?: Date;
  graceMinutes?: number;
  /** The text is the tail of a larger file: text before the first entry is not a problem. */
  truncated?: boolean;
}

const MAX_LINE = 4096;
const MAX_PROBLEMS = 100;
const MAX_LOOSE_ERRORS = 200;
const MAX_TEXT = 500;
const DEFAULT_GRACE_MINUTES = 30;

const TS = /^(\d{4})(\d{2})(\d{2})\.(\d{2}):(\d{2}):(\d{2})/;
const REST = /^\s*UTC\s*:\s*(\S+\(\))\s*(?::\s?(.*))?$/s;
const LOOSE_REST = /^\s*(?:UTC)?\s*:?\s*(.*)$/s;

const HDR_INIT = /^Log file initialized at(.*)$/s;
const HDR_TS = /^Timestamp format used:/;
const HDR_VERSION = /^QBWebConnector\s+(\S+)\s+has been initialized with its logging status to level\s*=\s*([A-Za-z]+)/;
const HDR_RESTART = /^Please restart QBWebConnector/;

const SET_LOCK = /UpdateLock has been set to (True|False)\b/i;
const LOCK_IS_TRUE = /UpdateLock\s*=\s*True\b/i;

const QBWC_CODE = /\bQBWC(\d{4})\b/g;
const HRESULT = /HRESULT\s*=\s*(0x[0-9A-Fa-f]{8})/;
const MESSAGE_LINE = /^\s*Message:\s*(.*)$/s;
const WEB_ERROR = 'Actual error received from web service';

interface Facts {
  app?: string;
  appUrl?: string;
  authRet1?: string;
  companyFile?: string;
  lockHolder?: string;
  response?: string;
}

interface Entry {
  at: Date;
  message: string;
  errors: QwcError[];
  seen: Set<string>;
  pendingHresult: QwcError | null;
  hresultGap: number;
  awaitingDetail: QwcError | null;
  facts: Facts;
}

interface OpenCycle {
  cycle: QwcCycle;
  lockSet: boolean;
}

/** Analyses a QWCLog.txt text. Never throws; what it could not read is listed in `problems`. */
export function parseQwcLog(text: string, opts: QwcParseOptions = {}): QwcLogAnalysis {
  const p = new QwcParser(opts);
  try {
    p.run(typeof text === 'string' ? text : '');
  } catch (e) {
    // A bug must not hide what was read so far.
    p.problem(`parser stopped early: ${e instanceof Error ? e.message : String(e)}`);
  }
  return p.finish();
}

class QwcParser {
  private readonly cycles: QwcCycle[] = [];
  private readonly problems: string[] = [];
  private readonly loose: QwcError[] = [];
  private droppedProblems = 0;
  private header: QwcHeader | null = null;
  private headerBlocks = 0;
  private entries = 0;
  private lastEntryAt: Date | null = null;
  private restarted = false;
  private entry: Entry | null = null;
  private open: OpenCycle | null = null;
  private pendingStale = false;
  private prevWasHeader = false;
  private nulLines = 0;
  private lineNo = 0;
  // Entries come in bursts within one second: the last timestamp's Date is reused (never mutated).
  private lastStamp = '';
  private lastDate: Date | null = null;

  constructor(private readonly opts: QwcParseOptions) {}

  run(text: string): void {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const breaks = /\r\n|\r|\n/g;
    let pos = 0;
    for (;;) {
      const m = breaks.exec(body);
      const end = m ? m.index : body.length;
      // Skip a run of NULs (left by a crash) before the cap, so that the text after it is seen.
      let from = pos;
      while (from < end && body.charCodeAt(from) === 0) from++;
      // Only the start of a line is examined: bounded work on huge lines (VERBOSE XML dumps).
      this.line(body.slice(from, Math.min(end, from + MAX_LINE)), from > pos);
      if (!m) break;
      pos = m.index + m[0].length;
    }
  }

  private dateOf(stamp: string): Date | null {
    if (stamp !== this.lastStamp) {
      this.lastStamp = stamp;
      this.lastDate = utcDate(stamp);
    }
    return this.lastDate;
  }

  problem(msg: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(msg);
    else this.droppedProblems++;
  }

  private line(raw: string, hadLeadingNul: boolean): void {
    this.lineNo++;
    let line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const nul = line.includes('\0');
    if (nul) line = line.replace(/\0/g, '');
    if (nul || hadLeadingNul) this.nulLines++;
    const c = line.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const ts = TS.exec(line);
      if (ts) return this.entryLine(line, ts);
    }
    if (this.headerLine(line)) return;
    this.prevWasHeader = false;
    if (this.entry) return this.continuation(this.entry, line);
    if (line.trim() === '' || this.opts.truncated) return;
    this.problem(`line ${this.lineNo}: text before the first entry: ${preview(line)}`);
  }

  // --- header block ("Log file initialized at ...", the timestamp format) ---

  private headerLine(line: string): boolean {
    // Header lines start with L, T, Q or P: a cheap test first, for the many continuation lines.
    const first = line.charCodeAt(0);
    if (first !== 76 && first !== 84 && first !== 81 && first !== 80) return false;
    const init = HDR_INIT.exec(line);
    const version = init ? null : HDR_VERSION.exec(line);
    if (!init && !version && !HDR_TS.test(line) && !HDR_RESTART.test(line)) return false;
    if (init || !this.prevWasHeader) this.startHeaderBlock();
    const h = this.header!;
    if (init) {
      h.initializedAt = (init[1] ?? '').trim();
      h.initializedAtDate = parseInitDate(h.initializedAt);
    }
    if (version) {
      h.version = version[1] ?? null;
      h.level = version[2]?.toUpperCase() ?? null;
    }
    this.prevWasHeader = true;
    return true;
  }

  private startHeaderBlock(): void {
    this.flushEntry();
    if (this.entries > 0) this.restarted = true;
    this.closeOpen();
    this.pendingStale = false;
    this.headerBlocks++;
    this.header = { initializedAt: null, initializedAtDate: null, version: null, level: null };
  }

  // --- entries ("YYYYMMDD.HH:MM:SS UTC\t: Method() : text") ---

  private entryLine(line: string, ts: RegExpExecArray): void {
    const at = this.dateOf(ts[0]);
    if (!at) {
      this.problem(`line ${this.lineNo}: impossible timestamp: ${preview(line)}`);
      return;
    }
    this.flushEntry();
    this.prevWasHeader = false;
    const rest = line.slice(ts[0].length);
    const m = REST.exec(rest);
    let message: string;
    if (m) message = m[2] ?? '';
    else {
      this.problem(`line ${this.lineNo}: damaged entry: ${preview(line)}`);
      message = LOOSE_REST.exec(rest)?.[1] ?? '';
    }
    this.entries++;
    this.lastEntryAt = at;
    this.entry = {
      at,
      message,
      errors: [],
      seen: new Set(),
      pendingHresult: null,
      hresultGap: 0,
      awaitingDetail: null,
      facts: {},
    };
    this.scan(this.entry, message, false);
  }

  private continuation(e: Entry, line: string): void {
    if (e.awaitingDetail && line.trim() !== '' && !HRESULT.test(line)) {
      e.awaitingDetail.detail = clip(line.trim());
      e.awaitingDetail = null;
    }
    this.scan(e, line, true);
  }

  /** Errors and cycle facts in one line of an entry (error codes, HRESULTs, update locks). */
  private scan(e: Entry, line: string, isContinuation: boolean): void {
    if (e.pendingHresult) this.hresultMessage(e, line);
    if (line.includes('QBWC')) this.qbwcCodes(e, line, isContinuation);
    if (line.includes('HRESULT')) this.hresult(e, line);
    const web = line.indexOf(WEB_ERROR);
    if (web !== -1) e.errors.push({ at: e.at, code: null, message: clip(line.slice(web).trim()), kind: 'web-service' });
    scanFacts(e.facts, line);
  }

  private qbwcCodes(e: Entry, line: string, isContinuation: boolean): void {
    for (const m of line.matchAll(QBWC_CODE)) {
      const code = `QBWC${m[1]}`;
      if (e.seen.has(code)) continue;
      e.seen.add(code);
      const err: QwcError = { at: e.at, code, message: clip(line.slice(m.index).trim()), kind: 'qbwc', detail: null };
      e.errors.push(err);
      if (!isContinuation || !e.awaitingDetail) e.awaitingDetail = err;
    }
  }

  private hresult(e: Entry, line: string): void {
    const m = HRESULT.exec(line);
    const code = m?.[1] ? normaliseCode(m[1]) : null;
    if (!code || e.seen.has(code)) return;
    e.seen.add(code);
    const err: QwcError = { at: e.at, code, message: null, kind: 'hresult' };
    e.errors.push(err);
    // The QuickBooks text usually follows on the next line; accept it on the same line too.
    const same = /Message:\s*(.*)$/s.exec(line.slice((m?.index ?? 0) + (m?.[0].length ?? 0)));
    if (same) err.message = clip(same[1]?.trim() ?? '') || null;
    else {
      e.pendingHresult = err;
      e.hresultGap = 0;
    }
  }

  private hresultMessage(e: Entry, line: string): void {
    const m = MESSAGE_LINE.exec(line);
    if (m) {
      e.pendingHresult!.message = clip(m[1]?.trim() ?? '') || null;
      e.pendingHresult = null;
    } else if (line.trim() !== '' && ++e.hresultGap > 2) {
      e.pendingHresult = null;
    }
  }

  // --- cycles (scheduled or manual updates, from start to the lock released) ---

  private flushEntry(): void {
    const e = this.entry;
    if (!e) return;
    this.entry = null;
    const msg = e.message;
    const start = startOf(msg);
    const lock = msg.includes('UpdateLock') ? SET_LOCK.exec(msg)?.[1]?.toLowerCase() : undefined;
    if (start) this.openCycle(start.kind, start.app, e.at, false);
    else if (lock === 'true') this.lockSet(e.at);
    else if (msg.includes('UpdateLock')) this.lockCheck(LOCK_IS_TRUE.test(msg));
    this.attach(e);
    if (lock === 'false') this.endCycle(e.at);
  }

  private openCycle(kind: QwcCycleKind, app: string | null, at: Date, lockSet: boolean): void {
    this.closeOpen();
    const cycle: QwcCycle = {
      kind,
      app,
      appUrl: null,
      startedAt: at,
      endedAt: null,
      lastSeenAt: at,
      verdict: 'interrupted',
      errors: [],
      lockHolder: null,
      staleLockSuspected: this.pendingStale,
      authRet1: null,
      companyFile: null,
      response: null,
    };
    this.pendingStale = false;
    this.open = { cycle, lockSet };
    this.cycles.push(cycle);
  }

  private lockSet(at: Date): void {
    if (this.open && !this.open.lockSet) this.open.lockSet = true;
    else this.openCycle('unknown', null, at, true); // no start line: the lock starts the cycle
  }

  private lockCheck(isTrue: boolean): void {
    if (this.open) {
      // A cycle that begins by finding the lock already set: the previous run never unlocked.
      if (isTrue && !this.open.lockSet) this.open.cycle.staleLockSuspected = true;
    } else this.pendingStale = isTrue;
  }

  private attach(e: Entry): void {
    const o = this.open;
    if (!o) {
      this.keepLoose(e.errors);
      return;
    }
    const c = o.cycle;
    c.lastSeenAt = e.at;
    c.errors.push(...e.errors);
    const f = e.facts;
    c.app ??= f.app ?? null;
    c.appUrl ??= f.appUrl ?? null;
    c.lockHolder ??= f.lockHolder ?? null;
    c.companyFile ??= f.companyFile ?? null;
    if (f.authRet1 !== undefined) c.authRet1 = f.authRet1;
    if (f.response !== undefined) c.response = f.response;
  }

  private keepLoose(errors: QwcError[]): void {
    this.loose.push(...errors);
    if (this.loose.length > 2 * MAX_LOOSE_ERRORS) this.loose.splice(0, this.loose.length - MAX_LOOSE_ERRORS);
  }

  private endCycle(at: Date): void {
    const o = this.open;
    if (!o) return; // an unlock without its start (e.g. the tail of a file): nothing to close
    o.cycle.endedAt = at;
    o.cycle.verdict = o.cycle.errors.length > 0 ? 'completed-with-errors' : 'completed';
    this.open = null;
  }

  /** Ends an open cycle that never reached `set to False`. */
  private closeOpen(): void {
    if (this.open) this.open.cycle.verdict = 'interrupted';
    this.open = null;
  }

  finish(): QwcLogAnalysis {
    try {
      this.flushEntry();
    } catch (e) {
      this.problem(`parser stopped early: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.open) {
      this.open.cycle.verdict = this.recent() ? 'possibly-running' : 'interrupted';
      this.open = null;
    }
    if (this.nulLines > 0) this.problem(`NUL characters ignored on ${this.nulLines} line(s)`);
    if (this.droppedProblems > 0) this.problems.push(`... and ${this.droppedProblems} more problem(s)`);
    return {
      header: this.header,
      headerBlocks: this.headerBlocks,
      entries: this.entries,
      cycles: this.cycles,
      apps: summariseApps(this.cycles),
      errorsOutsideCycles: this.loose.slice(-MAX_LOOSE_ERRORS),
      problems: this.problems,
      lastEntryAt: this.lastEntryAt,
      restarted: this.restarted,
    };
  }

  private recent(): boolean {
    const now = this.opts.now;
    if (!now || !this.lastEntryAt || Number.isNaN(now.getTime())) return false;
    const grace = this.opts.graceMinutes ?? DEFAULT_GRACE_MINUTES;
    return now.getTime() - this.lastEntryAt.getTime() < grace * 60_000;
  }
}

// String slicing rather than lazy regexes: no backtracking on long lines.
function startOf(msg: string): { kind: QwcCycleKind; app: string | null } | null {
  const sched = msg.indexOf('SCHEDULED UPDATE for application');
  if (sched !== -1) return { kind: 'scheduled', app: appAfterEquals(msg.slice(sched)) };
  const started = msg.indexOf('has STARTED');
  const forApp = msg.indexOf('for application');
  if (started !== -1 && forApp !== -1 && forApp < started) {
    return { kind: 'manual', app: appAfterEquals(msg.slice(forApp, started)) };
  }
  return null;
}

function appAfterEquals(s: string): string | null {
  const eq = s.indexOf('=');
  return eq === -1 ? null : appName(s.slice(eq + 1));
}

function appName(s: string | undefined): string | null {
  let t = (s ?? '').trim();
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) t = t.slice(1, -1).trim();
  return t === '' ? null : t;
}

function scanFacts(f: Facts, line: string): void {
  if (line.includes('AppName:')) f.app ??= appName(/AppName:\s*(.*)$/s.exec(line)?.[1]) ?? undefined;
  if (line.includes('AppURL:')) f.appUrl ??= /AppURL:\s*(\S+)/.exec(line)?.[1];
  if (line.includes('authRet[1]')) {
    const m = /authRet\[1\]="([^"]*)"/.exec(line);
    if (m) f.authRet1 = m[1];
  }
  if (line.includes('cfn=')) f.companyFile ??= /cfn="([^"]*)"/.exec(line)?.[1];
  if (line.includes('LOCKED:')) f.lockHolder ??= /LOCKED:([^:\s<>"]+):/.exec(line)?.[1];
  if (line.includes('Response received from application')) {
    const m = /Response received from application\s*=\s?(.*)$/s.exec(line);
    if (m) f.response = clip((m[1] ?? '').trim());
  }
}

function summariseApps(cycles: QwcCycle[]): Record<string, QwcAppSummary> {
  const byApp = new Map<string, QwcAppSummary>();
  for (const c of cycles) {
    if (c.app === null) continue;
    let s = byApp.get(c.app);
    if (!s) {
      s = {
        app: c.app,
        cycles: 0,
        lastStart: null,
        lastCompleted: null,
        lastEnded: null,
        lastError: null,
        lastCycleKind: c.kind,
        lastVerdict: c.verdict,
        starts: [],
        scheduledStarts: [],
        medianIntervalMinutes: null,
      };
      byApp.set(c.app, s);
    }
    s.cycles++;
    s.lastStart = c.startedAt;
    s.lastCycleKind = c.kind;
    s.lastVerdict = c.verdict;
    if (c.kind !== 'unknown') s.starts.push(c.startedAt);
    if (c.kind === 'scheduled') s.scheduledStarts.push(c.startedAt);
    if (c.endedAt && c.verdict === 'completed') s.lastCompleted = c.endedAt;
    if (c.endedAt) s.lastEnded = c.endedAt;
    const err = c.errors[c.errors.length - 1];
    if (err) s.lastError = err;
  }
  for (const s of byApp.values()) s.medianIntervalMinutes = medianIntervalMinutes(s.scheduledStarts);
  // fromEntries defines own properties, so an AppName such as "__proto__" stays data.
  return Object.fromEntries(byApp);
}

/** Median gap between consecutive starts in minutes; gaps that go backwards (clock, restart) are skipped. */
export function medianIntervalMinutes(starts: Date[]): number | null {
  const gaps: number[] = [];
  for (let i = 1; i < starts.length; i++) {
    const d = starts[i]!.getTime() - starts[i - 1]!.getTime();
    if (d > 0) gaps.push(d / 60_000);
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}

/** "YYYYMMDD.HH:MM:SS" (already matched by TS) → a UTC Date; null for a time that does not exist. */
function utcDate(stamp: string): Date | null {
  // Digits read in place: this runs for every entry of a 4 MB log.
  const n = (i: number, len: number) => {
    let v = 0;
    for (let k = i; k < i + len; k++) v = v * 10 + stamp.charCodeAt(k) - 48;
    return v;
  };
  const [y, mo, d, h, mi, s] = [n(0, 4), n(4, 2), n(6, 2), n(9, 2), n(12, 2), n(15, 2)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCDate() === d ? date : null; // 20260231 is not a day
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "Monday, March 2, 2026 - 1:58 PM UTC" → Date; null for any other shape (it may be localised). */
function parseInitDate(text: string): Date | null {
  const m = /([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})\s*-\s*(\d{1,2}):(\d{2})\s*(AM|PM)/i.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf((m[1] ?? '').toLowerCase());
  const hour12 = Number(m[4]);
  if (month < 0 || hour12 < 1 || hour12 > 12) return null;
  const hour = (hour12 % 12) + ((m[6] ?? '').toUpperCase() === 'PM' ? 12 : 0);
  const date = new Date(Date.UTC(Number(m[3]), month, Number(m[2]), hour, Number(m[5])));
  return date.getUTCDate() === Number(m[2]) ? date : null;
}

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}...` : s;
}

function preview(line: string): string {
  // eslint-disable-next-line no-control-regex
  const t = line.slice(0, 80).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return line.length > 80 ? `${t}...` : t;
}

// --- tail reader for huge files ---

export interface QwcTailOptions {
  /** Default 4 MiB. */
  maxBytes?: number;
}

const DEFAULT_TAIL_BYTES = 4 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

/**
 * Reads at most `maxBytes` from the end of a log through `readAt`, so memory stays bounded by
 * `maxBytes` whatever the file size. When the window does not start at offset 0 its first
 * (partial) line is dropped. A UTF-8 BOM is stripped only at offset 0. Bytes that are not valid
 * UTF-8 are decoded as windows-1252 (the usual Windows ANSI code page).
 */
export async function readQwcLogTail(
  size: number,
  readAt: (offset: number, length: number) => Promise<Uint8Array>,
  opts: QwcTailOptions = {},
): Promise<{ text: string; truncated: boolean }> {
  const total = Number.isFinite(size) && size > 0 ? Math.floor(size) : 0;
  const max = opts.maxBytes !== undefined && Number.isFinite(opts.maxBytes) ? Math.max(0, Math.floor(opts.maxBytes)) : DEFAULT_TAIL_BYTES;
  const start = Math.max(0, total - max);
  const truncated = start > 0;
  const buf = await readRange(readAt, start, total - start);
  let body = buf;
  if (truncated) {
    const nl = body.indexOf(0x0a);
    body = nl === -1 ? body.subarray(body.length) : body.subarray(nl + 1);
  } else if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    body = body.subarray(3);
  }
  return { text: decodeLogBytes(body), truncated };
}

async function readRange(
  readAt: (offset: number, length: number) => Promise<Uint8Array>,
  start: number,
  length: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const want = Math.min(READ_CHUNK, length - got);
    const chunk = await readAt(start + got, want);
    if (!chunk || chunk.length === 0) break; // the file shrank: keep what we have
    const n = Math.min(chunk.length, want);
    out.set(n === chunk.length ? chunk : chunk.subarray(0, n), got);
    got += n;
  }
  return got === length ? out : out.subarray(0, got);
}

/** UTF-8 when valid (a character cut at the very end is ignored), else windows-1252. */
export function decodeLogBytes(bytes: Uint8Array): string {
  try {
    // stream: true keeps an incomplete trailing sequence back instead of failing on it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true });
  } catch {
    return decodeWindows1252(bytes);
  }
}

// WHATWG windows-1252 for 0x80–0x9F; the five undefined bytes map to themselves.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  // Some Node builds decode 'windows-1252' as ISO-8859-1; map the C1 range by hand either way.
  let text: string;
  try {
    text = new TextDecoder('windows-1252', { ignoreBOM: true }).decode(bytes);
  } catch {
    text = latin1(bytes);
  }
  return text.replace(/[\u0080-\u009f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80] ?? ch);
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
