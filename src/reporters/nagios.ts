// The Nagios plugin line, for monitor scripts: one status line with performance data, e.g.
//   SYNCDOCTOR CRITICAL - cism: CISM is running FAIL | checks=7 critical=1 unknown=0 warning=0 ok=5 skip=1
// The counts are what each check adds to the verdict, so they explain it; the exit code (0-3)
// is the CLI's, already in the Nagios convention. Guards are not counted, as in the verdict.
import { countsPerfData, type CheckStateT, type Report } from '../core/report.js';
import { STATE_LABEL, STATUS_LABEL } from '../core/report.js';
import { printable } from '../core/printable.js';

/** Failures first, then what could not be told, then warnings. */
const PROBLEM_ORDER: Partial<Record<CheckStateT, number>> = { fail: 0, unknown: 1, warn: 2, awaiting: 3 };
/** Monitors show the first line in a narrow column: name a few problems, count the rest. */
const MAX_NAMED = 4;

export interface NagiosOptions {
  /**
   * The longest line the monitor keeps (Datto RMM's UDF: 255; N-able: 10,000). Whole problems are
   * left out, counted as "(+N more)", until the line fits; the status word always stays.
   */
  maxLength?: number;
}

export function renderNagios(report: Report, options: NagiosOptions = {}): string {
  const problems: { agent: string; title: string; state: CheckStateT; order: number; index: number }[] = [];
  for (const agent of report.agents) {
    for (const c of agent.checks) {
      if (c.guard) continue;
      const order = PROBLEM_ORDER[c.state];
      if (order !== undefined) problems.push({ agent: agent.id, title: c.title, state: c.state, order, index: problems.length });
    }
  }
  problems.sort((a, b) => a.order - b.order || a.index - b.index);
  const head = `SYNCDOCTOR ${STATUS_LABEL[report.status]} - `;
  const perf = ` | ${countsPerfData(report.counts)}`;
  // A monitor shows only this line: what to set belongs on it.
  const unset = report.agents.flatMap((a) => a.notConfigured);
  const setText = unset.length ? `set ${unset.join(', ')}` : '';

  /** The text naming the first `named` problems (grouped by agent, worst first), the rest counted. */
  const textFor = (named: number, withSet: boolean): string => {
    let text: string;
    if (report.agents.length === 0) text = report.summary.replace(/\.$/, '');
    else if (problems.length === 0) text = report.agents.map((a) => `${a.id} ${STATUS_LABEL[a.status]}`).join(', ');
    else {
      const byAgent = new Map<string, string[]>();
      for (const p of problems.slice(0, named)) {
        const list = byAgent.get(p.agent) ?? [];
        list.push(`${p.title} ${STATE_LABEL[p.state]}`);
        byAgent.set(p.agent, list);
      }
      text = [...byAgent].map(([agent, list]) => `${agent}: ${list.join(', ')}`).join('; ');
      const more = problems.length - Math.min(named, problems.length);
      if (more) text += named ? ` (+${more} more)` : `(${more} ${more === 1 ? 'problem' : 'problems'})`;
    }
    if (withSet && setText) text += `; ${setText}`;
    return clean(text);
  };

  const max = options.maxLength;
  const fits = (line: string) => max === undefined || line.length <= max;
  for (let named = Math.min(MAX_NAMED, problems.length); named >= 0; named--) {
    for (const withSet of [true, false]) {
      if (!withSet && !setText) continue;
      const line = `${head}${textFor(named, withSet)}${perf}`;
      if (fits(line)) return `${line}\n`;
    }
  }
  // Not even the counts fit: the status and the problem count, else the status alone.
  const bare = `${head}${textFor(0, false)}`;
  const status = head.slice(0, -3);
  return `${bare.length <= max! ? bare : status.slice(0, max!)}\n`;
}

/** One line, and no '|' (it starts the performance data). */
function clean(text: string): string {
  // Line breaks and tabs become spaces; any other control character is shown as an escape.
  return printable(text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim());
}
