// The recording host: wraps the live host and keeps every fact a run reads (the process list,
// each command's argv and bytes, files looked up and the bytes read, environment lookups, network
// answers, uptime, host name, clock), so `syncdoctor snapshot` can write exactly those facts and a
// replay runs the same parsers on the same bytes. Its clock is frozen at the start of the capture:
// replay uses `capturedAt` as "now", so the live run must judge ages against that same instant.
import { HostError } from '../core/errors.js';
import type { CommandResult, FileStat, Host, NetResult, RawProcess, RunOptions } from './host.js';
import type { Snapshot } from './snapshot-schema.js';

interface FileRecord {
  path: string;
  stat?: FileStat;
  statError?: string;
  reads: { offset: number; bytes: Uint8Array }[];
  readError?: string;
}

type SnapshotCommand = NonNullable<Snapshot['commands']>[number];
type SnapshotFile = NonNullable<Snapshot['files']>[number];

const CAPTURE_CHANGES_NOTHING = 'capturing a snapshot never changes the PC';

export class RecordingHost implements Host {
  readonly source = 'live' as const;
  readonly platform: NodeJS.Platform;
  readonly origin?: string;
  private readonly clock: Date;
  private recordedHostname: string | undefined;
  private recordedOffset: number | undefined;
  private uptime: Promise<number> | undefined;
  private processes: Promise<RawProcess[]> | undefined;
  private readonly commands = new Map<string, Promise<CommandResult>>();
  private readonly files = new Map<string, FileRecord>();
  private readonly envs = new Map<string, string>();
  private readonly network = new Map<string, NetResult>();

  constructor(
    private readonly inner: Host,
    capturedAt: Date = inner.now(),
  ) {
    this.platform = inner.platform;
    this.clock = new Date(capturedAt);
  }

  hostname(): string {
    return (this.recordedHostname ??= this.inner.hostname());
  }

  runsAs(): string | null {
    return this.inner.runsAs?.() ?? null;
  }

  now(): Date {
    return new Date(this.clock);
  }

  utcOffsetMinutes(): number {
    return (this.recordedOffset ??= this.inner.utcOffsetMinutes());
  }

  // Each fact is read once and the recorded answer returned after, so every reader (and the
  // replay) sees the same value.
  uptimeSeconds(): Promise<number> {
    return (this.uptime ??= this.inner.uptimeSeconds());
  }

  async listProcesses(): Promise<RawProcess[]> {
    this.processes ??= this.inner.listProcesses();
    return (await this.processes).map((p) => ({ ...p }));
  }

  run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const key = argv.join('\0');
    let p = this.commands.get(key);
    if (!p) {
      p = this.inner.run(argv, options);
      this.commands.set(key, p);
      // A failed promise stays recorded as it is; a command result never rejects (Host contract).
      p.catch(() => this.commands.delete(key));
    }
    return p;
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const rec = this.file(path);
    try {
      const st = await this.inner.stat(path);
      if (st) rec.stat = st;
      return st;
    } catch (err) {
      rec.statError = errnoCode(err);
      throw err;
    }
  }

  async readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
    const rec = this.file(path);
    try {
      const bytes = await this.inner.readAt(path, offset, length);
      rec.reads.push({ offset, bytes: Uint8Array.from(bytes) });
      return bytes;
    } catch (err) {
      rec.readError = errnoCode(err);
      throw err;
    }
  }

  env(name: string): string | undefined {
    const v = this.inner.env(name);
    // An unset variable needs no record: a snapshot without it replays as unset.
    if (v !== undefined) this.envs.set(name, v);
    return v;
  }

  async connect(target: string, timeoutMs: number, signal?: AbortSignal): Promise<NetResult> {
    const known = this.network.get(target.toLowerCase());
    if (known) return known;
    const r = await this.inner.connect(target, timeoutMs, signal);
    this.network.set(target.toLowerCase(), r);
    return r;
  }

  async runAction(): Promise<CommandResult> {
    throw new HostError(CAPTURE_CHANGES_NOTHING, 'failed');
  }

  async spawnDetached(): Promise<number> {
    throw new HostError(CAPTURE_CHANGES_NOTHING, 'failed');
  }

  async signal(): Promise<boolean> {
    throw new HostError(CAPTURE_CHANGES_NOTHING, 'failed');
  }

  /** From the recorded process list, as a replay answers it. */
  async isAlive(pid: number): Promise<boolean> {
    return (await this.listProcesses()).some((p) => p.pid === pid);
  }

  private file(path: string): FileRecord {
    let rec = this.files.get(path);
    if (!rec) {
      rec = { path, reads: [] };
      this.files.set(path, rec);
    }
    return rec;
  }

  /** What was read, in the snapshot format (`syncdoctor schema snapshot`): bytes kept exactly. */
  async toSnapshot(extra: { settings?: Snapshot['settings']; note?: string; site?: string | null; expect?: readonly string[] } = {}): Promise<Snapshot> {
    const snap: Snapshot = {
      syncdoctorSnapshot: 1,
      capturedAt: this.clock.toISOString(),
      platform: this.platform,
      hostname: this.hostname(),
      uptimeSeconds: await this.uptimeSeconds(),
      utcOffsetMinutes: this.utcOffsetMinutes(),
    };
    if (extra.note) snap.note = extra.note;
    if (extra.settings && Object.keys(extra.settings).length) snap.settings = extra.settings;
    if (extra.site) snap.site = extra.site;
    if (extra.expect?.length) snap.expect = [...extra.expect];
    if (this.processes) {
      const list = await this.processes.catch(() => undefined);
      // A process list that could not be read has no record: replay then sees no processes.
      if (list) snap.processes = list.map(processRecord);
    }
    const commands: SnapshotCommand[] = [];
    for (const p of this.commands.values()) commands.push(commandRecord(await p));
    if (commands.length) snap.commands = commands;
    const files: SnapshotFile[] = [];
    for (const rec of this.files.values()) {
      const f = await this.fileRecord(rec);
      if (f) files.push(f);
    }
    if (files.length) snap.files = files;
    if (this.network.size) snap.network = [...this.network].map(([target, result]) => ({ target, result }));
    if (this.envs.size) snap.env = Object.fromEntries(this.envs);
    return snap;
  }

  private async fileRecord(rec: FileRecord): Promise<SnapshotFile | undefined> {
    if (rec.statError) return { path: rec.path, statError: rec.statError };
    const st = rec.stat;
    // Not found: a snapshot without the file replays as "does not exist".
    if (!st) return undefined;
    const f: SnapshotFile = { path: rec.path, mtime: st.mtime.toISOString() };
    if (st.isDirectory) {
      f.directory = true;
      return f;
    }
    const region = await this.readRegion(rec);
    if (region) {
      Object.assign(f, bytesField('content', region.bytes));
      if (region.offset) f.contentOffset = region.offset;
    }
    // The real size when only part of the file (a log's tail) or none of it was read.
    const held = (region?.offset ?? 0) + (region?.bytes.length ?? 0);
    if (held !== st.size) f.size = Math.max(st.size, held);
    if (rec.readError) f.readError = rec.readError;
    return f;
  }

  /** The reads merged into one span; a gap between two reads (no reader makes one today) is read now to join them. */
  private async readRegion(rec: FileRecord): Promise<{ offset: number; bytes: Uint8Array } | undefined> {
    if (!rec.reads.length) return undefined;
    const reads = [...rec.reads].sort((a, b) => a.offset - b.offset);
    const start = reads[0]!.offset;
    const end = reads.reduce((m, r) => Math.max(m, r.offset + r.bytes.length), 0);
    const out = new Uint8Array(end - start);
    const covered = new Uint8Array(end - start);
    for (const r of reads) {
      out.set(r.bytes, r.offset - start);
      covered.fill(1, r.offset - start, r.offset - start + r.bytes.length);
    }
    for (let i = 0; i < covered.length; ) {
      if (covered[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j < covered.length && !covered[j]) j++;
      const gap = await this.inner.readAt(rec.path, start + i, j - i).catch(() => new Uint8Array(0));
      out.set(gap.subarray(0, j - i), i);
      i = j;
    }
    return { offset: start, bytes: out };
  }
}

function processRecord(p: RawProcess): NonNullable<Snapshot['processes']>[number] {
  const r: NonNullable<Snapshot['processes']>[number] = { pid: p.pid, name: p.name };
  if (p.ppid !== undefined) r.ppid = p.ppid;
  if (p.uid !== undefined) r.uid = p.uid;
  if (p.cmd !== undefined && p.cmd !== '') r.cmd = p.cmd;
  return r;
}

function commandRecord(r: CommandResult): SnapshotCommand {
  const c: SnapshotCommand = { argv: [...r.argv], exitCode: r.exitCode, ...bytesField('stdout', r.stdout), ...bytesField('stderr', r.stderr) };
  if (r.notFound) c.notFound = true;
  if (r.timedOut) c.timedOut = true;
  if (r.failure !== undefined) c.failure = r.failure;
  return c;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes as text when they are UTF-8 that round-trips exactly, else as base64 (`<name>Base64`). */
export function bytesField<K extends string>(name: K, bytes: Uint8Array): Record<K, string> | Record<`${K}Base64`, string> {
  try {
    const text = strictUtf8.decode(bytes);
    if (Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) return { [name]: text } as Record<K, string>;
  } catch {
    // not UTF-8: base64 below
  }
  return { [`${name}Base64`]: Buffer.from(bytes).toString('base64') } as Record<`${K}Base64`, string>;
}

function errnoCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : 'EIO';
}
