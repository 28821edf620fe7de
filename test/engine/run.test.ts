// The engine on replayed hosts: states, needs, per-check timeouts, the run deadline, concurrency
// with the playbook's order kept, and how states roll up into the verdict and exit code.
import { describe, expect, it } from 'vitest';
import { HostFacts } from '../../src/host/facts.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { resolvePlaybook } from '../../src/playbook/resolve.js';
import { runDiagnosis } from '../../src/engine/run.js';
import type { Asker } from '../../src/probes/probe.js';

const QUERY_USER_OK = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n>frontdesk             console             1  Active      none   11/19/2026 8:02 AM\r\n';

function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    syncdoctorSnapshot: 1,
    capturedAt: '2026-11-20T14:03:00Z',
    platform: 'win32',
    hostname: 'PC-1',
    uptimeSeconds: 3600,
    processes: [{ pid: 10, ppid: 1, name: 'Agent.exe' }],
    commands: [{ argv: ['query', 'user'], exitCode: 0, stdout: QUERY_USER_OK, stderr: '' }],
    ...extra,
  };
}

const PLAYBOOK = (checks: string, extra = '') => `id: demo
name: Demo
vendor: Demo Inc
detect:
  - probe: process-running
    with: { names: [agent] }
checks:
${checks}
${extra}`;

async function diagnose(checks: string, snap: Snapshot = snapshot(), opts: { deadlineMs?: number; asker?: Asker; extra?: string } = {}) {
  const pb = resolvePlaybook(parsePlaybook('demo.yaml', PLAYBOOK(checks, opts.extra)), []);
  const deadline = new AbortController();
  const timer = opts.deadlineMs ? setTimeout(() => deadline.abort(), opts.deadlineMs) : undefined;
  const started = Date.now();
  try {
    const report = await runDiagnosis({
      facts: new HostFacts(new SnapshotHost(snap), { signal: deadline.signal }),
      playbooks: [pb],
      named: [],
      deadline: deadline.signal,
      ...(opts.deadlineMs ? { deadlineMs: opts.deadlineMs } : {}),
      ...(opts.asker ? { asker: opts.asker } : {}),
    });
    const state = (id: string) => report.agents[0]!.checks.find((c) => c.id === id)!;
    return { report, state, elapsed: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

const AWAKE = `  - id: awake
    title: Awake
    probe: machine-awake`;
const RUNNING = (needs = '') => `  - id: running
    title: Agent runs
    probe: process-running
    with: { names: [Agent.exe] }${needs}`;
const USER = (timeout = '') => `  - id: user
    title: Someone is logged on
    probe: user-session${timeout}`;

describe('engine', () => {
  it('all pass: ok, exit 0, checks in playbook order', async () => {
    const { report } = await diagnose([AWAKE, RUNNING(), USER()].join('\n'));
    expect(report.status).toBe('ok');
    expect(report.exitCode).toBe(0);
    expect(report.agents[0]!.checks.map((c) => [c.id, c.state])).toEqual([
      ['awake', 'pass'],
      ['running', 'pass'],
      ['user', 'pass'],
    ]);
  });

  it('a failed prerequisite skips its dependants with the reason', async () => {
    const snap = snapshot({ processes: [{ pid: 10, ppid: 1, name: 'Agent.exe' }] });
    const { state, report } = await diagnose(
      [
        `  - id: missing
    title: Other runs
    probe: process-running
    with: { names: [Other.exe] }`,
        RUNNING('\n    needs: [missing]'),
      ].join('\n'),
      snap,
    );
    expect(state('missing').state).toBe('fail');
    expect(state('running')).toMatchObject({ state: 'skip', summary: 'Skipped: needs "Other runs" (fail) to pass first' });
    expect(report.status).toBe('critical');
    expect(report.exitCode).toBe(2);
  });

  it('a severity-warning failure is a warning (exit 1); an undetermined check is unknown (exit 3)', async () => {
    const warnOnly = await diagnose(`  - id: other
    title: Other runs
    severity: warning
    probe: process-running
    with: { names: [Other.exe] }`);
    expect(warnOnly.report).toMatchObject({ status: 'warning', exitCode: 1 });

    const unknown = await diagnose([AWAKE, USER()].join('\n'), snapshot({ commands: [] }));
    expect(unknown.state('user')).toMatchObject({ state: 'unknown', error: expect.stringMatching(/^command not found: query; and the owners of explorer\.exe could not be read either/) });
    expect(unknown.report).toMatchObject({ status: 'unknown', exitCode: 3 });
  });

  it('critical outranks unknown, unknown outranks warning', async () => {
    const both = await diagnose(
      [
        USER(),
        `  - id: other
    title: Other runs
    probe: process-running
    with: { names: [Other.exe] }`,
      ].join('\n'),
      snapshot({ commands: [] }),
    );
    expect(both.report.status).toBe('critical');
    const unknownAndWarning = await diagnose(
      [
        USER(),
        `  - id: other
    title: Other runs
    severity: warning
    probe: process-running
    with: { names: [Other.exe] }`,
      ].join('\n'),
      snapshot({ commands: [] }),
    );
    expect(unknownAndWarning.report).toMatchObject({ status: 'unknown', exitCode: 3 });
  });

  it('a hung command times out its check (error with cause); the rest of the run completes', async () => {
    const snap = snapshot({ commands: [{ argv: ['query', 'user'], exitCode: null, hang: true }] });
    const { state, report } = await diagnose([AWAKE, USER('\n    timeout: 1s'), RUNNING()].join('\n'), snap, { deadlineMs: 20_000 });
    expect(state('user')).toMatchObject({ state: 'unknown', error: 'probe user-session timed out after 1s' });
    expect(state('awake').state).toBe('pass');
    expect(state('running').state).toBe('pass');
    expect(report.exitCode).toBe(3);
  });

  it('the run deadline stops checks still running and marks them error', async () => {
    const snap = snapshot({ commands: [{ argv: ['query', 'user'], exitCode: null, hang: true }] });
    const { state, elapsed } = await diagnose([AWAKE, USER('\n    timeout: 60s')].join('\n'), snap, { deadlineMs: 800 });
    expect(state('user').state).toBe('unknown');
    expect(state('user').error).toMatch(/run deadline/);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('independent checks run concurrently', async () => {
    // Two checks each wait on a different hung command for 1.5 s; run one after the other they
    // would take 3 s.
    const snap = snapshot({
      commands: [
        { argv: ['query', 'user'], exitCode: null, hang: true },
        { argv: ['tasklist', '/v', '/fo', 'csv'], exitCode: null, hang: true },
      ],
    });
    const owner = `  - id: owner
    title: Agent runs as frontdesk
    timeout: 1500ms
    probe: process-running
    with: { names: [Agent.exe], user: frontdesk }`;
    const { state, elapsed } = await diagnose([USER('\n    timeout: 1500ms'), owner].join('\n'), snap);
    expect(state('user').state).toBe('unknown');
    expect(state('owner').state).toBe('unknown');
    expect(elapsed).toBeLessThan(2900);
  });

  it('a guided question: skipped with the question as a manual step when nobody can answer', async () => {
    const ask = `  - id: icon
    title: The tray icon shows
    probe: ask
    with: { question: Is the icon in the tray? }
    remediate: [restart]`;
    const dependant = RUNNING('\n    needs: [icon]');
    const extra = `remediations:
  restart:
    title: Restart it
    risk: safe
    manual: [Restart it.]`;
    const unattended = await diagnose([ask, dependant].join('\n'), snapshot(), { extra });
    const icon = unattended.state('icon');
    expect(icon).toMatchObject({ state: 'skip', question: 'Is the icon in the tray?' });
    expect(icon.remediations[0]!.manual).toContain('Is the icon in the tray?');
    // A question left for a person does not block what can still be checked.
    expect(unattended.state('running').state).toBe('pass');
    expect(unattended.report.agents[0]!.nextSteps[0]).toBe('Ask at the PC (The tray icon shows): Is the icon in the tray?');
    expect(unattended.report.exitCode).toBe(0);

    const no: Asker = { ask: async () => 'no' };
    const answered = await diagnose([ask, dependant].join('\n'), snapshot(), { extra, asker: no });
    expect(answered.state('icon')).toMatchObject({ state: 'fail', answer: 'no' });
    expect(answered.state('icon').remediations.map((r) => r.id)).toEqual(['restart']);
    expect(answered.state('running').state).toBe('skip');
  });

  it('guards are shown but do not count in the verdict', async () => {
    const guard = `  - id: nobody-in-qb
    title: Nobody works in QuickBooks
    guard: true
    probe: process-running
    with: { names: [QBW32.EXE], expect: stopped }`;
    const snap = snapshot({ processes: [{ pid: 10, ppid: 1, name: 'Agent.exe' }, { pid: 11, ppid: 1, name: 'QBW32.EXE' }] });
    const { state, report } = await diagnose([RUNNING(), guard].join('\n'), snap);
    expect(state('nobody-in-qb')).toMatchObject({ state: 'fail', guard: true });
    expect(report).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(report.agents[0]!.nextSteps).toEqual([]);
  });

  it('a check whose site setting is not set reports "not configured" (error), not a crash', async () => {
    const extra = `vars:
  names: { default: [], source: site, description: not published }`;
    const pb = resolvePlaybook(
      parsePlaybook('demo.yaml', PLAYBOOK(`  - id: custom
    title: Custom agent runs
    probe: process-running
    with: { names: "\${names}" }`, extra)),
      [],
    );
    const deadline = new AbortController();
    const report = await runDiagnosis({ facts: new HostFacts(new SnapshotHost(snapshot())), playbooks: [pb], named: ['demo'], deadline: deadline.signal });
    expect(report.agents[0]!.checks[0]).toMatchObject({ state: 'unknown', summary: 'Not configured: set demo.names (--config or --set)' });
    expect(report.exitCode).toBe(3);
  });

  it('an agent that is not detected and not named is left out of the report', async () => {
    const { report } = await diagnose(AWAKE, snapshot({ processes: [{ pid: 4, ppid: 0, name: 'System' }] }));
    expect(report.agents).toEqual([]);
    expect(report.summary).toBe('No supported sync agent is installed on this PC (looked for 1).');
    expect(report.exitCode).toBe(0);
  });

  it('an agent whose detection could not tell (an empty process list is no answer) is shown UNKNOWN, not left out', async () => {
    const { report } = await diagnose(AWAKE, snapshot({ processes: [] }));
    expect(report.agents.map((a) => [a.id, a.detected, a.status, a.checks.map((c) => [c.id, c.state])])).toEqual([['demo', false, 'unknown', [['detection', 'unknown']]]]);
    expect(report.exitCode).toBe(3);
  });
});
