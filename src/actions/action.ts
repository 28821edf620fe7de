// What an action is: metadata (id, description, risk class, parameter schema) and a read-only
// plan of what it would change. Actions never prompt; consent is the engine's and the CLI's job.
import type { Static, TSchema } from '@sinclair/typebox';
import type { RiskT } from '../core/report.js';
import type { HostFacts } from '../host/facts.js';

export interface ActionPlan {
  /** What would change, one line each; empty when there is nothing to do. */
  steps: string[];
  /** The exact commands it would run, in order. */
  commands: string[][];
  /** Set when it cannot be planned here (e.g. a path not configured): a person must do it. */
  blocked?: string;
}

export interface ActionContext {
  facts: HostFacts;
}

export interface ActionDef<S extends TSchema = TSchema> {
  id: string;
  description: string;
  explain: string;
  /** The least risk class a remediation using it may declare. */
  risk: RiskT;
  params: S;
  plan(params: Static<S>, ctx: ActionContext): Promise<ActionPlan>;
}

export function defineAction<S extends TSchema>(def: ActionDef<S>): ActionDef<S> {
  return def;
}
