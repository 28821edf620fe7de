// Windows actions applied through an injected host that records the commands instead of running
// them: what a repair would run on a client's PC (no test ever runs a real restart or kill).
import { describe, expect, it } from 'vitest';
import type { ApplyContext } from '../../src/actions/action.js';
import killAndRelaunch from '../../src/actions/kill-and-relaunch.js';
import reboot from '../../src/actions/reboot.js';
import startProcess from '../../src/actions/start-process.js';
import { HostFacts } from '../../src/host/facts.js';
import type { CommandResult, RunOptions } from '../../src/host/host.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';

/** A snapshot PC whose changes are recorded: the injected command runner. */
class RecordingHost extends SnapshotHost {
  readonly ran: string[][] = [];
  failOn?: (argv: readonly string[]) => number | undefined;
  override async runAction(argv: readonly string[], _o?: RunOptions): Promise<CommandResult> {
    this.ran.push([...argv]);
    const code = this.failOn?.(argv) ?? 0;
    const empty = new Uint8Array(0);
    return { argv: [...argv], exitCode: code, stdout: empty, stderr: code ? Buffer.from(`ERROR (${code})`) : empty, notFound: false, timedOut: false };
  }
  override async isAlive(): Promise<boolean> {
    return false; // taskkill succeeded: the process is gone
  }
}

const pc = (processes: Snapshot['processes'] = []): RecordingHost =>
  new RecordingHost({ syncdoctorSnapshot: 1, capturedAt: '2026-11-20T14:03:00Z', platform: 'win32', hostname: 'PC', uptimeSeconds: 10, processes, env: { ProgramFiles: 'C:\\Program Files' } });

const ctx = (host: RecordingHost): ApplyContext => ({
  host,
  facts: new HostFacts(host),
  signal: new AbortController().signal,
  progress: () => {},
  recheck: async () => ({ state: 'pass', summary: '' }),
});

describe('actions applied on Windows (recorded)', () => {
  it('start-process goes through a one-shot interactive task for the user, deleted afterwards', async () => {
    const host = pc();
    const r = await startProcess.apply({ path: '%ProgramFiles%\\Crik-IT\\CISM.exe', user: 'FRONTDESK\\kmorales' }, ctx(host));
    expect(r.ok).toBe(true);
    expect(host.ran.map((a) => a.slice(0, 2))).toEqual([['schtasks', '/create'], ['schtasks', '/run'], ['schtasks', '/delete']]);
    const create = host.ran[0]!;
    expect(create).toEqual(expect.arrayContaining(['/tr', '"C:\\Program Files\\Crik-IT\\CISM.exe"', '/ru', 'FRONTDESK\\kmorales', '/it', '/f', '/sc', 'once']));
    const task = create[create.indexOf('/tn') + 1]!;
    expect(task).toMatch(/^syncdoctor-launch-[0-9a-f]{6}$/);
    expect(host.ran[2]).toEqual(['schtasks', '/delete', '/tn', task, '/f']);
  });

  it('the task is deleted even when running it fails', async () => {
    const host = pc();
    host.failOn = (argv) => (argv[1] === '/run' ? 1 : undefined);
    const r = await startProcess.apply({ path: 'C:\\agent.exe', user: 'frontdesk' }, ctx(host));
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/schtasks \/run .* failed \(exit 1\)/);
    expect(host.ran.at(-1)?.slice(0, 2)).toEqual(['schtasks', '/delete']);
  });

  it('kill-and-relaunch closes each matching process with its children, then relaunches the agent', async () => {
    const host = pc([
      { pid: 4120, ppid: 1, name: 'QBW32.EXE' },
      { pid: 3804, ppid: 1, name: 'CISM.exe' },
      { pid: 999, ppid: 1, name: 'explorer.exe' },
    ]);
    const r = await killAndRelaunch.apply({ kill: ['QBW32.EXE', 'CISM.exe'], relaunch: 'C:\\CISM\\CISM.exe', user: 'frontdesk' }, ctx(host));
    expect(r.ok).toBe(true);
    expect(host.ran.slice(0, 2)).toEqual([
      ['taskkill', '/pid', '4120', '/t', '/f'],
      ['taskkill', '/pid', '3804', '/t', '/f'],
    ]);
    expect(host.ran.slice(2).map((a) => a.slice(0, 2))).toEqual([['schtasks', '/create'], ['schtasks', '/run'], ['schtasks', '/delete']]);
    expect(host.ran.flat()).not.toContain('999');
  });

  it('reboot schedules a warned restart with the delay and message; 1190 means one is already pending', async () => {
    const host = pc();
    const r = await reboot.apply({ delay: '15m', message: 'Restart by IT in 15 minutes. Please save your work.' }, ctx(host));
    expect(host.ran).toEqual([['shutdown', '/r', '/t', '900', '/c', 'Restart by IT in 15 minutes. Please save your work.']]);
    expect(r).toMatchObject({ ok: true, rebootPending: true });
    expect(r.detail).toMatch(/cancel with shutdown \/a/);

    const busy = pc();
    busy.failOn = () => 1190;
    expect(await reboot.apply({ delay: '15m' }, ctx(busy))).toMatchObject({ ok: true, rebootPending: true, detail: 'a restart was already scheduled on this PC' });
  });
});
