// The Nagios plugin line, for monitor scripts: one status line with performance data, e.g.
//   SYNCDOCTOR CRITICAL - cism: CISM is running FAIL | checks=7 critical=1 unknown=0 warning=0 ok=5 skip=1
// The counts are what each check adds to the verdict, so they explain it; the exit code (0-3)
// is the CLI's, already in the Nagios convention. Guards are not counted, as in the verdict.
import { countsPerfData, type CheckStateT, type Report } from '../core/report.js';
import { STATE_LABEL, STATUS_LABEL } from '../core/report.js';

/** Failures first, then what could not be told, then warnings. */
const PROBLEM_ORDER: Partial<Record<CheckStateT, number>> = { fail: 0, unknown: 1, warn: 2, awaiting: 3 };
/** Monitors show the first line in a narrow column: name a few problems, count the rest. */
const MAX_NAMED = 4;

export function renderNagios(report: Report): string {
  const problems: { agent: string; title: string; state: CheckStateT; order: number; index: number }[] = [];
  for (const agent of report.agents) {
    for (const c of agent.checks) {
      if (c.guard) continue;
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
  // A monitor shows only this line: what to set belongs on it.
  const unset = report.agents.flatMap((a) => a.notConfigured);
  if (unset.length) text += `; set ${unset.join(', ')}`;
  return `SYNCDOCTOR ${STATUS_LABEL[report.status]} - ${clean(text)} | ${countsPerfData(report.counts)}\n`;
}

/** One line, and no '|' (it starts the performance data). */
function clean(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
}
