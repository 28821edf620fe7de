// "Could not tell is never OK", for runs nobody watches. A pure function over an agent's checks
// after they ran unattended (no person to answer questions):
// - a check that fell back to a question because a site setting is missing is undecided
//   (state unknown) and names the setting: setting it lets the next run decide by itself;
// - so is one whose fallback probe passed or warned: it answered a weaker question (someone is
//   logged on, not the agent's user); a fallback that fails still fails the check;
// - a question only a person can answer does not change the verdict by itself, but when an
//   automated check of the same agent fails or is undecided, the unanswered question is
//   what would decide the case: it is undecided too, and says so.
import type { CheckResult } from '../core/report.js';

export interface CheckSetup {
  /** Site settings (agent.var) whose absence replaced the check's probe or left its call unconfigured. */
  unset: string[];
  /** The playbook's `otherwise` ran instead of the check's own probe: a weaker question. */
  fallback?: boolean;
}

export interface Undecided {
  checks: CheckResult[];
  /** Every site setting that would let an undecided check decide, in check order, once each. */
  notConfigured: string[];
}

const TROUBLE = new Set(['fail', 'unknown']);

export function markUndecided(checks: readonly CheckResult[], setup: ReadonlyMap<string, CheckSetup>): Undecided {
  const notConfigured: string[] = [];
  const note = (vars: readonly string[]) => vars.forEach((v) => notConfigured.includes(v) || notConfigured.push(v));
  const unanswered = (c: CheckResult) => c.state === 'skip' && c.question !== undefined && c.answer === undefined;
  const out = checks.map((c): CheckResult => {
    const unset = setup.get(c.id)?.unset ?? [];
    if (c.guard) return c;
    if (c.state === 'unknown' && unset.length) note(unset);
    if (setup.get(c.id)?.fallback && unset.length && (c.state === 'pass' || c.state === 'warn')) {
      note(unset);
      return { ...c, state: 'unknown', summary: `Not configured: set ${unset.join(', ')} to check this automatically (without it, only this could be seen: ${c.summary})`, error: `site setting not set: ${unset.join(', ')}` };
    }
    if (!unanswered(c) || !unset.length) return c;
    note(unset);
    return {
      ...c,
      state: 'unknown',
      summary: `Not configured: set ${unset.join(', ')} to check this automatically (until then a person must look: ${c.question})`,
      error: `site setting not set: ${unset.join(', ')}`,
    };
  });
  const troubled = out.some((c) => !c.guard && c.question === undefined && TROUBLE.has(c.state));
  if (!troubled) return { checks: out, notConfigured };
  return {
    checks: out.map((c): CheckResult =>
      !c.guard && unanswered(c)
        ? { ...c, state: 'unknown', summary: `Unanswered: ${c.question} — another check of this agent is not OK, and this answer would decide the case (ask at the PC, or run syncdoctor repair there)`, error: 'a question for a person, not answered in an unattended run' }
        : c,
    ),
    notConfigured,
  };
}
