// The Nagios plugin line, for monitor scripts: one status line with performance data, e.g.
//   SYNCDOCTOR CRITICAL - cism: CISM is running FAIL | checks=7 pass=5 fail=1 warn=0 error=0 skip=1
// The exit code (0-3) is the CLI's, already in the Nagios convention. Guards are not counted,
// as in the verdict.
import type { CheckStateT, Report, StatusT } from '../core/report.js';

const STATUS_LABEL: Record<StatusT, string> = { ok: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' };
const STATE_LABEL: Record<CheckStateT, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' };
/** Failures first, then what could not be told, then warnings. */
const PROBLEM_ORDER: Partial<Record<CheckStateT, number>> = { fail: 0, error: 1, warn: 2 };
/** Monitors show the first line in a narrow column: name a few problems, count the rest. */
const MAX_NAMED = 4;

export function renderNagios(report: Report): string {
  const counts = { checks: 0, pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  const problems: { agent: string; title: string; state: CheckStateT; order: number; index: number }[] = [];
  for (const agent of report.agents) {
    for (const c of agent.checks) {
      if (c.guard) continue;
      counts.checks++;
      counts[c.state]++;
      const order = PROBLEM_ORDER[c.state];
      if (order !== undefined) problems.push({ agent: agent.id, title: c.title, state: c.state, order, index: problems.length });
    }
  }
  problems.sort((a, b) => a.order - b.order || a.index - b.index);

  let text: string;
  if (report.agents.length === 0) text = report.summary.replace(/\.$/, '');
  else if (problems.length === 0) text = report.agents.map((a) => `${a.id} ${STATUS_LABEL[a.status]}`).join(', ');
  else {
    // Grouped by agent, in the order the worst problems come.
    const named = problems.slice(0, MAX_NAMED);
    const byAgent = new Map<string, string[]>();
    for (const p of named) {
      const list = byAgent.get(p.agent) ?? [];
      list.push(`${p.title} ${STATE_LABEL[p.state]}`);
      byAgent.set(p.agent, list);
    }
    text = [...byAgent].map(([agent, list]) => `${agent}: ${list.join(', ')}`).join('; ');
    if (problems.length > named.length) text += ` (+${problems.length - named.length} more)`;
  }
  const perf = Object.entries(counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `SYNCDOCTOR ${STATUS_LABEL[report.status]} - ${clean(text)} | ${perf}\n`;
}

/** One line, and no '|' (it starts the performance data). */
function clean(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
}
