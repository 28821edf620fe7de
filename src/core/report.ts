// The result model: one report, rendered by pure functions in src/reporters. The TypeBox schema
// below is both the TypeScript type and the published JSON Schema (`syncdoctor schema report`).
import { Type, type Static } from '@sinclair/typebox';

export const REPORT_SCHEMA_VERSION = 2;

const CheckState = Type.Union(
  [Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail'), Type.Literal('skip'), Type.Literal('unknown'), Type.Literal('awaiting')],
  {
    description:
      'pass; warn; fail (counts as CRITICAL or WARNING by its severity); skip (not applicable or blocked, see summary); ' +
      'unknown (could not determine, the cause in error); awaiting (a fix was applied and its confirmation cannot arrive within the run: counts as WARNING)',
  },
);
const Severity = Type.Union([Type.Literal('critical'), Type.Literal('warning')]);
const Risk = Type.Union([Type.Literal('safe'), Type.Literal('disruptive'), Type.Literal('reboot'), Type.Literal('irreversible')], {
  description:
    'safe (changes nothing a person is using); disruptive (closes or restarts a program or service); reboot (restarts the PC); ' +
    'irreversible (deletes data or forces a full resync: only ever a manual step, never automated)',
});
const Status = Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('critical'), Type.Literal('unknown')]);

/** Checks counted by what each adds to the verdict (guards not counted); they add up to `checks`. */
export const CountsSchema = Type.Object(
  {
    checks: Type.Integer({ minimum: 0 }),
    critical: Type.Integer({ minimum: 0, description: 'failed checks of severity critical' }),
    unknown: Type.Integer({ minimum: 0, description: 'checks that could not be determined' }),
    warning: Type.Integer({ minimum: 0, description: 'warnings, failed checks of severity warning, fixes awaiting confirmation' }),
    ok: Type.Integer({ minimum: 0, description: 'passed checks' }),
    skip: Type.Integer({ minimum: 0, description: 'skipped checks (not applicable, blocked, or a question left for a person)' }),
  },
  { additionalProperties: false },
);

export const RemediationResultSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    risk: Risk,
    action: Type.Optional(Type.String({ description: 'the action id; absent for a step only a person can do' })),
    manual: Type.Array(Type.String(), { description: 'instructions for a person, in order' }),
    command: Type.Optional(Type.Array(Type.String(), { description: 'the exact argv of the first command it would run' })),
    commands: Type.Optional(Type.Array(Type.Array(Type.String()), { description: 'every command it would run, in order' })),
    plan: Type.Optional(Type.Array(Type.String(), { description: 'what applying it would change' })),
    guards: Type.Array(Type.String(), { description: 'check ids that must pass before it may run' }),
    confirm: Type.Optional(
      Type.Object(
        {
          what: Type.String({ description: 'what shows that it worked' }),
          within: Type.String({ description: 'how long that can take, e.g. "20m"' }),
          withinMs: Type.Number({ minimum: 0 }),
        },
        { additionalProperties: false, description: 'the evidence window: how long the check is re-run after the step before it counts as not fixing it' },
      ),
    ),
    applied: Type.Boolean(),
    outcome: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const CheckResultSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    state: CheckState,
    severity: Severity,
    guard: Type.Optional(Type.Boolean({ description: 'a safety condition for remediations; not counted in the status' })),
    summary: Type.String(),
    evidence: Type.Array(Type.String(), { description: 'what was seen' }),
    durationMs: Type.Number({ minimum: 0 }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'the cause, when state is unknown' }),
    question: Type.Optional(Type.String({ description: 'a question only a person can answer (guided check)' })),
    answer: Type.Optional(Type.String()),
    remediations: Type.Array(RemediationResultSchema, { description: 'the remediation ladder, in order' }),
    confirmBy: Type.Optional(
      Type.String({ format: 'date-time', description: 'state awaiting: the time by which the evidence (the next sync) should show that the fix worked' }),
    ),
    lastSeenAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'when what the check looks for last happened (the last sync it found)' }),
    ),
    earlierFix: Type.Optional(
      Type.Object(
        {
          remediation: Type.String(),
          title: Type.String(),
          at: Type.String({ format: 'date-time', description: 'when an earlier run applied it (from the audit log)' }),
          confirmBy: Type.String({ format: 'date-time' }),
          verdict: Type.Union([Type.Literal('confirmed'), Type.Literal('awaiting'), Type.Literal('not-confirmed'), Type.Literal('undetermined')], {
            description: 'confirmed: the check passes now; awaiting: not yet due; not-confirmed: past confirmBy and still failing; undetermined: the check could not tell',
          }),
        },
        { additionalProperties: false, description: "a fix an earlier run applied to this check and this run's judgement of it" },
      ),
    ),
    before: Type.Optional(
      Type.Object({ state: CheckState, summary: Type.String() }, { additionalProperties: false, description: 'the state before repairs changed it' }),
    ),
  },
  { additionalProperties: false },
);

export const AgentResultSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    vendor: Type.String(),
    detected: Type.Boolean(),
    detectedBy: Type.Array(Type.String(), { description: 'what matched, so a technician can confirm it' }),
    status: Status,
    counts: CountsSchema,
    notConfigured: Type.Array(Type.String(), { description: 'site settings (agent.variable) that would let its undecided checks decide; set them with --config or --set' }),
    checks: Type.Array(CheckResultSchema),
    nextSteps: Type.Array(Type.String(), { description: 'numbered next steps for a technician, in order' }),
    docs: Type.Array(Type.Object({ title: Type.String(), url: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const ActionRecordSchema = Type.Object(
  {
    at: Type.String({ format: 'date-time' }),
    agent: Type.String(),
    check: Type.String(),
    remediation: Type.String(),
    action: Type.String(),
    outcome: Type.Union(
      ['fixed', 'applied', 'awaiting', 'failed', 'refused', 'not-allowed', 'skipped', 'done-by-technician', 'needs-a-person', 'planned'].map((v) => Type.Literal(v)),
      {
        description:
          'fixed: applied and the check now passes; applied: done, check still failing; awaiting: done, and the evidence that it worked ' +
          "cannot come within the run (the check's confirmBy says by when); planned: --dry-run",
      },
    ),
    risk: Risk,
    detail: Type.Optional(Type.String()),
    commands: Type.Optional(Type.Array(Type.Array(Type.String()))),
  },
  { additionalProperties: false },
);

export const ReportSchema = Type.Object(
  {
    schemaVersion: Type.Literal(REPORT_SCHEMA_VERSION),
    tool: Type.Object({ name: Type.String(), version: Type.String() }, { additionalProperties: false }),
    host: Type.Object(
      {
        hostname: Type.String(),
        site: Type.Union([Type.String(), Type.Null()], { description: 'the customer or site tag (site config `site:` or --site); null when none is set' }),
        machineId: Type.Union([Type.String(), Type.Null()], { description: "Windows' MachineGuid or Linux's /etc/machine-id (cloned PCs may share one); null when unreadable" }),
        os: Type.Union(
          [
            Type.Object(
              {
                name: Type.String({ description: 'e.g. "Windows 11 23H2"' }),
                edition: Type.Union([Type.String(), Type.Null()], { description: 'Windows EditionID, e.g. Professional; Core is a Home edition (no query.exe)' }),
                build: Type.Union([Type.String(), Type.Null()], { description: 'e.g. "22631.4460"' }),
              },
              { additionalProperties: false },
            ),
            Type.Null(),
          ],
          { description: 'the operating system; null when unreadable' },
        ),
        capturedAt: Type.String({ format: 'date-time', description: 'when the facts were read: the snapshot capture time on replay, else the start of the run' }),
        platform: Type.String(),
        uptimeSeconds: Type.Union([Type.Number(), Type.Null()]),
        bootTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        source: Type.Union([Type.Literal('live'), Type.Literal('snapshot')]),
        snapshotFile: Type.Optional(Type.String()),
        facts: Type.Array(Type.String(), { description: 'host facts read during the run, one line each' }),
      },
      { additionalProperties: false },
    ),
    startedAt: Type.String({ format: 'date-time' }),
    durationMs: Type.Number({ minimum: 0 }),
    status: Status,
    exitCode: Type.Integer(),
    counts: CountsSchema,
    summary: Type.String(),
    agents: Type.Array(AgentResultSchema),
    actions: Type.Array(ActionRecordSchema),
    rebootRequired: Type.Boolean(),
    untrustedInputs: Type.Optional(
      Type.Array(Type.String(), {
        description: 'inputs not used because, run as root or SYSTEM, another user could change them (a config, a playbook folder); the run went on without them and its exit code is at least 3',
      }),
    ),
    repairRefused: Type.Optional(
      Type.String({ description: 'set when repairs were asked for (--fix, repair) and none was attempted, with why (another repair holds the lock, the audit log is a link, ...); the exit code is then at least 3' }),
    ),
  },
  { additionalProperties: false, $id: 'https://syncdoctor.invalid/schemas/report.schema.json', title: 'syncdoctor report' },
);

export type CheckStateT = Static<typeof CheckState>;
export type SeverityT = Static<typeof Severity>;
export type RiskT = Static<typeof Risk>;
export type StatusT = Static<typeof Status>;
export type Counts = Static<typeof CountsSchema>;
export type RemediationResult = Static<typeof RemediationResultSchema>;
export type CheckResult = Static<typeof CheckResultSchema>;
export type AgentResult = Static<typeof AgentResultSchema>;
export type ActionRecord = Static<typeof ActionRecordSchema>;
export type Report = Static<typeof ReportSchema>;

/** The counts in words, in the verdict's order, the same in every format: "1 critical, 0 unknown, 2 warning, 5 ok, 1 skipped". */
export function countsText(c: Counts): string {
  return `${c.critical} critical, ${c.unknown} unknown, ${c.warning} warning, ${c.ok} ok, ${c.skip} skipped`;
}

/** The Nagios performance data of the counts: "checks=9 critical=1 unknown=0 warning=2 ok=5 skip=1". */
export function countsPerfData(c: Counts): string {
  return `checks=${c.checks} critical=${c.critical} unknown=${c.unknown} warning=${c.warning} ok=${c.ok} skip=${c.skip}`;
}

/** One name per state, the same in text, Markdown, Nagios and the fleet view. */
/** The check an agent gets when detection could not tell whether it is installed (shown, UNKNOWN). */
export const DETECTION_UNDECIDED_CHECK = 'detection';

/** How a report says why an agent it shows was not detected. */
export function notDetectedText(agent: { checks: readonly { id: string }[] }): string {
  return agent.checks.some((c) => c.id === DETECTION_UNDECIDED_CHECK)
    ? 'whether it is installed could not be told on this PC'
    : 'not detected on this PC; checked because it was named';
}

export const STATE_LABEL: Readonly<Record<CheckStateT, string>> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', unknown: 'UNKNOWN', awaiting: 'AWAITING' };
export const STATUS_LABEL: Readonly<Record<StatusT, string>> = { ok: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' };

/** The one line that says what to set so that undecided checks decide by themselves. */
export function notConfiguredText(settings: readonly string[]): string {
  return `set ${settings.join(', ')} (--config FILE or --set AGENT.NAME=VALUE) to decide automatically`;
}

/** "site Harbor Dental, machine 4c4c4544-..., Windows 11 23H2 Professional build 22631.4460": what tells this PC apart. */
export function machineText(h: Pick<Report['host'], 'site' | 'machineId' | 'os'>): string {
  const parts: string[] = [];
  if (h.site) parts.push(`site ${h.site}`);
  if (h.machineId) parts.push(`machine ${h.machineId}`);
  if (h.os) parts.push([h.os.name, h.os.edition, h.os.build ? `build ${h.os.build}` : ''].filter(Boolean).join(' '));
  return parts.join(', ');
}

/** Risk classes in order: a remediation may not declare less than its action's. */
export const RISK_ORDER: Readonly<Record<RiskT, number>> = { safe: 0, disruptive: 1, reboot: 2, irreversible: 3 };
