// The ladder's executor on a replayed Windows PC whose processes can change while a person decides:
// what a person approved is what is done, or nothing is (commands are recorded, never run).
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/engine/decide.js';
import { runLadders } from '../../src/engine/ladder.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { HostFacts } from '../../src/host/facts.js';
import type { CommandResult, RawProcess, RunOptions } from '../../src/host/host.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { resolvePlaybook } from '../../src/playbook/resolve.js';

const PLAYBOOK = `id: demo
name: Demo
vendor: Test
detect: [{ probe: machine-awake }]
checks:
  - { id: synced, title: The agent synced, probe: file-exists, with: { path: 'C:\\sync\\ok' }, remediate: [relaunch] }
  - { id: nobody-in-qb, title: Nobody is in QuickBooks, guard: true, probe: quickbooks-in-use, with: { quickbooksImages: [QBW32.EXE] } }
remediations:
  relaunch:
    title: Close and relaunch CISM
    risk: disruptive
    action: kill-and-relaunch
    with: { kill: [CISM.exe], relaunch: 'C:\\CISM\\CISM.exe', user: frontdesk }
    guards: [nobody-in-qb]
`;

const QUERY_USER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n>frontdesk             console             1  Active      none   11/20/2026 8:02 AM\r\n mary                  rdp-tcp#4           2  Active         4  11/20/2026 9:12 AM\r\n';
const HEADER = '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"';
type Row = { name: string; pid: number; session: number; user: string };
const EXPLORER: Row = { name: 'explorer.exe', pid: 999, session: 1, user: 'PC\\frontdesk' };
const CISM: Row = { name: 'CISM.exe', pid: 3804, session: 1, user: 'PC\\frontdesk' };

/** A PC whose process list (and tasklist /v) is `rows`, which a test may change; repairs are recorded. */
class ChangingPc extends SnapshotHost {
  rows: Row[] = [EXPLORER, CISM];
  readonly ran: string[][] = [];
  constructor() {
    super({ syncdoctorSnapshot: 1, capturedAt: '2026-11-20T14:03:00Z', platform: 'win32', hostname: 'PC', uptimeSeconds: 3600, commands: [{ argv: ['query', 'user'], exitCode: 0, stdout: QUERY_USER, stderr: '' }] });
  }
  override async listProcesses(): Promise<RawProcess[]> {
    return this.rows.map((r) => ({ pid: r.pid, ppid: 1, name: r.name }));
  }
  override async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    if (argv[0] !== 'tasklist') return super.run(argv, options);
    const csv = [HEADER, ...this.rows.map((r) => `"${r.name}","${r.pid}","${r.session === 1 ? 'Console' : 'RDP-Tcp#4'}","${r.session}","1,000 K","Running","${r.user}","0:00:01","N/A"`)].join('\r\n');
    return { argv: [...argv], exitCode: 0, stdout: Buffer.from(`${csv}\r\n`), stderr: new Uint8Array(0), notFound: false, timedOut: false };
  }
  override async runAction(argv: readonly string[]): Promise<CommandResult> {
    this.ran.push([...argv]);
    return { argv: [...argv], exitCode: 0, stdout: new Uint8Array(0), stderr: new Uint8Array(0), notFound: false, timedOut: false };
  }
  override async isAlive(): Promise<boolean> {
    return false;
  }
}

/** A guided repair of the demo agent where the person answers "yes", doing `meanwhile` first (the time they took). */
async function repairWith(meanwhile: (pc: ChangingPc) => void) {
  const pc = new ChangingPc();
  const pb = resolvePlaybook(parsePlaybook('demo.yaml', PLAYBOOK), []);
  const signal = new AbortController().signal;
  const report = await runDiagnosis({ facts: new HostFacts(pc, { signal }), playbooks: [pb], named: ['demo'], deadline: signal });
  expect(report.agents[0]!.checks.find((c) => c.id === 'synced')!.state).toBe('fail');
  const answered: string[] = [];
  await runLadders({
    report,
    playbooks: [pb],
    host: pc,
    newFacts: () => new HostFacts(pc, { signal }),
    consent: {
      interactive: true,
      allow: 'safe',
      async confirm(view): Promise<Decision> {
        answered.push(...(view.plan?.steps ?? []));
        meanwhile(pc);
        return 'apply';
      },
      reboot: async () => ({ choice: 'no' }),
      manual: async () => 'skip',
    },
    dryRun: false,
    say: () => {},
    signal,
    runEndsAt: Date.now(), // no time to wait for evidence: the step ends awaiting
  });
  return { pc, report, answered };
}

describe('a guided repair acts on what the person approved, checked again after they answer', () => {
  it('nothing changed while they decided: the kill and relaunch they saw are done', async () => {
    const { pc, report, answered } = await repairWith(() => {});
    expect(answered[0]).toBe('close CISM.exe (pid 3804) as PC\\frontdesk in session 1 (Console)');
    expect(pc.ran[0]).toEqual(['taskkill', '/pid', '3804', '/t', '/f']);
    expect(report.actions.map((a) => a.outcome)).toEqual(['awaiting']);
  });

  it("CISM exited while they decided and its pid now belongs to mary's Excel: nothing is killed, the step is refused (was: taskkill of pid 3804)", async () => {
    const { pc, report } = await repairWith((p) => {
      p.rows = [EXPLORER, { name: 'EXCEL.EXE', pid: 3804, session: 2, user: 'PC\\mary' }];
    });
    expect(pc.ran).toEqual([]);
    expect(report.actions.map((a) => [a.outcome, a.detail])).toEqual([['refused', 'while the answer was awaited, what it would do changed (the processes are not the ones shown): run the repair again']]);
  });

  it('someone opened QuickBooks while they decided: the guard is checked again and refuses', async () => {
    const { pc, report } = await repairWith((p) => {
      p.rows = [...p.rows, { name: 'QBW32.EXE', pid: 5000, session: 1, user: 'PC\\frontdesk' }];
    });
    expect(pc.ran).toEqual([]);
    expect(report.actions[0]!.outcome).toBe('refused');
    expect(report.actions[0]!.detail).toMatch(/^while the answer was awaited a guard stopped holding — Nobody is in QuickBooks: /);
  });
});

describe('a step with nothing to do looks at the PC again', () => {
  const STARTS = `id: demo
name: Demo
vendor: Test
detect: [{ probe: machine-awake }]
checks:
  - { id: running, title: CISM runs, probe: process-running, with: { names: [CISM.exe], user: frontdesk }, remediate: [start] }
remediations:
  start:
    title: Start CISM
    risk: safe
    action: start-process
    with: { path: 'C:\\CISM\\CISM.exe', user: frontdesk, image: [CISM.exe] }
`;

  it('another run started the agent after this one looked: the check passes now, nothing is done, exit 0 (was: CRITICAL "not running" from the earlier look)', async () => {
    const pc = new ChangingPc();
    pc.rows = [EXPLORER];
    const pb = resolvePlaybook(parsePlaybook('demo.yaml', STARTS), []);
    const signal = new AbortController().signal;
    const report = await runDiagnosis({ facts: new HostFacts(pc, { signal }), playbooks: [pb], named: ['demo'], deadline: signal });
    expect(report.exitCode).toBe(2);
    pc.rows = [EXPLORER, CISM]; // started meanwhile (another repair, or a person)
    await runLadders({
      report,
      playbooks: [pb],
      host: pc,
      newFacts: () => new HostFacts(pc, { signal }),
      consent: { interactive: false, allow: 'safe', confirm: async () => 'apply', reboot: async () => ({ choice: 'no' }), manual: async () => 'skip' },
      dryRun: false,
      say: () => {},
      signal,
    });
    expect(pc.ran).toEqual([]);
    const check = report.agents[0]!.checks[0]!;
    expect(check.state).toBe('pass');
    expect(check.summary).toMatch(/\(it passes now; this run did nothing\)$/);
    expect(report.actions.map((a) => [a.outcome, a.detail])).toEqual([['skipped', 'nothing to do']]);
    expect(report.exitCode).toBe(0);
  });
});
