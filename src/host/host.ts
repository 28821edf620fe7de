// The one door to the operating system. Probes and actions receive a Host (through HostFacts);
// a live host and a snapshot host implement it, so every Windows scenario replays on any OS.

/** What ps-list returns: pid, ppid and name everywhere; uid and cmd on Linux/macOS only. */
export interface RawProcess {
  pid: number;
  ppid?: number;
  name: string;
  uid?: number;
  cmd?: string;
}

/** A command's result, bytes kept exactly; decoding happens in HostFacts. */
export interface CommandResult {
  argv: string[];
  exitCode: number | null; // null when it never ran or was killed
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** The program does not exist (ENOENT, or not recorded in a snapshot). */
  notFound: boolean;
  timedOut: boolean;
  /** Why it could not run, when it could not. */
  failure?: string;
}

export interface FileStat {
  path: string;
  size: number;
  mtime: Date;
  isDirectory: boolean;
}

export type NetResult = 'ok' | 'refused' | 'timeout' | 'dns-error';

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Host {
  readonly source: 'live' | 'snapshot';
  readonly platform: NodeJS.Platform;
  /** Where a snapshot came from, for the report. */
  readonly origin?: string;
  hostname(): string;
  /** The account syncdoctor itself runs as (live only; a snapshot does not know). */
  runsAs?(): string | null;
  /** The clock: real time live, `capturedAt` on replay. */
  now(): Date;
  /** The host's offset from UTC in minutes (east positive), for logs written in local time. */
  utcOffsetMinutes(): number;
  uptimeSeconds(): Promise<number>;
  listProcesses(): Promise<RawProcess[]>;
  /** Runs argv without a shell. Never throws for a failing program: see CommandResult. */
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** undefined when the path does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Reads `length` bytes at `offset` (fewer at end of file). */
  readAt(path: string, offset: number, length: number): Promise<Uint8Array>;
  env(name: string): string | undefined;
  /** TCP reachability of host:port. */
  connect(target: string, timeoutMs: number, signal?: AbortSignal): Promise<NetResult>;

  // --- Changes (remediation actions only; never called while diagnosing) ---

  /** Runs a command that changes the machine (taskkill, schtasks, sc, shutdown). No shell. */
  runAction(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Starts a program detached from syncdoctor (it outlives the run); returns its pid. */
  spawnDetached(argv: readonly string[]): Promise<number>;
  /** Sends a signal to a process; false when it no longer exists. */
  signal(pid: number, signal: NodeJS.Signals): Promise<boolean>;
  /** Whether a process with this pid exists. */
  isAlive(pid: number): Promise<boolean>;
}

/** Why a host refuses changes (a snapshot is a record, not a machine). */
export const SNAPSHOT_IS_READ_ONLY = 'a snapshot is a record of a PC, not the PC: nothing can be repaired on it';
