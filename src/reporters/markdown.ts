// The Markdown report: a ticket note a technician pastes into a PSA ticket. Lists rather than
// tables (they stay readable where a ticket shows the raw text), escapes only where Markdown
// would otherwise change the text, so Windows paths keep their single backslashes.
import type { AgentResult, CheckResult, CheckStateT, Report, StatusT } from '../core/report.js';
import { machineText, notConfiguredText, notDetectedText, STATE_LABEL, STATUS_LABEL } from '../core/report.js';
import { printableCopy } from '../core/printable.js';

export interface MarkdownOptions {
  /** Evidence of passing checks and the host facts read, too. */
  verbose?: boolean;
}


export function renderMarkdown(raw: Report, options: MarkdownOptions = {}): string {
  const report = printableCopy(raw); // host data never reaches a note with control characters
  const out: string[] = [];
  const h = report.host;
  out.push(`### syncdoctor: ${STATUS_LABEL[report.status]} on ${md(h.hostname)}`);
  out.push('');
  out.push(md(report.summary));
  out.push('');
  const src = h.source === 'snapshot' ? `replayed snapshot${h.snapshotFile ? ` ${code(h.snapshotFile)}` : ''}` : 'live';
  out.push(`- Host: ${md(h.hostname)} (${md(h.platform)}, ${src})${h.uptimeSeconds === null ? '' : `, up ${formatUptime(h.uptimeSeconds)}`}`);
  const machine = machineText(h);
  if (machine) out.push(`- Machine: ${md(machine)}`);
  out.push(
    h.source === 'snapshot'
      ? `- Captured: ${formatTime(h.capturedAt)}; replayed ${formatTime(report.startedAt)} with syncdoctor ${md(report.tool.version)} (exit code ${report.exitCode})`
      : `- Checked: ${formatTime(report.startedAt)} with syncdoctor ${md(report.tool.version)} (exit code ${report.exitCode})`,
  );
  if (report.rebootRequired) out.push('- **A reboot is pending** after the repairs below.');
  if (report.repairRefused) out.push(`- **Repairs were refused:** ${md(report.repairRefused)}`);
  out.push('');

  for (const agent of report.agents) out.push(...renderAgent(agent, options));

  if (report.actions.length) {
    out.push('#### Repairs done');
    out.push('');
    for (const a of report.actions) {
      out.push(`- ${formatTime(a.at)} ${md(`${a.agent}.${a.check}`)}: ${md(a.remediation)} (${md(a.action)}, ${a.risk}) → ${md(a.outcome)}${a.detail ? ` — ${md(a.detail)}` : ''}`);
    }
    out.push('');
  }
  if (options.verbose || report.agents.length === 0) {
    out.push('#### Host facts read');
    out.push('');
    for (const f of h.facts) out.push(`- ${md(f)}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function renderAgent(agent: AgentResult, options: MarkdownOptions): string[] {
  const out: string[] = [];
  out.push(`#### ${md(agent.name)} (${md(agent.id)}): ${STATUS_LABEL[agent.status]}`);
  out.push('');
  out.push(agent.detected ? `Detected: ${md(agent.detectedBy.join('; '))}` : `${capitalise(notDetectedText(agent))}.`);
  out.push('');
  for (const c of agent.checks) if (!c.guard) out.push(...renderCheck(c, options));
  const guards = agent.checks.filter((c) => c.guard);
  if (guards.length) {
    out.push('');
    out.push('Safety conditions for repairs (not faults):');
    out.push('');
    for (const g of guards) {
      const met = g.state === 'pass' ? 'met' : g.state === 'fail' ? '**not met**' : `unknown (${g.state})`;
      out.push(`- ${md(g.title)}: ${met} — ${md(g.summary)}`);
    }
  }
  if (agent.notConfigured.length) {
    out.push('');
    out.push(`**Not configured:** ${md(notConfiguredText(agent.notConfigured))}.`);
  }
  if (agent.nextSteps.length) {
    out.push('');
    out.push('**Next steps**');
    out.push('');
    agent.nextSteps.forEach((s, i) => out.push(`${i + 1}. ${md(s)}`));
  }
  if (agent.docs.length) {
    out.push('');
    out.push(`Vendor guidance: ${agent.docs.map((d) => `[${md(d.title)}](${d.url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`).join('; ')}`);
  }
  out.push('');
  return out;
}

function renderCheck(c: CheckResult, options: MarkdownOptions): string[] {
  const severity = c.state === 'fail' && c.severity === 'warning' ? ' (severity warning: counts as WARNING)' : '';
  const out = [`- **${STATE_LABEL[c.state]}** ${md(c.title)}${severity} — ${md(c.summary)}`];
  if (c.state === 'pass' && !options.verbose) return out;
  if (c.error && c.error !== c.summary) out.push(`  - cause: ${md(c.error)}`);
  for (const e of c.evidence) out.push(`  - ${md(e)}`);
  // What was repaired belongs in the note; what could be is in the agent's next steps.
  for (const r of c.remediations) if (r.applied) out.push(`  - repaired: ${md(r.title)} (${r.risk}) — ${md(r.outcome ?? 'done')}`);
  return out;
}

/**
 * Escapes what Markdown would act on: a backslash only before punctuation (so `C:\Users` stays
 * as it is), emphasis and link characters, HTML, table pipes. Line breaks become spaces.
 */
export function md(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
    .replace(/[`*[\]<>|]/g, (c) => `\\${c}`)
    .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'))
    .replace(/&(?=#?\w+;)/g, '&amp;');
}

/** An inline code span that holds any text (longer backtick fences around backticks). */
function code(text: string): string {
  const t = text.replace(/\r?\n|\r/g, ' ');
  const runs = t.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? md(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
