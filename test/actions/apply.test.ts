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
  /** Processes a refused kill leaves running. */
  readonly survivors = new Set<number>();
  override async runAction(argv: readonly string[], _o?: RunOptions): Promise<CommandResult> {
    this.ran.push([...argv]);
    const code = this.failOn?.(argv) ?? 0;
    const empty = new Uint8Array(0);
    return { argv: [...argv], exitCode: code, stdout: empty, stderr: code ? Buffer.from(`ERROR (${code})`) : empty, notFound: false, timedOut: false };
  }
  override async isAlive(pid: number): Promise<boolean> {
    return this.survivors.has(pid); // otherwise taskkill succeeded: the process is gone
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
    const host = pc([{ pid: 999, ppid: 1, name: 'explorer.exe' }]);
    const r = await startProcess.apply({ path: '%ProgramFiles%\\Crik-IT\\CISM.exe', user: 'FRONTDESK\\kmorales', image: ['CISM.exe'] }, ctx(host));
    expect(r.ok).toBe(true);
    expect(host.ran.map((a) => a.slice(0, 2))).toEqual([['schtasks', '/create'], ['schtasks', '/run'], ['schtasks', '/delete']]);
    const create = host.ran[0]!;
    expect(create).toEqual(expect.arrayContaining(['/tr', '"C:\\Program Files\\Crik-IT\\CISM.exe"', '/ru', 'FRONTDESK\\kmorales', '/it', '/f', '/sc', 'once']));
    const task = create[create.indexOf('/tn') + 1]!;
    expect(task).toMatch(/^syncdoctor-launch-[0-9a-f]{6}$/);
    expect(host.ran[2]).toEqual(['schtasks', '/delete', '/tn', task, '/f']);
  });

  it('the task is deleted even when running it fails', async () => {
    const host = pc([{ pid: 999, ppid: 1, name: 'explorer.exe' }]);
    host.failOn = (argv) => (argv[1] === '/run' ? 1 : undefined);
    const r = await startProcess.apply({ path: 'C:\\agent.exe', user: 'frontdesk', image: ['agent.exe'] }, ctx(host));
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/schtasks \/run .* failed \(exit 1\)/);
    expect(host.ran.at(-1)?.slice(0, 2)).toEqual(['schtasks', '/delete']);
  });

  /** A PC where frontdesk (session 1) runs CISM and QuickBooks, and mary jones QuickBooks in session 2 (RDP). */
  function twoUsersPc(tasklist: 'ok' | 'fails' = 'ok'): RecordingHost {
    const row = (name: string, pid: number, session: string, id: number, user: string) => `"${name}","${pid}","${session}","${id}","1,000 K","Running","${user}","0:00:01","N/A"`;
    const csv = ['"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"', row('explorer.exe', 999, 'Console', 1, 'PC\\frontdesk'), row('CISM.exe', 3804, 'Console', 1, 'PC\\frontdesk'), row('QBW32.EXE', 4120, 'Console', 1, 'PC\\frontdesk'), row('QBW32.EXE', 7316, 'RDP-Tcp#4', 2, 'PC\\mary jones'), ''].join('\r\n');
    const quser = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n>frontdesk             console             1  Active      none   11/20/2026 8:02 AM\r\n mary jones            rdp-tcp#4           2  Active         4  11/20/2026 9:12 AM\r\n';
    return new RecordingHost({
      syncdoctorSnapshot: 1,
      capturedAt: '2026-11-20T14:03:00Z',
      platform: 'win32',
      hostname: 'PC',
      uptimeSeconds: 10,
      processes: [999, 3804, 4120, 7316].map((pid) => ({ pid, ppid: 1, name: pid === 999 ? 'explorer.exe' : pid === 3804 ? 'CISM.exe' : 'QBW32.EXE' })),
      commands: [
        tasklist === 'ok' ? { argv: ['tasklist', '/v', '/fo', 'csv'], exitCode: 0, stdout: csv, stderr: '' } : { argv: ['tasklist', '/v', '/fo', 'csv'], exitCode: 1, stdout: '', stderr: 'ERROR: Access denied' },
        { argv: ['query', 'user'], exitCode: 0, stdout: quser, stderr: '' },
      ],
    });
  }

  it("kill-and-relaunch closes only the sync user's processes in their session, leaves another user's QuickBooks alone and says so, then relaunches the agent", async () => {
    const host = twoUsersPc();
    const r = await killAndRelaunch.apply({ kill: ['QBW32.EXE', 'CISM.exe'], relaunch: 'C:\\CISM\\CISM.exe', user: 'frontdesk' }, ctx(host));
    expect(r.ok).toBe(true);
    expect(host.ran.slice(0, 2)).toEqual([
      ['taskkill', '/pid', '3804', '/t', '/f'],
      ['taskkill', '/pid', '4120', '/t', '/f'],
    ]);
    expect(host.ran.slice(2).map((a) => a.slice(0, 2))).toEqual([['schtasks', '/create'], ['schtasks', '/run'], ['schtasks', '/delete']]);
    expect(host.ran.flat()).not.toContain('7316');
    expect(host.ran.flat()).not.toContain('999');
    expect(r.detail).toContain("left alone (not frontdesk's): QBW32.EXE (pid 7316) as PC\\mary jones in session 2 (RDP-Tcp#4)");
  });

  it('kill-and-relaunch: when one kill is refused after the agent was closed, every kill is still tried and the agent is started again (was: CISM left closed)', async () => {
    const host = twoUsersPc();
    host.failOn = (argv) => (argv[0] === 'taskkill' && argv[2] === '4120' ? 5 : undefined);
    host.survivors.add(4120);
    const r = await killAndRelaunch.apply({ kill: ['QBW32.EXE', 'CISM.exe'], relaunch: 'C:\\CISM\\CISM.exe', user: 'frontdesk' }, ctx(host));
    expect(r.ok).toBe(false);
    expect(host.ran.map((a) => a.slice(0, 3))).toEqual([
      ['taskkill', '/pid', '3804'],
      ['taskkill', '/pid', '4120'],
      ['schtasks', '/create', '/tn'],
      ['schtasks', '/run', '/tn'],
      ['schtasks', '/delete', '/tn'],
    ]);
    expect(r.detail).toMatch(/^still running after kill: QBW32\.EXE \(pid 4120\) \(taskkill \/pid 4120 \/t \/f failed \(exit 5\).*\); closed CISM\.exe \(pid 3804\); asked Windows to start C:\\CISM\\CISM\.exe in frontdesk's session/);
  });

  it('kill-and-relaunch: when nothing could be closed, nothing is started either', async () => {
    const host = twoUsersPc();
    host.failOn = (argv) => (argv[0] === 'taskkill' ? 5 : undefined);
    host.survivors.add(3804).add(4120);
    const r = await killAndRelaunch.apply({ kill: ['QBW32.EXE', 'CISM.exe'], relaunch: 'C:\\CISM\\CISM.exe', user: 'frontdesk' }, ctx(host));
    expect(r.ok).toBe(false);
    expect(host.ran.map((a) => a[0])).toEqual(['taskkill', 'taskkill']);
  });

  it("start-process: the agent's image running only as other users is not \"already running\": blocked, a person looks (was: nothing to do, and the ladder went on to a restart)", async () => {
    const host = twoUsersPc();
    const params = { path: 'C:\\CISM\\QBW32.EXE', user: 'nobody-here', image: ['QBW32.EXE'] };
    const plan = await startProcess.plan(params, { facts: new HostFacts(host) });
    expect(plan.blocked).toBe("QBW32.EXE (pid 4120) as PC\\frontdesk in session 1 (Console); QBW32.EXE (pid 7316) as PC\\mary jones in session 2 (RDP-Tcp#4) runs, but not as nobody-here in their session: a person looks before a second one is started");
    const r = await startProcess.apply(params, ctx(host));
    expect(r.ok).toBe(false);
    expect(host.ran).toEqual([]);
  });

  it("start-process: running as the agent's user in their session is nothing to do; owners that cannot be read block it", async () => {
    const params = { path: 'C:\\CISM\\CISM.exe', user: 'frontdesk', image: ['CISM.exe'] };
    expect(await startProcess.plan(params, { facts: new HostFacts(twoUsersPc()) })).toEqual({ steps: [], commands: [] });
    const unread = await startProcess.plan(params, { facts: new HostFacts(twoUsersPc('fails')) });
    expect(unread.blocked).toMatch(/^whose CISM\.exe \(pid 3804\) is, or in which session, cannot be told/);
  });

  it("start-process off Windows starts a program only as its own user: run as root for alice, it refuses (was: started alice's program as root)", async () => {
    class RootOnLinux extends RecordingHost {
      runsAs(): string {
        return 'root';
      }
    }
    const host = new RootOnLinux({ syncdoctorSnapshot: 1, capturedAt: '2026-11-20T14:03:00Z', platform: 'linux', hostname: 'pc', uptimeSeconds: 10, processes: [{ pid: 1, ppid: 0, name: 'init' }] });
    const params = { path: '/home/alice/bin/agent', user: 'alice', image: ['agent'] };
    expect((await startProcess.plan(params, { facts: new HostFacts(host) })).blocked).toBe('the agent would be started as root, not as alice: start it as alice by hand');
    expect((await startProcess.apply(params, ctx(host))).ok).toBe(false);
    expect((await startProcess.plan({ ...params, user: 'root' }, { facts: new HostFacts(host) })).steps).toEqual(['start /home/alice/bin/agent detached']);
  });

  it('kill-and-relaunch without a program to start again is not done: an agent closed from outside does not reopen (was: CISM closed, "the agent relaunches itself")', async () => {
    const host = twoUsersPc();
    const params = { kill: ['QBW32.EXE', 'CISM.exe'], relaunch: '', user: 'frontdesk' };
    expect((await killAndRelaunch.plan(params, { facts: new HostFacts(host) })).blocked).toBe('the program to start again is not configured: closing the agent would leave it stopped');
    const r = await killAndRelaunch.apply(params, ctx(host));
    expect(r.ok).toBe(false);
    expect(host.ran).toEqual([]);
  });

  it('kill-and-relaunch plans whose each process is, and refuses when owners cannot be read or the user is not set', async () => {
    const plan = await killAndRelaunch.plan({ kill: ['QBW32.EXE', 'CISM.exe'], relaunch: 'C:\\CISM\\CISM.exe', user: 'frontdesk' }, { facts: new HostFacts(twoUsersPc()) });
    expect(plan.steps).toEqual([
      'close CISM.exe (pid 3804) as PC\\frontdesk in session 1 (Console)',
      'close QBW32.EXE (pid 4120) as PC\\frontdesk in session 1 (Console)',
      "leave QBW32.EXE (pid 7316) as PC\\mary jones in session 2 (RDP-Tcp#4) alone: not frontdesk's (a person asks its user to close it)",
      "start C:\\CISM\\CISM.exe in frontdesk's desktop session",
    ]);
    expect(plan.commands.flat()).not.toContain('7316');

    const blind = twoUsersPc('fails');
    const refused = await killAndRelaunch.apply({ kill: ['QBW32.EXE', 'CISM.exe'], relaunch: 'C:\\CISM\\CISM.exe', user: 'frontdesk' }, ctx(blind));
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/^refused: whose process .* cannot be told/);
    expect(blind.ran).toEqual([]);

    const noUser = twoUsersPc();
    const p2 = await killAndRelaunch.plan({ kill: ['QBW32.EXE'], relaunch: '' }, { facts: new HostFacts(noUser) });
    expect(p2.blocked).toBe("the agent's user is not configured: which processes are the agent's cannot be told");
    expect((await killAndRelaunch.apply({ kill: ['QBW32.EXE'] }, ctx(noUser))).ok).toBe(false);
    expect(noUser.ran).toEqual([]);
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
