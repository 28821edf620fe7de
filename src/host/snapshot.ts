// The snapshot host: replays a recorded PC. A fact the snapshot does not hold behaves as it would
// live when absent: an unrecorded command is "not found", an unrecorded file does not exist.
import { HostError, InputError, type InputProblem } from '../core/errors.js';
import { parseYamlSource, schemaCheck, schemaProblems, type SchemaCheck, type YamlSource } from '../core/yaml-source.js';
import { SNAPSHOT_IS_READ_ONLY, type CommandResult, type FileStat, type Host, type NetResult, type RawProcess, type RunOptions } from './host.js';
import { SnapshotSchema, type Snapshot } from './snapshot-schema.js';
import { readInputFile } from './input-file.js';

let compiled: SchemaCheck | undefined;

interface StoredFile {
  path: string;
  directory: boolean;
  /** What was recorded, starting at `offset` in the file (the part of it a run read). */
  bytes: Uint8Array;
  offset: number;
  size: number;
  mtime: Date;
  statError?: string;
  readError?: string;
}

export class SnapshotHost implements Host {
  readonly source = 'snapshot' as const;
  readonly platform: NodeJS.Platform;
  private readonly files = new Map<string, StoredFile>();
  private readonly clock: Date;

  constructor(
    readonly snapshot: Snapshot,
    readonly origin?: string,
  ) {
    this.platform = snapshot.platform as NodeJS.Platform;
    this.clock = new Date(snapshot.capturedAt);
    for (const f of snapshot.files ?? []) {
      const bytes = f.contentBase64 !== undefined ? Buffer.from(f.contentBase64, 'base64') : Buffer.from(f.content ?? '', 'utf8');
      const offset = f.contentOffset ?? 0;
      this.files.set(this.pathKey(f.path), {
        path: f.path,
        directory: f.directory === true,
        bytes,
        offset,
        size: f.size ?? offset + bytes.length,
        mtime: f.mtime ? new Date(f.mtime) : this.clock,
        ...(f.statError ? { statError: f.statError } : {}),
        ...(f.readError ? { readError: f.readError } : {}),
      });
    }
  }

  hostname(): string {
    return this.snapshot.hostname;
  }

  now(): Date {
    return new Date(this.clock);
  }

  utcOffsetMinutes(): number {
    return this.snapshot.utcOffsetMinutes ?? 0;
  }

  async uptimeSeconds(): Promise<number> {
    return this.snapshot.uptimeSeconds;
  }

  async listProcesses(): Promise<RawProcess[]> {
    return (this.snapshot.processes ?? []).map((p) => ({ ...p }));
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const rec = (this.snapshot.commands ?? []).find((c) => sameArgv(c.argv, argv));
    const empty = new Uint8Array(0);
    if (!rec) return { argv: [...argv], exitCode: null, stdout: empty, stderr: empty, notFound: true, timedOut: false };
    if (rec.hang) return hangUntilAborted(argv, options);
    return {
      argv: [...argv],
      exitCode: rec.exitCode,
      stdout: bytesOf(rec.stdout, rec.stdoutBase64),
      stderr: bytesOf(rec.stderr, rec.stderrBase64),
      notFound: rec.notFound === true,
      timedOut: rec.timedOut === true,
      ...(rec.failure !== undefined ? { failure: rec.failure } : {}),
    };
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const f = this.files.get(this.pathKey(path));
    if (!f) return undefined;
    if (f.statError) throw errnoError(f.statError, path);
    return { path: f.path, size: f.size, mtime: f.mtime, isDirectory: f.directory };
  }

  async readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
    const f = this.files.get(this.pathKey(path));
    if (!f || f.directory) {
      const err = new Error(`ENOENT: no such file: ${path}`) as NodeJS.ErrnoException;
      err.code = f ? 'EISDIR' : 'ENOENT';
      throw err;
    }
    if (f.statError) throw errnoError(f.statError, path);
    if (f.readError) throw errnoError(f.readError, path);
    const end = Math.min(offset + length, f.size);
    if (end <= offset) return new Uint8Array(0);
    // Only the part a run read is recorded (the tail of a large log): a read outside it cannot be answered.
    if (offset < f.offset || end > f.offset + f.bytes.length) {
      throw new Error(`bytes ${offset}-${end} of ${path} are not in this snapshot (it holds bytes ${f.offset}-${f.offset + f.bytes.length} of ${f.size})`);
    }
    return f.bytes.subarray(offset - f.offset, end - f.offset);
  }

  env(name: string): string | undefined {
    const env = this.snapshot.env ?? {};
    if (this.platform !== 'win32') return Object.hasOwn(env, name) ? env[name] : undefined;
    const wanted = name.toLowerCase();
    for (const [k, v] of Object.entries(env)) if (k.toLowerCase() === wanted) return v;
    return undefined;
  }

  async connect(target: string): Promise<NetResult> {
    const rec = (this.snapshot.network ?? []).find((n) => n.target.toLowerCase() === target.toLowerCase());
    // Not recorded: the capture never asked, so replay cannot tell (error, not a failure).
    if (!rec) throw new HostError(`${target} was not checked when this snapshot was captured`, 'not-found');
    return rec.result;
  }

  async runAction(_argv: readonly string[], _options?: RunOptions): Promise<CommandResult> {
    throw new HostError(SNAPSHOT_IS_READ_ONLY, 'failed');
  }

  async spawnDetached(_argv: readonly string[]): Promise<number> {
    throw new HostError(SNAPSHOT_IS_READ_ONLY, 'failed');
  }

  async signal(_pid: number, _signal: NodeJS.Signals): Promise<boolean> {
    throw new HostError(SNAPSHOT_IS_READ_ONLY, 'failed');
  }

  async isAlive(pid: number): Promise<boolean> {
    return (this.snapshot.processes ?? []).some((p) => p.pid === pid);
  }

  /** Windows paths compare case-insensitively and with either slash. */
  private pathKey(path: string): string {
    if (this.platform !== 'win32') return path;
    return path.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();
  }
}

function errnoError(code: string, path: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: ${path}`) as NodeJS.ErrnoException;
  err.code = code;
  return err;
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function bytesOf(text: string | undefined, base64: string | undefined): Uint8Array {
  if (base64 !== undefined) return Buffer.from(base64, 'base64');
  return Buffer.from(text ?? '', 'utf8');
}

/** A recorded hung command: returns only when the run's deadline or the command timeout aborts it. */
function hangUntilAborted(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
  const empty = new Uint8Array(0);
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve) => {
    const done = (failure: string) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ argv: [...argv], exitCode: null, stdout: empty, stderr: empty, notFound: false, timedOut: true, failure });
    };
    const onAbort = () => done('cancelled');
    if (options.signal?.aborted) {
      resolve({ argv: [...argv], exitCode: null, stdout: empty, stderr: empty, notFound: false, timedOut: true, failure: 'cancelled' });
      return;
    }
    const timer = setTimeout(() => done(`timed out after ${timeoutMs} ms`), timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Loads and validates a snapshot file; every problem is reported with file:line:col (exit 65). */
export async function loadSnapshot(file: string): Promise<SnapshotHost> {
  return new SnapshotHost(parseSnapshot(file, await readInputFile(file, 'snapshot')), file);
}

export function parseSnapshot(file: string, text: string): Snapshot {
  const src = parseYamlSource(file, text);
  const value = src.toJS();
  compiled ??= schemaCheck(SnapshotSchema);
  const problems = schemaProblems(compiled, value, src, [], 'snapshot');
  if (problems.length === 0) problems.push(...semanticProblems(value as Snapshot, src));
  if (problems.length) throw new InputError(problems);
  return value as Snapshot;
}

function semanticProblems(s: Snapshot, src: YamlSource): InputProblem[] {
  const problems: InputProblem[] = [];
  const badDate = (v: string | undefined) => v !== undefined && Number.isNaN(Date.parse(v));
  if (badDate(s.capturedAt)) problems.push({ pos: src.pos(['capturedAt']), message: `capturedAt: expected an ISO 8601 time such as "2026-11-20T14:03:00Z", got ${JSON.stringify(s.capturedAt)}` });
  (s.files ?? []).forEach((f, i) => {
    if (badDate(f.mtime)) problems.push({ pos: src.pos(['files', i, 'mtime']), message: `files[${i}].mtime: expected an ISO 8601 time, got ${JSON.stringify(f.mtime)}` });
    if (f.content !== undefined && f.contentBase64 !== undefined) problems.push({ pos: src.pos(['files', i]), message: `files[${i}]: give content or contentBase64, not both` });
    if (f.contentBase64 !== undefined && !isBase64(f.contentBase64)) problems.push({ pos: src.pos(['files', i, 'contentBase64']), message: `files[${i}].contentBase64: expected base64 text` });
    if (f.size !== undefined) {
      const held = (f.contentOffset ?? 0) + (f.contentBase64 !== undefined ? Buffer.from(f.contentBase64, 'base64').length : Buffer.byteLength(f.content ?? '', 'utf8'));
      if (held > f.size) problems.push({ pos: src.pos(['files', i, 'size']), message: `files[${i}].size: expected at least ${held} (contentOffset plus the content's length in bytes), got ${f.size}` });
    }
  });
  (s.commands ?? []).forEach((c, i) => {
    for (const k of ['stdout', 'stderr'] as const) {
      const b64 = c[`${k}Base64`];
      if (c[k] !== undefined && b64 !== undefined) problems.push({ pos: src.pos(['commands', i]), message: `commands[${i}]: give ${k} or ${k}Base64, not both` });
      if (b64 !== undefined && !isBase64(b64)) problems.push({ pos: src.pos(['commands', i, `${k}Base64`]), message: `commands[${i}].${k}Base64: expected base64 text` });
    }
  });
  return problems;
}

/** Base64 text (whitespace allowed anywhere, up to two '=' at the end): one pass, linear on any input. */
export function isBase64(s: string): boolean {
  let pad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b) continue;
    if (c === 0x3d) {
      if (++pad > 2) return false;
      continue;
    }
    // A data character after the padding, or one outside A-Z a-z 0-9 + /.
    const data = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (!data || pad > 0) return false;
  }
  return true;
}
