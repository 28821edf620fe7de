// `syncdoctor check`: host → playbooks → settings → diagnosis → (with --fix or --dry-run: the
// remediation ladders) → report → exit code.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MAX_TIMER_MS } from '../core/duration.js';
import { errorMessage, UsageError } from '../core/errors.js';
import { checkOutputs } from '../host/output-file.js';
import type { Report, RiskT } from '../core/report.js';
import { HostFacts } from '../host/facts.js';
import type { Host } from '../host/host.js';
import { resolvePlaybook, parseSetOption, type ResolvedPlaybook, type Settings, type SettingsLayer } from '../playbook/resolve.js';
import { runDiagnosis } from '../engine/run.js';
import { anyNeedsRepair, distrustInputs, refuseRepairs } from '../engine/status.js';
import type { Judged } from '../engine/earlier.js';
import type { Asker } from '../probes/probe.js';
import type { KnownAgents } from '../playbook/config.js';
import { loadAllPlaybooks } from './load-playbooks.js';
import { renderReport, writeReportFile } from './render.js';
import { siteConfigFile } from './site-config.js';
import { printableLines } from '../core/printable.js';

/** The longest status a one-line report starts with, "SYNCDOCTOR CRITICAL": --max-length leaves it whole. */
const NAGIOS_MIN_LENGTH = 'SYNCDOCTOR CRITICAL'.length;

export interface Diagnosis {
  report: Report;
  playbooks: ResolvedPlaybook[];
  host: Host;
  /** The agents this PC must have (--expect, site config, a replayed snapshot's). */
  expected: string[];
  /** Aborted at the run's deadline, and when the run ends (stops leftover commands). */
  deadline: AbortController;
  /** When a repair must stop waiting for evidence: the deadline, less time to write the report (ms since the epoch). */
  runEndsAt: number;
  /** Earlier fixes judged from the audit log, for a repair run to write back. */
  judged: Judged[];
  /** A restart an earlier run scheduled whose evidence is still awaited. */
  restartPending?: { title: string; by: string };
  /** The audit log's size when this run read it (live runs): a repair acts only on the history it judged. */
  auditBytesSeen?: number;
  dispose(): void;
}

const DEFAULT_TIMEOUT_S = 120;
/** Repairs wait for agents to restart and backlogs to clear: a longer default deadline. */
export const DEFAULT_REPAIR_TIMEOUT_S = 1200;

/** `liveHost` replaces the live host (`syncdoctor snapshot` records through one). */
export async function diagnose(agents: string[], opts: Record<string, unknown>, asker: Asker | undefined, defaultTimeout = DEFAULT_TIMEOUT_S, liveHost?: Host): Promise<Diagnosis> {
  const timeoutSeconds = opts.timeout === undefined ? defaultTimeout : Number(opts.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${String(opts.timeout)}: expected a number of seconds > 0`);
  // A timer holds at most 2^31-1 ms; a longer deadline would fire at once and fail every check.
  const maxSeconds = Math.floor(MAX_TIMER_MS / 1000);
  if (timeoutSeconds > maxSeconds) throw new UsageError(`--timeout ${String(opts.timeout)}: at most ${maxSeconds} seconds (24 days 20 hours)`);
  const sets = ((opts.set as string[] | undefined) ?? []).map(parseSetOption);

  // The deadline covers loading too: a slow input leaves less time to the checks, never more.
  const deadline = new AbortController();
  const deadlineMs = timeoutSeconds * 1000;
  const runEndsAt = Date.now() + deadlineMs - Math.min(5000, deadlineMs / 10);
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  const dispose = () => {
    clearTimeout(timer);
    // Whatever is still running (a hung command a timed-out check left behind) is stopped now.
    deadline.abort();
  };
  try {
    return await diagnoseWithin(agents, opts, asker, sets, liveHost, { deadline, deadlineMs, runEndsAt, dispose });
  } catch (err) {
    dispose();
    throw err;
  }
}

async function diagnoseWithin(
  agents: string[],
  opts: Record<string, unknown>,
  asker: Asker | undefined,
  sets: ReturnType<typeof parseSetOption>[],
  liveHost: Host | undefined,
  run: { deadline: AbortController; deadlineMs: number; runEndsAt: number; dispose: () => void },
): Promise<Diagnosis> {
  const { deadline, deadlineMs, runEndsAt, dispose } = run;
  const host = liveHost ?? (await openHost(opts.snapshot));
  const untrusted: string[] = [];
  const loaded = await loadAllPlaybooks(opts.playbooks, opts.allowOverride, untrusted);
  const known: KnownAgents = new Map(loaded.map((p) => [p.spec.id, Object.fromEntries(Object.entries(p.spec.vars ?? {}).map(([k, v]) => [k, Array.isArray(v.default) ? 'list' : 'text'] as const))]));
  const ids = [...known.keys()];
  const unknownAgent = (what: string, a: string) => new UsageError(`${what}: unknown agent "${a}"; expected one of: ${ids.join(', ')}`);
  for (const a of agents) if (!known.has(a)) throw unknownAgent('check', a);
  for (const s of sets) {
    if (!known.has(s.agent)) throw unknownAgent(`--set ${s.agent}.${s.name}`, s.agent);
    // Only a variable the playbook declares (never an object built-in such as toString).
    const vars = Object.keys(known.get(s.agent)!);
    if (!vars.includes(s.name)) throw new UsageError(`--set ${s.agent}.${s.name}: ${s.agent} has no variable "${s.name}"; expected one of: ${vars.join(', ') || 'none'}`);
  }
  const expectOpt = (opts.expect as string[] | undefined) ?? [];
  for (const a of expectOpt) if (!known.has(a)) throw unknownAgent(`--expect ${a}`, a);

  const layers: SettingsLayer[] = [];
  let site: string | undefined;
  const expected = new Set(expectOpt);
  if (host.source === 'snapshot') {
    const snap = (host as import('../host/snapshot.js').SnapshotHost).snapshot;
    if (snap.settings) layers.push({ settings: snap.settings, origin: `snapshot ${String(opts.snapshot)}`, kind: 'input' });
    site = snap.site;
    for (const a of snap.expect ?? []) if (known.has(a)) expected.add(a);
  }
  const configFile = await siteConfigFile(opts.config, host.source === 'snapshot');
  const configDistrust = configFile ? await (await import('../host/trust.js')).untrustedWhenElevated(configFile) : undefined;
  if (configFile && configDistrust) {
    // The run goes on as if it were not there: checks that need its settings are UNKNOWN.
    untrusted.push(`config ${configFile} was not read: ${configDistrust}`);
  } else if (configFile) {
    const { loadConfig } = await import('../playbook/config.js');
    const config = await loadConfig(configFile, known);
    layers.push({ settings: config.settings, origin: configFile, kind: 'input' });
    site = config.site;
    for (const a of config.expect) expected.add(a);
  }
  if (typeof opts.site === 'string') site = opts.site;
  if (sets.length) {
    const settings: Settings = {};
    for (const s of sets) (settings[s.agent] ??= {})[s.name] = s.value;
    layers.push({ settings, origin: '--set', kind: 'usage' });
  }
  const selected = agents.length ? loaded.filter((p) => agents.includes(p.spec.id) || expected.has(p.spec.id)) : loaded;
  const playbooks = selected.map((pb) => resolvePlaybook(pb, layers));

  const facts = new HostFacts(host, { signal: deadline.signal });
  const report = await runDiagnosis({ facts, playbooks, named: agents, expected: [...expected], deadline: deadline.signal, deadlineMs, ...(site !== undefined ? { site } : {}), ...(asker ? { asker } : {}) });
  // What earlier repairs on this PC did and whether it worked (a snapshot is another PC's record).
  const { judged, restartPending, auditBytesSeen } = host.source === 'live' ? await judgeEarlierRepairs(report, playbooks, opts) : { judged: [] };
  for (const why of untrusted) process.stderr.write(`syncdoctor: not trusted: ${why}\n`);
  distrustInputs(report, untrusted);
  return { report, playbooks, host, expected: [...expected], deadline, runEndsAt, judged, ...(restartPending ? { restartPending } : {}), ...(auditBytesSeen !== undefined ? { auditBytesSeen } : {}), dispose };
}

/** The audit log: --audit-log, else the documented default. */
async function auditLogPath(opts: Record<string, unknown>): Promise<string> {
  return typeof opts.auditLog === 'string' ? opts.auditLog : (await import('../host/audit.js')).defaultAuditPath();
}

/** Reads the audit log's tail and judges the fixes earlier runs left awaiting their evidence. */
async function judgeEarlierRepairs(
  report: Report,
  playbooks: ResolvedPlaybook[],
  opts: Record<string, unknown>,
): Promise<{ judged: Judged[]; restartPending?: { title: string; by: string }; auditBytesSeen?: number }> {
  const { readAuditTail } = await import('../host/audit.js');
  const file = await auditLogPath(opts);
  // Its size before reading: a record appended after this is one this run did not judge.
  const auditBytesSeen = await auditBytes(file);
  let records;
  try {
    records = await readAuditTail(file);
  } catch (err) {
    report.host.facts.push(`audit log ${file}: could not be read (${errorMessage(err)}); earlier repairs not judged`);
    return { judged: [] };
  }
  if (records.length === 0) return { judged: [], auditBytesSeen };
  const { applyEarlierFixes } = await import('../engine/earlier.js');
  const { hostname } = await import('node:os');
  return { ...applyEarlierFixes(report, playbooks, records, Date.now(), hostname()), auditBytesSeen };
}

/** The audit log's size in bytes (0 when there is none yet). */
async function auditBytes(file: string): Promise<number> {
  const { stat } = await import('node:fs/promises');
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

export async function checkCommand(agents: string[], opts: Record<string, unknown>): Promise<number> {
  const format = opts.json ? 'json' : String(opts.format ?? 'text');
  const fixing = opts.fix === true || opts.dryRun === true;
  const maxLength = opts.maxLength === undefined ? undefined : Number(opts.maxLength);
  if (maxLength !== undefined) {
    if (format !== 'nagios') throw new UsageError('--max-length goes with --format nagios (the one-line format)');
    // Shorter than "SYNCDOCTOR CRITICAL" would cut the status word itself: the one thing a monitor needs.
    if (!Number.isSafeInteger(maxLength) || maxLength < NAGIOS_MIN_LENGTH) throw new UsageError(`--max-length ${String(opts.maxLength)}: expected a whole number of characters ≥ ${NAGIOS_MIN_LENGTH} (room for the status, "SYNCDOCTOR CRITICAL")`);
  }
  if (opts.allow !== undefined && !fixing) throw new UsageError('--allow goes with --fix (or --dry-run)');
  const interactive = opts.prompt !== false && format === 'text' && opts.snapshot === undefined && isInteractive();
  // Before anything runs (repairs least of all): a report file that cannot be written is exit 73.
  const outputs = [opts.output ?? []].flat().map(String);
  const inputs = [
    ...(typeof opts.snapshot === 'string' ? [{ file: opts.snapshot, what: 'snapshot' }] : []),
    ...(typeof opts.config === 'string' ? [{ file: opts.config, what: 'config' }] : []),
  ];
  await checkOutputs(outputs, '--output', inputs);
  const asker = interactive && !fixing ? await makeAsker() : undefined;
  // A person answering questions needs more than an RMM script window.
  const d = await diagnose(agents, opts, asker, fixing || asker ? DEFAULT_REPAIR_TIMEOUT_S : DEFAULT_TIMEOUT_S);
  try {
    if (fixing) {
      if (d.host.source === 'snapshot' && opts.fix === true && opts.dryRun !== true) {
        throw new UsageError('--fix cannot repair a snapshot (it is a record, not the PC); use --dry-run to see the plan');
      }
      await unattendedRepair(d, opts);
    }
    const unwritten: string[] = [];
    for (const file of outputs) await writeReportFile(file, d.report).catch((err: unknown) => unwritten.push(errorMessage(err)));
    // The verdict stands on stdout; a report the RMM expected and did not get is not OK either.
    if (unwritten.length && d.report.exitCode < 2) d.report.exitCode = 3;
    process.stdout.write(await renderReport(d.report, format, { verbose: opts.verbose === true, color: opts.color !== false, ...(maxLength !== undefined ? { maxLength } : {}) }));
    for (const why of unwritten) process.stderr.write(`syncdoctor: ${why}\n`);
    return d.report.exitCode;
  } finally {
    d.dispose();
  }
}

/** --fix (risk within --allow) or --dry-run (the plan only): never prompts; progress on stderr. */
async function unattendedRepair(d: Diagnosis, opts: Record<string, unknown>): Promise<void> {
  const allow = (opts.allow as RiskT | undefined) ?? 'safe';
  const dryRun = opts.dryRun === true;
  const { runLadders } = await import('../engine/ladder.js');
  const say = (line: string) => process.stderr.write(`${printableLines(line)}\n`);
  // Only a run with something to repair needs the history it judged to be the latest.
  const session = dryRun ? undefined : await openRepairSession(opts, `check --fix --allow ${allow}`, anyNeedsRepair(d.report) ? d.auditBytesSeen : undefined);
  if (session && 'refused' in session) {
    say(`Not repairing: ${session.refused}.`);
    refuseRepairs(d.report, session.refused);
    return;
  }
  try {
    await runLadders({
      report: d.report,
      playbooks: d.playbooks,
      host: d.host,
      newFacts: () => new HostFacts(d.host, { signal: d.deadline.signal }),
      consent: {
        allow,
        interactive: false,
        confirm: async () => 'apply',
        // Only reached with --allow reboot: restart with the playbook's delay, warning users.
        reboot: async () => ({ choice: 'later' }),
        manual: async () => 'cannot',
      },
      ...(session ? { audit: session.audit } : {}),
      judged: d.judged,
      ...(d.restartPending ? { restartPending: d.restartPending } : {}),
      runEndsAt: d.runEndsAt,
      dryRun,
      say,
      signal: d.deadline.signal,
    });
  } finally {
    await session?.lock.release();
  }
}

/** The audit log and the repair lock beside it (one repair per PC at a time). */
export type RepairSession =
  | { lock: import('../host/audit.js').RepairLock; audit: import('../host/audit.js').AuditLog }
  | { refused: string };

export async function openRepairSession(opts: Record<string, unknown>, command: string, auditBytesSeen?: number): Promise<RepairSession> {
  const { AuditLog, RepairLock, lockPathFor } = await import('../host/audit.js');
  const file = await auditLogPath(opts);
  let lock;
  try {
    lock = await RepairLock.acquire(lockPathFor(file), command);
  } catch (err) {
    throw new UsageError(`cannot use the audit log folder for ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); choose another with --audit-log FILE`);
  }
  if ('heldBy' in lock) {
    const h = lock.heldBy;
    return { refused: `another repair holds the lock (pid ${h.pid} on ${h.host}, since ${h.startedAt})` };
  }
  const audit = new AuditLog(file, randomBytes(4).toString('hex'));
  // A repair is only done with its record: an audit log that is a link (or no file) refuses it.
  const problem = await audit.problem();
  if (problem) {
    await lock.release();
    return { refused: `the audit log ${file} cannot be trusted: ${problem}` };
  }
  // Run elevated, its folder (lock and log) must be an administrator's alone: another user could
  // block every repair with a planted lock, or feed later runs a forged history.
  const { untrustedWhenElevated } = await import('../host/trust.js');
  const folder = await untrustedWhenElevated(path.dirname(path.resolve(file)));
  if (folder) {
    await lock.release();
    return { refused: `the audit log's folder is not an administrator's alone (${folder}); make it admin-only, see docs/rmm.md` };
  }
  // Another repair finished between this run's reading of the history and its taking the lock:
  // what that repair did (and awaits) was not judged here, so this run does nothing.
  if (auditBytesSeen !== undefined && (await auditBytes(file)) !== auditBytesSeen) {
    await lock.release();
    return { refused: `the audit log changed while this run was diagnosing (another repair finished meanwhile); the next run starts from what it did` };
  }
  return { lock, audit };
}

async function openHost(snapshot: unknown): Promise<Host> {
  if (typeof snapshot === 'string') {
    const { loadSnapshot } = await import('../host/snapshot.js');
    return loadSnapshot(snapshot);
  }
  const { LiveHost } = await import('../host/live.js');
  return new LiveHost();
}

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}

export async function makeAsker(): Promise<Asker> {
  const { select } = await import('@inquirer/prompts');
  return {
    // Pasted tables span many lines: read until an empty line (a one-line prompt would keep only the first).
    async input(question, help) {
      for (const h of help) process.stdout.write(`  ${h}\n`);
      process.stdout.write(`${question}\n(paste, then press Enter on an empty line; an empty answer skips)\n`);
      const { createInterface } = await import('node:readline');
      const rl = createInterface({ input: process.stdin, terminal: false });
      const lines: string[] = [];
      try {
        for await (const line of rl) {
          if (line.trim() === '') break;
          lines.push(line);
        }
      } finally {
        rl.close();
      }
      return lines.length ? lines.join('\n') : undefined;
    },
    async ask(question, help) {
      for (const h of help) process.stdout.write(`  ${h}\n`);
      return select({
        message: question,
        choices: [
          { name: 'Yes', value: 'yes' as const },
          { name: 'No', value: 'no' as const },
          { name: "Skip (can't tell)", value: 'skip' as const },
        ],
      });
    },
  };
}
