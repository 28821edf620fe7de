// The remediation ladder's executor: for each failing check, its steps in order. What to do with a
// step is decided by the pure functions of decide.ts; this file only gathers what they ask for (the
// plan, the guards' results, a person's answer, a re-check) and does the I/O: apply, audit, record.
// Actions never prompt; consent comes from a Consent (a person at a terminal, or --fix/--allow).
import { errorMessage } from '../core/errors.js';
import { waitOrAbort } from '../core/wait.js';
import { type ActionRecord, type AgentResult, type CheckResult, type RemediationResult, type Report, type RiskT } from '../core/report.js';
import type { AuditLog, AuditRecord } from '../host/audit.js';
import type { HostFacts } from '../host/facts.js';
import type { Host } from '../host/host.js';
import type { ResolvedPlaybook, ResolvedRemediation } from '../playbook/resolve.js';
import type { Asker } from '../probes/probe.js';
import type { ActionDef, ActionPlan, ApplyResult } from '../actions/action.js';
import { changedSinceApproval, decideAfterCheck, decideRung, restartConfirmBy, type AfterCheck, type Answer, type Decision, type EvidenceTimes, type LadderSoFar, type ManualAnswer, type RebootChoice, type Rung, type RungVerdict } from './decide.js';
import { causeOrder, causesIn, causesNotFixed } from './causes.js';
import { resumeAbove, type Judged } from './earlier.js';
import { evaluateCheck, finishAgent, finishReport } from './run.js';
import { needsRepair } from './status.js';

/** What a person (or the unattended policy) is shown before a step. */
export interface StepView {
  agent: string;
  check: CheckResult;
  step: RemediationResult;
  why?: string;
  plan?: ActionPlan;
  index: number;
  of: number;
}

export type { Decision, ManualAnswer, RebootChoice };

export interface Consent {
  /** An automated step within the allowed risk: do it? */
  confirm(view: StepView): Promise<Decision>;
  /** A reboot step: now, in N minutes, or not now. */
  reboot(view: StepView): Promise<RebootChoice>;
  /** A step only a person can do. */
  manual(view: StepView): Promise<ManualAnswer>;
  /** The highest risk this consent may take without asking (unattended: --allow). */
  readonly allow: RiskT;
  /** A person answers (interactive repair), or a policy decides (--fix). */
  readonly interactive: boolean;
}

export interface LadderOptions {
  report: Report;
  playbooks: ResolvedPlaybook[];
  host: Host;
  /** Fresh facts for each step: what the diagnosis read may no longer be true. */
  newFacts(): HostFacts;
  consent: Consent;
  audit?: AuditLog;
  dryRun: boolean;
  /** Progress lines (stderr, or the terminal in an interactive repair). */
  say(line: string): void;
  signal: AbortSignal;
  /** True when the person asked to stop (Ctrl-C between prompts): stop before the next step. */
  stop?: () => boolean;
  asker?: Asker;
  /** When the run must stop waiting for evidence (its deadline, less time to write the report); ms since the epoch. */
  runEndsAt?: number;
  /** The time, injectable for tests (default Date.now). */
  clock?: () => number;
  /** Earlier fixes this run judged from the audit log: written back to it before anything else. */
  judged?: readonly Judged[];
  /** A restart an earlier run scheduled whose evidence is still awaited: nothing automated is done meanwhile. */
  restartPending?: { title: string; by: string };
}

class Quit extends Error {}

/** Walks every failing check's ladder; returns the report updated with what was done. */
export async function runLadders(opts: LadderOptions): Promise<Report> {
  const { report } = opts;
  const memory: RunMemory = { relaunched: new Map(), ...(opts.restartPending ? { restartScheduled: opts.restartPending } : {}) };
  for (const j of opts.judged ?? []) {
    await opts.audit?.append({ phase: 'confirmation', agent: j.agent, check: j.check, remediation: j.fix.remediation, title: j.fix.title, action: null, outcome: j.verdict, detail: `judged the step of ${j.fix.at}` });
  }
  try {
    for (const agent of report.agents) {
      const pb = opts.playbooks.find((p) => p.spec.id === agent.id);
      if (!pb) continue;
      // Causes first: a symptom's ladder sees whether its causes were fixed.
      for (const check of causeOrder(agent.checks, causesIn(pb))) {
        if (!needsRepair(check)) continue;
        if (opts.signal.aborted) throw new Quit();
        await walkLadder(agent, pb, check, opts, memory);
      }
      finishAgent(agent, pb);
    }
  } catch (err) {
    if (!(err instanceof Quit)) throw err;
    opts.say('Stopped: nothing more is done.');
    for (const agent of report.agents) {
      const pb = opts.playbooks.find((p) => p.spec.id === agent.id);
      if (pb) finishAgent(agent, pb);
    }
  }
  return finishReport(report, opts.playbooks.length);
}

/** What one run remembers across ladders: the agents it closed and relaunched, and by which step; the restart it scheduled. */
interface RunMemory {
  relaunched: Map<string, string>;
  restartScheduled?: { title: string; by: string };
}

async function walkLadder(agent: AgentResult, pb: ResolvedPlaybook, check: CheckResult, opts: LadderOptions, memory: RunMemory): Promise<void> {
  const steps = check.remediations;
  opts.say(`\n${check.title}: ${check.summary}`);
  const policy = { interactive: opts.consent.interactive, dryRun: opts.dryRun, allow: opts.consent.allow };
  /** The lowest rung the machine refused (a guard not met, or an action that cannot be done safely here). */
  let refusedAt: LadderSoFar['refusedAt'];
  // Neither changes while this check's own steps run: its causes' states, an earlier run's verdict.
  const causesPending = causesNotFixed(check.id, agent.checks, causesIn(pb));
  const earlier = resumeAbove(check);
  for (let i = 0; i < steps.length; i++) {
    if (opts.stop?.() || opts.signal.aborted) throw new Quit();
    const step = steps[i]!;
    const rem = pb.remediations.get(step.id);
    const action = rem?.action && rem.action.id !== 'manual' ? rem.action : undefined;
    const view: StepView = { agent: agent.id, check, step, index: i + 1, of: steps.length, ...(rem?.spec.why ? { why: rem.spec.why } : {}) };
    const record = (outcome: ActionRecord['outcome'], detail?: string, commands?: string[][]) => {
      opts.report.actions.push({
        at: new Date(now(opts)).toISOString(),
        agent: agent.id,
        check: check.id,
        remediation: step.id,
        action: step.action ?? 'manual',
        outcome,
        risk: step.risk,
        ...(detail ? { detail } : {}),
        ...(commands?.length ? { commands } : {}),
      });
      step.outcome = detail ? `${outcome}: ${detail}` : outcome;
    };
    const audit = (phase: AuditRecord['phase'], extra: Partial<Pick<AuditRecord, 'plan' | 'commands' | 'outcome' | 'detail' | 'confirmBy' | 'appliedAt'>> = {}) =>
      opts.audit?.append({ phase, agent: agent.id, check: check.id, remediation: step.id, title: step.title, action: step.action ?? null, risk: step.risk, ...extra });

    // Ask the pure decision what to do, giving it what it asks for (the plan, the guards, an answer).
    let facts = opts.newFacts();
    const rung: Rung = { title: step.title, risk: step.risk, automated: action !== undefined, restartsPc: step.risk === 'reboot' || action?.id === 'reboot', hasManual: step.manual.length > 0 };
    const relaunched = memory.relaunched.get(agent.id);
    const sofar: LadderSoFar = {
      index: i,
      causesNotFixed: causesPending,
      ...(refusedAt ? { refusedAt } : {}),
      ...(relaunched ? { relaunchedThisRun: relaunched } : {}),
      ...(memory.restartScheduled ? { restartScheduled: memory.restartScheduled } : {}),
      ...(earlier ? { notFixedEarlier: earlier } : {}),
    };
    let plan: ActionPlan | undefined;
    let guardsFailed: string[] | undefined;
    let answer: Answer | undefined;
    let verdict: RungVerdict;
    for (;;) {
      verdict = decideRung({ rung, sofar, policy, ...(guardsFailed ? { guardsFailed } : {}), ...(answer ? { answer } : {}) });
      if (verdict.then === 'plan') {
        plan = await makePlan(rem!, action!, facts);
        view.plan = plan;
        rung.plan = { ...(plan.blocked ? { blocked: plan.blocked } : {}), nothingToDo: plan.steps.length === 0 && plan.commands.length === 0, summary: plan.steps.join('; ') };
      } else if (verdict.then === 'check-guards') {
        guardsFailed = await failedGuards(pb, step.guards, facts, opts);
      } else if (verdict.then === 'ask') {
        answer = await ask(verdict.ask, view, opts.consent);
      } else break;
    }
    // A person answered, perhaps minutes later: plan and guard again on fresh facts before acting.
    if (verdict.then === 'apply' && answer && action) {
      facts = opts.newFacts();
      const now = await makePlan(rem!, action, facts);
      const changed = changedSinceApproval(plan?.commands ?? [], now, await failedGuards(pb, step.guards, facts, opts));
      if (changed) verdict = { then: 'record', outcome: 'refused', detail: changed, audit: 'refused', refuses: true };
    }

    if (verdict.then === 'quit') throw new Quit();
    if (verdict.then === 'record') {
      if (verdict.refuses) refusedAt ??= { risk: step.risk, title: step.title };
      if (verdict.outcome === 'refused') opts.say(`  Not trying "${step.title}": ${verdict.detail}`);
      if (verdict.outcome === 'planned') opts.say(`  Would ${step.title} [${step.risk}]: ${verdict.detail}`);
      record(verdict.outcome, verdict.detail, verdict.outcome === 'planned' ? plan?.commands : undefined);
      if (verdict.audit) await audit(verdict.audit, { ...(plan?.steps.length ? { plan: plan.steps } : {}), outcome: verdict.outcome, detail: verdict.detail });
      if (verdict.recheck) {
        // The report shows the PC as it is now, not as the diagnosis saw it before someone else fixed it.
        const now = await evaluate(pb, check.id, opts);
        if (now.state === 'pass') {
          showNow(check, now, `${now.summary} (it passes now; this run did nothing)`);
          step.outcome = 'skipped: nothing to do: the check passes now';
          opts.say(`  Nothing to do: ${now.summary}`);
          return;
        }
      }
      continue;
    }

    const appliedAt = now(opts);
    if (verdict.then === 'verify-manual') {
      step.applied = true;
      record('done-by-technician');
      await audit('manual', { outcome: 'done' });
    } else {
      const params = { ...(rem!.params as Record<string, unknown>), ...(verdict.delay ? { delay: verdict.delay } : {}) };
      await audit('intent', { plan: plan?.steps ?? [], commands: plan?.commands ?? [] });
      opts.say(`  Doing: ${step.title}`);
      let result: ApplyResult;
      try {
        result = await action!.apply(params as never, {
          host: opts.host,
          facts,
          signal: opts.signal,
          progress: (m) => opts.say(`    ${m}`),
          recheck: async (id) => evaluate(pb, id, opts, { ask: true }),
        });
      } catch (err) {
        result = { ok: false, detail: errorMessage(err) };
      }
      await audit('outcome', { outcome: result.ok ? 'applied' : 'failed', detail: result.detail });
      step.applied = result.ok;
      if (!result.ok) {
        refusedAt ??= { risk: step.risk, title: step.title, failed: true };
        opts.say(`  Failed: ${result.detail}`);
        record('failed', result.detail, plan?.commands);
        continue;
      }
      if (action!.relaunchesAgent) memory.relaunched.set(agent.id, step.title);
      if (result.rebootPending) {
        // Re-checking now would only see the old state. A later run judges the restart by the
        // check's own evidence once the PC is back, and meanwhile climbs no further: without this,
        // every run after the restart would start the ladder again and restart the PC again.
        const by = new Date(restartConfirmBy(appliedAt, result.restartInMs, step.confirm?.withinMs)).toISOString();
        opts.report.rebootRequired = true;
        memory.restartScheduled = { title: step.title, by: 'this run' };
        record('applied', `${result.detail}; the first run after ${by} judges whether it worked`, plan?.commands);
        opts.say(`  ${result.detail}`);
        await audit('awaiting', { outcome: 'awaiting', detail: result.detail, confirmBy: by, appliedAt: new Date(appliedAt).toISOString() });
        return;
      }
      record('applied', result.detail, plan?.commands);
    }
    // Re-check until the evidence can have come: quick results by the settle time, the check's own
    // evidence (the next sync) by the end of the step's evidence window.
    const settleMs = verdict.then === 'apply' ? action!.settleMs ?? 0 : 0;
    const windowMs = Math.max(settleMs, step.confirm?.withinMs ?? 0);
    const times: EvidenceTimes = { settleUntil: appliedAt + settleMs, confirmBy: appliedAt + windowMs, runEndsAt: opts.runEndsAt ?? Number.POSITIVE_INFINITY };
    const { after, again } = await verify(pb, check, opts, times);
    if (await conclude(after, again, check, step, opts, appliedAt, audit)) return;
  }
}

/** The action's plan with fresh facts; a plan that cannot be made is a blocked one. */
async function makePlan(rem: ResolvedRemediation, action: ActionDef, facts: HostFacts): Promise<ActionPlan> {
  if (rem.unconfigured) return { steps: [], commands: [], blocked: `not configured (${rem.unconfigured.join(', ')})` };
  try {
    return await action.plan(rem.params as never, { facts });
  } catch (err) {
    return { steps: [], commands: [], blocked: `could not plan: ${errorMessage(err)}` };
  }
}

/** The guards that do not pass now, as "title: summary". */
async function failedGuards(pb: ResolvedPlaybook, guards: readonly string[], facts: HostFacts, opts: LadderOptions): Promise<string[]> {
  const failed: string[] = [];
  for (const g of guards) {
    const r = await evaluate(pb, g, opts, { facts });
    if (r.state !== 'pass') failed.push(`${r.title}: ${r.summary}`);
  }
  return failed;
}

async function ask(kind: 'confirm' | 'reboot' | 'manual', view: StepView, consent: Consent): Promise<Answer> {
  if (kind === 'confirm') return { to: 'confirm', decision: await consent.confirm(view) };
  if (kind === 'reboot') return { to: 'reboot', choice: await consent.reboot(view) };
  return { to: 'manual', answer: await consent.manual(view) };
}

/** Runs a check of this playbook again, with fresh facts unless given; a person is asked only with `ask`. */
function evaluate(pb: ResolvedPlaybook, id: string, opts: LadderOptions, how: { facts?: HostFacts; ask?: boolean } = {}): Promise<CheckResult> {
  const asker = how.ask && opts.asker ? { asker: opts.asker } : {};
  return evaluateCheck(pb, id, { facts: how.facts ?? opts.newFacts(), playbooks: opts.playbooks, named: [], deadline: opts.signal, ...asker });
}

function now(opts: LadderOptions): number {
  return opts.clock ? opts.clock() : Date.now();
}

/** Re-runs the check with fresh facts, once a second, until the evidence decides. */
async function verify(pb: ResolvedPlaybook, check: CheckResult, opts: LadderOptions, times: EvidenceTimes): Promise<{ after: AfterCheck; again: CheckResult }> {
  // A person answers a guided check once; later looks only read the PC.
  let again = await evaluate(pb, check.id, opts, { ask: true });
  for (;;) {
    // A run cut off by its deadline cannot wait any more: what could not show yet is awaited.
    const after = opts.signal.aborted ? decideAfterCheck(again.state, { ...times, runEndsAt: Number.NEGATIVE_INFINITY }, Number.POSITIVE_INFINITY) : decideAfterCheck(again.state, times, now(opts));
    if (after.then !== 'wait') return { after, again };
    await waitOrAbort(1000, opts.signal);
    if (opts.signal.aborted) continue;
    again = await evaluate(pb, check.id, opts);
  }
}

/** The check as a re-check sees it now, keeping what the diagnosis saw as `before`. */
function showNow(check: CheckResult, again: CheckResult, summary = again.summary): void {
  check.before = { state: check.state, summary: check.summary };
  Object.assign(check, { state: again.state, summary, evidence: again.evidence, error: null });
}

/** Applies the evidence's verdict to the check and the record; true when the ladder stops here. */
async function conclude(
  after: AfterCheck,
  again: CheckResult,
  check: CheckResult,
  step: RemediationResult,
  opts: LadderOptions,
  appliedAt: number,
  audit: (phase: AuditRecord['phase'], extra: Partial<Pick<AuditRecord, 'outcome' | 'detail' | 'confirmBy' | 'appliedAt'>>) => Promise<void> | undefined,
): Promise<boolean> {
  const last = opts.report.actions[opts.report.actions.length - 1];
  switch (after.then) {
    case 'fixed':
      if (last) last.outcome = 'fixed';
      step.outcome = `fixed: ${again.summary}`;
      showNow(check, again);
      opts.say(`  Fixed: ${again.summary}`);
      await audit('verified', { outcome: 'fixed', detail: again.summary });
      return true;
    case 'awaiting': {
      const by = new Date(after.confirmBy).toISOString();
      const detail = `done at ${new Date(appliedAt).toISOString()}; the evidence that it worked cannot come within this run: it should show by ${by}`;
      if (last) {
        last.outcome = 'awaiting';
        last.detail = detail;
      }
      step.outcome = `awaiting: ${detail}`;
      // What is known is the failure the step was for, unless the re-check saw the fault itself again.
      const seen = again.state === 'fail' || again.state === 'warn' ? again : check;
      check.before = { state: check.state, summary: check.summary };
      Object.assign(check, { state: 'awaiting', summary: `Fix applied ("${step.title}"), awaiting confirmation by ${by}: ${seen.summary}`, evidence: seen.evidence, error: null, confirmBy: by });
      opts.say(`  Awaiting confirmation: ${detail}`);
      await audit('awaiting', { outcome: 'awaiting', detail: again.summary, confirmBy: by, appliedAt: new Date(appliedAt).toISOString() });
      return true;
    }
    default:
      opts.say(`  Still ${again.state}: ${again.summary}`);
      // The next run resumes above this step rather than trying it again.
      await audit('verified', { outcome: 'not-fixed', detail: again.summary });
      return false;
  }
}
