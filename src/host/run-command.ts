// Runs one program and collects its output as bytes: node's spawn, no shell, nothing else. This
// replaced execa, whose loading cost 15–25 ms of every start-up, and RMM platforms start this CLI
// thousands of times.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { CommandResult, RunOptions } from './host.js';
import { systemProgramPath } from './system-program.js';

export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** How long a child may ignore SIGTERM before it gets SIGKILL. */
export const FORCE_KILL_AFTER_MS = 1000;
/** How long to wait for the pipes once the child has exited: a grandchild may hold them open. */
export const CLOSE_GRACE_MS = 1000;

export interface RunCommandOptions extends RunOptions {
  /** Per stream; a program that writes more is stopped (a parameter so tests need not write 16 MiB). */
  maxOutputBytes?: number;
  /** The file to run for argv[0], when it is not argv[0] itself (an absolute system path); argv stays as given in the result. */
  executable?: string;
}

type Stop = 'timeout' | 'cancelled' | 'too-large';

/** Runs argv without a shell. Never throws: a program that cannot run is a CommandResult too. */
export function runCommand(argv: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const cap = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  const empty = new Uint8Array(0);
  const notRun = (failure: string, notFound = false): Promise<CommandResult> =>
    Promise.resolve({ argv: [...argv], exitCode: null, stdout: empty, stderr: empty, notFound, timedOut: false, failure });
  const [name, ...args] = argv;
  if (!name) return notRun('empty command', true);
  const file = options.executable ?? name;
  if (options.signal?.aborted) return notRun('cancelled');

  let child: ChildProcess;
  try {
    // No shell, ever (spawn's default; no shell option at all): argv goes to the program as it is.
    // POSIX: its own process group, so that stopping it stops what it started too.
    child = spawn(file, args, { windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  } catch (err) {
    // Arguments node refuses (a NUL, a .bat on Windows) throw here instead of emitting 'error'.
    return notRun(errorCode(err));
  }

  return new Promise((resolve) => {
    let settled = false;
    let spawned = false;
    let exited = false;
    let exitCode: number | null = null;
    let stopped: Stop | undefined;
    let tooLarge = '';
    let spawnError: NodeJS.ErrnoException | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;

    const stop = (why: Stop) => {
      if (stopped) return;
      stopped = why;
      if (exited) return; // output read after the exit can still be too large; nothing to kill
      killTree(child, 'SIGTERM');
      // Kept referenced: a CLI that is about to end must still wait to kill a child deaf to SIGTERM.
      killTimer = setTimeout(() => killTree(child, 'SIGKILL'), FORCE_KILL_AFTER_MS);
    };
    const onAbort = () => stop('cancelled');
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const collect = (stream: Readable | null, name: string) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream?.on('data', (chunk: Buffer) => {
        if (size >= cap) return; // over the cap: drained, not kept, until the child is gone
        if (size + chunk.length > cap) {
          chunks.push(chunk.subarray(0, cap - size));
          size = cap;
          tooLarge ||= `output too large: ${name} exceeded ${sizeText(cap)}`;
          stop('too-large');
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      // A destroyed pipe (see 'exit') may report an error; what was read stands.
      stream?.on('error', () => {});
      return (): Uint8Array => {
        // A plain Uint8Array of its own, not a view into node's shared Buffer pool.
        const bytes = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) {
          bytes.set(c, at);
          at += c.length;
        }
        return bytes;
      };
    };
    const stdout = collect(child.stdout, 'stdout');
    const stderr = collect(child.stderr, 'stderr');

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
      const code = spawnError?.code;
      const result: CommandResult = {
        argv: [...argv],
        // A child we stopped gave no answer, whatever code it managed to exit with.
        exitCode: stopped ? null : exitCode,
        stdout: stdout(),
        stderr: stderr(),
        notFound: code === 'ENOENT',
        timedOut: stopped === 'timeout',
      };
      if (code === 'EACCES') result.failure = 'permission denied';
      else if (code && code !== 'ENOENT') result.failure = code;
      else if (stopped === 'cancelled') result.failure = 'cancelled';
      else if (stopped === 'timeout') result.failure = `timed out after ${timeoutMs} ms`;
      else if (stopped === 'too-large') result.failure = tooLarge;
      resolve(result);
    };

    child.once('spawn', () => {
      spawned = true;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      // After a start, an error is a failed kill: the exit (or SIGKILL) still ends the run.
      if (spawned) return;
      spawnError = err;
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish();
    });
    child.once('exit', (code) => {
      exited = true;
      exitCode = code; // null when a signal ended it
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // 'close' follows once the pipes are drained; a grandchild that inherited them may keep
      // them open indefinitely, so stop waiting after a grace period with what was read.
      graceTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, CLOSE_GRACE_MS);
    });
    child.once('close', finish);
  });
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  return e?.code ?? (e instanceof Error ? e.message : String(err));
}

function sizeText(bytes: number): string {
  const mib = 1024 * 1024;
  return bytes % mib === 0 ? `${bytes / mib} MiB` : `${bytes} bytes`;
}

/**
 * Stops a command and every process it started: its process group on POSIX (it was spawned as the
 * group's leader), `taskkill /t /f` from the system folder on Windows (TerminateProcess alone would
 * leave its children running).
 */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    try {
      spawn(systemProgramPath('taskkill', 'win32', process.env), ['/pid', String(child.pid), '/t', '/f'], { windowsHide: true, stdio: 'ignore' }).on('error', () => {});
    } catch {
      // the plain kill below still ends the command itself
    }
    child.kill(signal);
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // the group is gone already, or was never made
  }
}
