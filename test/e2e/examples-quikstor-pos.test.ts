// The QuikStor and POS example snapshots, replayed through the real binary: the verdict and the
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

interface Check {
  id: string;
  state: string;
  summary: string;
  evidence: string[];
  question?: string;
  remediations: { id: string; title: string; risk: string; manual: string[]; plan?: string[]; command?: string[] }[];
}
interface Agent {
  id: string;
  status: string;
  detected: boolean;
  nextSteps: string[];
  checks: Check[];
}
interface Report {
  status: string;
  exitCode: number;
  host: { source: string; hostname: string; facts: string[] };
  agents: Agent[];
}

async function replay(name: string, agentId: string): Promise<{ report: Report; agent: Agent; exitCode: number }> {
  const r = await syncdoctor(['check', '--snapshot', example(name), '--json']);
  expect(r.stdout, `no report on stdout; exit ${r.exitCode}, stderr: ${r.stderr}`).not.toBe('');
  const report = JSON.parse(r.stdout) as Report;
  expect(validateReport(report), JSON.stringify(schemaErrors())).toBe(true);
  expect(report.exitCode).toBe(r.exitCode);
  // Found by detection from the site settings recorded in the snapshot, not by being named.
  expect(report.agents.map((a) => a.id)).toEqual([agentId]);
  const agent = report.agents[0]!;
  expect(agent.detected).toBe(true);
  return { report, agent, exitCode: r.exitCode };
}

const check = (agent: Agent, id: string): Check => {
  const c = agent.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
};

describe('QuikStor example snapshots', () => {
  it('internet down: the server name does not resolve, critical, exit 2; restore the internet, then restart the Data Distributor', async () => {
    const { report, agent, exitCode } = await replay('quikstor-internet-down.yaml', 'quikstor');
    expect(exitCode).toBe(2);
    expect(report.status).toBe('critical');
    const net = check(agent, 'internet-reachable');
    expect(net.state).toBe('fail');
    expect(net.summary).toMatch(/^QuikStor's server \(quikstor-server\.example\.invalid:443\) could not be found: .*does not resolve \(DNS\), so this PC has no working internet connection/);
    expect(net.remediations.map((r) => r.id)).toEqual(['restore-internet', 'restart-data-distributor', 'restart-pc']);
    expect(net.remediations.find((r) => r.id === 'restart-pc')!.risk).toBe('reboot');
    expect(check(agent, 'data-distributor-running').state).toBe('pass');
    // The backlog cannot clear without the server.
    expect(check(agent, 'backlog-clearing').summary).toMatch(/needs "This site reaches QuikStor's server/);
    expect(agent.nextSteps[0]).toMatch(/Restore the site's internet connection/);
    expect(report.host.facts).toContain('TCP connect to quikstor-server.example.invalid:443: dns-error');
  });

  it('PC just restarted (up 6 minutes): a warning, exit 1, expect a 10-15 minute re-sync and wait', async () => {
    const { report, agent, exitCode } = await replay('quikstor-pc-restarted.yaml', 'quikstor');
    expect(exitCode).toBe(1);
    expect(report.status).toBe('warning');
    const pc = check(agent, 'pc-left-running');
    expect(pc.state).toBe('warn');
    expect(pc.summary).toMatch(/started only 6m ago \(it was off or restarted\)/);
    const wait = pc.remediations[0]!;
    expect(wait).toMatchObject({ id: 'wait-for-sync', risk: 'safe', plan: ['re-run check backlog-clearing every 1m for up to 15m, showing progress'] });
    expect(wait.title).toMatch(/10-15 minutes/);
    expect(wait.command).toBeUndefined();
    expect(wait.manual.join(' ')).toMatch(/record count/);
    expect(agent.nextSteps[0]).toMatch(/The site PC has been left running — Allow 10-15 minutes for the re-sync/);
    // Everything else is back: the warning is the only finding.
    for (const id of ['internet-reachable', 'data-distributor-running']) expect(check(agent, id).state, id).toBe('pass');
  });

  it('Data Distributor not running: critical, exit 2, start it in the manager\'s desktop first', async () => {
    const { agent, exitCode } = await replay('quikstor-not-running.yaml', 'quikstor');
    expect(exitCode).toBe(2);
    const dd = check(agent, 'data-distributor-running');
    expect(dd.state).toBe('fail');
    expect(dd.summary).toBe('DataDistributor.exe is not running');
    expect(dd.remediations.map((r) => r.id)).toEqual(['start-data-distributor', 'contact-quikstor-support']);
    const start = dd.remediations[0]!;
    expect(start.risk).toBe('safe');
    expect(start.manual.join(' ')).toMatch(/Right-click it and click "Start" if it is offered; otherwise click "Restart"/);
    expect(start.command?.slice(0, 2)).toEqual(['schtasks', '/create']);
    expect(start.command).toContain('manager');
    expect(check(agent, 'backlog-clearing').state).toBe('skip');
    expect(agent.nextSteps[0]).toMatch(/The Data Distributor is running — Start the Data Distributor/);
  });

  it('healthy: what syncdoctor can see passes, the record count is a question for a person, exit 0', async () => {
    const { report, agent, exitCode } = await replay('quikstor-healthy.yaml', 'quikstor');
    expect(exitCode).toBe(0);
    expect(report.status).toBe('ok');
    for (const id of ['internet-reachable', 'pc-left-running', 'data-distributor-running']) expect(check(agent, id).state, id).toBe('pass');
    const backlog = check(agent, 'backlog-clearing');
    expect(backlog.state).toBe('skip');
    expect(backlog.question).toMatch(/record count falling/);
  });

  it('never suggests a system restore or bypassing the overnight block', async () => {
    const { agent } = await replay('quikstor-internet-down.yaml', 'quikstor');
    const db = check(agent, 'no-database-error');
    const text = JSON.stringify(agent);
    // Every mention of a system restore is a warning against one or a question about one.
    const mentions = text.match(/[^."]*system restore[^."]*/gi) ?? [];
    expect(mentions.length).toBeGreaterThan(0);
    for (const m of mentions) expect(m, m).toMatch(/do not run a system restore|before any system restore|after a system restore|system restore (?:was|run)/i);
    expect(db.remediations.flatMap((r) => r.manual).join(' ')).toMatch(/Do not try to repair the database and do not run a system restore/);
    expect(text).toMatch(/Do not bypass the overnight block/);
  });
});

describe('POS sync example snapshots', () => {
  it('sync service stopped: critical, exit 2, "Restore sync service" would start it', async () => {
    const { report, agent, exitCode } = await replay('pos-sync-service-stopped.yaml', 'pos-sync');
    expect(exitCode).toBe(2);
    expect(report.status).toBe('critical');
    const svc = check(agent, 'sync-service-running');
    expect(svc.state).toBe('fail');
    expect(svc.summary).toBe('Service ExamplePosSync is stopped');
    expect(svc.evidence).toEqual(['sc query ExamplePosSync: STATE 1 (stopped), last exit code 1067']);
    const restore = svc.remediations[0]!;
    expect(restore).toMatchObject({ id: 'restore-sync-service', risk: 'disruptive', command: ['sc', 'start', 'ExamplePosSync'] });
    expect(restore.manual).toContain('Click "Restore sync service".');
    expect(check(agent, 'transactions-uploaded').state).toBe('skip');
    expect(agent.nextSteps[0]).toMatch(/The POS's local sync service is running — Restore the sync service \(disruptive\)/);
  });

  it('server unreachable: critical, exit 2, explains the timeout and lists the offline cautions', async () => {
    const { agent, exitCode } = await replay('pos-sync-server-unreachable.yaml', 'pos-sync');
    expect(exitCode).toBe(2);
    const net = check(agent, 'server-reachable');
    expect(net.state).toBe('fail');
    expect(net.summary).toBe(
      "The POS server (pos-server.example.invalid:443) did not answer within 5s: this PC's internet connection is down, a firewall drops the traffic, or the server is offline",
    );
    expect(net.remediations.map((r) => r.id)).toEqual(['restore-internet', 'offline-cautions']);
    const cautions = net.remediations[1]!.manual.join(' ');
    expect(cautions).toMatch(/do not adjust customer balances while offline/);
    expect(cautions).toMatch(/vouchers \(gift cards\)/);
    expect(check(agent, 'sync-service-running').state).toBe('pass');
  });

  it('service not installed (exit 1060): critical, exit 2, cannot be restarted automatically; check the name', async () => {
    const { agent, exitCode } = await replay('pos-sync-service-not-installed.yaml', 'pos-sync');
    expect(exitCode).toBe(2);
    const svc = check(agent, 'sync-service-running');
    expect(svc.state).toBe('fail');
    expect(svc.summary).toBe('Service ExamplePosSync is not installed');
    expect(svc.evidence).toEqual(['sc query ExamplePosSync: the service does not exist (exit 1060)']);
    expect(svc.remediations[0]!.plan).toEqual(['cannot be done automatically here: the service ExamplePosSync is not installed']);
    expect(svc.remediations[0]!.command).toBeUndefined();
    expect(svc.remediations[1]!.id).toBe('check-service-name');
  });

  it('healthy: exit 0; the Sync Manager questions are left for a person, with "Full data resync" guarded by a sync up', async () => {
    const { report, agent, exitCode } = await replay('pos-sync-healthy.yaml', 'pos-sync');
    expect(exitCode).toBe(0);
    expect(report.status).toBe('ok');
    for (const id of ['pos-running', 'sync-service-running', 'server-reachable']) expect(check(agent, id).state, id).toBe('pass');
    const items = check(agent, 'items-customers-current');
    expect(items.state).toBe('skip');
    const resync = items.remediations.find((r) => r.id === 'full-data-resync')!;
    expect(resync.risk).toBe('irreversible');
    expect(resync.manual[0]).toMatch(/^WARNING: this deletes all local POS data/);
    expect(resync.manual.join(' ')).toMatch(/Trigger sync up.*Confirm .*uploaded-transactions count/);
  });
});

describe('the new playbooks on the command line', () => {
  it('validate passes both', async () => {
    const r = await syncdoctor(['validate', 'playbooks/quikstor.yaml', 'playbooks/pos-sync.yaml']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/ok\s+playbooks\/quikstor\.yaml/);
    expect(r.stdout).toMatch(/ok\s+playbooks\/pos-sync\.yaml/);
  });

  it('a server that is not host:port is an input error pointing at the playbook line', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('quikstor-healthy.yaml'), '--json', '--set', 'quikstor.server=no-port-here']);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/quikstor\.yaml:\d+:\d+: with\.target: expected host:port.*got "no-port-here" \(variables set: server from --set\)/);
  });

  it('text report: states, the plain explanation and numbered next steps', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('pos-sync-service-stopped.yaml')]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/\[FAIL\]\s+The POS's local sync service is running\n\s+Service ExamplePosSync is stopped/);
    expect(r.stdout).toMatch(/Next steps:\n\s+1\. The POS's local sync service is running — Restore the sync service/);
    expect(r.stdout).toMatch(/Result: CRITICAL/);
  });
});
