// The remediation ladder: for each failing check, its steps in order —
// plan → guards → consent → audit (intent) → apply → audit (outcome) → re-verify → stop or escalate.
// Actions never prompt; consent comes from a Consent (a person at a terminal, or --fix/--allow).
import { errorMessage } from '../core/errors.js';
import { RISK_ORDER, type ActionRecord, type AgentResult, type CheckResult, type RemediationResult, type Report, type RiskT } from '../core/report.js';
import type { AuditLog } from '../host/audit.js';
import type { HostFacts } from '../host/facts.js';
import type { Host } from '../host/host.js';
import type { ResolvedPlaybook } from '../playbook/resolve.js';
import type { Asker } from '../probes/probe.js';
import type { ActionPlan } from '../actions/action.js';
import { evaluateCheck, finishAgent, finishReport } from './run.js';

export { RISK_ORDER };

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

export type Decision = 'apply' | 'skip' | 'quit';
export type ManualAnswer = 'done' | 'skip' | 'cannot' | 'quit';
export interface RebootChoice {
  choice: 'now' | 'later' | 'no' | 'quit';
  minutes?: number;
}

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
}

class Quit extends Error {}

/** Walks every failing check's ladder; returns the report updated with what was done. */
export async function runLadders(opts: LadderOptions): Promise<Report> {
  const { report } = opts;
  try {
    for (const agent of report.agents) {
      const pb = opts.playbooks.find((p) => p.spec.id === agent.id);
      if (!pb) continue;
      for (const check of agent.checks) {
        if (check.guard || (check.state !== 'fail' && check.state !== 'warn')) continue;
        if (opts.signal.aborted) throw new Quit();
        await walkLadder(agent, pb, check, opts);
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

async function walkLadder(agent: AgentResult, pb: ResolvedPlaybook, check: CheckResult, opts: LadderOptions): Promise<void> {
  const steps = check.remediations;
  opts.say(`\n${check.title}: ${check.summary}`);
  /** The lowest rung the machine refused (a guard not met, or an action that cannot be done safely here). */
  let refusedAt: { risk: RiskT; title: string } | undefined;
  for (let i = 0; i < steps.length; i++) {
    if (opts.stop?.() || opts.signal.aborted) throw new Quit();
    const step = steps[i]!;
    const rem = pb.remediations.get(step.id);
    const view: StepView = { agent: agent.id, check, step, index: i + 1, of: steps.length, ...(rem?.spec.why ? { why: rem.spec.why } : {}) };
    const record = (outcome: ActionRecord['outcome'], detail?: string, commands?: string[][]) => {
      opts.report.actions.push({
        at: new Date().toISOString(),
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
    const audit = (phase: Parameters<AuditLog['append']>[0]['phase'], extra: { plan?: string[]; commands?: string[][]; outcome?: string; detail?: string } = {}) =>
      opts.audit?.append({ phase, agent: agent.id, check: check.id, remediation: step.id, action: step.action ?? null, risk: step.risk, ...extra });

    // A refused rung never leads to a riskier one: what made it unsafe (someone working, an owner
    // that cannot be told) makes the riskier step no safer.
    const held = escalationHeld(refusedAt, step.risk);
    if (held) {
      opts.say(`  Not trying "${step.title}": ${held}`);
      record('refused', held);
      await audit('refused', { detail: held });
      continue;
    }

    const facts = opts.newFacts();
    const action = rem?.action && rem.action.id !== 'manual' ? rem.action : undefined;
    let plan: ActionPlan | undefined;
    if (action && rem?.unconfigured) {
      plan = { steps: [], commands: [], blocked: `not configured (${rem.unconfigured.join(', ')})` };
      view.plan = plan;
    } else if (action) {
      try {
        plan = await action.plan(rem!.params as never, { facts });
      } catch (err) {
        plan = { steps: [], commands: [], blocked: `could not plan: ${errorMessage(err)}` };
      }
      view.plan = plan;
    }

    // A step without an automated action (or one that cannot be done here) is for a person.
    if (!action || plan?.blocked) {
      if (action && plan?.blocked && step.risk !== 'safe') refusedAt ??= { risk: step.risk, title: step.title };
      if (!step.manual.length) {
        record('needs-a-person', plan?.blocked);
        continue;
      }
      if (opts.dryRun || !opts.consent.interactive) {
        record('needs-a-person', plan?.blocked ?? 'a manual step');
        await audit('manual', { outcome: 'needs-a-person' });
        continue;
      }
      const answer = await opts.consent.manual(view);
      if (answer === 'quit') throw new Quit();
      if (answer !== 'done') {
        record(answer === 'skip' ? 'skipped' : 'needs-a-person', answer === 'cannot' ? 'the technician could not do it' : 'skipped by the technician');
        await audit('manual', { outcome: answer });
        continue;
      }
      step.applied = true;
      record('done-by-technician');
      await audit('manual', { outcome: 'done' });
      if (await reverify(pb, check, opts, step)) return;
      continue;
    }

    if (plan && plan.steps.length === 0 && plan.commands.length === 0) {
      record('skipped', 'nothing to do');
      continue;
    }

    // Guards: every one must pass, now, before a change that could hurt someone.
    const refusedBy: string[] = [];
    for (const g of step.guards) {
      const r = await evaluateCheck(pb, g, { facts, playbooks: opts.playbooks, named: [], deadline: opts.signal });
      if (r.state !== 'pass') refusedBy.push(`${r.title}: ${r.summary}`);
    }
    if (refusedBy.length) {
      refusedAt ??= { risk: step.risk, title: step.title };
      opts.say(`  Refused "${step.title}": ${refusedBy.join('; ')}`);
      record('refused', `guard not met — ${refusedBy.join('; ')}`);
      await audit('refused', { plan: plan?.steps ?? [], detail: refusedBy.join('; ') });
      continue;
    }

    // Unattended, the risk must be within --allow; a dry run reports the same decision.
    const isReboot = step.risk === 'reboot' || action.id === 'reboot';
    const refusal = opts.consent.interactive ? undefined : beyondAllowance(step.risk, isReboot, opts.consent.allow);
    if (refusal) {
      record('not-allowed', refusal);
      continue;
    }
    if (opts.dryRun) {
      opts.say(`  Would ${step.title} [${step.risk}]: ${(plan?.steps ?? []).join('; ')}`);
      record('planned', (plan?.steps ?? []).join('; '), plan?.commands);
      continue;
    }

    // Consent: a person's yes, or a risk within --allow. A reboot needs --allow reboot or a yes.
    let params = rem!.params as Record<string, unknown>;
    if (isReboot) {
      const choice = await opts.consent.reboot(view);
      if (choice.choice === 'quit') throw new Quit();
      if (choice.choice === 'no') {
        record('skipped', 'not now');
        continue;
      }
      params = { ...params, delay: choice.choice === 'now' ? '0s' : `${choice.minutes ?? 15}m` };
    } else if (opts.consent.interactive) {
      const d = await opts.consent.confirm(view);
      if (d === 'quit') throw new Quit();
      if (d === 'skip') {
        record('skipped', 'declined by the technician');
        await audit('skipped', { plan: plan?.steps ?? [] });
        continue;
      }
    }

    await audit('intent', { plan: plan?.steps ?? [], commands: plan?.commands ?? [] });
    opts.say(`  Doing: ${step.title}`);
    let result;
    try {
      result = await action.apply(params as never, {
        host: opts.host,
        facts,
        signal: opts.signal,
        progress: (m) => opts.say(`    ${m}`),
        recheck: async (id) => evaluateCheck(pb, id, { facts: opts.newFacts(), playbooks: opts.playbooks, named: [], deadline: opts.signal, ...(opts.asker ? { asker: opts.asker } : {}) }),
      });
    } catch (err) {
      result = { ok: false, detail: errorMessage(err) };
    }
    await audit('outcome', { outcome: result.ok ? 'applied' : 'failed', detail: result.detail });
    step.applied = result.ok;
    if (!result.ok) {
      opts.say(`  Failed: ${result.detail}`);
      record('failed', result.detail, plan?.commands);
      continue;
    }
    if (result.rebootPending) {
      opts.report.rebootRequired = true;
      record('applied', result.detail, plan?.commands);
      opts.say(`  ${result.detail}`);
      return; // the restart is the last step; re-checking now would only see the old state
    }
    record('applied', result.detail, plan?.commands);
    if (await reverify(pb, check, opts, step, action.settleMs ?? 0)) return;
  }
}

/** Why a step may not follow a refused lower rung, or undefined. */
export function escalationHeld(refusedAt: { risk: RiskT; title: string } | undefined, risk: RiskT): string | undefined {
  if (!refusedAt || RISK_ORDER[risk] <= RISK_ORDER[refusedAt.risk]) return undefined;
  return `"${refusedAt.title}" (${refusedAt.risk}) was refused, and a riskier step never follows a refused one`;
}

/** Why an unattended run may not take this step, or undefined when --allow covers it. */
function beyondAllowance(risk: RiskT, isReboot: boolean, allow: RiskT): string | undefined {
  if (isReboot) return allow === 'reboot' ? undefined : 'a restart needs --allow reboot';
  return RISK_ORDER[risk] > RISK_ORDER[allow] ? `risk ${risk} needs --allow ${risk}` : undefined;
}

/** Re-runs the check with fresh facts; on a pass the check takes its new state. */
async function reverify(pb: ResolvedPlaybook, check: CheckResult, opts: LadderOptions, step: RemediationResult, settleMs = 0): Promise<boolean> {
  const until = Date.now() + settleMs;
  let again = await evaluateCheck(pb, check.id, { facts: opts.newFacts(), playbooks: opts.playbooks, named: [], deadline: opts.signal, ...(opts.asker ? { asker: opts.asker } : {}) });
  // A started agent needs a moment to show up and do its work: look again, once a second.
  while (again.state !== 'pass' && Date.now() < until && !opts.signal.aborted) {
    await new Promise((r) => setTimeout(r, 1000));
    again = await evaluateCheck(pb, check.id, { facts: opts.newFacts(), playbooks: opts.playbooks, named: [], deadline: opts.signal });
  }
  if (again.state === 'pass') {
    const last = opts.report.actions[opts.report.actions.length - 1];
    if (last) last.outcome = 'fixed';
    step.outcome = `fixed: ${again.summary}`;
    check.before = { state: check.state, summary: check.summary };
    Object.assign(check, { state: again.state, summary: again.summary, evidence: again.evidence, error: null });
    opts.say(`  Fixed: ${again.summary}`);
    return true;
  }
  opts.say(`  Still ${again.state}: ${again.summary}`);
  return false;
}
