// What an action is: metadata (id, description, risk class, parameter schema), a read-only plan
// of what it would change, and an apply that makes the change through the host. Actions never
// prompt; consent, guards, the audit log and re-verification are the engine's (src/engine/ladder.ts).
import type { Static, TSchema } from '@sinclair/typebox';
import type { CheckStateT, RiskT } from '../core/report.js';
import type { HostFacts } from '../host/facts.js';
import type { Host } from '../host/host.js';

export interface ActionPlan {
  /** What would change, one line each; empty when there is nothing to do. */
  steps: string[];
  /** The exact commands it would run, in order. */
  commands: string[][];
  /** Set when it cannot be done automatically here (e.g. a path not configured): a person must do it. */
  blocked?: string;
}

export interface ActionContext {
  facts: HostFacts;
}

export interface ApplyContext {
  host: Host;
  /** Facts read fresh for this step (the diagnosis's may be stale by now). */
  facts: HostFacts;
  signal: AbortSignal;
  /** Progress for the person or the RMM log (stderr). */
  progress(message: string): void;
  /** Re-runs a check of the same playbook, with fresh facts. */
  recheck(checkId: string): Promise<{ state: CheckStateT; summary: string }>;
}

export interface ApplyResult {
  ok: boolean;
  /** What happened, in one line. */
  detail: string;
  /** A restart was scheduled and has not happened yet. */
  rebootPending?: boolean;
  /** When that restart fires, in ms from now (unknown when someone else had scheduled it). */
  restartInMs?: number;
}

export interface ActionDef<S extends TSchema = TSchema> {
  id: string;
  description: string;
  explain: string;
  /** The least risk class a remediation using it may declare. */
  risk: RiskT;
  params: S;
  /**
   * How long the change may take to show (an agent starting up, a service coming back): the
   * re-check is repeated for up to this many milliseconds before the step counts as not fixing it.
   */
  settleMs?: number;
  /** What shows within settleMs that it worked, for the report ("the service is up"). */
  settleWhat?: string;
  /** It closes and starts the agent again: a restart must not follow in the same run (its evidence comes first). */
  relaunchesAgent?: boolean;
  /** `with.check` names a check of the same playbook (validated when the playbook loads). */
  refersToCheck?: boolean;
  plan(params: Static<S>, ctx: ActionContext): Promise<ActionPlan>;
  apply(params: Static<S>, ctx: ApplyContext): Promise<ApplyResult>;
}

export function defineAction<S extends TSchema>(def: ActionDef<S>): ActionDef<S> {
  return def;
}
