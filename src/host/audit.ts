// The repair audit log (append-only JSON lines: the intent is written before acting, so a crash
// still leaves a trace) and the repair lock (one repair per PC at a time, stale locks recovered).
import { open, readFile, rm, stat } from 'node:fs/promises';
import { appendLineSafely, createExclusive, createExclusiveWhole, ensurePrivateDir, unsafeTarget } from './safe-write.js';
import os from 'node:os';
import path from 'node:path';

export interface AuditRecord {
  at: string;
  runId: string;
  who: { user: string; host: string; pid: number };
  /**
   * intent (before acting), outcome (applied or failed), verified (the check passed after it),
   * awaiting (its evidence cannot come within the run: see confirmBy), confirmation (a later run's
   * judgement of an awaited fix), refused, skipped, planned, manual.
   */
  phase: 'intent' | 'outcome' | 'verified' | 'awaiting' | 'confirmation' | 'refused' | 'skipped' | 'planned' | 'manual';
  agent: string;
  check: string;
  remediation: string;
  /** The step's title, so a later run can name it. */
  title?: string;
  /** Phase awaiting: by when the evidence should show, and when the step was done. */
  confirmBy?: string;
  appliedAt?: string;
  action: string | null;
  /** The step's risk class (absent on a confirmation, which changes nothing). */
  risk?: string;
  plan?: string[];
  commands?: string[][];
  outcome?: string;
  detail?: string;
}

/** Where the audit log lives unless --audit-log says otherwise (documented in the README). */
export function defaultAuditPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'syncdoctor', 'audit.log');
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/var/log/syncdoctor/audit.log';
  const state = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(state, 'syncdoctor', 'audit.log');
}

export class AuditLog {
  readonly who = { user: safeUser(), host: os.hostname(), pid: process.pid };

  constructor(
    readonly file: string,
    readonly runId: string,
  ) {}

  async append(record: Omit<AuditRecord, 'at' | 'runId' | 'who'>): Promise<void> {
    const line = JSON.stringify({ at: new Date().toISOString(), runId: this.runId, who: this.who, ...record });
    await ensurePrivateDir(path.dirname(this.file));
    // One line per write with O_APPEND, never through a link, readable by its owner only.
    await appendLineSafely(this.file, line);
  }

  /** Why this log cannot be trusted to take the repair's record (a link, not a regular file), or undefined. */
  problem(): Promise<string | undefined> {
    return unsafeTarget(this.file);
  }
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USERNAME ?? process.env.USER ?? 'unknown';
  }
}

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

const STALE_AFTER_MS = 6 * 3600_000;
/** A take-over marker older than this was left by a run that died in the middle of it. */
const TAKEOVER_STALE_MS = 30_000;

/** Holds the repair lock; release() removes it. */
export class RepairLock {
  private constructor(readonly file: string) {}

  /** Takes the lock, or returns who holds it. A lock whose process is gone (or older than 6 h) is taken over. */
  static async acquire(file: string, command: string): Promise<RepairLock | { heldBy: LockInfo }> {
    await ensurePrivateDir(path.dirname(file));
    const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), command } satisfies LockInfo);
    for (let attempt = 0; attempt < 20; attempt++) {
      // The exclusive create decides between contenders; a lock is never seen half written.
      if (await createExclusiveWhole(file, mine)) return new RepairLock(file);
      const seen = await readFile(file, 'utf8').catch(() => undefined);
      if (seen === undefined) continue; // released meanwhile
      const holder = parseLock(seen);
      if (holder && !(await isStale(file, holder))) return { heldBy: holder };
      // Unreadable (damaged) or stale: exactly one contender takes it over. Only the creator of the
      // take-over marker may remove the lock, and only if it is still the one it judged stale:
      // a lock another run took meanwhile is never removed.
      const marker = `${file}.takeover`;
      if (await createExclusive(marker, mine)) {
        try {
          if ((await readFile(file, 'utf8').catch(() => undefined)) === seen) await rm(file, { force: true });
        } finally {
          await rm(marker, { force: true });
        }
      } else {
        // A marker left by a run that died while taking over is itself stale after a while.
        const age = await stat(marker).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > TAKEOVER_STALE_MS) await rm(marker, { force: true });
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      }
    }
    const holder = parseLock((await readFile(file, 'utf8').catch(() => undefined)) ?? '');
    return { heldBy: holder ?? { pid: 0, host: 'unknown', startedAt: 'unknown', command: 'unknown' } };
  }

  async release(): Promise<void> {
    const holder = await readLock(this.file);
    if (holder?.pid === process.pid) await rm(this.file, { force: true });
  }
}

async function readLock(file: string): Promise<LockInfo | undefined> {
  return parseLock(await readFile(file, 'utf8').catch(() => ''));
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as LockInfo;
    return typeof v?.pid === 'number' ? v : undefined;
  } catch {
    return undefined; // damaged (locks are written whole): treated as stale
  }
}

async function isStale(file: string, holder: LockInfo): Promise<boolean> {
  // Gone meanwhile (its holder released it, or another run took it over): the next round decides.
  const st = await stat(file).catch(() => undefined);
  if (!st) return true;
  const age = Date.now() - st.mtimeMs;
  if (age > STALE_AFTER_MS) return true;
  if (holder.host !== os.hostname()) return false; // a shared folder: cannot check another PC's pids
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The audit log's last records (its tail: the log only grows), for a later run's judgement of earlier fixes. */
export async function readAuditTail(file: string, maxBytes = 4 * 1024 * 1024): Promise<AuditRecord[]> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - maxBytes);
    // One byte before the cut says whether it fell at a line's start (keep that line) or mid-line.
    const from = Math.max(0, start - 1);
    const buf = Buffer.alloc(size - from);
    await fh.read(buf, 0, buf.length, from);
    const lines = buf.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // the partial line, or the empty text before the newline at start - 1
    const records: AuditRecord[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as AuditRecord;
        if (r && typeof r.agent === 'string' && typeof r.check === 'string' && typeof r.phase === 'string' && typeof r.at === 'string') records.push(r);
      } catch {
        // a line cut by a crash: the records around it still count
      }
    }
    return records;
  } finally {
    await fh.close();
  }
}

export function lockPathFor(auditFile: string): string {
  return path.join(path.dirname(auditFile), 'repair.lock');
}
