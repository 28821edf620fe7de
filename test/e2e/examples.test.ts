// Every example snapshot, replayed through the real binary: the verdict a technician would read,
// the exit code an RMM reads, and JSON that validates against the published report schema.
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

interface Report {
  status: string;
  exitCode: number;
  host: { source: string; hostname: string };
  agents: { id: string; status: string; nextSteps: string[]; checks: { id: string; state: string; summary: string; remediations: { id: string; risk: string; command?: string[] }[] }[] }[];
}

async function replay(name: string): Promise<{ report: Report; exitCode: number; stderr: string }> {
  const r = await syncdoctor(['check', '--snapshot', example(name), '--json']);
  const report = JSON.parse(r.stdout) as Report;
  expect(validateReport(report), JSON.stringify(schemaErrors())).toBe(true);
  expect(report.exitCode).toBe(r.exitCode);
  return { report, exitCode: r.exitCode, stderr: r.stderr };
}

const state = (report: Report, check: string) => report.agents[0]!.checks.find((c) => c.id === check)!;

describe('CISM example snapshots', () => {
  it('healthy PC: every check passes, exit 0', async () => {
    const { report, exitCode } = await replay('cism-healthy.yaml');
    expect(exitCode).toBe(0);
    expect(report.status).toBe('ok');
    expect(report.host).toMatchObject({ source: 'snapshot', hostname: 'FRONTDESK-01' });
    const cism = report.agents[0]!;
    expect(cism.id).toBe('cism');
    for (const id of ['pc-on', 'cism-user-logged-on', 'not-shared-pc', 'cism-running', 'syncs-scheduled', 'quickbooks-user-conflict']) {
      expect(state(report, id).state, id).toBe('pass');
    }
    expect(cism.nextSteps).toEqual([]);
  });

  it('CISM not running: critical, exit 2, ladder starts with "Start CISM" in the user\'s session', async () => {
    const { report, exitCode } = await replay('cism-not-running.yaml');
    expect(exitCode).toBe(2);
    expect(report.status).toBe('critical');
    const running = state(report, 'cism-running');
    expect(running.state).toBe('fail');
    expect(running.summary).toMatch(/CISM\.exe is not running/);
    expect(running.remediations.map((r) => r.id)).toEqual(['start-cism', 'reboot-pc']);
    expect(running.remediations[0]!.command?.slice(0, 2)).toEqual(['schtasks', '/create']);
    expect(running.remediations[0]!.command).toContain('/it');
    expect(running.remediations[1]!.risk).toBe('reboot');
    // Its dependant cannot be judged while CISM is down.
    expect(state(report, 'syncs-scheduled').state).toBe('skip');
    expect(report.agents[0]!.nextSteps[0]).toMatch(/Start CISM/);
  });

  it('nobody logged on: the CISM user check fails, CISM is skipped with the reason, exit 2', async () => {
    const { report, exitCode } = await replay('cism-nobody-logged-on.yaml');
    expect(exitCode).toBe(2);
    const user = state(report, 'cism-user-logged-on');
    expect(user.state).toBe('fail');
    expect(user.summary).toBe('frontdesk is not logged on');
    const running = state(report, 'cism-running');
    expect(running.state).toBe('skip');
    expect(running.summary).toMatch(/needs "The CISM user is logged on to Windows"/);
    expect(report.agents[0]!.nextSteps[0]).toMatch(/Log on to Windows as the CISM user/);
  });

  it('QuickBooks user conflict: names the other user and session, warns about the shared PC, exit 2', async () => {
    const { report, exitCode } = await replay('cism-quickbooks-user-conflict.yaml');
    expect(exitCode).toBe(2);
    const conflict = state(report, 'quickbooks-user-conflict');
    expect(conflict.state).toBe('fail');
    expect(conflict.summary).toMatch(/mary jones/);
    expect(conflict.summary).toMatch(/session 2/);
    expect(state(report, 'not-shared-pc').state).toBe('warn');
    // Kill QBW is on the ladder, but its guard is not met: someone works in QuickBooks.
    const guard = state(report, 'nobody-in-quickbooks');
    expect(guard.state).toBe('fail');
    expect(state(report, 'syncs-scheduled').remediations.map((r) => r.id)).toEqual(['restart-sync-cycles', 'kill-qbw', 'reboot-pc']);
  });

  it('text report shows states, evidence and numbered next steps', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('cism-not-running.yaml')]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/\[FAIL\]\s+CISM is running/);
    expect(r.stdout).toMatch(/no process named CISM\.exe/);
    expect(r.stdout).toMatch(/Next steps:\n\s+1\. CISM is running — Start CISM/);
    expect(r.stdout).toMatch(/Result: CRITICAL/);
    // No colour codes without a TTY.
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('--set overrides a site setting recorded in the snapshot', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--json', '--set', 'cism.windowsUser=bookkeeper']);
    const report = JSON.parse(r.stdout) as Report;
    expect(state(report, 'cism-user-logged-on').summary).toMatch(/bookkeeper is not logged on/);
    expect(r.exitCode).toBe(2);
  });
});
