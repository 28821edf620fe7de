// The snapshot host: replays a recorded PC. A fact the snapshot does not hold behaves as it would
// live when absent: an unrecorded command is "not found", an unrecorded file does not exist.
import { readFile } from 'node:fs/promises';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { HostError, InputError, type InputProblem } from '../core/errors.js';
import { parseYamlSource, schemaProblems, type YamlSource } from '../core/yaml-source.js';
import { SNAPSHOT_IS_READ_ONLY, type CommandResult, type FileStat, type Host, type NetResult, type RawProcess, type RunOptions } from './host.js';
import { SnapshotSchema, type Snapshot } from './snapshot-schema.js';

let compiled: ReturnType<typeof TypeCompiler.Compile<typeof SnapshotSchema>> | undefined;

interface StoredFile {
  path: string;
  directory: boolean;
  bytes: Uint8Array;
  mtime: Date;
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
      this.files.set(this.pathKey(f.path), {
        path: f.path,
        directory: f.directory === true,
        bytes,
        mtime: f.mtime ? new Date(f.mtime) : this.clock,
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
    };
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const f = this.files.get(this.pathKey(path));
    if (!f) return undefined;
    return { path: f.path, size: f.bytes.length, mtime: f.mtime, isDirectory: f.directory };
  }

  async readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
    const f = this.files.get(this.pathKey(path));
    if (!f || f.directory) {
      const err = new Error(`ENOENT: no such file: ${path}`) as NodeJS.ErrnoException;
      err.code = f ? 'EISDIR' : 'ENOENT';
      throw err;
    }
    return f.bytes.subarray(offset, offset + length);
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
    // Not recorded: nothing answered when it was captured (or it was never asked): treat as unreachable.
    return rec ? rec.result : 'timeout';
  }

  async runAction(): Promise<CommandResult> {
    throw new HostError(SNAPSHOT_IS_READ_ONLY, 'failed');
  }

  async spawnDetached(): Promise<number> {
    throw new HostError(SNAPSHOT_IS_READ_ONLY, 'failed');
  }

  async signal(): Promise<boolean> {
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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError([{ file, message: `cannot read snapshot: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  return new SnapshotHost(parseSnapshot(file, text), file);
}

export function parseSnapshot(file: string, text: string): Snapshot {
  const src = parseYamlSource(file, text);
  const value = src.toJS();
  compiled ??= TypeCompiler.Compile(SnapshotSchema);
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

function isBase64(s: string): boolean {
  return /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(s);
}
