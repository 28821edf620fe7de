// The Web Connector examples through the real binary: what a technician reads (the cycle, the
// error in plain words, the fix) and the exit code an RMM reads.
import { beforeAll, describe, expect, it } from 'vitest';
import { example, syncdoctor } from '../helpers/cli.js';
import { publishedReportValidator } from '../helpers/report-schema.js';
import { explainErrorCode } from '../../src/cli/explain.js';

interface Check {
  id: string;
  state: string;
  summary: string;
  evidence: string[];
  remediations: { id: string; title: string; manual: string[]; risk: string; confirm?: { what: string; within: string } }[];
}
interface Report {
  status: string;
  exitCode: number;
  agents: { id: string; detected: boolean; checks: Check[]; nextSteps: string[] }[];
}

let validate: (d: unknown) => boolean;
beforeAll(async () => {
  validate = (await publishedReportValidator()).validate;
});

async function replay(name: string) {
  const r = await syncdoctor(['check', '--snapshot', example(name), '--json']);
  const report = JSON.parse(r.stdout) as Report;
  expect(validate(report)).toBe(true);
  expect(report.exitCode).toBe(r.exitCode);
  const agent = report.agents.find((a) => a.id === 'qbwc')!;
  const check = (id: string) => agent.checks.find((c) => c.id === id)!;
  return { report, agent, check, exitCode: r.exitCode };
}

describe('QuickBooks Web Connector examples', () => {
  it('healthy: detected, every check passes, exit 0', async () => {
    const { agent, exitCode, check } = await replay('qbwc-healthy.yaml');
    expect(exitCode).toBe(0);
    expect(agent.detected).toBe(true);
    expect(agent.checks.filter((c) => c.state !== 'pass')).toEqual([]);
    expect(check('autorun-on-schedule').summary).toMatch(/"Harborline Invoices": last Auto-Run .* \(18m ago\); runs every 30 min/);
    expect(check('last-cycle-completed').summary).toMatch(/last scheduled cycle .* completed/);
  });

  it("a log ahead of the PC's clock: its cycles' ages cannot be told, so both Web Connector checks warn about the clock (was: pass)", async () => {
    const { readFile, writeFile, mkdtemp } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const text = await readFile(example('qbwc-healthy.yaml'), 'utf8');
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sd-clock-')), 'clock.yaml');
    await writeFile(file, text.replace('capturedAt: "2026-11-20T14:03:00Z"', 'capturedAt: "2026-11-20T10:00:00Z"'));
    const r = await syncdoctor(['check', '--snapshot', file, '--json']);
    const checks = (JSON.parse(r.stdout) as Report).agents[0]!.checks;
    for (const id of ['autorun-on-schedule', 'last-cycle-completed']) {
      const c = checks.find((x) => x.id === id)!;
      expect(c.state, id).toBe('warn');
      expect(c.summary).toMatch(/^The Web Connector log's last entry \(2026-11-20T13:\d\d:\d\d\.000Z\) is after the PC's clock \(2026-11-20T10:00:00\.000Z\): check the PC clock and time zone/);
    }
    expect(r.exitCode).toBe(1);
  });

  it('a QuickBooks pop-up: the error in plain words, the pop-up fix step by step first, exit 2', async () => {
    const { report, agent, check, exitCode } = await replay('qbwc-popup-blocking.yaml');
    expect(exitCode).toBe(2);
    expect(report.status).toBe('critical');
    const last = check('last-cycle-completed');
    expect(last.state).toBe('fail');
    expect(last.summary).toMatch(/"Harborline Invoices": last scheduled cycle .* ended with 1 error: 0x80040414: A QuickBooks pop-up is open/);
    const fix = last.remediations[0]!;
    expect(fix.title).toMatch(/^Fix 0x80040414/);
    expect(fix.manual).toContain('Tick "Turn off pop-up messages for products and services".');
    expect(fix.manual.at(-1)).toBe('Repeat for every QuickBooks user the sync uses.');
    const errors = check('recent-errors');
    expect(errors.evidence[0]).toMatch(/^4× 0x80040414/);
    expect(check('quickbooks-state').summary).toMatch(/QuickBooks is not responding/);
    // Secondary facts the parsers see: the company file in QuickBooks' window title, QBWC's version.
    expect(check('quickbooks-state').evidence).toContain('QBW32.EXE (pid 4120) as FRONTDESK-07\\frontdesk in session 1 (Console) NOT RESPONDING, company file "Harborline Supply" open');
    expect(last.evidence).toContain("Web Connector 2.3 (from the log's header)");
    // The repair waits for the next Auto-Run, read from the log (every 30 min), to show it worked.
    expect(last.remediations.find((r) => r.id === 'restart-qbwc')?.confirm).toMatchObject({ within: '31m' });
    expect(agent.nextSteps[0]).toMatch(/Fix 0x80040414/);
    // Each step is listed once even when several checks point to it.
    expect(new Set(agent.nextSteps).size).toBe(agent.nextSteps.length);
    expect(agent.nextSteps.filter((s) => s.includes('Turn off QuickBooks pop-up messages'))).toHaveLength(1);
  });

  it('the PC sleeps: sleep timeout, the cut-off cycle and the missed Auto-Runs, exit 2', async () => {
    const { check, exitCode } = await replay('qbwc-pc-asleep.yaml');
    expect(exitCode).toBe(2);
    expect(check('pc-stays-awake')).toMatchObject({ state: 'fail', summary: 'The PC goes to sleep after 30m idle on AC power: syncs due while it sleeps are missed' });
    expect(check('pc-stays-awake').remediations[0]!.manual.join(' ')).toMatch(/powercfg \/change standby-timeout-ac 0/);
    expect(check('last-cycle-completed').summary).toMatch(/was cut off after 2026-11-19T22:15:03.000Z \(no unlock\): typical of a QuickBooks pop-up, a crash, sleep or a logoff/);
    expect(check('autorun-on-schedule').summary).toMatch(/the last Auto-Run cycle was 15h 48m ago \(about 31 cycles missed\)/);
  });

  it('the Web Connector is not running: start it in the user session first, exit 2', async () => {
    const { check, agent, exitCode } = await replay('qbwc-not-running.yaml');
    expect(exitCode).toBe(2);
    expect(check('qbwc-running')).toMatchObject({ state: 'fail', summary: 'QBWebConnector.exe is not running' });
    expect(check('qbwc-running').remediations.map((r) => r.id)).toEqual(['start-qbwc', 'qbwc-at-startup']);
    expect(check('autorun-on-schedule').state).toBe('fail');
    expect(check('last-cycle-completed').state).toBe('pass');
    expect(agent.nextSteps[0]).toMatch(/^The Web Connector is running — Start the Web Connector \(safe\)/);
  });
});

describe('syncdoctor explain for error codes', () => {
  it('explains an HRESULT and a Web Connector code', async () => {
    const popup = await syncdoctor(['explain', '0x80040408']);
    expect(popup.exitCode).toBe(0);
    expect(popup.stdout).toMatch(/^0x80040408 \(QuickBooks SDK\)\nMessage: "Could not start QuickBooks."/);
    expect(popup.stdout).toMatch(/Fix:\n\s+1\. /);
    const qbwc = await syncdoctor(['explain', 'qbwc1013']);
    expect(qbwc.stdout).toMatch(/^QBWC1013 \(QuickBooks Web Connector\)/);
  });

  it('covers every code in the QuickBooks error tables', async () => {
    const codes = [
      '0x80040400', '0x80040401', '0x80040402', '0x80040403', '0x80040406', '0x80040408', '0x8004040A', '0x8004040D', '0x80040410',
      '0x80040414', '0x80040416', '0x80040417', '0x80040418', '0x8004041A', '0x8004041B', '0x8004041C', '0x8004041D', '0x8004041E',
      '0x8004041F', '0x80040420', '0x80040422', '0x80040423', '0x80040424', '0x80040427', '0x8004042A', '0x8004042C', '0x80040430',
      '0x80040154', '0x80040308', 'QBXMLRP2',
      ...[1000, 1005, 1006, 1007, 1008, 1009, 1010, 1012, 1013, 1014, 1015, 1016, 1017, 1020, 1021, 1022, 1023, 1024, 1025, 1026, 1027,
        1030, 1031, 1032, 1033, 1034, 1035, 1036, 1037, 1038, 1039, 1040, 1041, 1042, 1043, 1044, 1045, 1046, 1048, 1085].map((n) => `QBWC${n}`),
    ];
    // The same function the command prints, for every code (a process per code would be slow).
    for (const c of codes) {
      const text = await explainErrorCode(c);
      expect(text, c).toMatch(/What it means: \S/);
      expect(text, c).toMatch(/\nFix:\n\s+1\. \S/);
    }
    // And a few through the binary, as typed.
    for (const typed of ['0X8004041d', '-2147220472', 'QBWC1039']) {
      const r = await syncdoctor(['explain', typed]);
      expect(r.exitCode, typed).toBe(0);
      expect(r.stdout, typed).toMatch(/What it means: \S/);
    }
  });
});
