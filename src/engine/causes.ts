// Cause before symptom: a check may declare the checks that can cause it (`causedBy`). Repairs and
// next steps take causes first; a cause that is not shown fixed holds the symptom's disruptive
// steps. Pure: the checks and the declared causes come in as values.
import type { CheckStateT } from '../core/report.js';
import type { ResolvedPlaybook } from '../playbook/resolve.js';

/** The checks that can cause each check, as the playbook declares them. */
export function causesIn(pb: ResolvedPlaybook): (checkId: string) => readonly string[] {
  const causes = new Map(pb.checks.map((c) => [c.spec.id, c.spec.causedBy ?? []]));
  return (id) => causes.get(id) ?? [];
}

/** The checks in cause order: each after its causes, otherwise in the playbook's (the vendor's) order. */
export function causeOrder<T extends { id: string }>(checks: readonly T[], causesOf: (id: string) => readonly string[]): T[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const placed = new Set<string>();
  const out: T[] = [];
  const place = (c: T, path: Set<string>) => {
    if (placed.has(c.id) || path.has(c.id)) return; // a cycle is a playbook error, reported by validate
    path.add(c.id);
    for (const id of causesOf(c.id)) {
      const cause = byId.get(id);
      if (cause) place(cause, path);
    }
    placed.add(c.id);
    out.push(c);
  };
  for (const c of checks) place(c, new Set());
  return out;
}

/** A cause is shown fixed only when it passes (or does not apply); failing, undecided or awaiting, it is not. */
const NOT_FIXED: ReadonlySet<CheckStateT> = new Set(['fail', 'warn', 'unknown', 'awaiting']);

/** The titles of a check's causes that are not shown fixed. */
export function causesNotFixed(checkId: string, checks: readonly { id: string; title: string; state: CheckStateT }[], causesOf: (id: string) => readonly string[]): string[] {
  return causesOf(checkId).flatMap((id) => {
    const c = checks.find((x) => x.id === id);
    return c && NOT_FIXED.has(c.state) ? [c.title] : [];
  });
}
