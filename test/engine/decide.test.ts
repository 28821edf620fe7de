// The ladder's decisions as a table, in the style of ESLint's RuleTester: each row is an input (the
// rung, what the ladder saw so far, the policy, the guards' results, an answer) and the one verdict
// the pure decision must give. No I/O, no clock: time is a number in the row.
import { describe, expect, it } from 'vitest';
import {
  changedSinceApproval,
  decideAfterCheck,
  decideRung,
  evidenceWindow,
  restartConfirmBy,
  RESTART_ALLOWANCE_MS,
  judgeEarlierFix,
  type AfterCheck,
  type EvidenceTimes,
  type LadderSoFar,
  type Policy,
  type Rung,
  type RungInput,
  type RungVerdict,
} from '../../src/engine/decide.js';
import type { CheckStateT } from '../../src/core/report.js';

const KILL: Rung = { title: 'Kill QBW', risk: 'disruptive', automated: true, restartsPc: false, hasManual: true };
const PLANNED = { nothingToDo: false, summary: 'close QBW32.EXE (pid 4120) of frontdesk in session 1' };
const KILL_PLANNED: Rung = { ...KILL, plan: PLANNED };
const RESTART: Rung = { title: 'Restart the PC', risk: 'reboot', automated: true, restartsPc: true, hasManual: true, plan: { nothingToDo: false, summary: 'restart in 15 min' } };
const START: Rung = { title: 'Start the agent', risk: 'safe', automated: true, restartsPc: false, hasManual: true, plan: { nothingToDo: false, summary: 'start agent.exe' } };
const MANUAL: Rung = { title: 'Ask the other person to close QuickBooks', risk: 'safe', automated: false, restartsPc: false, hasManual: true };
const DELETE: Rung = { title: 'Delete the stuck session', risk: 'irreversible', automated: false, restartsPc: false, hasManual: true };

const FIX: Policy = { interactive: false, dryRun: false, allow: 'disruptive' };
const FIX_REBOOT: Policy = { ...FIX, allow: 'reboot' };
const DRY: Policy = { interactive: false, dryRun: true, allow: 'reboot' };
const PERSON: Policy = { interactive: true, dryRun: false, allow: 'safe' };
const FRESH: LadderSoFar = { index: 1, causesNotFixed: [] };

interface Row {
  name: string;
  /** The outcome of issue 13's list this row shows (rows without one show a rule around them). */
  outcome?: string;
  input: Partial<RungInput> & { rung: Rung };
  expected: RungVerdict;
}

const rows: Row[] = [
  { name: 'an action that is not planned yet asks for its plan', input: { rung: KILL, policy: FIX }, expected: { then: 'plan' } },
  {
    name: 'blocked: an action that cannot be done here is a manual step, and refuses riskier rungs',
    outcome: 'blocked',
    input: { rung: { ...KILL, plan: { blocked: 'the owner of QBW32.EXE (pid 4120) could not be read', nothingToDo: false, summary: '' } }, policy: FIX },
    expected: { then: 'record', outcome: 'needs-a-person', detail: 'the owner of QBW32.EXE (pid 4120) could not be read', audit: 'manual', refuses: true },
  },
  {
    name: 'a blocked safe step holds the riskier rungs above it too (no evidence they are needed; was: a restart could follow)',
    input: { rung: { ...START, plan: { blocked: 'not configured (cism.exePath)', nothingToDo: false, summary: '' } }, policy: FIX },
    expected: { then: 'record', outcome: 'needs-a-person', detail: 'not configured (cism.exePath)', audit: 'manual', refuses: true },
  },
  { name: 'nothing to do', outcome: 'nothing to do', input: { rung: { ...KILL, plan: { nothingToDo: true, summary: '' } }, policy: FIX }, expected: { then: 'record', outcome: 'skipped', detail: 'nothing to do', recheck: true } },
  { name: 'guards are checked before anything is done', input: { rung: KILL_PLANNED, policy: FIX }, expected: { then: 'check-guards' } },
  {
    name: 'guard refused',
    outcome: 'guard refused',
    input: { rung: KILL_PLANNED, policy: FIX, guardsFailed: ['Nobody is working in QuickBooks: bookkeeper has QuickBooks open'] },
    expected: { then: 'record', outcome: 'refused', detail: 'guard not met — Nobody is working in QuickBooks: bookkeeper has QuickBooks open', audit: 'refused', refuses: true },
  },
  {
    name: 'beyond --allow',
    outcome: 'beyond --allow',
    input: { rung: KILL_PLANNED, policy: { ...FIX, allow: 'safe' }, guardsFailed: [] },
    expected: { then: 'record', outcome: 'not-allowed', detail: 'risk disruptive needs --allow disruptive' },
  },
  {
    name: 'a restart needs --allow reboot, whatever else is allowed',
    input: { rung: RESTART, policy: FIX, guardsFailed: [] },
    expected: { then: 'record', outcome: 'not-allowed', detail: 'a restart needs --allow reboot' },
  },
  { name: 'dry run', outcome: 'dry run', input: { rung: KILL_PLANNED, policy: DRY, guardsFailed: [] }, expected: { then: 'record', outcome: 'planned', detail: PLANNED.summary } },
  { name: 'unattended within --allow: apply', input: { rung: KILL_PLANNED, policy: FIX, guardsFailed: [] }, expected: { then: 'apply' } },
  { name: 'a restart asks (the unattended policy answers "later")', input: { rung: RESTART, policy: FIX_REBOOT, guardsFailed: [] }, expected: { then: 'ask', ask: 'reboot' } },
  { name: 'restart now', outcome: 'restart now', input: { rung: RESTART, policy: PERSON, guardsFailed: [], answer: { to: 'reboot', choice: { choice: 'now' } } }, expected: { then: 'apply', delay: '0s' } },
  {
    name: 'restart later',
    outcome: 'restart later',
    input: { rung: RESTART, policy: PERSON, guardsFailed: [], answer: { to: 'reboot', choice: { choice: 'later', minutes: 15 } } },
    expected: { then: 'apply', delay: '15m' },
  },
  {
    name: "an unattended restart keeps the playbook's delay (was: always 15 minutes)",
    input: { rung: RESTART, policy: FIX_REBOOT, guardsFailed: [], answer: { to: 'reboot', choice: { choice: 'later' } } },
    expected: { then: 'apply' },
  },
  { name: 'restart no', outcome: 'restart no', input: { rung: RESTART, policy: PERSON, guardsFailed: [], answer: { to: 'reboot', choice: { choice: 'no' } } }, expected: { then: 'record', outcome: 'skipped', detail: 'not now' } },
  { name: 'a person is asked before a step', input: { rung: KILL_PLANNED, policy: PERSON, guardsFailed: [] }, expected: { then: 'ask', ask: 'confirm' } },
  {
    name: 'declined',
    outcome: 'declined',
    input: { rung: KILL_PLANNED, policy: PERSON, guardsFailed: [], answer: { to: 'confirm', decision: 'skip' } },
    expected: { then: 'record', outcome: 'skipped', detail: 'declined by the technician', audit: 'skipped' },
  },
  { name: 'a person says yes', input: { rung: KILL_PLANNED, policy: PERSON, guardsFailed: [], answer: { to: 'confirm', decision: 'apply' } }, expected: { then: 'apply' } },
  { name: 'a person stops the repair', input: { rung: KILL_PLANNED, policy: PERSON, guardsFailed: [], answer: { to: 'confirm', decision: 'quit' } }, expected: { then: 'quit' } },
  {
    name: 'cause not yet fixed: a disruptive rung of the symptom is refused',
    outcome: 'cause not yet fixed',
    input: { rung: KILL, policy: FIX, sofar: { ...FRESH, causesNotFixed: ['QuickBooks is not held by another user on this PC'] } },
    expected: { then: 'record', outcome: 'refused', detail: 'its cause is not fixed yet ("QuickBooks is not held by another user on this PC"): fix that first', audit: 'refused' },
  },
  {
    name: "a failing cause leaves the symptom's safe rungs alone",
    input: { rung: MANUAL, policy: FIX, sofar: { ...FRESH, causesNotFixed: ['QuickBooks is not held by another user on this PC'] } },
    expected: { then: 'record', outcome: 'needs-a-person', detail: 'a manual step', audit: 'manual' },
  },
  {
    name: 'not confirmed by the next run: the step that did not fix it is not tried again',
    outcome: 'not confirmed by the next run',
    input: { rung: KILL_PLANNED, policy: FIX, sofar: { ...FRESH, index: 1, notFixedEarlier: { index: 1, title: 'Kill QBW', at: '2026-12-03T09:00:00.000Z' } } },
    expected: { then: 'record', outcome: 'skipped', detail: 'done at 2026-12-03T09:00:00.000Z, and the evidence that it worked never came: going on above it' },
  },
  {
    name: 'rungs below the one that did not fix it are passed too',
    input: { rung: MANUAL, policy: FIX, sofar: { ...FRESH, index: 0, notFixedEarlier: { index: 1, title: 'Kill QBW', at: '2026-12-03T09:00:00.000Z' } } },
    expected: { then: 'record', outcome: 'skipped', detail: 'passed by an earlier run (which went on to "Kill QBW")' },
  },
  {
    name: 'the rung above the one that did not fix it goes ahead (to its guards)',
    input: { rung: RESTART, policy: FIX_REBOOT, sofar: { ...FRESH, index: 2, notFixedEarlier: { index: 1, title: 'Kill QBW', at: '2026-12-03T09:00:00.000Z' } } },
    expected: { then: 'check-guards' },
  },
  {
    name: 'a refused rung holds every riskier one',
    input: { rung: RESTART, policy: FIX_REBOOT, sofar: { ...FRESH, refusedAt: { risk: 'disruptive', title: 'Kill QBW' } } },
    expected: { then: 'record', outcome: 'refused', detail: '"Kill QBW" (disruptive) was refused, and a riskier step never follows a refused one', audit: 'refused' },
  },
  {
    name: 'a failed rung holds every riskier one too',
    input: { rung: RESTART, policy: FIX_REBOOT, sofar: { ...FRESH, refusedAt: { risk: 'disruptive', title: 'Kill QBW', failed: true } } },
    expected: { then: 'record', outcome: 'refused', detail: '"Kill QBW" (disruptive) failed, and a riskier step never follows a failed one', audit: 'refused' },
  },
  {
    name: 'a refused rung does not hold one of the same risk',
    input: { rung: KILL_PLANNED, policy: FIX, sofar: { ...FRESH, refusedAt: { risk: 'disruptive', title: 'Restart the service' } } },
    expected: { then: 'check-guards' },
  },
  {
    name: 'a restart never follows a relaunch of the same agent in the same run',
    input: { rung: RESTART, policy: FIX_REBOOT, sofar: { ...FRESH, relaunchedThisRun: 'Kill QBW' } },
    expected: { then: 'record', outcome: 'refused', detail: '"Kill QBW" was done in this run; a restart waits until a later run shows whether that worked', audit: 'refused' },
  },
  {
    name: 'after a restart this run scheduled, no automated step follows (not even another restart)',
    input: { rung: RESTART, policy: FIX_REBOOT, sofar: { ...FRESH, restartScheduled: { title: 'Restart the PC', by: 'this run' } } },
    expected: { then: 'record', outcome: 'skipped', detail: '"Restart the PC" is scheduled by this run; a run after the restart looks again' },
  },
  {
    name: 'after a scheduled restart, a relaunch is not done either',
    input: { rung: KILL_PLANNED, policy: FIX, sofar: { ...FRESH, restartScheduled: { title: 'Restart the PC', by: 'this run' } } },
    expected: { then: 'record', outcome: 'skipped', detail: '"Restart the PC" is scheduled by this run; a run after the restart looks again' },
  },
  {
    name: 'after a scheduled restart, a person is still shown a manual step',
    input: { rung: MANUAL, policy: PERSON, sofar: { ...FRESH, restartScheduled: { title: 'Restart the PC', by: 'this run' } } },
    expected: { then: 'ask', ask: 'manual' },
  },
  {
    name: 'irreversible steps are only ever a person\'s, even when automated by mistake and everything is allowed',
    input: { rung: { ...DELETE, automated: true }, policy: FIX_REBOOT },
    expected: { then: 'record', outcome: 'needs-a-person', detail: 'it cannot be undone: only a person does it', audit: 'manual' },
  },
  { name: 'a person is asked to do a manual step', input: { rung: DELETE, policy: PERSON }, expected: { then: 'ask', ask: 'manual' } },
  { name: 'a person did it: verify', input: { rung: MANUAL, policy: PERSON, answer: { to: 'manual', answer: 'done' } }, expected: { then: 'verify-manual' } },
  {
    name: 'a person could not do it',
    input: { rung: MANUAL, policy: PERSON, answer: { to: 'manual', answer: 'cannot' } },
    expected: { then: 'record', outcome: 'needs-a-person', detail: 'the technician could not do it', audit: 'manual' },
  },
  { name: 'a manual step in a dry run is left for a person', input: { rung: MANUAL, policy: DRY }, expected: { then: 'record', outcome: 'needs-a-person', detail: 'a manual step', audit: 'manual' } },
];

describe('decideRung: one rung of a ladder', () => {
  for (const row of rows) {
    it(row.name, () => {
      const input: RungInput = { sofar: FRESH, policy: FIX, ...row.input };
      expect(decideRung(input)).toEqual(row.expected);
    });
  }
});

const T0 = Date.parse('2026-12-03T09:00:00Z');
const MIN = 60_000;
/** Applied at T0: a program shows within 15 s; the next sync within 20 min. */
const times = (runMinutes: number): EvidenceTimes => ({ settleUntil: T0 + 15_000, confirmBy: T0 + 20 * MIN, runEndsAt: T0 + runMinutes * MIN });

const afterRows: { name: string; outcome?: string; state: CheckStateT; times: EvidenceTimes; now: number; expected: AfterCheck }[] = [
  { name: 'fixed: the check passes', outcome: 'fixed', state: 'pass', times: times(5), now: T0 + 3000, expected: { then: 'fixed' } },
  { name: 'the evidence fits in the run: keep looking until its window ends', state: 'fail', times: times(30), now: T0 + 10 * MIN, expected: { then: 'wait' } },
  { name: 'the evidence fits in the run and its window has ended: not fixed, the next rung may follow', state: 'fail', times: times(30), now: T0 + 20 * MIN, expected: { then: 'not-fixed' } },
  { name: 'the evidence cannot come within the run: look for the quick result only', state: 'fail', times: times(5), now: T0 + 5000, expected: { then: 'wait' } },
  {
    name: 'awaiting confirmation: the evidence cannot come within the run, and the quick look is over',
    outcome: 'awaiting confirmation',
    state: 'fail',
    times: times(5),
    now: T0 + 15_000,
    expected: { then: 'awaiting', confirmBy: T0 + 20 * MIN },
  },
  { name: 'the run ends before the quick look does: awaiting', state: 'fail', times: { ...times(5), runEndsAt: T0 + 10_000 }, now: T0 + 10_000, expected: { then: 'awaiting', confirmBy: T0 + 20 * MIN } },
  { name: 'a re-check that could not tell never makes the ladder climb', state: 'unknown', times: times(30), now: T0 + 20 * MIN, expected: { then: 'awaiting', confirmBy: T0 + 20 * MIN } },
];

describe('decideAfterCheck: after a step, what the re-check means', () => {
  for (const row of afterRows) it(row.name, () => expect(decideAfterCheck(row.state, row.times, row.now)).toEqual(row.expected));
});

describe('judgeEarlierFix: the next run judges an awaited fix', () => {
  const by = T0 + 20 * MIN;
  it.each([
    ['pass', T0 + 5 * MIN, 'confirmed'],
    ['pass', T0 + 60 * MIN, 'confirmed'],
    ['fail', T0 + 5 * MIN, 'awaiting'],
    ['warn', T0 + 19 * MIN, 'awaiting'],
    ['fail', by, 'not-confirmed'],
    ['fail', T0 + 60 * MIN, 'not-confirmed'],
    ['unknown', T0 + 60 * MIN, 'undetermined'],
    ['skip', T0 + 60 * MIN, 'undetermined'],
  ] as const)('%s at +%s ms → %s', (state, now, expected) => expect(judgeEarlierFix(state, by, now)).toBe(expected));
  it.each([
    ['fail', T0 + 60 * MIN],
    ['unknown', T0 + 60 * MIN],
    ['fail', T0 + 5 * MIN],
  ] as const)('%s at +%s ms, but what the check looks for was seen after the step → confirmed (a failure now is a new fault)', (state, now) =>
    expect(judgeEarlierFix(state, by, now, true)).toBe('confirmed'),
  );
});

describe('evidenceWindow: what shows a step worked, and how long it can take', () => {
  const settle = { withinMs: 15_000, what: 'the check passes once the program is up' };
  const sync = { withinMs: 20 * MIN, what: "CISM's next sync" };
  it('the longest source wins', () => expect(evidenceWindow([settle, sync, undefined])).toEqual(sync));
  it('no source: verified at once', () => expect(evidenceWindow([undefined, { withinMs: 0, what: 'x' }])).toBeUndefined());
});

describe('changedSinceApproval: a person answered; is the step still what they approved?', () => {
  const kill = [['taskkill', '/pid', '3804', '/t', '/f']];
  it.each([
    ['the same commands, guards hold: go ahead', { commands: kill }, [], undefined],
    ['other commands (the pid they saw is gone)', { commands: [] }, [], 'while the answer was awaited, what it would do changed (the processes are not the ones shown): run the repair again'],
    ['a guard stopped holding', { commands: kill }, ['Nobody is in QuickBooks: QBW32.EXE is open'], 'while the answer was awaited a guard stopped holding — Nobody is in QuickBooks: QBW32.EXE is open'],
    ['it became impossible', { commands: [], blocked: 'owners unknown' }, [], 'while the answer was awaited it became impossible: owners unknown'],
  ] as const)('%s', (_name, now, guards, expected) => expect(changedSinceApproval(kill, now, guards)).toBe(expected));
});

describe('restartConfirmBy: when a scheduled restart has had its chance to show', () => {
  it.each([
    ['in 15 min, the check\'s window 20 min', 15 * MIN, 20 * MIN, T0 + 15 * MIN + RESTART_ALLOWANCE_MS + 20 * MIN],
    ['now, no window of its own', 0, undefined, T0 + RESTART_ALLOWANCE_MS],
    ['scheduled by someone else (when unknown)', undefined, 20 * MIN, T0 + RESTART_ALLOWANCE_MS + 20 * MIN],
    ['a negative delay counts as now', -5 * MIN, undefined, T0 + RESTART_ALLOWANCE_MS],
  ] as const)('%s', (_name, inMs, windowMs, expected) => expect(restartConfirmBy(T0, inMs, windowMs)).toBe(expected));
  it('allows time for the PC to come back and the agent to start', () => expect(RESTART_ALLOWANCE_MS).toBeGreaterThanOrEqual(10 * MIN));
});

describe('the table covers every outcome the ladder can have', () => {
  it('blocked, nothing to do, guard refused, beyond --allow, dry run, restart now/later/no, declined, fixed, awaiting confirmation, cause not yet fixed, not confirmed by the next run', () => {
    const covered = new Set([...rows, ...afterRows].flatMap((r) => (r.outcome ? [r.outcome] : [])));
    expect([...covered].sort()).toEqual(
      ['blocked', 'nothing to do', 'guard refused', 'beyond --allow', 'dry run', 'restart now', 'restart later', 'restart no', 'declined', 'fixed', 'awaiting confirmation', 'cause not yet fixed', 'not confirmed by the next run'].sort(),
    );
  });
});
