// The text report, for people: per agent, each check with its state, what was seen, and the
// numbered next steps. Pure: colour comes in as a set of functions (identity when off).
import type { AgentResult, CheckResult, CheckStateT, Report, StatusT } from '../core/report.js';
import { machineText, notConfiguredText, notDetectedText, STATE_LABEL, STATUS_LABEL } from '../core/report.js';
import { printableCopy } from '../core/printable.js';

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  grey(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

export const NO_PAINT: Paint = { red: id, yellow: id, green: id, grey: id, bold: id, cyan: id };
function id(s: string): string {
  return s;
}

export interface TextOptions {
  paint?: Paint;
  verbose?: boolean;
}


export function renderText(raw: Report, options: TextOptions = {}): string {
  // A user name or window title with an escape sequence must not drive the terminal.
  const report = printableCopy(raw);
  const p = options.paint ?? NO_PAINT;
  const out: string[] = [];
  const h = report.host;
  const src = h.source === 'snapshot' ? `snapshot ${h.snapshotFile ?? ''}`.trim() : 'live';
  out.push(p.bold(`syncdoctor ${report.tool.version} — ${h.hostname} (${h.platform}, ${src})`));
  const up = h.uptimeSeconds === null ? 'unknown' : `${formatUptime(h.uptimeSeconds)}${h.bootTime ? `, booted ${h.bootTime}` : ''}`;
  out.push(`Uptime: ${up}`);
  const machine = machineText(h);
  if (machine) out.push(`Machine: ${machine}`);
  if (h.source === 'snapshot') out.push(`Captured: ${h.capturedAt}`);
  out.push('');

  if (report.agents.length === 0) {
    out.push(report.summary);
    out.push('');
    out.push('Host facts read:');
    for (const f of h.facts) out.push(`  - ${f}`);
    out.push('');
    out.push(`Result: ${colourStatus(report.status, p)}`);
    return `${out.join('\n')}\n`;
  }

  for (const agent of report.agents) out.push(...renderAgent(agent, p, options));
  if (report.actions.length) {
    out.push(p.bold('What was done:'));
    for (const a of report.actions) out.push(`  [${a.outcome}] ${a.agent}/${a.check}: ${a.remediation}${a.detail ? ` — ${a.detail}` : ''}`);
    out.push('');
  }
  if (report.rebootRequired) out.push(p.yellow('A restart is pending: the fix takes effect after the PC restarts.'), '');
  if (report.repairRefused) out.push(p.red(`Repairs were refused: ${report.repairRefused}`), '');
  for (const why of report.untrustedInputs ?? []) out.push(p.red(`Not trusted: ${why}`));
  if (report.untrustedInputs?.length) out.push('');
  if (options.verbose) {
    out.push('Host facts read:');
    for (const f of h.facts) out.push(`  - ${f}`);
    out.push('');
  }
  out.push(`Result: ${colourStatus(report.status, p)} — ${report.summary}`);
  return `${out.join('\n')}\n`;
}

function renderAgent(agent: AgentResult, p: Paint, options: TextOptions): string[] {
  const out: string[] = [];
  out.push(p.bold(`${agent.name} (${agent.id}) — ${colourStatus(agent.status, p)}`));
  if (agent.detected) out.push(p.grey(`  detected: ${agent.detectedBy.join('; ')}`));
  else out.push(p.grey(`  ${notDetectedText(agent)}`));
  out.push('');
  for (const c of agent.checks) if (!c.guard) out.push(...renderCheck(c, p, options));
  const guards = agent.checks.filter((c) => c.guard);
  if (guards.length) {
    out.push(p.bold('  Safety guards (conditions for repairs; not faults):'));
    for (const g of guards) {
      const met = g.state === 'pass' ? p.green('met') : g.state === 'fail' ? p.yellow('NOT met') : p.yellow(`unknown (${g.state})`);
      out.push(`    ${g.title}: ${met} — ${g.summary}`);
      if (options.verbose || g.state !== 'pass') for (const e of g.evidence) out.push(p.grey(`         · ${e}`));
    }
    out.push('');
  }
  if (agent.notConfigured.length) out.push(p.yellow(`  Not configured: ${notConfiguredText(agent.notConfigured)}.`), '');
  if (agent.nextSteps.length) {
    out.push(p.bold('  Next steps:'));
    agent.nextSteps.forEach((s, i) => out.push(`    ${i + 1}. ${s}`));
    out.push('');
  }
  if (agent.docs.length) {
    out.push(p.grey(`  Vendor guidance: ${agent.docs.map((d) => `${d.title} <${d.url}>`).join('; ')}`));
    out.push('');
  }
  return out;
}

function renderCheck(c: CheckResult, p: Paint, options: TextOptions): string[] {
  const out: string[] = [];
  const was = c.before ? p.grey(` (was ${STATE_LABEL[c.before.state]}: ${c.before.summary})`) : '';
  // A failed check of severity warning makes the verdict WARNING, not CRITICAL: say so where it shows.
  out.push(`  ${colourState(c.state, p)} ${c.title}${c.severity === 'warning' && c.state === 'fail' ? p.grey(' (severity warning: counts as WARNING)') : ''}${was}`);
  out.push(`         ${c.summary}`);
  if (c.error && c.error !== c.summary) out.push(p.grey(`         cause: ${c.error}`));
  if (c.confirmBy) out.push(p.grey(`         confirm by: ${c.confirmBy} (a later run judges the fix)`));
  const evidence = options.verbose || c.state !== 'pass' ? c.evidence : c.evidence.slice(0, 2);
  for (const e of evidence) out.push(p.grey(`         · ${e}`));
  if (c.remediations.length) {
    c.remediations.forEach((r, i) => {
      out.push(`         ${p.cyan(`${i + 1}.`)} ${r.title} ${p.grey(`[${r.risk}]`)}`);
      for (const m of r.manual) out.push(`            - ${m}`);
      if (r.plan) for (const line of r.plan) out.push(p.grey(`            would: ${line}`));
      for (const c of r.commands ?? (r.command ? [r.command] : [])) out.push(p.grey(`            runs: ${formatArgv(c)}`));
      if (r.guards.length) out.push(p.grey(`            only when these pass: ${r.guards.join(', ')}`));
      if (r.confirm) out.push(p.grey(`            shows it worked: ${r.confirm.what}, within ${r.confirm.within}`));
    });
  }
  out.push('');
  return out;
}

/** argv for display: arguments with spaces or quotes are quoted. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (a === '' || /[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ');
}

function colourState(s: CheckStateT, p: Paint): string {
  const label = `[${STATE_LABEL[s]}]`.padEnd(10);
  switch (s) {
    case 'pass':
      return p.green(label);
    case 'warn':
      return p.yellow(label);
    case 'fail':
      return p.red(label);
    case 'unknown':
    case 'awaiting':
      return p.yellow(label);
    default:
      return p.grey(label);
  }
}

function colourStatus(s: StatusT, p: Paint): string {
  const label = STATUS_LABEL[s];
  return s === 'ok' ? p.green(label) : s === 'critical' ? p.red(label) : p.yellow(label);
}

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m` : `${m}m`;
}
