// The command runner behind LiveHost.run, with real processes this test starts (node -e scripts):
// bytes kept exactly, a missing program, the timeout and cancellation (SIGKILL a second after a
// SIGTERM the child ignores), the output cap, and a grandchild that keeps the pipes open. Each
// script carries a unique marker, so cleanup only ever kills a pid that is still one of ours.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveHost } from '../../src/host/live.js';
import { CLOSE_GRACE_MS, FORCE_KILL_AFTER_MS, runCommand } from '../../src/host/run-command.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MARKER = `sdrun-${randomBytes(4).toString('hex')}`;
/** Slack for a loaded machine (two test workers, node start-up). */
const MARGIN_MS = 1500;
const started: number[] = [];

/** argv that runs `script` in a fresh node, tagged with this file's marker. */
const node = (script: string): string[] => [process.execPath, '-e', script, MARKER];

/** The pids a script printed (one per line, `pid=N`), remembered for cleanup. */
function pidsIn(bytes: Uint8Array): number[] {
  const pids = [...Buffer.from(bytes).toString('utf8').matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
  started.push(...pids);
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether pid is still a process this file started (its command line holds the marker). */
function ours(pid: number): boolean {
  if (process.platform !== 'linux') return alive(pid);
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(MARKER);
  } catch {
    return false;
  }
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!ours(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !ours(pid);
}

/** A child script that starts a grandchild on its own stdout/stderr and exits after `ms` while the grandchild lives on. */
function leavesGrandchild(pidFile: string, ms: number): string {
  // The pid file is for cleanup when a test fails before reading the output.
  const grandchild = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); console.log('pid=' + process.pid); setInterval(() => {}, 1000);`;
  return `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}, ${JSON.stringify(MARKER)}], { stdio: ['ignore', 'inherit', 'inherit'] }).unref();
    setTimeout(() => { console.log('child done'); process.exit(0); }, ${ms});`;
}

/** The pid a grandchild wrote, for cleanup. */
function remember(pidFile: string): void {
  if (existsSync(pidFile)) started.push(Number(readFileSync(pidFile, 'utf8')));
}

const DEAF_TO_SIGTERM = "process.on('SIGTERM', () => {}); console.log('pid=' + process.pid); setInterval(() => {}, 1000);";

afterEach(() => {
  // Only if a test failed: stop what it started, by pid, and only while it is still ours.
  for (const pid of started.splice(0)) if (ours(pid)) process.kill(pid, 'SIGKILL');
});

describe('runCommand', () => {
  it('returns the exit code and both streams byte for byte, final newline kept', async () => {
    const r = await runCommand(node("process.stdout.write(Buffer.from([0, 0xff, 0xfe, 13, 10, 10])); process.stderr.write('oops\\n'); process.exitCode = 3;"));
    expect(r).toMatchObject({ exitCode: 3, notFound: false, timedOut: false });
    expect(r.failure).toBeUndefined();
    expect(r.stdout).toBeInstanceOf(Uint8Array);
    expect([...r.stdout]).toEqual([0, 0xff, 0xfe, 13, 10, 10]);
    expect(Buffer.from(r.stderr).toString('utf8')).toBe('oops\n');
    expect(r.argv[0]).toBe(process.execPath);
    expect(r.argv[3]).toBe(MARKER);
  });

  it('keeps a trailing newline, and an empty output is empty', async () => {
    const r = await runCommand(node("console.log('hello')"));
    expect(r.exitCode).toBe(0);
    expect(Buffer.from(r.stdout).toString('utf8')).toBe('hello\n');
    expect(r.stderr.length).toBe(0);
  });

  it('passes arguments as they are, with no shell in between', async () => {
    const hostile = ['$(echo no)', 'a; echo no', '"quoted" \'single\'', '*', '%PATH%', 'é 漢字'];
    const r = await runCommand([...node('process.stdout.write(JSON.stringify(process.argv.slice(1)))'), ...hostile]);
    expect(JSON.parse(Buffer.from(r.stdout).toString('utf8'))).toEqual([MARKER, ...hostile]);
  });

  it('a program that does not exist is notFound, exit code null', async () => {
    const r = await runCommand([`syncdoctor-no-such-program-${MARKER}`, '--x']);
    expect(r).toMatchObject({ exitCode: null, notFound: true, timedOut: false });
    expect(r.failure).toBeUndefined();
  });

  it.runIf(process.platform !== 'win32')('a file that is not executable is permission denied', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-run-'));
    try {
      const file = path.join(dir, 'not-executable');
      await writeFile(file, '#!/bin/sh\necho no\n');
      await chmod(file, 0o644);
      const r = await runCommand([file]);
      expect(r).toMatchObject({ exitCode: null, notFound: false, timedOut: false, failure: 'permission denied' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an empty argv or a NUL in an argument is a failure, not a throw', async () => {
    expect(await runCommand([])).toMatchObject({ exitCode: null, notFound: true, failure: 'empty command' });
    const r = await runCommand([process.execPath, '-e', '1', 'a\u0000b']);
    expect(r.exitCode).toBeNull();
    expect(r.failure).toBeTruthy();
  });

  it.runIf(process.platform !== 'win32')('a timeout kills a child that ignores SIGTERM: SIGKILL a second later', async () => {
    const t0 = Date.now();
    const r = await runCommand(node(DEAF_TO_SIGTERM), { timeoutMs: 500 });
    const elapsed = Date.now() - t0;
    const [pid] = pidsIn(r.stdout);
    expect(r).toMatchObject({ exitCode: null, timedOut: true, notFound: false, failure: 'timed out after 500 ms' });
    expect(pid).toBeGreaterThan(0);
    // SIGTERM was ignored, so only the SIGKILL a second later ended it.
    expect(elapsed).toBeGreaterThanOrEqual(500 + FORCE_KILL_AFTER_MS - 100);
    expect(elapsed).toBeLessThan(500 + FORCE_KILL_AFTER_MS + MARGIN_MS);
    expect(await goneWithin(pid!, 1000)).toBe(true);
  });

  it('a timeout stops an ordinary child with SIGTERM, at once', async () => {
    const t0 = Date.now();
    const r = await runCommand(node("console.log('pid=' + process.pid); setInterval(() => {}, 1000);"), { timeoutMs: 300 });
    const elapsed = Date.now() - t0;
    const [pid] = pidsIn(r.stdout);
    expect(r).toMatchObject({ exitCode: null, timedOut: true, failure: 'timed out after 300 ms' });
    expect(elapsed).toBeLessThan(300 + MARGIN_MS);
    expect(await goneWithin(pid!, 1000)).toBe(true);
  });

  it('an abort cancels the run and kills the child, even one deaf to SIGTERM', async () => {
    const ctl = new AbortController();
    const t0 = Date.now();
    const pending = runCommand(node(DEAF_TO_SIGTERM), { signal: ctl.signal, timeoutMs: 10_000 });
    setTimeout(() => ctl.abort(), 400);
    const r = await pending;
    const elapsed = Date.now() - t0;
    const [pid] = pidsIn(r.stdout);
    expect(r).toMatchObject({ exitCode: null, timedOut: false, notFound: false, failure: 'cancelled' });
    expect(elapsed).toBeLessThan(400 + FORCE_KILL_AFTER_MS + MARGIN_MS);
    expect(await goneWithin(pid!, 1000)).toBe(true);
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
  });

  it('an already aborted signal does not start the program', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-run-'));
    try {
      const flag = path.join(dir, 'ran');
      const ctl = new AbortController();
      ctl.abort();
      const r = await runCommand(node(`require('fs').writeFileSync(${JSON.stringify(flag)}, 'x')`), { signal: ctl.signal });
      expect(r).toMatchObject({ exitCode: null, timedOut: false, failure: 'cancelled' });
      await new Promise((res) => setTimeout(res, 300));
      expect(existsSync(flag)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a finished run leaves no listener on the signal', async () => {
    const ctl = new AbortController();
    const r = await runCommand(node("console.log('ok')"), { signal: ctl.signal, timeoutMs: 60_000 });
    expect(r.exitCode).toBe(0);
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
  });

  it('a finished run does not keep the event loop alive (no timer, no pipe left behind)', async () => {
    // In a node of its own, which must end as soon as its runs are done: a 60 s timeout timer or a
    // 1 s grace timer left behind would hold it. The second run's grandchild keeps the pipes open.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-run-'));
    const pidFile = path.join(dir, 'grandchild.pid');
    const child = leavesGrandchild(pidFile, 200);
    const harness = `import { runCommand } from './run-command.mjs';
      const ctl = new AbortController();
      const held = await runCommand([process.execPath, '-e', ${JSON.stringify(child)}, ${JSON.stringify(MARKER)}], { timeoutMs: 60000, signal: ctl.signal });
      const quick = await runCommand([process.execPath, '-e', 'console.log(1)'], { timeoutMs: 60000, signal: ctl.signal });
      const done = performance.now();
      process.on('exit', () => console.log(JSON.stringify({ quick: quick.exitCode, held: held.exitCode, out: Buffer.from(held.stdout).toString(), lingered: performance.now() - done })));`;
    try {
      const { outputFiles } = await build({ entryPoints: [path.join(ROOT, 'src', 'host', 'run-command.ts')], bundle: true, platform: 'node', format: 'esm', write: false });
      await writeFile(path.join(dir, 'run-command.mjs'), outputFiles[0]!.contents);
      await writeFile(path.join(dir, 'harness.mjs'), harness);
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, [path.join(dir, 'harness.mjs'), MARKER], { timeout: 15_000 }, (err, out) => (err ? reject(err) : resolve(out)));
      });
      const r = JSON.parse(stdout) as { quick: number; held: number; out: string; lingered: number };
      const [pid] = pidsIn(Buffer.from(r.out));
      expect(r).toMatchObject({ quick: 0, held: 0 });
      expect(r.lingered).toBeLessThan(400);
      // The grandchild outlived the harness, as it should; it is this test's to stop.
      expect(ours(pid!)).toBe(true);
      process.kill(pid!, 'SIGKILL');
    } finally {
      remember(pidFile);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('output over the cap stops the child and keeps what fits', async () => {
    const t0 = Date.now();
    const r = await runCommand(node("console.log('pid=' + process.pid); const b = 'x'.repeat(4096); setInterval(() => process.stdout.write(b), 5);"), { maxOutputBytes: 64 * 1024 });
    const [pid] = pidsIn(r.stdout);
    expect(Date.now() - t0).toBeLessThan(FORCE_KILL_AFTER_MS + MARGIN_MS);
    expect(r).toMatchObject({ exitCode: null, timedOut: false, failure: 'output too large: stdout exceeded 65536 bytes' });
    expect(r.stdout.length).toBe(64 * 1024);
    expect(await goneWithin(pid!, 1000)).toBe(true);
  });

  it('output over the cap is a failure even when the child exits first; exactly the cap is fine', async () => {
    const over = await runCommand(node("process.stderr.write('e'.repeat(3000))"), { maxOutputBytes: 1024 });
    expect(over).toMatchObject({ exitCode: null, failure: 'output too large: stderr exceeded 1024 bytes' });
    expect(Buffer.from(over.stderr).toString()).toBe('e'.repeat(1024));
    const exact = await runCommand(node("process.stdout.write('x'.repeat(1024))"), { maxOutputBytes: 1024 });
    expect(exact).toMatchObject({ exitCode: 0 });
    expect(exact.failure).toBeUndefined();
    expect(exact.stdout.length).toBe(1024);
  });

  it('a grandchild holding the pipes open does not hold the run', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-run-'));
    const pidFile = path.join(dir, 'grandchild.pid');
    try {
      const t0 = Date.now();
      const r = await runCommand(node(leavesGrandchild(pidFile, 300)), { timeoutMs: 10_000 });
      const elapsed = Date.now() - t0;
      const [pid] = pidsIn(r.stdout);
      expect(r).toMatchObject({ exitCode: 0, timedOut: false, notFound: false });
      expect(r.failure).toBeUndefined();
      expect(Buffer.from(r.stdout).toString()).toContain('child done');
      expect(elapsed).toBeLessThan(300 + CLOSE_GRACE_MS + MARGIN_MS);
      // The grandchild is not the runner's to kill; it is this test's.
      expect(ours(pid!)).toBe(true);
      process.kill(pid!, 'SIGKILL');
      expect(await goneWithin(pid!, 2000)).toBe(true);
    } finally {
      remember(pidFile);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('LiveHost.run', () => {
  it('runs through runCommand: bytes, exit code, no shell', async () => {
    const r = await new LiveHost().run(node("process.stdout.write('a\\r\\nb\\n'); process.exit(7)"));
    expect(r).toMatchObject({ exitCode: 7, notFound: false, timedOut: false });
    expect(Buffer.from(r.stdout).toString()).toBe('a\r\nb\n');
    expect((await new LiveHost().run([`syncdoctor-no-such-program-${MARKER}`])).notFound).toBe(true);
  });
});

describe('a timed-out command is stopped with everything it started', () => {
  it.runIf(process.platform !== 'win32')('its children do not outlive it (was: a grandchild kept running)', async () => {
    // The child starts a background sleep, prints its pid, then waits: both must be gone after the timeout.
    const r = await runCommand(['sh', '-c', 'sleep 300 & echo $!; sleep 300'], { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    const grandchild = Number(new TextDecoder().decode(r.stdout).trim());
    expect(grandchild).toBeGreaterThan(0);
    let alive = true;
    for (let i = 0; i < 40 && alive; i++) {
      try {
        process.kill(grandchild, 0);
        await new Promise((res) => setTimeout(res, 50));
      } catch {
        alive = false;
      }
    }
    if (alive) process.kill(grandchild, 'SIGKILL'); // only the process this test started
    expect(alive).toBe(false);
  });
});
