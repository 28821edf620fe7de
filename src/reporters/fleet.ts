// The fleet view of many PCs' JSON reports (`syncdoctor summarize`): which PCs fail which checks,
// worst first, grouped by site. Pure: reports go into a FleetBuilder one at a time and only a small
// digest of each PC's newest report is kept, so memory grows with the number of PCs, not with the
// number or size of the reports; the summary renders as text, Markdown, CSV or JSON.
import type { CheckStateT, Report, SeverityT, StatusT } from '../core/report.js';
import { STATE_LABEL, STATUS_LABEL } from '../core/report.js';
import { md } from './markdown.js';
import { printableCopy } from '../core/printable.js';

export interface FleetProblem {
  agent: string;
  agentName: string;
  check: string;
  title: string;
  state: CheckStateT;
  severity: SeverityT;
  summary: string;
}

export interface FleetPc {
  /** Site, machine id and host name: cloned PCs may share a MachineGuid, two customers a host name. */
  site: string | null;
  machineId: string | null;
  hostname: string;
  status: StatusT;
  exitCode: number;
  /** When its facts were read (a replayed snapshot's capture time), else when it ran. */
  capturedAt: string;
  file: string;
  agents: string[];
  problems: FleetProblem[];
  /** Problems beyond the ones kept. */
  moreProblems: number;
}

export interface FleetCheck {
  agent: string;
  agentName: string;
  check: string;
  title: string;
  /** PC names by state. */
  fail: string[];
  unknown: string[];
  warn: string[];
  awaiting: string[];
}

export interface FleetSummary {
  status: StatusT;
  pcs: FleetPc[];
  checks: FleetCheck[];
  statusCounts: Record<StatusT, number>;
  sites: { site: string | null; pcs: number; statusCounts: Record<StatusT, number> }[];
  reports: number;
  /** Older reports of a PC that a newer one replaced. */
  superseded: number;
  unreadable: { file: string; reason: string }[];
  /** Unreadable files beyond the ones listed. */
  moreUnreadable: number;
}

const RANK: Record<StatusT, number> = { critical: 3, unknown: 2, warning: 1, ok: 0 };
const PROBLEM_RANK: Partial<Record<CheckStateT, number>> = { fail: 0, unknown: 1, warn: 2, awaiting: 3 };
const NAMES_SHOWN = 10;
/** Per PC and in the unreadable list: enough to act on, bounded whatever the input. */
const PROBLEMS_KEPT = 50;
const UNREADABLE_KEPT = 1000;
const TEXT_KEPT = 300;

const clip = (s: unknown): string => (typeof s === 'string' ? (s.length > TEXT_KEPT ? `${s.slice(0, TEXT_KEPT - 1)}…` : s) : '');
const timeOf = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? -Infinity : t;
};

/** A report this far after the summary's own clock was written under a wrong PC clock. */
const FUTURE_SLACK_MS = 24 * 3600_000;

/** Collects reports one at a time; keeps the newest digest of each PC. */
export class FleetBuilder {
  private readonly latest = new Map<string, FleetPc>();
  constructor(private readonly now = Date.now()) {}

  /**
   * Whether `pc` replaces `seen` as a PC's latest: a plausible time beats one from the future (a PC
   * clock that was wrong must not pin an old verdict for ever), then the newer time, then, at the
   * same time, the worse status (never the greener by chance), then the file name (the same answer every run).
   */
  private newer(pc: FleetPc, seen: FleetPc): boolean {
    const [t, u] = [timeOf(pc.capturedAt), timeOf(seen.capturedAt)];
    const [future, seenFuture] = [t > this.now + FUTURE_SLACK_MS, u > this.now + FUTURE_SLACK_MS];
    if (future !== seenFuture) return seenFuture;
    if (t !== u) return t > u;
    if (RANK[pc.status] !== RANK[seen.status]) return RANK[pc.status] > RANK[seen.status];
    return pc.file > seen.file;
  }
  private reports = 0;
  private readonly unreadable: { file: string; reason: string }[] = [];
  private moreUnreadable = 0;

  add(file: string, report: Report): void {
    this.reports++;
    const pc = digest(file, report);
    const key = `${pc.site ?? ''}\0${pc.machineId ?? ''}\0${pc.hostname.toLowerCase()}`;
    const seen = this.latest.get(key);
    if (!seen || this.newer(pc, seen)) this.latest.set(key, pc);
  }

  /**
   * Older reports carry no machine id. One of them is the same PC as the reports with an id and
   * its site and host name, when exactly one machine of that name has an id: kept only if newer
   * (otherwise one PC would show twice, its old verdict beside its new one).
   */
  private mergeReportsWithoutMachineId(): void {
    const withId = new Map<string, string[]>();
    for (const [key, pc] of this.latest) {
      if (!pc.machineId) continue;
      const name = `${pc.site ?? ''}\0${pc.hostname.toLowerCase()}`;
      withId.set(name, [...(withId.get(name) ?? []), key]);
    }
    for (const [key, pc] of [...this.latest]) {
      if (pc.machineId) continue;
      const keys = withId.get(`${pc.site ?? ''}\0${pc.hostname.toLowerCase()}`);
      if (keys?.length !== 1) continue; // none, or two machines of that name: which one cannot be told
      const seen = this.latest.get(keys[0]!)!;
      this.latest.delete(key);
      if (this.newer(pc, seen)) this.latest.set(keys[0]!, { ...pc, machineId: seen.machineId });
    }
  }

  unreadableFile(file: string, reason: string): void {
    if (this.unreadable.length < UNREADABLE_KEPT) this.unreadable.push({ file, reason });
    else this.moreUnreadable++;
  }

  get readable(): number {
    return this.reports;
  }

  get unreadableFiles(): readonly { file: string; reason: string }[] {
    return this.unreadable;
  }

  finish(): FleetSummary {
    this.mergeReportsWithoutMachineId();
    const pcs = [...this.latest.values()];
    const fails = (p: FleetPc) => p.problems.filter((x) => x.state === 'fail').length;
    pcs.sort(
      (a, b) =>
        RANK[b.status] - RANK[a.status] || fails(b) - fails(a) || b.problems.length - a.problems.length || (a.site ?? '').localeCompare(b.site ?? '') || a.hostname.localeCompare(b.hostname),
    );
    const names = displayNames(pcs);
    const byCheck = new Map<string, FleetCheck>();
    for (const pc of pcs) {
      for (const p of pc.problems) {
        const key = `${p.agent}.${p.check}`;
        let c = byCheck.get(key);
        if (!c) byCheck.set(key, (c = { agent: p.agent, agentName: p.agentName, check: p.check, title: p.title, fail: [], unknown: [], warn: [], awaiting: [] }));
        c[p.state as 'fail' | 'unknown' | 'warn' | 'awaiting'].push(names.get(pc)!);
      }
    }
    const checks = [...byCheck.values()].sort(
      (a, b) => b.fail.length - a.fail.length || b.unknown.length - a.unknown.length || b.warn.length - a.warn.length || `${a.agent}.${a.check}`.localeCompare(`${b.agent}.${b.check}`),
    );
    const statusCounts = counts(pcs);
    const siteNames = [...new Set(pcs.map((p) => p.site))].sort((a, b) => (a ?? '\uffff').localeCompare(b ?? '\uffff'));
    const sites = siteNames.map((site) => {
      const here = pcs.filter((p) => p.site === site);
      return { site, pcs: here.length, statusCounts: counts(here) };
    });
    const status = pcs.reduce<StatusT>((w, p) => (RANK[p.status] > RANK[w] ? p.status : w), 'ok');
    const unreadable = [...this.unreadable].sort((a, b) => a.file.localeCompare(b.file));
    return { status, pcs: pcs.map((p) => ({ ...p, hostname: names.get(p)! })), checks, statusCounts, sites, reports: this.reports, superseded: this.reports - pcs.length, unreadable, moreUnreadable: this.moreUnreadable };
  }
}

function counts(pcs: readonly FleetPc[]): Record<StatusT, number> {
  const c: Record<StatusT, number> = { critical: 0, unknown: 0, warning: 0, ok: 0 };
  for (const p of pcs) c[p.status]++;
  return c;
}

/** What the fleet keeps of one report: who the PC is, its verdict, its problems (bounded). */
function digest(file: string, r: Report): FleetPc {
  const problems: FleetProblem[] = [];
  let more = 0;
  for (const a of r.agents) {
    for (const c of a.checks) {
      if (c.guard || PROBLEM_RANK[c.state] === undefined) continue;
      if (problems.length >= PROBLEMS_KEPT) {
        more++;
        continue;
      }
      problems.push({ agent: clip(a.id), agentName: clip(a.name), check: clip(c.id), title: clip(c.title), state: c.state, severity: c.severity === 'warning' ? 'warning' : 'critical', summary: clip(c.summary) });
    }
  }
  problems.sort((x, y) => PROBLEM_RANK[x.state]! - PROBLEM_RANK[y.state]!);
  const h = r.host as Partial<Report['host']> & { hostname: string };
  return {
    site: typeof h.site === 'string' ? clip(h.site) : null,
    machineId: typeof h.machineId === 'string' ? clip(h.machineId) : null,
    hostname: clip(h.hostname),
    status: r.status,
    exitCode: r.exitCode,
    capturedAt: typeof h.capturedAt === 'string' ? h.capturedAt : r.startedAt,
    file,
    agents: r.agents.map((a) => clip(a.id)),
    problems,
    moreProblems: more,
  };
}

/** A PC's name in the summary: its host name, with its site and (for clones of one name) its machine id. */
function displayNames(pcs: readonly FleetPc[]): Map<FleetPc, string> {
  const multiSite = new Set(pcs.map((p) => p.site)).size > 1;
  const sameName = new Map<string, number>();
  for (const p of pcs) {
    const k = `${p.site ?? ''}\0${p.hostname.toLowerCase()}`;
    sameName.set(k, (sameName.get(k) ?? 0) + 1);
  }
  return new Map(
    pcs.map((p) => {
      let name = p.hostname;
      if (multiSite && p.site) name = `${p.site}/${name}`;
      if ((sameName.get(`${p.site ?? ''}\0${p.hostname.toLowerCase()}`) ?? 0) > 1) name += ` [${p.machineId ? p.machineId.slice(0, 8) : 'no machine id'}]`;
      return [p, name];
    }),
  );
}

function headline(f: FleetSummary): string {
  const parts = [`${plural(f.pcs.length, 'PC')} from ${plural(f.reports, 'report')}`];
  if (f.sites.length > 1 || f.sites[0]?.site) parts.push(plural(f.sites.length, 'site'));
  if (f.superseded) parts.push(`${plural(f.superseded, 'older report')} of the same PCs left out`);
  const bad = f.unreadable.length + f.moreUnreadable;
  if (bad) parts.push(`${plural(bad, 'unreadable file')}`);
  return parts.join(', ');
}

function statusLine(c: Record<StatusT, number>): string {
  return (['critical', 'unknown', 'warning', 'ok'] as const).map((s) => `${c[s]} ${STATUS_LABEL[s]}`).join(', ');
}

function names(list: string[]): string {
  const shown = list.slice(0, NAMES_SHOWN).join(', ');
  return list.length > NAMES_SHOWN ? `${shown} (+${list.length - NAMES_SHOWN} more)` : shown;
}

/** "qbwc: A FAIL, B UNKNOWN; cism: C WARN", grouped by agent. */
function problemsText(pc: FleetPc): string {
  const byAgent = new Map<string, string[]>();
  for (const p of pc.problems) byAgent.set(p.agent, [...(byAgent.get(p.agent) ?? []), `${p.title} ${STATE_LABEL[p.state]}`]);
  const text = [...byAgent].map(([agent, list]) => `${agent}: ${list.join(', ')}`).join('; ');
  return pc.moreProblems ? `${text} (+${pc.moreProblems} more)` : text;
}

const siteTitle = (site: string | null) => (site === null ? '(no site)' : site);

export function renderFleetText(summary: FleetSummary): string {
  const f = printableCopy(summary); // names from the PCs never reach the terminal raw
  const out: string[] = [`Fleet summary: ${headline(f)}`, `Status: ${STATUS_LABEL[f.status]} (${statusLine(f.statusCounts)})`, ''];
  if (f.checks.length) {
    out.push('Checks with problems, most PCs first:');
    for (const c of f.checks) {
      out.push(`  ${c.agent}.${c.check} — ${c.title}`);
      for (const s of ['fail', 'unknown', 'warn', 'awaiting'] as const) if (c[s].length) out.push(`    ${STATE_LABEL[s]} on ${plural(c[s].length, 'PC')}: ${names(c[s])}`);
    }
    out.push('');
  }
  const grouped = f.sites.length > 1;
  for (const s of f.sites) {
    const here = f.pcs.filter((p) => p.site === s.site);
    if (grouped) out.push(`Site ${siteTitle(s.site)}: ${plural(s.pcs, 'PC')} (${statusLine(s.statusCounts)})`);
    const troubled = here.filter((p) => p.status !== 'ok');
    const indent = grouped ? '  ' : '';
    if (troubled.length) {
      out.push(`${indent}PCs, worst first:`);
      // reduce, not Math.max(...): a fleet can hold more PCs than a call takes arguments.
      const w = troubled.reduce((m, p) => Math.max(m, p.hostname.length), 0);
      for (const pc of troubled) out.push(`${indent}  ${STATUS_LABEL[pc.status].padEnd(8)}  ${pc.hostname.padEnd(w)}  ${shortTime(pc.capturedAt)}  ${problemsText(pc) || '(no check failed; see the report)'}`);
    }
    const ok = here.filter((p) => p.status === 'ok');
    if (ok.length) out.push(`${indent}OK (${plural(ok.length, 'PC')}): ${ok.map((p) => p.hostname).join(', ')}`);
    out.push('');
  }
  if (f.unreadable.length) {
    out.push('Unreadable files (left out):');
    for (const u of f.unreadable) out.push(`  ${u.file}: ${u.reason}`);
    if (f.moreUnreadable) out.push(`  (+${f.moreUnreadable} more)`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderFleetMarkdown(summary: FleetSummary): string {
  const f = printableCopy(summary);
  const cell = (s: string) => md(s);
  const out: string[] = ['### syncdoctor fleet summary', '', `${headline(f)}.`, '', `Status: **${STATUS_LABEL[f.status]}** (${statusLine(f.statusCounts)}).`, ''];
  if (f.checks.length) {
    out.push('#### Checks with problems, most PCs first', '', '| Check | FAIL | UNKNOWN | WARN | PCs |', '| --- | ---: | ---: | ---: | --- |');
    for (const c of f.checks) {
      const pcs = [...c.fail, ...c.unknown, ...c.warn, ...c.awaiting];
      out.push(`| ${cell(`${c.agent}.${c.check}`)}: ${cell(c.title)} | ${c.fail.length} | ${c.unknown.length} | ${c.warn.length + c.awaiting.length} | ${cell(names(pcs))} |`);
    }
    out.push('');
  }
  const grouped = f.sites.length > 1;
  for (const s of f.sites) {
    const here = f.pcs.filter((p) => p.site === s.site);
    out.push(grouped ? `#### Site ${cell(siteTitle(s.site))}: ${plural(s.pcs, 'PC')} (${statusLine(s.statusCounts)})` : '#### PCs, worst first', '');
    const troubled = here.filter((p) => p.status !== 'ok');
    if (troubled.length) {
      out.push('| PC | Status | Checked | Problems |', '| --- | --- | --- | --- |');
      for (const pc of troubled) out.push(`| ${cell(pc.hostname)} | ${STATUS_LABEL[pc.status]} | ${shortTime(pc.capturedAt)} | ${cell(problemsText(pc))} |`);
      out.push('');
    }
    const ok = here.filter((p) => p.status === 'ok');
    if (ok.length) out.push(`OK (${plural(ok.length, 'PC')}): ${cell(ok.map((p) => p.hostname).join(', '))}`, '');
  }
  if (f.unreadable.length) {
    out.push('#### Unreadable files (left out)', '');
    for (const u of f.unreadable) out.push(`- ${cell(u.file)}: ${cell(u.reason)}`);
    if (f.moreUnreadable) out.push(`- (+${f.moreUnreadable} more)`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** One row per PC and problem (a PC without problems: one row with the check columns empty). */
export function renderFleetCsv(summary: FleetSummary): string {
  const f = printableCopy(summary);
  const rows = [['site', 'machine_id', 'hostname', 'status', 'exit_code', 'checked_at', 'agent', 'check', 'title', 'state', 'severity', 'summary', 'file']];
  for (const pc of f.pcs) {
    const base = [pc.site ?? '', pc.machineId ?? '', pc.hostname, pc.status, String(pc.exitCode), pc.capturedAt];
    if (!pc.problems.length) rows.push([...base, '', '', '', '', '', '', pc.file]);
    for (const p of pc.problems) rows.push([...base, p.agent, p.check, p.title, p.state, p.severity, p.summary, pc.file]);
  }
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The whole summary as JSON (fleetSchemaVersion 1), for dashboards and scripts. */
export function renderFleetJson(f: FleetSummary): string {
  return `${JSON.stringify({ fleetSchemaVersion: 1, ...f, exitCode: { ok: 0, warning: 1, critical: 2, unknown: 3 }[f.status] }, null, 2)}\n`;
}

/** RFC 4180 quoting; a leading = + - @ (or tab, CR) is prefixed with ' so a spreadsheet does not run it as a formula. */
function csvField(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}
