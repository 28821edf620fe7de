// The Journyx Accountlink example snapshots, replayed through the real binary: the verdict and
// explanation a technician reads, the exit code an RMM reads, and JSON that validates against the
// published report schema.
import { beforeAll, describe, expect, it } from 'vitest';
import { example, syncdoctor } from '../helpers/cli.js';
import { publishedReportValidator } from '../helpers/report-schema.js';

let validateReport: (data: unknown) => boolean;
let schemaErrors: () => unknown;

beforeAll(async () => {
  const v = await publishedReportValidator();
  validateReport = v.validate;
  schemaErrors = v.errors;
});

interface Remediation {
  id: string;
  title: string;
  risk: string;
  manual: string[];
  action?: string;
  command?: string[];
}
interface Check {
  id: string;
  state: string;
  severity: string;
  summary: string;
  evidence: string[];
  remediations: Remediation[];
}
interface Agent {
  id: string;
  status: string;
  detected: boolean;
  detectedBy: string[];
  nextSteps: string[];
  notConfigured: string[];
  checks: Check[];
}
interface Report {
  status: string;
  exitCode: number;
  host: { source: string; hostname: string; platform: string };
  agents: Agent[];
}

async function replay(name: string, extra: string[] = []): Promise<{ report: Report; journyx: Agent; exitCode: number }> {
  const r = await syncdoctor(['check', '--snapshot', example(name), '--json', ...extra]);
  const report = JSON.parse(r.stdout) as Report;
  expect(validateReport(report), JSON.stringify(schemaErrors())).toBe(true);
  expect(report.exitCode).toBe(r.exitCode);
  const journyx = report.agents.find((a) => a.id === 'journyx');
  expect(journyx, `journyx not in the report of ${name}`).toBeDefined();
  return { report, journyx: journyx!, exitCode: r.exitCode };
}

const check = (agent: Agent, id: string) => {
  const c = agent.checks.find((x) => x.id === id);
  expect(c, `check ${id}`).toBeDefined();
  return c!;
};

describe('Journyx Accountlink example snapshots', () => {
  it('stuck session with 0 records: names the one session safe to delete, with the steps; exit 2', async () => {
    const { report, journyx, exitCode } = await replay('journyx-stuck-session.yaml');
    expect(exitCode).toBe(2);
    expect(report.status).toBe('critical');
    expect(report.host).toMatchObject({ source: 'snapshot', hostname: 'ACCT-PC02', platform: 'win32' });
    expect(journyx.detected).toBe(true);
    expect(journyx.detectedBy.join('; ')).toMatch(/Accountlink\.exe is running/);
    expect(check(journyx, 'accountlink-running').state).toBe('pass');
    expect(check(journyx, 'quickbooks-free').state).toBe('pass');
    expect(check(journyx, 'accountlink-config').state).toBe('pass');

    const stuck = check(journyx, 'stuck-session');
    expect(stuck.state).toBe('fail');
    expect(stuck.summary).toBe(
      'Sync session stuck: session 1039 of type Time is "in progress" with 0 records and is the most recent entry of its type: it is the one session safe to delete',
    );
    // The finding's own steps come first, then the playbook's ladder; all are for a person.
    expect(stuck.remediations.map((r) => r.id)).toEqual(['stuck-session-advice', 'sync-console', 'reopen-accountlink', 'contact-journyx-support']);
    expect(stuck.remediations.every((r) => r.action === undefined && r.command === undefined)).toBe(true);
    // Deleting a session cannot be undone: its own class, never automated.
    expect(stuck.remediations.map((r) => r.risk)).toEqual(['irreversible', 'irreversible', 'safe', 'safe']);
    const steps = stuck.remediations[0]!.manual.join('\n');
    expect(steps).toMatch(/Tick only that run \(session 1039\)/);
    expect(steps).toMatch(/Never tick the bucket's own checkbox/);
    expect(steps).toMatch(/"Delete session\(s\) and unsync record\(s\)"/);
    expect(journyx.nextSteps[0]).toBe('No unfinished sync session blocks Accountlink — Delete only the stuck session 1039 in the Journyx sync console (irreversible)');
  });

  it('stuck session that carries records: refuses to name it for deletion, contact Journyx support; exit 2', async () => {
    const { journyx, exitCode } = await replay('journyx-session-with-records.yaml');
    expect(exitCode).toBe(2);
    expect(journyx.status).toBe('critical');
    const stuck = check(journyx, 'stuck-session');
    expect(stuck.state).toBe('fail');
    expect(stuck.summary).toBe(
      'Sync session stuck, but not safe to delete: session 2252 is "in progress" but carries 37 records: do not delete it; contact Journyx support',
    );
    expect(stuck.evidence.join('\n')).toMatch(/3 sessions read \(csv\)/);
    const advice = stuck.remediations[0]!;
    expect(advice.title).toBe('Do not delete session 2252: contact Journyx support');
    expect(advice.manual.join('\n')).not.toMatch(/Tick only/);
    expect(stuck.remediations.map((r) => r.id)).toContain('contact-journyx-support');
    expect(journyx.nextSteps[0]).toMatch(/Do not delete session 2252: contact Journyx support/);
  });

  it('QuickBooks held by another user and Accountlink closed: names the user; no stuck session; exit 2', async () => {
    const { journyx, exitCode } = await replay('journyx-quickbooks-held.yaml');
    expect(exitCode).toBe(2);
    expect(journyx.detectedBy.join('; ')).toMatch(/Folder exists: C:\\Program Files \(x86\)\\Journyx\\Accountlink/);
    const running = check(journyx, 'accountlink-running');
    expect(running).toMatchObject({ state: 'fail', severity: 'warning', summary: 'Accountlink.exe is not running' });
    expect(running.remediations.map((r) => r.id)).toEqual(['reopen-accountlink']);
    const qb = check(journyx, 'quickbooks-free');
    expect(qb.state).toBe('fail');
    expect(qb.summary).toMatch(/QuickBooks is open as ACCT-PC02\\mary jones \(session 2\), not as the sync user bookkeeper/);
    expect(qb.remediations.map((r) => r.id)).toEqual(['free-quickbooks']);
    const stuck = check(journyx, 'stuck-session');
    expect(stuck.state).toBe('pass');
    expect(stuck.summary).toBe('No sync session is stuck: none of the 4 sessions is "in progress"');
    expect(stuck.evidence.join('\n')).toMatch(/4 sessions read \(spaces\)/);
    expect(journyx.nextSteps).toEqual([
      'Accountlink is running — Close and reopen Accountlink, and sync again (safe)',
      'QuickBooks is reachable (not held by another Windows user on this PC) — Ask the other person to close QuickBooks (safe)',
    ]);
  });

  it('unattended without a session table: the check is undecided (not configured), with the console steps, not passed', async () => {
    const { journyx, exitCode } = await replay('journyx-quickbooks-held.yaml', ['--set', 'journyx.historyFile=']);
    expect(exitCode).toBe(2); // QuickBooks is still held
    const stuck = check(journyx, 'stuck-session');
    expect(stuck.state).toBe('unknown');
    expect(stuck.summary).toMatch(/^Not configured: set journyx\.historyFile /);
    expect(journyx.notConfigured).toEqual(['journyx.historyFile']);
    expect(stuck.remediations[0]!.title).toBe('Check by hand');
    expect(stuck.remediations[0]!.manual.join('\n')).toMatch(/mspConsole\.pyc\?/);
    expect(journyx.nextSteps.some((s) => /^Ask at the PC \(No unfinished sync session blocks Accountlink\)/.test(s))).toBe(true);
  });

  it('text report: the explanation and numbered next steps a technician reads', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('journyx-stuck-session.yaml')]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/Journyx Accountlink \(journyx\) — CRITICAL/);
    expect(r.stdout).toMatch(/\[FAIL\]\s+No unfinished sync session blocks Accountlink\n\s+Sync session stuck: session 1039/);
    expect(r.stdout).toMatch(/Tick only that run \(session 1039\)\./);
    expect(r.stdout).toMatch(/Next steps:\n\s+1\. No unfinished sync session blocks Accountlink — Delete only the stuck session 1039/);
    expect(r.stdout).toMatch(/community\.journyx\.com\/support\/solutions\/articles\/9000112040/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('the playbook validates', async () => {
    const r = await syncdoctor(['validate', 'playbooks/journyx.yaml']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/ok\s+playbooks\/journyx\.yaml \(journyx: 4 checks\)/);
  });
});
