// Runs playbooks against a host: detection, then each agent's checks concurrently (a check waits
// only for its `needs`), each under its own timeout and the run's deadline; results keep the
// playbook's order.
import { setMaxListeners } from 'node:events';
import { formatDuration, parseDuration } from '../core/duration.js';
import { errorMessage, HostError } from '../core/errors.js';
import type { AgentResult, CheckResult, RemediationResult, Report } from '../core/report.js';
import { countsText, DETECTION_UNDECIDED_CHECK, notConfiguredText, REPORT_SCHEMA_VERSION } from '../core/report.js';
import { TOOL_NAME, VERSION } from '../core/version.js';
import type { HostFacts } from '../host/facts.js';
import type { ResolvedCall, ResolvedCheck, ResolvedPlaybook } from '../playbook/resolve.js';
import type { Asker, ProbeOutcome } from '../probes/probe.js';
import { addCounts, exitCodeOf, statusOf, tally } from './status.js';
import { markUndecided, type CheckSetup } from './undecided.js';
import { evidenceWindow } from './decide.js';
import { causeOrder, causesIn } from './causes.js';

const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
const BASICS_GRACE_MS = 250;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export interface RunOptions {
  facts: HostFacts;
  playbooks: ResolvedPlaybook[];
  /** Agents named on the command line: diagnosed even when not detected. */
  named: string[];
  /** Agents that must be on this PC (--expect, site config): not detected is CRITICAL. */
  expected?: string[];
  /** The customer or site tag of this PC. */
  site?: string;
  asker?: Asker;
  /** Aborted at the run's deadline. */
  deadline: AbortSignal;
  deadlineMs?: number;
  startedAt?: Date;
}

export async function runDiagnosis(opts: RunOptions): Promise<Report> {
  // Every running check and command listens for the deadline: dozens at once are expected, not a
  // leak (node would print a MaxListenersExceededWarning on stderr from the 11th).
  setMaxListeners(0, opts.deadline);
  const { facts } = opts;
  const started = Date.now();
  const startedAt = opts.startedAt ?? new Date();
  const basics = readHostBasics(facts);
  const machine = facts.machine();
  const agents = await Promise.all(opts.playbooks.map((pb) => diagnoseAgent(pb, opts)));
  // The basics are for the reader; a hung command must not hold the report once the checks are done.
  await Promise.race([basics, delay(BASICS_GRACE_MS)]);
  const expected = new Set(opts.expected ?? []);
  const shown = opts.named.length ? agents : agents.filter((a) => a.detected || expected.has(a.id) || a.checks.length > 0);
  // Like the basics: an uptime the host cannot give (or never gives) must not hold the report.
  const uptime = await Promise.race([facts.uptimeSeconds().catch(() => null), delay(BASICS_GRACE_MS).then(() => null)]);
  const identity = await Promise.race([machine.catch(() => null), delay(BASICS_GRACE_MS).then(() => null)]);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: VERSION },
    host: {
      hostname: facts.host.hostname(),
      site: opts.site ?? null,
      machineId: identity?.machineId ?? null,
      os: identity?.os ?? null,
      capturedAt: facts.host.source === 'snapshot' ? facts.now().toISOString() : startedAt.toISOString(),
      platform: facts.platform,
      uptimeSeconds: uptime,
      bootTime: uptime === null ? null : new Date(facts.now().getTime() - uptime * 1000).toISOString(),
      source: facts.host.source,
      ...(facts.host.origin ? { snapshotFile: facts.host.origin } : {}),
      facts: [...facts.readLog],
    },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - started,
    status: 'ok',
    exitCode: 0,
    counts: tally([]),
    summary: '',
    agents: shown,
    actions: [],
    rebootRequired: false,
  };
  return finishReport(report, opts.playbooks.length);
}

/** Who is logged on and what runs: shown even when no agent is installed. Failures are noted, not fatal. */
async function readHostBasics(facts: HostFacts): Promise<void> {
  await Promise.all([
    facts.processes({ owners: false }).catch((err: unknown) => facts.readLog.push(`process list: could not be read (${errorMessage(err)})`)),
    facts
      .sessions()
      .then((s) => facts.readLog.push(`interactive logons: ${s.length ? s.map((x) => `${x.user} (${x.state})`).join(', ') : 'none'}`))
      .catch((err: unknown) => facts.readLog.push(`interactive logons: could not be read (${errorMessage(err)})`)),
  ]);
}

function runSummary(agents: AgentResult[], known: number): string {
  if (agents.length === 0) return `No supported sync agent is installed on this PC (looked for ${known}).`;
  const counts = (a: AgentResult) => {
    return `${a.name}: ${a.status.toUpperCase()} (${countsText(a.counts)})${a.notConfigured.length ? `; ${notConfiguredText(a.notConfigured)}` : ''}`;
  };
  return agents.map(counts).join('; ');
}

async function diagnoseAgent(pb: ResolvedPlaybook, opts: RunOptions): Promise<AgentResult> {
  const detectOutcomes = await Promise.all(pb.detect.map((call) => runCall(call, opts, DEFAULT_CHECK_TIMEOUT_MS)));
  const detectedBy = detectOutcomes.filter((o) => o.state === 'pass').map((o) => o.summary);
  const detected = detectedBy.length > 0;
  const base = {
    id: pb.spec.id,
    name: pb.spec.name,
    vendor: pb.spec.vendor,
    detected,
    detectedBy,
    docs: pb.spec.docs ?? [],
  };
  const expected = opts.expected?.includes(pb.spec.id) ?? false;
  if (!detected && !opts.named.includes(pb.spec.id) && !expected) {
    // A rule that could not tell (access denied, a hung command, the deadline) is not "not installed".
    const undecided = detectOutcomes.filter((o) => o.state === 'unknown');
    const checks = undecided.length ? [detectionUndecided(pb, undecided)] : [];
    return finishAgent({ ...base, status: 'ok', counts: tally([]), notConfigured: [], checks, nextSteps: [] }, pb);
  }
  let checks = await runChecks(pb, opts);
  if (expected && !detected) checks.unshift(missingExpected(pb, detectOutcomes));
  let notConfigured: string[] = [];
  // Nobody to answer questions (RMM, --json, a snapshot, no terminal): what could not be told
  // must not pass for OK.
  if (!opts.asker) ({ checks, notConfigured } = markUndecided(checks, checkSetup(pb)));
  return finishAgent({ ...base, status: 'ok', counts: tally([]), notConfigured, checks, nextSteps: [] }, pb);
}

/** The finding for an agent whose detection could not tell whether it is installed: UNKNOWN, never left out. */
function detectionUndecided(pb: ResolvedPlaybook, undecided: ProbeOutcome[]): CheckResult {
  return {
    id: DETECTION_UNDECIDED_CHECK,
    title: `Whether ${pb.spec.name} is installed on this PC`,
    state: 'unknown',
    severity: 'critical',
    summary: `Could not tell whether ${pb.spec.name} is installed (detection did not decide; see the evidence)`,
    evidence: undecided.map((o) => `detection: ${o.summary}${o.error && !o.summary.includes(o.error) ? ` (${o.error})` : ''}`),
    durationMs: 0,
    error: undecided.map((o) => o.error).find((e) => e) ?? 'detection could not tell',
    remediations: [],
  };
}

/** The finding for an agent this PC must have (--expect, site config) that detection did not find. */
function missingExpected(pb: ResolvedPlaybook, outcomes: ProbeOutcome[]): CheckResult {
  return {
    id: 'expected-installed',
    title: `${pb.spec.name} is installed on this PC (expected by the site)`,
    state: 'fail',
    severity: 'critical',
    summary: `${pb.spec.name} is expected on this PC (--expect or the site config's expect), but it was not detected`,
    evidence: outcomes.length ? outcomes.map((o) => `detection: ${o.summary}`) : ['detection: no detection rule could run (its site settings are not set)'],
    durationMs: 0,
    error: null,
    remediations: [],
  };
}

function checkSetup(pb: ResolvedPlaybook): Map<string, CheckSetup> {
  const named = (vars: string[]) => vars.map((v) => `${pb.spec.id}.${v}`);
  return new Map(
    pb.checks.map((c) => [c.spec.id, { unset: [...new Set([...named(c.unsetVars), ...named(c.unsetReferenced), ...(c.call.unconfigured ?? [])])], fallback: c.unsetVars.length > 0 }]),
  );
}

/** An agent's status and next steps from its checks (again after repairs changed them). */
export function finishAgent(agent: AgentResult, pb: ResolvedPlaybook): AgentResult {
  const guards = new Set(pb.checks.filter((c) => c.spec.guard).map((c) => c.spec.id));
  // Guards are safety conditions for remediations, not faults: they do not count in the verdict.
  agent.counts = tally(agent.checks.map((c) => (guards.has(c.id) ? { ...c, guard: true } : c)));
  agent.status = statusOf(agent.counts);
  // Next steps go in cause order (the cause's fix before the symptom's); checks stay in the vendor's.
  agent.nextSteps = nextSteps(causeOrder(agent.checks, causesIn(pb)), guards);
  return agent;
}

/** The run's status, summary and exit code from its agents (again after repairs). */
export function finishReport(report: Report, playbookCount: number): Report {
  report.counts = addCounts(report.agents.map((a) => a.counts));
  report.status = statusOf(report.counts);
  report.exitCode = exitCodeOf(report);
  report.summary = runSummary(report.agents, playbookCount);
  return report;
}

/** Runs one check again, on its own, with the given (fresh) facts: re-verification and guards. */
export async function evaluateCheck(pb: ResolvedPlaybook, checkId: string, opts: RunOptions): Promise<CheckResult> {
  const check = pb.checks.find((c) => c.spec.id === checkId);
  if (!check) throw new Error(`no check ${checkId} in ${pb.spec.id}`);
  return runCheck(pb, check, [], opts);
}

async function runChecks(pb: ResolvedPlaybook, opts: RunOptions): Promise<CheckResult[]> {
  const promises = new Map<string, Promise<CheckResult>>();
  const byId = new Map(pb.checks.map((c) => [c.spec.id, c]));
  const start = (check: ResolvedCheck): Promise<CheckResult> => {
    let p = promises.get(check.spec.id);
    if (!p) {
      p = (async () => {
        const needs = await Promise.all((check.spec.needs ?? []).map((id) => start(byId.get(id)!)));
        return runCheck(pb, check, needs, opts);
      })();
      promises.set(check.spec.id, p);
    }
    return p;
  };
  return Promise.all(pb.checks.map(start));
}

async function runCheck(pb: ResolvedPlaybook, check: ResolvedCheck, needs: CheckResult[], opts: RunOptions): Promise<CheckResult> {
  const spec = check.spec;
  const t0 = Date.now();
  // A prerequisite that failed or could not be determined blocks; one left for a person to answer
  // (a guided question in an unattended run) does not, so its dependants still report what they can.
  const blocked = needs.filter((n) => n.state === 'fail' || n.state === 'unknown' || (n.state === 'skip' && !n.question));
  let outcome: ProbeOutcome;
  if (blocked.length) {
    outcome = {
      state: 'skip',
      summary: `Skipped: needs ${blocked.map((b) => `"${b.title}" (${b.state})`).join(' and ')} to pass first`,
    };
  } else {
    const timeout = spec.timeout ? parseDuration(spec.timeout)! : DEFAULT_CHECK_TIMEOUT_MS;
    outcome = await runCall(check.call, opts, timeout);
    if (check.unsetVars.length && outcome.state !== 'pass') {
      outcome.evidence = [...(outcome.evidence ?? []), `not configured: ${check.unsetVars.map((v) => `${pb.spec.id}.${v}`).join(', ')} (set with --config or --set to check this automatically)`];
    }
  }
  const failing = !spec.guard && (outcome.state === 'fail' || outcome.state === 'warn');
  const result: CheckResult = {
    id: spec.id,
    title: spec.title,
    state: outcome.state,
    severity: spec.severity ?? 'critical',
    summary: outcome.summary,
    evidence: outcome.evidence ?? [],
    durationMs: Date.now() - t0,
    error: outcome.state === 'unknown' ? outcome.error ?? outcome.summary : null,
    remediations: failing ? await ladder(pb, spec.remediate ?? [], opts, outcome) : [],
  };
  if (spec.guard) result.guard = true;
  const adviceIsNew = outcome.advice && !result.remediations.some((r) => r.title === outcome.advice!.title);
  if (outcome.advice && adviceIsNew && !spec.guard && outcome.state !== 'pass' && outcome.state !== 'skip') {
    result.remediations.unshift({
      id: `${spec.id}-advice`,
      title: outcome.advice.title,
      risk: outcome.advice.risk ?? 'safe',
      manual: outcome.advice.steps,
      guards: [],
      applied: false,
      outcome: null,
    });
  }
  if (outcome.question) result.question = outcome.question;
  if (outcome.answer) result.answer = outcome.answer;
  if (outcome.lastSeenAt) result.lastSeenAt = outcome.lastSeenAt;
  if (outcome.state === 'skip' && outcome.manual?.length) {
    result.remediations = [
      { id: `${spec.id}-ask`, title: 'Check by hand', risk: 'safe', manual: outcome.manual, guards: [], applied: false, outcome: null },
      ...(await ladder(pb, spec.remediate ?? [], opts, outcome)),
    ];
  }
  return result;
}

/** Runs one probe call under a timeout and the run's deadline; failures become state `error`. */
async function runCall(call: ResolvedCall, opts: RunOptions, timeoutMs: number): Promise<ProbeOutcome> {
  if (call.unconfigured) {
    const vars = call.unconfigured.join(', ');
    return { state: 'unknown', summary: `Not configured: set ${vars} (--config or --set)`, error: `site setting not set: ${vars}` };
  }
  if (opts.deadline.aborted) return { state: 'unknown', summary: 'Not run: the run deadline had passed', error: deadlineText(opts) };
  const ctl = new AbortController();
  const onDeadline = () => ctl.abort();
  opts.deadline.addEventListener('abort', onDeadline, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let remaining = timeoutMs;
  let armedAt = 0;
  let onTimeout = () => {};
  const arm = () => {
    armedAt = Date.now();
    timer = setTimeout(() => onTimeout(), remaining);
  };
  const limit = new Promise<ProbeOutcome>((resolve) => {
    onTimeout = () => {
      ctl.abort();
      resolve({ state: 'unknown', summary: `Could not tell: timed out after ${formatDuration(timeoutMs)}`, error: `probe ${call.probe.id} timed out after ${formatDuration(timeoutMs)}` });
    };
    arm();
    ctl.signal.addEventListener('abort', () => {
      if (opts.deadline.aborted) resolve({ state: 'unknown', summary: 'Could not tell: the run deadline was reached', error: deadlineText(opts) });
    });
  });
  // Time a person spends answering does not count against the check's timeout.
  const paused = async <T>(fn: () => Promise<T>): Promise<T> => {
    clearTimeout(timer);
    remaining = Math.max(0, remaining - (Date.now() - armedAt));
    try {
      return await fn();
    } finally {
      if (!ctl.signal.aborted) arm();
    }
  };
  const asker = opts.asker;
  const pausingAsker: Asker | undefined = asker && {
    ask: (q, h) => paused(() => asker.ask(q, h)),
    ...(asker.input ? { input: (q: string, h: readonly string[]) => paused(() => asker.input!(q, h)) } : {}),
  };
  try {
    const ctx = { facts: opts.facts, signal: ctl.signal, ...(pausingAsker ? { asker: pausingAsker } : {}) };
    return await Promise.race([call.probe.run(call.params as never, ctx).catch(probeError), limit]);
  } finally {
    clearTimeout(timer);
    opts.deadline.removeEventListener('abort', onDeadline);
  }
}

function deadlineText(opts: RunOptions): string {
  return opts.deadlineMs ? `the run deadline (--timeout ${formatDuration(opts.deadlineMs)}) was reached` : 'the run deadline was reached';
}

function probeError(err: unknown): ProbeOutcome {
  if (err instanceof HostError) return { state: 'unknown', summary: `Could not tell: ${err.message}`, error: err.message };
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return { state: 'unknown', summary: 'Could not tell: access denied', error: errorMessage(err) };
  // Anything else is a bug in a probe, but one probe's bug must not sink the run.
  return { state: 'unknown', summary: 'Could not tell: internal error in the probe', error: `internal error: ${errorMessage(err)}` };
}

async function ladder(pb: ResolvedPlaybook, ids: string[], opts: RunOptions, outcome: ProbeOutcome): Promise<RemediationResult[]> {
  return Promise.all(
    ids.map(async (id): Promise<RemediationResult> => {
      const r = pb.remediations.get(id)!;
      const result: RemediationResult = {
        id,
        title: r.spec.title,
        risk: r.spec.risk,
        manual: r.spec.manual ?? [],
        guards: r.spec.guards ?? [],
        applied: false,
        outcome: null,
      };
      const window = evidenceWindow([
        r.action?.settleMs ? { withinMs: r.action.settleMs, what: `the check passes once ${r.action.settleWhat ?? 'the change shows'}` } : undefined,
        r.evidenceMs !== undefined && r.spec.evidence ? { withinMs: r.evidenceMs, what: r.spec.evidence.what } : undefined,
        outcome.nextEvidence,
      ]);
      if (window) result.confirm = { what: window.what, within: formatDuration(window.withinMs), withinMs: window.withinMs };
      if (r.action && r.unconfigured) {
        result.action = r.action.id;
        result.plan = [`cannot be done automatically here: not configured (${r.unconfigured.join(', ')})`];
      } else if (r.action) {
        result.action = r.action.id;
        try {
          const plan = await r.action.plan(r.params as never, { facts: opts.facts });
          if (plan.blocked) result.plan = [`cannot be done automatically here: ${plan.blocked}`];
          else if (plan.steps.length === 0) result.plan = ['nothing to do'];
          else result.plan = plan.steps;
          if (plan.commands[0]) result.command = plan.commands[0];
          if (plan.commands.length > 1) result.commands = plan.commands;
        } catch (err) {
          result.plan = [`could not plan: ${errorMessage(err)}`];
        }
      }
      return result;
    }),
  );
}

/** The numbered next steps: guided questions first where they block, then each failing check's ladder. */
function nextSteps(checks: CheckResult[], guards: Set<string>): string[] {
  const steps: string[] = [];
  const titles = new Map(checks.map((c) => [c.id, `"${c.title}"`]));
  // A step that an earlier check already lists is not repeated: one numbered list to work down.
  const listed = new Set<string>();
  for (const c of checks) {
    if (guards.has(c.id)) continue;
    // A question left for a person (undecided or not) is asked at the PC.
    if ((c.state === 'skip' || c.state === 'unknown') && c.question && c.answer === undefined) {
      steps.push(`Ask at the PC (${c.title}): ${c.question}`);
      continue;
    }
    if (c.state === 'unknown' && c.remediations.length) {
      steps.push(`${c.title} — ${c.remediations[0]!.title}`);
      continue;
    }
    if (c.state !== 'fail' && c.state !== 'warn') continue;
    const ladder = c.remediations;
    if (!ladder.length) {
      steps.push(`${c.title}: ${c.summary}`);
      continue;
    }
    let first = true;
    ladder.forEach((r) => {
      if (listed.has(r.title)) return;
      listed.add(r.title);
      const prefix = first ? `${c.title} — ` : `If "${c.title}" still fails — `;
      first = false;
      const guard = r.guards.length ? ` — only when ${r.guards.map((g) => titles.get(g) ?? g).join(' and ')}` : '';
      steps.push(`${prefix}${r.title} (${r.risk})${guard}`);
    });
  }
  return steps;
}
