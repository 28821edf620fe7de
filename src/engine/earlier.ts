// Earlier runs' fixes, read back from the audit log: a step whose evidence could not come within its
// run is judged by the next run (confirmed, still awaited, or did not fix it), and a ladder resumes
// above a step that did not fix it. Pure: the records and the time come in as values.
import type { AgentResult, CheckResult, Report } from '../core/report.js';
import type { ResolvedPlaybook } from '../playbook/resolve.js';
import type { AuditRecord } from '../host/audit.js';
import { judgeEarlierFix } from './decide.js';
import { finishAgent, finishReport } from './run.js';

/** An earlier run's last word on a check's repair. */
export type EarlierFix =
  | { kind: 'awaiting'; remediation: string; title: string; at: string; confirmBy: string; restart?: true }
  | { kind: 'not-fixed'; remediation: string; title: string; at: string };

/** Older than this, an earlier run's repair says nothing about today's fault: its ladder starts afresh. */
export const EARLIER_FIX_MAX_AGE_MS = 7 * 24 * 3600_000;

const key = (agent: string, check: string) => `${agent}\u0000${check}`;

/** A record this far after the clock was written while a clock was wrong: it says nothing reliable about now. */
const FUTURE_TOLERANCE_MS = 60 * 60_000;

/**
 * Per agent and check, what the latest repair record of this PC says is still open: a fix awaiting
 * its evidence, or a step that did not fix it. A fix that was verified or confirmed closes it.
 * Records of another PC (an audit log on a shared folder) and records from the future (a clock
 * that was wrong) are not this PC's history.
 */
export function openEarlierFixes(records: readonly AuditRecord[], now: number, host: string, maxAgeMs = EARLIER_FIX_MAX_AGE_MS): Map<string, EarlierFix> {
  const open = new Map<string, EarlierFix>();
  const thisPc = host.toLowerCase();
  for (const r of records) {
    const at = Date.parse(r.at);
    if (!Number.isFinite(at) || now - at > maxAgeMs || at - now > FUTURE_TOLERANCE_MS) continue;
    if (typeof r.who?.host !== 'string' || r.who.host.toLowerCase() !== thisPc) continue;
    const k = key(r.agent, r.check);
    const title = r.title ?? r.remediation;
    if (r.phase === 'awaiting' && r.confirmBy && Number.isFinite(Date.parse(r.confirmBy))) {
      open.set(k, { kind: 'awaiting', remediation: r.remediation, title, at: r.appliedAt ?? r.at, confirmBy: r.confirmBy, ...(r.risk === 'reboot' ? { restart: true as const } : {}) });
    } else if ((r.phase === 'verified' || r.phase === 'confirmation') && (r.outcome === 'fixed' || r.outcome === 'confirmed' || r.outcome === 'passes')) {
      open.delete(k);
    } else if ((r.phase === 'verified' && r.outcome === 'not-fixed') || (r.phase === 'confirmation' && r.outcome === 'not-confirmed')) {
      open.set(k, { kind: 'not-fixed', remediation: r.remediation, title, at: r.at });
    }
  }
  return open;
}

/** A judgement a repair run writes back to the audit log, so the next run need not judge it again. */
export interface Judged {
  agent: string;
  check: string;
  fix: EarlierFix;
  /** confirmed / not-confirmed: an awaited fix judged; passes: the check passes after a step that did not fix it. */
  verdict: 'confirmed' | 'not-confirmed' | 'passes';
}

/**
 * Applies the open earlier fixes to this run's checks: confirmed (the check passes), awaiting (not
 * yet due: the check is "awaiting" and its ladder does not climb), or did not fix it (past its
 * confirm-by time and still failing: critical, and the ladder resumes above that step).
 */
export function judgeEarlierFixes(agents: AgentResult[], open: Map<string, EarlierFix>, now: number): Judged[] {
  const judged: Judged[] = [];
  for (const agent of agents) {
    for (const check of agent.checks) {
      const fix = open.get(key(agent.id, check.id));
      if (!fix || check.guard) continue;
      // What the check looks for happened after the step (a sync after the relaunch): the step was
      // followed by the evidence, so a failure now is a new fault, and its ladder starts afresh.
      const seenAfter = check.lastSeenAt !== undefined && Date.parse(check.lastSeenAt) > Date.parse(fix.at);
      if (fix.kind === 'not-fixed' && (check.state === 'pass' || seenAfter)) {
        // Something else (or time) fixed it: the ladder starts afresh next time it fails.
        judged.push({ agent: agent.id, check: check.id, fix, verdict: 'passes' });
        continue;
      }
      const confirmBy = fix.kind === 'awaiting' ? fix.confirmBy : fix.at;
      // A step already shown not to fix it is judged as past its confirm-by time.
      const verdict = judgeEarlierFix(check.state, fix.kind === 'awaiting' ? Date.parse(fix.confirmBy) : Number.NEGATIVE_INFINITY, now, seenAfter);
      check.earlierFix = { remediation: fix.remediation, title: fix.title, at: fix.at, confirmBy, verdict };
      applyVerdict(check, fix, verdict);
      if (fix.kind === 'awaiting' && (verdict === 'confirmed' || verdict === 'not-confirmed')) judged.push({ agent: agent.id, check: check.id, fix, verdict });
    }
  }
  return judged;
}

function applyVerdict(check: CheckResult, fix: EarlierFix, verdict: NonNullable<CheckResult['earlierFix']>['verdict']): void {
  const step = `"${fix.title}" at ${fix.at}`;
  switch (verdict) {
    case 'confirmed':
      if (fix.kind !== 'awaiting') return;
      check.evidence.unshift(check.state === 'pass' ? `fix confirmed: ${step} worked (the evidence came)` : `fix confirmed: ${step} worked (seen again at ${check.lastSeenAt}); this failure is new`);
      return;
    case 'awaiting':
      if (fix.kind !== 'awaiting') return;
      check.before = { state: check.state, summary: check.summary };
      check.state = 'awaiting';
      check.confirmBy = fix.confirmBy;
      check.summary = `Fix applied by an earlier run (${step}), awaiting confirmation by ${fix.confirmBy}: ${check.summary}`;
      return;
    case 'not-confirmed':
      check.severity = 'critical';
      check.summary =
        fix.kind === 'awaiting'
          ? `${step} did not fix it (no evidence by ${fix.confirmBy}): ${check.summary}`
          : `${step} did not fix it: ${check.summary}`;
      return;
    default:
      check.evidence.unshift(`an earlier run did ${step}; whether it worked could not be told now`);
  }
}

/** Where a ladder resumes: above the step an earlier run showed did not fix it. */
export function resumeAbove(check: CheckResult): { index: number; title: string; at: string } | undefined {
  const e = check.earlierFix;
  if (!e || e.verdict !== 'not-confirmed') return undefined;
  const index = check.remediations.findIndex((r) => r.id === e.remediation);
  return index < 0 ? undefined : { index, title: e.title, at: e.at };
}

/** A restart an earlier run scheduled that has not had its chance to show yet (before its confirm-by time). */
export function pendingRestart(open: ReadonlyMap<string, EarlierFix>, now: number): { title: string; by: string } | undefined {
  for (const fix of open.values()) {
    if (fix.kind === 'awaiting' && fix.restart && Date.parse(fix.confirmBy) > now) return { title: fix.title, by: `an earlier run (at ${fix.at})` };
  }
  return undefined;
}

/** Judges the earlier fixes in the audit records against this run's report, and updates its verdict. */
export function applyEarlierFixes(report: Report, playbooks: ResolvedPlaybook[], records: readonly AuditRecord[], now: number, host: string): { judged: Judged[]; restartPending?: { title: string; by: string } } {
  const open = openEarlierFixes(records, now, host);
  if (open.size === 0) return { judged: [] };
  const restartPending = pendingRestart(open, now);
  const judged = judgeEarlierFixes(report.agents, open, now);
  for (const agent of report.agents) {
    const pb = playbooks.find((p) => p.spec.id === agent.id);
    if (pb) finishAgent(agent, pb);
  }
  finishReport(report, playbooks.length);
  return { judged, ...(restartPending ? { restartPending } : {}) };
}
