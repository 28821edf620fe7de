// How check states roll up into an agent's and a run's status, and the status → exit code map
// (the one place; the README's "Exit codes" table is the contract).
import type { CheckResult, Counts, StatusT } from '../core/report.js';

/** critical > unknown > warning > ok: "unknown" means no failure but something undetermined. */
const RANK: Record<StatusT, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

export function worst(statuses: Iterable<StatusT>): StatusT {
  let w: StatusT = 'ok';
  for (const s of statuses) if (RANK[s] > RANK[w]) w = s;
  return w;
}

export function checkStatus(c: Pick<CheckResult, 'state' | 'severity'>): StatusT {
  switch (c.state) {
    case 'fail':
      return c.severity === 'critical' ? 'critical' : 'warning';
    case 'warn':
    case 'awaiting':
      return 'warning';
    case 'unknown':
      return 'unknown';
    default:
      return 'ok';
  }
}

/** What each check adds to the verdict, counted (guards are safety conditions, not counted). */
export function tally(checks: readonly Pick<CheckResult, 'state' | 'severity' | 'guard'>[]): Counts {
  const counts: Counts = { checks: 0, critical: 0, unknown: 0, warning: 0, ok: 0, skip: 0 };
  for (const c of checks) {
    if (c.guard) continue;
    counts.checks++;
    if (c.state === 'skip') counts.skip++;
    else counts[checkStatus(c)]++;
  }
  return counts;
}

export function addCounts(all: readonly Counts[]): Counts {
  const sum: Counts = { checks: 0, critical: 0, unknown: 0, warning: 0, ok: 0, skip: 0 };
  for (const c of all) for (const k of Object.keys(sum) as (keyof Counts)[]) sum[k] += c[k];
  return sum;
}

/** The verdict a tally means: CRITICAL over UNKNOWN over WARNING over OK. */
export function statusOf(c: Counts): StatusT {
  return c.critical ? 'critical' : c.unknown ? 'unknown' : c.warning ? 'warning' : 'ok';
}

export const EXIT_CODE: Record<StatusT, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

type Verdict = { status: StatusT; rebootRequired: boolean; exitCode: number; repairRefused?: string; untrustedInputs?: string[] };

/**
 * The exit code of a run: its status's, a warning at least with a restart pending, and UNKNOWN at
 * least when it could not do all it was asked (repairs refused, inputs not trusted).
 */
export function exitCodeOf(r: Omit<Verdict, 'exitCode'>): number {
  const code = r.rebootRequired && r.status === 'ok' ? EXIT_CODE.warning : EXIT_CODE[r.status];
  const incomplete = Boolean(r.repairRefused || r.untrustedInputs?.length);
  return incomplete && code < EXIT_CODE.critical ? EXIT_CODE.unknown : code;
}

/** Repairs that were asked for and refused (nothing was attempted). */
export function refuseRepairs(report: Verdict, why: string): void {
  report.repairRefused = why;
  report.exitCode = exitCodeOf(report);
}

/** Inputs refused because another user could change them. */
export function distrustInputs(report: Verdict, reasons: readonly string[]): void {
  if (!reasons.length) return;
  report.untrustedInputs = [...reasons];
  report.exitCode = exitCodeOf(report);
}

/** A check a repair works on: failing or warning, and not a guard (a condition for repairs). */
export function needsRepair(check: CheckResult): boolean {
  return !check.guard && (check.state === 'fail' || check.state === 'warn');
}

/** Whether any check of the report needs a repair. */
export function anyNeedsRepair(report: { agents: readonly { checks: readonly CheckResult[] }[] }): boolean {
  return report.agents.some((a) => a.checks.some(needsRepair));
}
