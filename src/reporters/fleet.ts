// The fleet view of many PCs' JSON reports (`syncdoctor summarize`): which PCs fail which checks,
// worst first. Pure: reports in, a summary model out, rendered as text, Markdown or CSV.
import type { CheckStateT, Report, SeverityT, StatusT } from '../core/report.js';
import { STATE_LABEL, STATUS_LABEL } from '../core/report.js';
import { md } from './markdown.js';

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
  hostname: string;
  status: StatusT;
  exitCode: number;
  startedAt: string;
  file: string;
  agents: string[];
  problems: FleetProblem[];
}

export interface FleetCheck {
  agent: string;
  agentName: string;
  check: string;
  title: string;
  /** Host names by state. */
  fail: string[];
  unknown: string[];
  warn: string[];
  awaiting: string[];
}

export interface FleetSummary {
  pcs: FleetPc[];
  checks: FleetCheck[];
  statusCounts: Record<StatusT, number>;
  reports: number;
  /** Older reports of a PC that a newer one replaced. */
  superseded: number;
  unreadable: { file: string; reason: string }[];
}

const RANK: Record<StatusT, number> = { critical: 3, unknown: 2, warning: 1, ok: 0 };
const PROBLEM_RANK: Partial<Record<CheckStateT, number>> = { fail: 0, unknown: 1, warn: 2, awaiting: 3 };
const NAMES_SHOWN = 10;

export function buildFleet(entries: { file: string; report: Report }[], unreadable: { file: string; reason: string }[] = []): FleetSummary {
  // One PC, one verdict: the newest report of each host name.
  const latest = new Map<string, { file: string; report: Report }>();
  for (const e of entries) {
    const key = e.report.host.hostname.toLowerCase();
    const seen = latest.get(key);
    if (!seen || Date.parse(e.report.startedAt) > Date.parse(seen.report.startedAt)) latest.set(key, e);
  }
  const pcs: FleetPc[] = [...latest.values()].map(({ file, report }) => ({
    hostname: report.host.hostname,
    status: report.status,
    exitCode: report.exitCode,
    startedAt: report.startedAt,
    file,
    agents: report.agents.map((a) => a.id),
    problems: report.agents
      .flatMap((a) =>
        a.checks
          .filter((c) => !c.guard && PROBLEM_RANK[c.state] !== undefined)
          .map((c) => ({ agent: a.id, agentName: a.name, check: c.id, title: c.title, state: c.state, severity: c.severity, summary: c.summary })),
      )
      .sort((x, y) => PROBLEM_RANK[x.state]! - PROBLEM_RANK[y.state]!),
  }));
  const fails = (p: FleetPc) => p.problems.filter((x) => x.state === 'fail').length;
  pcs.sort((a, b) => RANK[b.status] - RANK[a.status] || fails(b) - fails(a) || b.problems.length - a.problems.length || a.hostname.localeCompare(b.hostname));

  const byCheck = new Map<string, FleetCheck>();
  for (const pc of pcs) {
    for (const p of pc.problems) {
      const key = `${p.agent}.${p.check}`;
      let c = byCheck.get(key);
      if (!c) {
        c = { agent: p.agent, agentName: p.agentName, check: p.check, title: p.title, fail: [], unknown: [], warn: [], awaiting: [] };
        byCheck.set(key, c);
      }
      c[p.state as 'fail' | 'unknown' | 'warn' | 'awaiting'].push(pc.hostname);
    }
  }
  const checks = [...byCheck.values()].sort(
    (a, b) => b.fail.length - a.fail.length || b.unknown.length - a.unknown.length || b.warn.length - a.warn.length || `${a.agent}.${a.check}`.localeCompare(`${b.agent}.${b.check}`),
  );
  const statusCounts: Record<StatusT, number> = { critical: 0, unknown: 0, warning: 0, ok: 0 };
  for (const pc of pcs) statusCounts[pc.status]++;
  return { pcs, checks, statusCounts, reports: entries.length, superseded: entries.length - pcs.length, unreadable };
}

function headline(f: FleetSummary): string {
  const parts = [`${plural(f.pcs.length, 'PC')} from ${plural(f.reports, 'report')}`];
  if (f.superseded) parts.push(`${plural(f.superseded, 'older report')} of the same PCs left out`);
  if (f.unreadable.length) parts.push(`${plural(f.unreadable.length, 'unreadable file')}`);
  return parts.join(', ');
}

function statusLine(f: FleetSummary): string {
  return (['critical', 'unknown', 'warning', 'ok'] as const).map((s) => `${f.statusCounts[s]} ${STATUS_LABEL[s]}`).join(', ');
}

function names(list: string[]): string {
  const shown = list.slice(0, NAMES_SHOWN).join(', ');
  return list.length > NAMES_SHOWN ? `${shown} (+${list.length - NAMES_SHOWN} more)` : shown;
}

/** "qbwc: A FAIL, B UNKNOWN; cism: C WARN", grouped by agent. */
function problemsText(pc: FleetPc): string {
  const byAgent = new Map<string, string[]>();
  for (const p of pc.problems) byAgent.set(p.agent, [...(byAgent.get(p.agent) ?? []), `${p.title} ${STATE_LABEL[p.state]}`]);
  return [...byAgent].map(([agent, list]) => `${agent}: ${list.join(', ')}`).join('; ');
}

export function renderFleetText(f: FleetSummary): string {
  const out: string[] = [`Fleet summary: ${headline(f)}`, `Status: ${statusLine(f)}`, ''];
  if (f.checks.length) {
    out.push('Checks with problems, most PCs first:');
    for (const c of f.checks) {
      out.push(`  ${c.agent}.${c.check} — ${c.title}`);
      for (const s of ['fail', 'unknown', 'warn', 'awaiting'] as const) if (c[s].length) out.push(`    ${STATE_LABEL[s]} on ${plural(c[s].length, 'PC')}: ${names(c[s])}`);
    }
    out.push('');
  }
  const troubled = f.pcs.filter((p) => p.status !== 'ok');
  if (troubled.length) {
    out.push('PCs, worst first:');
    // reduce, not Math.max(...): a fleet can hold more PCs than a call takes arguments.
    const w = troubled.reduce((m, p) => Math.max(m, p.hostname.length), 0);
    for (const pc of troubled) out.push(`  ${STATUS_LABEL[pc.status].padEnd(8)}  ${pc.hostname.padEnd(w)}  ${shortTime(pc.startedAt)}  ${problemsText(pc) || '(no check failed; see the report)'}`);
    out.push('');
  }
  const ok = f.pcs.filter((p) => p.status === 'ok');
  if (ok.length) out.push(`OK (${plural(ok.length, 'PC')}): ${ok.map((p) => p.hostname).join(', ')}`, '');
  if (f.unreadable.length) {
    out.push('Unreadable files (left out):');
    for (const u of f.unreadable) out.push(`  ${u.file}: ${u.reason}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderFleetMarkdown(f: FleetSummary): string {
  const cell = (s: string) => md(s);
  const out: string[] = ['### syncdoctor fleet summary', '', `${headline(f)}.`, '', `Status: ${statusLine(f)}.`, ''];
  if (f.checks.length) {
    out.push('#### Checks with problems, most PCs first', '', '| Check | FAIL | UNKNOWN | WARN | PCs |', '| --- | ---: | ---: | ---: | --- |');
    for (const c of f.checks) {
      const pcs = [...c.fail, ...c.unknown, ...c.warn, ...c.awaiting];
      out.push(`| ${cell(`${c.agent}.${c.check}`)}: ${cell(c.title)} | ${c.fail.length} | ${c.unknown.length} | ${c.warn.length + c.awaiting.length} | ${cell(names(pcs))} |`);
    }
    out.push('');
  }
  const troubled = f.pcs.filter((p) => p.status !== 'ok');
  if (troubled.length) {
    out.push('#### PCs, worst first', '', '| PC | Status | Checked | Problems |', '| --- | --- | --- | --- |');
    for (const pc of troubled) out.push(`| ${cell(pc.hostname)} | ${STATUS_LABEL[pc.status]} | ${shortTime(pc.startedAt)} | ${cell(problemsText(pc))} |`);
    out.push('');
  }
  const ok = f.pcs.filter((p) => p.status === 'ok');
  if (ok.length) out.push(`OK (${plural(ok.length, 'PC')}): ${cell(ok.map((p) => p.hostname).join(', '))}`, '');
  if (f.unreadable.length) {
    out.push('#### Unreadable files (left out)', '');
    for (const u of f.unreadable) out.push(`- ${cell(u.file)}: ${cell(u.reason)}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** One row per PC and problem (a PC without problems: one row with the check columns empty). */
export function renderFleetCsv(f: FleetSummary): string {
  const rows = [['hostname', 'status', 'exit_code', 'checked_at', 'agent', 'check', 'title', 'state', 'severity', 'summary', 'file']];
  for (const pc of f.pcs) {
    const base = [pc.hostname, pc.status, String(pc.exitCode), pc.startedAt];
    if (!pc.problems.length) rows.push([...base, '', '', '', '', '', '', pc.file]);
    for (const p of pc.problems) rows.push([...base, p.agent, p.check, p.title, p.state, p.severity, p.summary, pc.file]);
  }
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** RFC 4180 quoting; a leading = + @ is prefixed with ' so a spreadsheet does not run it as a formula. */
function csvField(value: string): string {
  const v = /^[=+@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}
