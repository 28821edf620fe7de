// The live host: this machine, for real. ps-list loads on first use so commands that never
// touch it (`--version`, snapshot replays) do not pay for it; commands run through node's own
// spawn (run-command.ts), which costs nothing to load.
import { open, stat as fsStat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { HostError } from '../core/errors.js';
import { decodeSimple } from './decode.js';
import type { CommandResult, FileStat, Host, NetResult, RawProcess, RunOptions } from './host.js';
import { parseTasklistCsv } from './parsers/tasklist.js';
import { isPowerCommand, programBase } from './power.js';
import { runCommand } from './run-command.js';
import { systemProgramPath } from './system-program.js';
import { appendLineSafely } from './safe-write.js';

/** The process list without owners (fast): the fallback when ps-list cannot run on Windows. */
export const TASKLIST_BRIEF_ARGV = ['tasklist', '/fo', 'csv', '/nh'];

export class LiveHost implements Host {
  readonly source = 'live' as const;
  readonly platform: NodeJS.Platform = process.platform;

  hostname(): string {
    return os.hostname();
  }

  runsAs(): string | null {
    try {
      return os.userInfo().username;
    } catch {
      return null;
    }
  }

  now(): Date {
    return new Date();
  }

  utcOffsetMinutes(): number {
    return -new Date().getTimezoneOffset();
  }

  async uptimeSeconds(): Promise<number> {
    return Math.round(os.uptime());
  }

  async listProcesses(): Promise<RawProcess[]> {
    // On Windows ps-list runs a vendored fastlist.exe found beside its own module file: a folder a
    // standard user may be able to write (a planted fastlist would run as SYSTEM), and a single-file
    // bundle has none. The list comes from the system's tasklist instead: pid and name (no ppid;
    // taskkill /t ends a process tree by itself).
    if (this.platform === 'win32') return this.tasklistProcesses();
    return this.psList();
  }

  /** ps-list's answer (separate so tests can make it fail). */
  protected async psList(): Promise<RawProcess[]> {
    const { default: psList } = await import('ps-list');
    const list = await psList({ all: true });
    return list.map((p) => {
      const row: RawProcess = { pid: p.pid, ppid: p.ppid, name: p.name };
      const extra = p as { uid?: number; cmd?: string };
      if (typeof extra.uid === 'number') row.uid = extra.uid;
      if (typeof extra.cmd === 'string') row.cmd = extra.cmd;
      return row;
    });
  }

  private async tasklistProcesses(): Promise<RawProcess[]> {
    const r = await this.run(TASKLIST_BRIEF_ARGV);
    if (r.exitCode !== 0) {
      throw new HostError(`cannot list processes: tasklist ${r.failure ?? (r.notFound ? 'was not found' : `exited with ${r.exitCode}`)}`);
    }
    // Image names are ASCII in practice; an OEM code page only matters for exotic names, and the
    // code page lookup lives in HostFacts, above this layer.
    const text = decodeSimple(r.stdout) ?? new TextDecoder('windows-1252').decode(r.stdout);
    return parseTasklistCsv(text).rows.map((row) => ({ pid: row.pid, name: row.image }));
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    // Reports keep the name as written; the program run is the system's own (system-program.ts).
    return runCommand(argv, { ...options, executable: systemProgramPath(argv[0] ?? '', this.platform, process.env) });
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await fsStat(path);
      return { path, size: s.size, mtime: s.mtime, isDirectory: s.isDirectory() };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  async readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async runAction(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const program = argv[0] ?? '';
    const empty = new Uint8Array(0);
    if (rehearsed(program)) {
      const log = process.env.SYNCDOCTOR_REHEARSAL_LOG;
      if (log) await appendLineSafely(log, JSON.stringify({ at: new Date().toISOString(), argv }));
      return { argv: [...argv], exitCode: 0, stdout: empty, stderr: empty, notFound: false, timedOut: false };
    }
    // Only the reboot action runs a power command, and never through a scheduled task.
    if (programBase(program) === 'schtasks' && isPowerCommand(argv)) {
      return { argv: [...argv], exitCode: null, stdout: empty, stderr: empty, notFound: false, timedOut: false, failure: 'refused: a scheduled task may not start a program that restarts or stops the machine' };
    }
    if (isPowerCommand(argv) && process.env.SYNCDOCTOR_NO_REBOOT === '1') {
      return { argv: [...argv], exitCode: null, stdout: empty, stderr: empty, notFound: false, timedOut: false, failure: 'refused: SYNCDOCTOR_NO_REBOOT=1 forbids restart and shutdown commands' };
    }
    return this.run(argv, options);
  }

  async spawnDetached(argv: readonly string[]): Promise<number> {
    const [file, ...args] = argv;
    if (!file) throw new Error('empty command');
    // Nothing a repair starts as an agent may restart or stop the machine, whatever a setting says.
    if (isPowerCommand(argv)) throw new Error(`refused: ${file} restarts or stops the machine; it is never started as an agent`);
    const child = spawn(systemProgramPath(file, this.platform, process.env), args, { detached: true, stdio: 'ignore', windowsHide: false });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref(); // the agent outlives syncdoctor
        resolve(child.pid!);
      });
    });
  }

  async signal(pid: number, signal: NodeJS.Signals): Promise<boolean> {
    try {
      process.kill(pid, signal);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw err;
    }
  }

  async isAlive(pid: number): Promise<boolean> {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  env(name: string): string | undefined {
    // Windows environment names are case-insensitive; process.env already is on win32.
    return process.env[name];
  }

  connect(target: string, timeoutMs: number, signal?: AbortSignal): Promise<NetResult> {
    const { host, port } = splitTarget(target);
    return new Promise((resolve) => {
      let settled = false;
      const socket = net.connect({ host, port });
      const finish = (r: NetResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(r);
      };
      const onAbort = () => finish('timeout');
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => finish('ok'));
      socket.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') finish('dns-error');
        // No route to the host is what a site without internet sees: nothing answered, like a timeout.
        else if (err.code === 'ETIMEDOUT' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' || err.code === 'ENETDOWN') finish('timeout');
        else finish('refused');
      });
    });
  }
}

/**
 * Safety interlocks for changes. SYNCDOCTOR_NO_REBOOT=1 (the test suite sets it) refuses any
 * restart or shutdown command. SYNCDOCTOR_REHEARSE=prog,prog (with SYNCDOCTOR_REHEARSAL_LOG=FILE)
 * records those programs' action commands as JSON lines instead of running them, so tests can
 * assert what a repair would run.
 */
function rehearsed(program: string): boolean {
  const list = (process.env.SYNCDOCTOR_REHEARSE ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return list.includes(programBase(program));
}

/** "host:443", "[::1]:8080" → parts; a missing port is an error the playbook loader reports. */
export function splitTarget(target: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(target) ?? /^([^:]+):(\d+)$/.exec(target);
  if (!m) throw new Error(`not a host:port target: ${target}`);
  return { host: m[1]!, port: Number(m[2]) };
}
