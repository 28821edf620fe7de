// How check states roll up into an agent's and a run's status, and the status → exit code map
// (the one place; the README's "Exit codes" table is the contract).
import type { CheckResult, StatusT } from '../core/report.js';

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
      return 'warning';
    case 'error':
      return 'unknown';
    default:
      return 'ok';
  }
}

export const EXIT_CODE: Record<StatusT, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

/** A pending reboot after repairs is a warning at least. */
export function exitCodeFor(status: StatusT, rebootRequired: boolean): number {
  if (rebootRequired && status === 'ok') return EXIT_CODE.warning;
  return EXIT_CODE[status];
}
