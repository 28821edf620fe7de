// Earlier runs' fixes read back from audit records (pure): which stay open, and what a later run's
// checks make of them.
import { describe, expect, it } from 'vitest';
import { judgeEarlierFixes, openEarlierFixes, pendingRestart, resumeAbove } from '../../src/engine/earlier.js';
import type { AuditRecord } from '../../src/host/audit.js';
import type { AgentResult, CheckResult, CheckStateT } from '../../src/core/report.js';

const T0 = Date.parse('2026-12-03T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

function rec(phase: AuditRecord['phase'], at: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return { at: iso(at), runId: 'r', who: { user: 'SYSTEM', host: 'PC', pid: 1 }, phase, agent: 'cism', check: 'syncs-scheduled', remediation: 'kill-qbw', title: 'Kill QBW', action: 'kill-and-relaunch', risk: 'disruptive', ...extra };
}
const awaiting = (at: number) => rec('awaiting', at, { outcome: 'awaiting', appliedAt: iso(at - 15_000), confirmBy: iso(at + 20 * MIN) });

function agentWith(state: CheckStateT): AgentResult {
  const check: CheckResult = {
    id: 'syncs-scheduled',
    title: 'Scheduled syncing is running',
    state,
    severity: 'critical',
    summary: 'The last CISM sync was 2h ago',
    evidence: [],
    durationMs: 1,
    error: null,
    remediations: ['restart-sync-cycles', 'kill-qbw', 'reboot-pc'].map((id) => ({ id, title: id, risk: 'safe' as const, manual: [], guards: [], applied: false, outcome: null })),
  };
  return { id: 'cism', name: 'CISM', vendor: 'Crik-IT', detected: true, detectedBy: [], status: 'critical', counts: { checks: 1, critical: 1, unknown: 0, warning: 0, ok: 0, skip: 0 }, notConfigured: [], checks: [check], nextSteps: [], docs: [] };
}

describe('openEarlierFixes', () => {
  it('an awaited fix stays open, with the time it was applied', () => {
    const open = openEarlierFixes([rec('intent', T0), rec('outcome', T0 + 1000, { outcome: 'applied' }), awaiting(T0 + 15_000)], T0 + MIN, 'PC');
    expect([...open.values()]).toEqual([{ kind: 'awaiting', remediation: 'kill-qbw', title: 'Kill QBW', at: iso(T0), confirmBy: iso(T0 + 15_000 + 20 * MIN) }]);
  });
  it('a later verification or confirmation closes it', () => {
    expect(openEarlierFixes([awaiting(T0), rec('confirmation', T0 + 30 * MIN, { outcome: 'confirmed' })], T0 + 40 * MIN, 'PC').size).toBe(0);
    expect(openEarlierFixes([awaiting(T0), rec('verified', T0 + 30 * MIN, { outcome: 'fixed', remediation: 'reboot-pc' })], T0 + 40 * MIN, 'PC').size).toBe(0);
  });
  it('a step that did not fix it (in its run, or judged by the next) stays open as not-fixed', () => {
    const inRun = openEarlierFixes([rec('verified', T0, { outcome: 'not-fixed' })], T0 + MIN, 'PC');
    expect(inRun.get('cism\u0000syncs-scheduled')).toMatchObject({ kind: 'not-fixed', remediation: 'kill-qbw' });
    const judged = openEarlierFixes([awaiting(T0), rec('confirmation', T0 + 30 * MIN, { outcome: 'not-confirmed' })], T0 + 40 * MIN, 'PC');
    expect(judged.get('cism\u0000syncs-scheduled')).toMatchObject({ kind: 'not-fixed' });
  });
  it('records older than a week are the past: the ladder starts afresh', () => {
    expect(openEarlierFixes([awaiting(T0)], T0 + 8 * 24 * 60 * MIN, 'PC').size).toBe(0);
  });
  it("another PC's records (an audit log on a shared folder) are not this PC's history (was: its not-fixed record made this PC skip to a restart)", () => {
    const elsewhere = rec('verified', T0, { outcome: 'not-fixed', who: { user: 'SYSTEM', host: 'OTHER-PC', pid: 1 } });
    expect(openEarlierFixes([elsewhere], T0 + MIN, 'PC').size).toBe(0);
    expect(openEarlierFixes([rec('verified', T0, { outcome: 'not-fixed' })], T0 + MIN, 'pc').size).toBe(1); // host names compare without case
  });
  it('a record from the future (written while a clock was wrong) is ignored: it would hold the ladder for ever (was: awaiting on every run)', () => {
    expect(openEarlierFixes([awaiting(T0 + 365 * 24 * 60 * MIN)], T0, 'PC').size).toBe(0);
    expect(openEarlierFixes([awaiting(T0 + 30_000)], T0, 'PC').size).toBe(1); // seconds of clock skew are fine
  });
  it('other checks and agents are kept apart', () => {
    const open = openEarlierFixes([awaiting(T0), rec('verified', T0 + MIN, { outcome: 'fixed', check: 'cism-running' })], T0 + 2 * MIN, 'PC');
    expect(open.size).toBe(1);
  });
});

describe('pendingRestart', () => {
  const restart = (at: number) => rec('awaiting', at, { risk: 'reboot', remediation: 'reboot-pc', title: 'Restart the PC', outcome: 'awaiting', appliedAt: iso(at), confirmBy: iso(at + 30 * MIN) });
  it('a restart an earlier run scheduled holds automated steps until its confirm-by time', () => {
    expect(pendingRestart(openEarlierFixes([restart(T0)], T0 + 5 * MIN, 'PC'), T0 + 5 * MIN)).toEqual({ title: 'Restart the PC', by: `an earlier run (at ${iso(T0)})` });
    expect(pendingRestart(openEarlierFixes([restart(T0)], T0 + 31 * MIN, 'PC'), T0 + 31 * MIN)).toBeUndefined();
    expect(pendingRestart(openEarlierFixes([awaiting(T0)], T0 + 5 * MIN, 'PC'), T0 + 5 * MIN)).toBeUndefined(); // not a restart
  });
});

describe('judgeEarlierFixes: what the check saw after the step', () => {
  it('a sync after an awaited step, then a new fault: the step worked (confirmed), and the ladder starts afresh (was: "did not fix it", and the next rung was a restart)', () => {
    const agent = agentWith('fail');
    agent.checks[0]!.lastSeenAt = iso(T0 + 10 * MIN); // the sync came after the step ...
    const judged = judgeEarlierFixes([agent], openEarlierFixes([awaiting(T0)], T0 + MIN, 'PC'), T0 + 3 * 60 * MIN); // ... and stopped again
    expect(judged.map((j) => j.verdict)).toEqual(['confirmed']);
    const check = agent.checks[0]!;
    expect(check.earlierFix?.verdict).toBe('confirmed');
    expect(check.state).toBe('fail');
    expect(check.severity).toBe('critical');
    expect(check.evidence[0]).toMatch(/^fix confirmed: "Kill QBW" at \S+ worked \(seen again at \S+\); this failure is new$/);
    expect(resumeAbove(check)).toBeUndefined();
  });
  it('no sync since the step: past its confirm-by time it did not fix it', () => {
    const agent = agentWith('fail');
    agent.checks[0]!.lastSeenAt = iso(T0 - 60 * MIN);
    judgeEarlierFixes([agent], openEarlierFixes([awaiting(T0)], T0 + MIN, 'PC'), T0 + 3 * 60 * MIN);
    expect(agent.checks[0]!.earlierFix?.verdict).toBe('not-confirmed');
  });
  it('a step judged not to work, then a sync anyway: the record closes, the ladder starts afresh', () => {
    const agent = agentWith('fail');
    agent.checks[0]!.lastSeenAt = iso(T0 + 60 * MIN);
    const judged = judgeEarlierFixes([agent], openEarlierFixes([rec('verified', T0, { outcome: 'not-fixed' })], T0 + MIN, 'PC'), T0 + 3 * 60 * MIN);
    expect(judged.map((j) => j.verdict)).toEqual(['passes']);
    expect(agent.checks[0]!.earlierFix).toBeUndefined();
  });
});

describe('judgeEarlierFixes', () => {
  const open = () => openEarlierFixes([awaiting(T0)], T0 + MIN, 'PC');
  it('before its confirm-by time, a failing check is AWAITING (a warning), not a new failure', () => {
    const agent = agentWith('fail');
    expect(judgeEarlierFixes([agent], open(), T0 + 10 * MIN)).toEqual([]);
    expect(agent.checks[0]).toMatchObject({ state: 'awaiting', confirmBy: iso(T0 + 20 * MIN), before: { state: 'fail' } });
    expect(agent.checks[0]!.summary).toMatch(/^Fix applied by an earlier run \("Kill QBW" at 2026-12-03T08:59:45.000Z\), awaiting confirmation by /);
  });
  it('past it and still failing: critical, "did not fix it", and the ladder resumes above that step', () => {
    const agent = agentWith('fail');
    agent.checks[0]!.severity = 'warning';
    const judged = judgeEarlierFixes([agent], open(), T0 + 30 * MIN);
    expect(judged.map((j) => j.verdict)).toEqual(['not-confirmed']);
    expect(agent.checks[0]).toMatchObject({ state: 'fail', severity: 'critical', earlierFix: { verdict: 'not-confirmed' } });
    expect(agent.checks[0]!.summary).toMatch(/^"Kill QBW" at \S+ did not fix it \(no evidence by \S+\): The last CISM sync was 2h ago$/);
    expect(resumeAbove(agent.checks[0]!)).toEqual({ index: 1, title: 'Kill QBW', at: iso(T0 - 15_000) });
  });
  it('a passing check confirms the fix', () => {
    const agent = agentWith('pass');
    expect(judgeEarlierFixes([agent], open(), T0 + 30 * MIN).map((j) => j.verdict)).toEqual(['confirmed']);
    expect(agent.checks[0]!.evidence[0]).toMatch(/^fix confirmed: "Kill QBW" at \S+ worked/);
    expect(resumeAbove(agent.checks[0]!)).toBeUndefined();
  });
  it('a check that could not tell leaves the fix open (nothing is written back)', () => {
    const agent = agentWith('unknown');
    expect(judgeEarlierFixes([agent], open(), T0 + 30 * MIN)).toEqual([]);
    expect(agent.checks[0]).toMatchObject({ state: 'unknown', earlierFix: { verdict: 'undetermined' } });
  });
});
