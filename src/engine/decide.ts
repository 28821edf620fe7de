// The remediation ladder's decisions, as pure functions: no I/O and no clock (time comes in as
// numbers). The executor (ladder.ts) gathers what they need — the plan, the guards' results, a
// person's answer, a re-check — and does what they say. test/engine/decide.test.ts is their table.
import { RISK_ORDER, type CheckStateT, type RiskT } from '../core/report.js';

export type Decision = 'apply' | 'skip' | 'quit';
export type ManualAnswer = 'done' | 'skip' | 'cannot' | 'quit';
export interface RebootChoice {
  choice: 'now' | 'later' | 'no' | 'quit';
  minutes?: number;
}

/** One rung of a check's ladder, as far as deciding goes. */
export interface Rung {
  title: string;
  risk: RiskT;
  /** It has an action the engine can run (not only instructions for a person). */
  automated: boolean;
  /** It restarts the PC. */
  restartsPc: boolean;
  /** It has instructions a person can follow. */
  hasManual: boolean;
  /** The action's plan (what it would do, or why it cannot be done here); undefined until made. */
  plan?: { blocked?: string; nothingToDo: boolean; summary: string };
}

/** What the ladder has seen so far, in this run and in earlier ones. */
export interface LadderSoFar {
  /** The lowest rung of this ladder the machine refused (guard not met, cannot be done safely), or that failed. */
  refusedAt?: { risk: RiskT; title: string; failed?: true };
  /** Checks that can cause this one and are not shown fixed, by title: fix them first. */
  causesNotFixed: readonly string[];
  /** A step of this run that closed and relaunched this agent: a restart waits for its evidence. */
  relaunchedThisRun?: string;
  /** A restart that is scheduled (by this run, or an earlier one whose restart has not shown its evidence yet): it overtakes every automated step. */
  restartScheduled?: { title: string; by: string };
  /** An earlier run's step of this ladder whose evidence did not come by its confirm-by time. */
  notFixedEarlier?: { index: number; title: string; at: string };
  /** This rung's place in the ladder (0-based). */
  index: number;
}

export interface Policy {
  /** A person answers each step (guided repair); else --fix's policy decides. */
  interactive: boolean;
  dryRun: boolean;
  /** The highest risk an unattended run may take (--allow). */
  allow: RiskT;
}

export type Answer = { to: 'confirm'; decision: Decision } | { to: 'reboot'; choice: RebootChoice } | { to: 'manual'; answer: ManualAnswer };

/** The action-record outcomes a rung can end with before anything is applied. */
type Recorded = 'refused' | 'not-allowed' | 'skipped' | 'needs-a-person' | 'planned';

export type RungVerdict =
  /** Write down what happened to this rung and go on to the next. */
  | { then: 'record'; outcome: Recorded; detail: string; audit?: 'refused' | 'manual' | 'skipped'; refuses?: true; recheck?: true }
  /** Make the action's plan (it reads the PC) and decide again with it. */
  | { then: 'plan' }
  /** Evaluate the rung's guards (they read the PC) and decide again with their failures. */
  | { then: 'check-guards' }
  /** Ask the person (or the unattended policy) and decide again with the answer. */
  | { then: 'ask'; ask: 'confirm' | 'reboot' | 'manual' }
  /** Do it (a restart with this delay), then verify. */
  | { then: 'apply'; delay?: string }
  /** A person says they did it: verify. */
  | { then: 'verify-manual' }
  | { then: 'quit' };

export interface RungInput {
  rung: Rung;
  sofar: LadderSoFar;
  policy: Policy;
  /** The guards that did not pass, as "title: summary"; undefined until they are checked. */
  guardsFailed?: readonly string[];
  answer?: Answer;
}

/** What to do with one rung. Called again with `guardsFailed` or `answer` when it asks for them. */
export function decideRung({ rung, sofar, policy, guardsFailed, answer }: RungInput): RungVerdict {
  // An earlier run tried up to this rung and the evidence never came: go on above it.
  const earlier = sofar.notFixedEarlier;
  if (earlier && sofar.index <= earlier.index) {
    const detail =
      sofar.index === earlier.index
        ? `done at ${earlier.at}, and the evidence that it worked never came: going on above it`
        : `passed by an earlier run (which went on to "${earlier.title}")`;
    return { then: 'record', outcome: 'skipped', detail };
  }
  // After a scheduled restart nothing automated is done: the restart would cut it short and no
  // evidence of it could be judged (a second restart would only reschedule the first).
  if (sofar.restartScheduled && rung.automated) {
    const detail = `"${sofar.restartScheduled.title}" is scheduled by ${sofar.restartScheduled.by}; a run after the restart looks again`;
    return { then: 'record', outcome: 'skipped', detail };
  }
  // A refused rung never leads to a riskier one: what made it unsafe makes the riskier one no safer.
  // Nor does a failed one: it showed nothing about the fault, only that the step could not be done.
  if (sofar.refusedAt && RISK_ORDER[rung.risk] > RISK_ORDER[sofar.refusedAt.risk]) {
    const { title, risk, failed } = sofar.refusedAt;
    const detail = failed ? `"${title}" (${risk}) failed, and a riskier step never follows a failed one` : `"${title}" (${risk}) was refused, and a riskier step never follows a refused one`;
    return { then: 'record', outcome: 'refused', detail, audit: 'refused' };
  }
  // The cause first: closing or restarting things does not fix what another check says is the cause.
  if (sofar.causesNotFixed.length && rung.risk !== 'safe') {
    const detail = `its cause is not fixed yet (${sofar.causesNotFixed.map((t) => `"${t}"`).join(', ')}): fix that first`;
    return { then: 'record', outcome: 'refused', detail, audit: 'refused' };
  }
  if (rung.restartsPc && sofar.relaunchedThisRun) {
    const detail = `"${sofar.relaunchedThisRun}" was done in this run; a restart waits until a later run shows whether that worked`;
    return { then: 'record', outcome: 'refused', detail, audit: 'refused' };
  }

  if (rung.automated && rung.risk !== 'irreversible' && !rung.plan) return { then: 'plan' };
  // A person's step: no action, an action that cannot be done here, or one that cannot be undone.
  const blocked = rung.automated ? rung.plan?.blocked : undefined;
  if (!rung.automated || blocked || rung.risk === 'irreversible') {
    // An automated step that cannot be done here (even a safe one) leaves no evidence that a riskier one is needed.
    const refuses = blocked ? ({ refuses: true } as const) : {};
    const why = blocked ?? (rung.risk === 'irreversible' ? 'it cannot be undone: only a person does it' : 'a manual step');
    if (!rung.hasManual) return { then: 'record', outcome: 'needs-a-person', detail: why, ...refuses };
    if (policy.dryRun || !policy.interactive) return { then: 'record', outcome: 'needs-a-person', detail: why, audit: 'manual', ...refuses };
    if (answer?.to !== 'manual') return { then: 'ask', ask: 'manual' };
    switch (answer.answer) {
      case 'quit':
        return { then: 'quit' };
      case 'done':
        return { then: 'verify-manual' };
      case 'skip':
        return { then: 'record', outcome: 'skipped', detail: 'skipped by the technician', audit: 'manual', ...refuses };
      case 'cannot':
        return { then: 'record', outcome: 'needs-a-person', detail: 'the technician could not do it', audit: 'manual', ...refuses };
    }
  }

  // Nothing to do: what the diagnosis saw is gone (another run or a person fixed it). Look again.
  if (rung.plan?.nothingToDo) return { then: 'record', outcome: 'skipped', detail: 'nothing to do', recheck: true };
  // Guards: every one must pass, now, before a change that could hurt someone.
  if (guardsFailed === undefined) return { then: 'check-guards' };
  if (guardsFailed.length) return { then: 'record', outcome: 'refused', detail: `guard not met — ${guardsFailed.join('; ')}`, audit: 'refused', refuses: true };
  // Unattended, the risk must be within --allow; a dry run reports the same decision.
  if (!policy.interactive) {
    const beyond = beyondAllowance(rung, policy.allow);
    if (beyond) return { then: 'record', outcome: 'not-allowed', detail: beyond };
  }
  if (policy.dryRun) return { then: 'record', outcome: 'planned', detail: rung.plan?.summary ?? '' };

  if (rung.restartsPc) {
    if (answer?.to !== 'reboot') return { then: 'ask', ask: 'reboot' };
    switch (answer.choice.choice) {
      case 'quit':
        return { then: 'quit' };
      case 'no':
        return { then: 'record', outcome: 'skipped', detail: 'not now' };
      case 'now':
        return { then: 'apply', delay: '0s' };
      case 'later':
        // No minutes given (unattended): the playbook's own delay, as its author set it.
        return { then: 'apply', ...(answer.choice.minutes !== undefined ? { delay: `${answer.choice.minutes}m` } : {}) };
    }
  }
  if (!policy.interactive) return { then: 'apply' };
  if (answer?.to !== 'confirm') return { then: 'ask', ask: 'confirm' };
  if (answer.decision === 'quit') return { then: 'quit' };
  if (answer.decision === 'skip') return { then: 'record', outcome: 'skipped', detail: 'declined by the technician', audit: 'skipped' };
  return { then: 'apply' };
}

/**
 * A person took their time to answer: why the step must not be done now after all, or undefined.
 * It is planned and guarded again with fresh facts; what the person approved must still be what it
 * does (a pid they saw may belong to another program by now).
 */
export function changedSinceApproval(approved: readonly (readonly string[])[], now: { blocked?: string; commands: readonly (readonly string[])[] }, guardsFailed: readonly string[]): string | undefined {
  if (now.blocked) return `while the answer was awaited it became impossible: ${now.blocked}`;
  if (guardsFailed.length) return `while the answer was awaited a guard stopped holding — ${guardsFailed.join('; ')}`;
  if (JSON.stringify(approved) !== JSON.stringify(now.commands)) return 'while the answer was awaited, what it would do changed (the processes are not the ones shown): run the repair again';
  return undefined;
}

/** Why an unattended run may not take this rung, or undefined when --allow covers it. */
export function beyondAllowance(rung: Pick<Rung, 'risk' | 'restartsPc'>, allow: RiskT): string | undefined {
  if (rung.restartsPc) return allow === 'reboot' ? undefined : 'a restart needs --allow reboot';
  return RISK_ORDER[rung.risk] > RISK_ORDER[allow] ? `risk ${rung.risk} needs --allow ${rung.risk}` : undefined;
}

/**
 * When the evidence of a step can show, in ms since the epoch. `settleUntil`: a quick result (a
 * process or service starting); `confirmBy`: the check's own evidence (the agent's next sync, the
 * Web Connector's next Auto-Run); `runEndsAt`: when this run must stop waiting.
 */
export interface EvidenceTimes {
  settleUntil: number;
  confirmBy: number;
  runEndsAt: number;
}

export type AfterCheck =
  /** The check passes: fixed. */
  | { then: 'fixed' }
  /** Look again in a moment. */
  | { then: 'wait' }
  /** The evidence cannot come within this run: the check is "awaiting" until confirmBy; the ladder stops. */
  | { then: 'awaiting'; confirmBy: number }
  /** The evidence had its time and the check still fails: the next rung may follow. */
  | { then: 'not-fixed' };

/** After a step was applied (or done by a person): the re-checked state at `now` → what next. */
export function decideAfterCheck(state: CheckStateT, times: EvidenceTimes, now: number): AfterCheck {
  if (state === 'pass') return { then: 'fixed' };
  const inRun = times.confirmBy <= times.runEndsAt;
  // Wait for the whole evidence window when it fits in the run, else only for the quick result.
  const waitUntil = inRun ? times.confirmBy : Math.min(times.settleUntil, times.runEndsAt);
  if (now < waitUntil) return { then: 'wait' };
  // A check that could not tell is no evidence either way: never climb on it; a later run judges.
  if (inRun && (state === 'fail' || state === 'warn')) return { then: 'not-fixed' };
  return { then: 'awaiting', confirmBy: times.confirmBy };
}

/**
 * After a restart, what shows it worked can only begin once the PC is back: Windows up, the sync
 * user logged on, the agent started. This much is allowed for that on top of the step's own window.
 */
export const RESTART_ALLOWANCE_MS = 15 * 60_000;

/**
 * When a scheduled restart's evidence is due (ms since the epoch): it fires `restartInMs` after
 * `appliedAt` (at once when not known), then the PC comes back, then the check's own window runs.
 * Until then later runs only wait; after it, a check still failing says the restart did not fix it.
 */
export function restartConfirmBy(appliedAt: number, restartInMs: number | undefined, windowMs: number | undefined): number {
  return appliedAt + Math.max(0, restartInMs ?? 0) + RESTART_ALLOWANCE_MS + Math.max(0, windowMs ?? 0);
}

export type EarlierFixVerdict = 'confirmed' | 'awaiting' | 'not-confirmed' | 'undetermined';

/**
 * A later run's judgement of a step an earlier run applied, from the check's state now and whether
 * what the check looks for was seen after the step (a sync after the relaunch: it worked, and a
 * failure now is a new fault).
 */
export function judgeEarlierFix(state: CheckStateT, confirmBy: number, now: number, seenSinceStep = false): EarlierFixVerdict {
  if (state === 'pass' || seenSinceStep) return 'confirmed';
  if (state === 'fail' || state === 'warn') return now < confirmBy ? 'awaiting' : 'not-confirmed';
  return 'undetermined';
}

/** A source of evidence for a step, and how long it can take to show. */
export interface EvidenceSource {
  withinMs: number;
  what: string;
}

/**
 * What shows that a step worked, and how long it can take: the longest of the action's settle time
 * (a program or service starting), the playbook's `evidence` (the agent's next sync) and what the
 * check's probe read on the PC (the Web Connector's Auto-Run interval). None: verified at once.
 */
export function evidenceWindow(sources: readonly (EvidenceSource | undefined)[]): EvidenceSource | undefined {
  let best: EvidenceSource | undefined;
  for (const s of sources) if (s && s.withinMs > 0 && (!best || s.withinMs > best.withinMs)) best = s;
  return best;
}
