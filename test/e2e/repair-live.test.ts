// Repairs for real on this Linux machine: a uniquely named fake agent is killed and relaunched by
// the ladder and the re-check passes; the guard refuses when a stand-in QuickBooks runs; risk
// allowances, --dry-run, the audit log (also of a run killed mid-action) and the repair lock.
// Only processes this test started are ever killed, by pid or by their unique names.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, syncdoctor } from '../helpers/cli.js';

const PLAYBOOKS = path.join(ROOT, 'test', 'fixtures', 'playbooks');
const isLinux = process.platform === 'linux';

let dir: string;
const started: number[] = [];

/**
 * A fake agent: /bin/sh copied under a unique name, so the process list shows that name. Run with
 * the fixture's script it logs a sync when it starts, then idles.
 */
const AGENT_SCRIPT = 'echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) sync ok" >> "$0"; while :; do sleep 1; done';
async function makeAgent(): Promise<{ name: string; exe: string; log: string; argv: (log?: string) => string[] }> {
  const name = `sdagent-${randomBytes(3).toString('hex')}`;
  const exe = path.join(dir, name);
  await copyFile('/bin/sh', exe);
  await chmod(exe, 0o755);
  const log = path.join(dir, `${name}.log`);
  return { name, exe, log, argv: (l = log) => [exe, '-c', AGENT_SCRIPT, l] };
}

async function start(argv: string[]): Promise<ChildProcess> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  started.push(child.pid!);
  return child;
}

/** pids of processes whose name is exactly this unique name (from /proc: no shell, no pkill). */
async function pidsNamed(name: string): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const out: number[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const comm = await readFile(`/proc/${e}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === name) out.push(Number(e));
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const staleLine = () => `${new Date(Date.now() - 3600_000).toISOString()} sync ok\n`;

async function fix(agent: { name: string; exe: string; log: string }, audit: string, extra: string[] = [], env: Record<string, string> = {}) {
  const r = await syncdoctor(
    ['check', 'fake-repair', '--json', '--fix', '--playbooks', PLAYBOOKS, '--audit-log', audit,
      '--set', `fake-repair.agentPath=${agent.exe}`, '--set', `fake-repair.processNames=${agent.name}`, '--set', `fake-repair.logPath=${agent.log}`,
      '--set', `fake-repair.agentUser=${os.userInfo().username}`, ...extra],
    { env },
  );
  return { r, report: JSON.parse(r.stdout || '{}') };
}

async function auditLines(file: string): Promise<Record<string, unknown>[]> {
  return (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
}

describe.runIf(isLinux)('repair on this machine', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-repair-'));
  });

  afterEach(async () => {
    // Clean up: the agents this test started (by pid), and relaunched ones (by their unique names).
    for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  async function cleanupByName(name: string) {
    for (const pid of await pidsNamed(name)) process.kill(pid, 'SIGKILL');
  }

  it('kills and relaunches a hung agent; the re-check passes; the audit log has intent, outcome and the verification', async () => {
    const agent = await makeAgent();
    const first = await start(agent.argv());
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(agent.log, staleLine()); // the agent "hangs": no sync since an hour
    const audit = path.join(dir, 'audit-1.log');
    try {
      const { r, report } = await fix(agent, audit, ['--allow', 'disruptive']);
      const check = report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh');
      expect(check.state).toBe('pass');
      expect(check.before.state).toBe('fail');
      expect(report.actions.map((a: { remediation: string; outcome: string }) => [a.remediation, a.outcome])).toEqual([['relaunch-agent', 'fixed']]);
      expect(r.exitCode).toBe(0);
      expect(alive(first.pid!)).toBe(false);
      const now = await pidsNamed(agent.name);
      expect(now.length).toBe(1);
      expect(now[0]).not.toBe(first.pid);
      const lines = await auditLines(audit);
      expect(lines.map((l) => l.phase)).toEqual(['intent', 'outcome', 'verified']);
      expect(lines[0]).toMatchObject({ agent: 'fake-repair', check: 'last-sync-fresh', remediation: 'relaunch-agent', action: 'kill-and-relaunch', risk: 'disruptive' });
      expect(lines[1]).toMatchObject({ outcome: 'applied' });
      expect(String(lines[1]!.detail)).toContain(`(pid ${first.pid})`);
      expect(lines[2]).toMatchObject({ remediation: 'relaunch-agent', outcome: 'fixed' });
    } finally {
      await cleanupByName(agent.name);
    }
  });

  it('the guard refuses while the stand-in QuickBooks runs, and kills nothing', async () => {
    const agent = await makeAgent();
    const first = await start(agent.argv());
    const qbName = `sdqb-${randomBytes(3).toString('hex')}`;
    const qbExe = path.join(dir, qbName);
    await copyFile('/bin/sleep', qbExe);
    const qb = await start([qbExe, '300']);
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(agent.log, staleLine());
    const audit = path.join(dir, 'audit-2.log');
    const { r, report } = await fix(agent, audit, ['--allow', 'disruptive', '--set', `fake-repair.quickbooksImages=${qbName}`]);
    expect(r.exitCode).toBe(2);
    const refused = report.actions.find((a: { remediation: string }) => a.remediation === 'relaunch-agent');
    expect(refused.outcome).toBe('refused');
    expect(refused.detail).toMatch(/Nobody is working in the stand-in QuickBooks/);
    expect(alive(first.pid!)).toBe(true);
    expect(alive(qb.pid!)).toBe(true);
    // The restart above it is not tried either: a riskier step never follows a refused one.
    const lines = await auditLines(audit);
    expect(lines.map((l) => [l.phase, l.remediation])).toEqual([['refused', 'relaunch-agent'], ['refused', 'restart-pc']]);
    expect(String(lines[1]!.detail)).toMatch(/"Kill and relaunch the fake agent" \(disruptive\) was refused, and a riskier step never follows a refused one/);
  });

  it('a disruptive step needs --allow disruptive; --dry-run shows the plan and changes nothing', async () => {
    const agent = await makeAgent();
    const first = await start(agent.argv());
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(agent.log, staleLine());
    const audit = path.join(dir, 'audit-3.log');
    const safe = await fix(agent, audit);
    expect(safe.report.actions.find((a: { remediation: string }) => a.remediation === 'relaunch-agent')).toMatchObject({ outcome: 'not-allowed', detail: 'risk disruptive needs --allow disruptive' });
    expect(alive(first.pid!)).toBe(true);

    const dry = await syncdoctor(['check', 'fake-repair', '--dry-run', '--allow', 'disruptive', '--playbooks', PLAYBOOKS, '--audit-log', audit,
      '--set', `fake-repair.agentPath=${agent.exe}`, '--set', `fake-repair.processNames=${agent.name}`, '--set', `fake-repair.logPath=${agent.log}`,
      '--set', `fake-repair.agentUser=${os.userInfo().username}`]);
    expect(dry.stderr).toContain(`Would Kill and relaunch the fake agent [disruptive]: close ${agent.name} (pid ${first.pid})`);
    expect(dry.stdout).toMatch(/\[planned\] fake-repair\/last-sync-fresh: relaunch-agent/);
    expect(alive(first.pid!)).toBe(true);
    expect(await readFile(audit, 'utf8').catch(() => '')).toBe('');

    // Without --allow, the dry run shows what --fix would refuse, as --fix would.
    const drySafe = await syncdoctor(['check', 'fake-repair', '--dry-run', '--json', '--playbooks', PLAYBOOKS, '--audit-log', audit,
      '--set', `fake-repair.agentPath=${agent.exe}`, '--set', `fake-repair.processNames=${agent.name}`, '--set', `fake-repair.logPath=${agent.log}`,
      '--set', `fake-repair.agentUser=${os.userInfo().username}`]);
    const planned = JSON.parse(drySafe.stdout).actions.map((a: { remediation: string; outcome: string }) => [a.remediation, a.outcome]);
    expect(planned).toEqual([['relaunch-agent', 'not-allowed'], ['restart-pc', 'not-allowed']]);
    expect(alive(first.pid!)).toBe(true);
  });

  it('starts a stopped agent (safe) and the check passes', async () => {
    const agent = await makeAgent();
    const audit = path.join(dir, 'audit-4.log');
    try {
      const { r, report } = await fix(agent, audit);
      expect(report.actions[0]).toMatchObject({ remediation: 'start-agent', outcome: 'fixed' });
      expect(r.exitCode).toBe(0);
      expect((await pidsNamed(agent.name)).length).toBe(1);
    } finally {
      await cleanupByName(agent.name);
    }
  });

  it('a restart never follows a relaunch in the same run; the next run goes on above the relaunch, and only with --allow reboot (was: shutdown planned 15 s after the relaunch); a restart is judged by the evidence once the PC is back, and one that did not fix it is not done again (was: every later run restarted the PC)', async () => {
    // The agent runs but its log stays stale even after a relaunch (here it never logs).
    const agent = await makeAgent();
    const first = await start(agent.argv(path.join(dir, 'elsewhere.log')));
    await writeFile(agent.log, staleLine());
    const silent = ['--set', 'fake-repair.agentScript=while :; do sleep 1; done'];
    const rehearsal = path.join(dir, 'rehearsal.jsonl');
    const audit = path.join(dir, 'audit-5.log');
    const env = { SYNCDOCTOR_REHEARSE: 'shutdown', SYNCDOCTOR_REHEARSAL_LOG: rehearsal };
    const outcomes = (report: { actions: { remediation: string; outcome: string }[] }) => report.actions.map((a) => [a.remediation, a.outcome]);
    try {
      // Run 1: the relaunch is done, its evidence (a fresh sync) does not come: the restart waits for a later run.
      const one = await fix(agent, audit, ['--allow', 'reboot', ...silent], env);
      expect(outcomes(one.report)).toEqual([['relaunch-agent', 'applied'], ['restart-pc', 'refused']]);
      expect(one.report.actions[1].detail).toBe('"Kill and relaunch the fake agent" was done in this run; a restart waits until a later run shows whether that worked');
      expect(await readFile(rehearsal, 'utf8').catch(() => '')).toBe('');
      expect((await auditLines(audit)).map((l) => [l.phase, l.outcome])).toEqual([['intent', undefined], ['outcome', 'applied'], ['verified', 'not-fixed'], ['refused', 'refused']]);

      // Run 2, --allow disruptive: the relaunch is not tried again; the restart is beyond what is allowed.
      const two = await fix(agent, audit, ['--allow', 'disruptive', ...silent], env);
      const check = two.report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh');
      expect(check.summary).toMatch(/^"Kill and relaunch the fake agent" at \S+ did not fix it: /);
      expect(check.earlierFix).toMatchObject({ remediation: 'relaunch-agent', verdict: 'not-confirmed' });
      expect(outcomes(two.report)).toEqual([['relaunch-agent', 'skipped'], ['restart-pc', 'not-allowed']]);
      expect(two.report.actions[0].detail).toMatch(/evidence that it worked never came: going on above it/);

      // Run 3, --allow reboot: the restart is scheduled (rehearsed: the test sees the command, nothing runs).
      await writeFile(agent.log, staleLine());
      const three = await fix(agent, audit, ['--allow', 'reboot', ...silent], env);
      expect(outcomes(three.report)).toEqual([['relaunch-agent', 'skipped'], ['restart-pc', 'applied']]);
      expect(three.report.rebootRequired).toBe(true);
      const ran = (await readFile(rehearsal, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).argv);
      expect(ran).toEqual([['shutdown', '-r', '+15', 'syncdoctor test restart']]);
      expect(three.r.exitCode).toBe(2); // the check still fails until the restart happens
      const restartedAt = Date.parse(three.report.actions[1].at);
      const due = /the first run after (\S+Z) judges whether it worked$/.exec(three.report.actions[1].detail)?.[1];
      // Fires in 15 min, then 15 min for the PC to come back (the restart step has no window of its own).
      expect(Date.parse(due!) - restartedAt).toBeGreaterThan(29 * 60_000);
      expect(Date.parse(due!) - restartedAt).toBeLessThanOrEqual(30 * 60_000);
      expect((await auditLines(audit)).at(-1)).toMatchObject({ phase: 'awaiting', remediation: 'restart-pc', confirmBy: due });
      const restarts = async () => (await readFile(rehearsal, 'utf8')).trim().split('\n').length;
      const sync = (report: { agents: { checks: { id: string; summary: string }[] }[] }) => report.agents[0]!.checks.find((c) => c.id === 'last-sync-fresh')!;

      // Run 4, before the restart could show anything: it is awaited; nothing is done (was: the
      // ladder started again and scheduled another restart).
      const four = await fix(agent, audit, ['--allow', 'reboot', ...silent], env);
      expect(sync(four.report)).toMatchObject({ state: 'awaiting', confirmBy: due, earlierFix: { remediation: 'restart-pc', verdict: 'awaiting' } });
      expect(four.report.actions).toEqual([]);
      expect(await restarts()).toBe(1);
      expect(four.r.exitCode).toBe(1);

      // An hour later (the audit log's times moved back an hour), the sync is still stale: the
      // restart did not fix it. CRITICAL, and nothing above it to try: a person's turn, no restart.
      const hourAgo = (t: string) => new Date(Date.parse(t) - 3600_000).toISOString();
      const lines = (await auditLines(audit)).map((l) => ({ ...l, at: hourAgo(l.at as string), ...(l.appliedAt ? { appliedAt: hourAgo(l.appliedAt as string) } : {}), ...(l.confirmBy ? { confirmBy: hourAgo(l.confirmBy as string) } : {}) }));
      await writeFile(audit, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const five = await fix(agent, audit, ['--allow', 'reboot', ...silent], env);
      expect(sync(five.report)).toMatchObject({ state: 'fail', severity: 'critical', earlierFix: { remediation: 'restart-pc', verdict: 'not-confirmed' } });
      expect(sync(five.report).summary).toMatch(/^"Restart the PC" at \S+ did not fix it \(no evidence by \S+\): /);
      expect(outcomes(five.report)).toEqual([['relaunch-agent', 'skipped'], ['restart-pc', 'skipped']]);
      expect(await restarts()).toBe(1);
      expect(five.r.exitCode).toBe(2);
      expect((await auditLines(audit)).at(-1)).toMatchObject({ phase: 'confirmation', remediation: 'restart-pc', outcome: 'not-confirmed' });

      // And it stays so: the next run does not restart the PC either.
      const six = await fix(agent, audit, ['--allow', 'reboot', ...silent], env);
      expect(outcomes(six.report)).toEqual([['relaunch-agent', 'skipped'], ['restart-pc', 'skipped']]);
      expect(await restarts()).toBe(1);
    } finally {
      if (alive(first.pid!)) process.kill(first.pid!, 'SIGKILL');
      await cleanupByName(agent.name);
    }
  }, 90_000); // the relaunch waits up to 15 s for the agent to show its work

  it('a step that failed is not followed by a riskier one: the relaunch cannot start the agent, so no restart (was: restart scheduled)', async () => {
    const agent = await makeAgent();
    const first = await start(agent.argv(path.join(dir, 'failed-elsewhere.log')));
    await writeFile(agent.log, staleLine());
    const rehearsal = path.join(dir, 'rehearsal-failed.jsonl');
    try {
      // The agent's program path names its image, but no such file exists: the relaunch fails.
      const missing = path.join(dir, 'no-such-folder', agent.name);
      const { r, report } = await fix({ ...agent, exe: missing }, path.join(dir, 'audit-failed.log'), ['--allow', 'reboot'], { SYNCDOCTOR_REHEARSE: 'shutdown', SYNCDOCTOR_REHEARSAL_LOG: rehearsal });
      expect(report.actions.map((a: { remediation: string; outcome: string }) => [a.remediation, a.outcome])).toEqual([['relaunch-agent', 'failed'], ['restart-pc', 'refused']]);
      expect(report.actions[1].detail).toBe('"Kill and relaunch the fake agent" (disruptive) failed, and a riskier step never follows a failed one');
      expect(await readFile(rehearsal, 'utf8').catch(() => '')).toBe('');
      expect(r.exitCode).toBe(2);
    } finally {
      if (alive(first.pid!)) process.kill(first.pid!, 'SIGKILL');
      await cleanupByName(agent.name);
    }
  }, 60_000);

  describe('escalation on evidence: a fix whose evidence cannot come within the run is awaited, and the next run judges it', () => {
    const silent = ['--set', 'fake-repair.agentScript=while :; do sleep 1; done'];
    // The next sync can take 30 s; the run has 8 s: the evidence cannot come within it.
    const window = ['--set', 'fake-repair.syncWindow=30s', '--timeout', '8'];

    async function awaitingRun(tag: string) {
      const agent = await makeAgent();
      const first = await start(agent.argv(path.join(dir, `${tag}-elsewhere.log`)));
      await writeFile(agent.log, staleLine());
      const audit = path.join(dir, `audit-${tag}.log`);
      const one = await fix(agent, audit, ['--allow', 'reboot', ...silent, ...window]);
      return { agent, first, audit, one };
    }

    it('run 1: the check ends AWAITING (a warning naming the confirm-by time), the ladder stops, exit 1 (was: restart scheduled 15 s after the relaunch)', async () => {
      const { agent, first, audit, one } = await awaitingRun('await');
      try {
        const check = one.report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh');
        expect(check.state).toBe('awaiting');
        expect(check.summary).toMatch(/^Fix applied \("Kill and relaunch the fake agent"\), awaiting confirmation by \S+Z: The last fake sync was 1h ago/);
        // 30 s after the step began (the action's record is written when it ends, a moment later).
        const doneAt = Date.parse(one.report.actions[0].at);
        expect(Date.parse(check.confirmBy) - doneAt).toBeGreaterThan(20_000);
        expect(Date.parse(check.confirmBy) - doneAt).toBeLessThanOrEqual(30_000);
        expect(check.remediations[0].confirm).toEqual({ what: "the fake agent's next sync", within: '30s', withinMs: 30_000 });
        expect(one.report.actions.map((a: { remediation: string; outcome: string }) => [a.remediation, a.outcome])).toEqual([['relaunch-agent', 'awaiting']]);
        expect(one.report.status).toBe('warning');
        expect(one.r.exitCode).toBe(1);
        const lines = await auditLines(audit);
        expect(lines.at(-1)).toMatchObject({ phase: 'awaiting', remediation: 'relaunch-agent', confirmBy: check.confirmBy });
        // A plain check before the confirm-by time still says awaiting (it reads the audit log; it writes nothing).
        const again = await syncdoctor(['check', 'fake-repair', '--json', '--playbooks', PLAYBOOKS, '--audit-log', audit, '--set', `fake-repair.processNames=${agent.name}`, '--set', `fake-repair.logPath=${agent.log}`]);
        expect(JSON.parse(again.stdout).agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh').state).toBe('awaiting');
        expect(again.exitCode).toBe(1);
        expect((await auditLines(audit)).length).toBe(lines.length);
      } finally {
        if (alive(first.pid!)) process.kill(first.pid!, 'SIGKILL');
        await cleanupByName(agent.name);
      }
    }, 60_000);

    it('the next run, past the confirm-by time without the evidence: CRITICAL "did not fix it", and the ladder resumes above that step', async () => {
      const { agent, first, audit, one } = await awaitingRun('late');
      try {
        const confirmBy = Date.parse(one.report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh').confirmBy);
        await new Promise((r) => setTimeout(r, Math.max(0, confirmBy - Date.now() + 500)));
        const two = await fix(agent, audit, ['--allow', 'disruptive', ...silent, ...window]);
        const check = two.report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh');
        expect(check.state).toBe('fail');
        expect(check.severity).toBe('critical');
        expect(check.summary).toMatch(/^"Kill and relaunch the fake agent" at \S+ did not fix it \(no evidence by \S+\): /);
        expect(check.earlierFix).toMatchObject({ verdict: 'not-confirmed', remediation: 'relaunch-agent' });
        expect(two.report.actions.map((a: { remediation: string; outcome: string }) => [a.remediation, a.outcome])).toEqual([['relaunch-agent', 'skipped'], ['restart-pc', 'not-allowed']]);
        expect(two.r.exitCode).toBe(2);
        expect((await auditLines(audit)).find((l) => l.phase === 'confirmation')).toMatchObject({ outcome: 'not-confirmed', remediation: 'relaunch-agent' });
      } finally {
        if (alive(first.pid!)) process.kill(first.pid!, 'SIGKILL');
        await cleanupByName(agent.name);
      }
    }, 60_000);

    it('the evidence came and the fault came back later: the step worked, so the ladder starts afresh instead of skipping to a restart (was: "did not fix it", restart scheduled)', async () => {
      const { agent, first, audit } = await awaitingRun('back');
      const rehearsal = path.join(dir, 'rehearsal-back.jsonl');
      try {
        // An hour passes (the audit log's times move back an hour): the sync came five minutes
        // after the step, then syncing stopped again, and no run looked in between.
        const hourAgo = (t: string) => new Date(Date.parse(t) - 3600_000).toISOString();
        const lines = (await auditLines(audit)).map((l) => ({ ...l, at: hourAgo(l.at as string), ...(l.appliedAt ? { appliedAt: hourAgo(l.appliedAt as string) } : {}), ...(l.confirmBy ? { confirmBy: hourAgo(l.confirmBy as string) } : {}) }));
        await writeFile(audit, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
        const appliedAt = Date.parse((lines as Record<string, unknown>[]).find((l) => l.phase === 'awaiting')!.appliedAt as string);
        await writeFile(agent.log, `${new Date(appliedAt + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z')} sync ok\n`);
        const two = await fix(agent, audit, ['--allow', 'reboot', ...silent, ...window], { SYNCDOCTOR_REHEARSE: 'shutdown', SYNCDOCTOR_REHEARSAL_LOG: rehearsal });
        const check = two.report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh');
        expect(check.earlierFix).toMatchObject({ verdict: 'confirmed', remediation: 'relaunch-agent' });
        expect(two.report.actions.map((a: { remediation: string; outcome: string }) => [a.remediation, a.outcome])).toEqual([['relaunch-agent', 'awaiting']]);
        expect(await readFile(rehearsal, 'utf8').catch(() => '')).toBe('');
      } finally {
        if (alive(first.pid!)) process.kill(first.pid!, 'SIGKILL');
        await cleanupByName(agent.name);
      }
    }, 60_000);

    it('the next run, with the evidence (a fresh sync): the fix is confirmed, exit 0', async () => {
      const { agent, first, audit } = await awaitingRun('good');
      try {
        await writeFile(agent.log, `${new Date().toISOString()} sync ok\n`); // the agent's next sync
        const two = await fix(agent, audit, ['--allow', 'disruptive', ...silent, ...window]);
        const check = two.report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh');
        expect(check.state).toBe('pass');
        expect(check.earlierFix).toMatchObject({ verdict: 'confirmed', remediation: 'relaunch-agent' });
        expect(check.evidence[0]).toMatch(/^fix confirmed: "Kill and relaunch the fake agent" at \S+ worked/);
        expect(two.report.actions).toEqual([]);
        expect(two.r.exitCode).toBe(0);
        expect((await auditLines(audit)).find((l) => l.phase === 'confirmation')).toMatchObject({ outcome: 'confirmed' });
      } finally {
        if (alive(first.pid!)) process.kill(first.pid!, 'SIGKILL');
        await cleanupByName(agent.name);
      }
    }, 60_000);
  });

  it('a run killed mid-action leaves its intent in the audit log, and its lock is recovered', async () => {
    const agent = await makeAgent();
    const audit = path.join(dir, 'audit-6.log');
    // Make the start step slow: an agent path that is a script which sleeps before exec'ing the agent
    // would still be fast to spawn, so instead hold the CLI at the intent with a huge log to stat? No:
    // simply kill the CLI as soon as the intent line appears.
    const child = execa(process.execPath, [BIN, 'check', 'fake-repair', '--fix', '--json', '--playbooks', PLAYBOOKS, '--audit-log', audit,
      '--set', `fake-repair.agentPath=${agent.exe}`, '--set', `fake-repair.processNames=${agent.name}`, '--set', `fake-repair.logPath=${agent.log}`], { reject: false });
    let text = '';
    for (let i = 0; i < 200 && !text.includes('"intent"'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      text = await readFile(audit, 'utf8').catch(() => '');
    }
    child.kill('SIGKILL');
    await child;
    const lines = await auditLines(audit);
    expect(lines[0]).toMatchObject({ phase: 'intent', remediation: 'start-agent' });
    // The lock of the killed run is stale now: the next repair takes it over.
    const next = await fix(agent, audit);
    expect(next.r.stderr).not.toMatch(/another repair holds the lock/);
    await cleanupByName(agent.name);
    for (const pid of await pidsNamed('sleep')) {
      // only the /bin/sleep this test's killed run may have started with the agent's log as argument
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmd.includes(agent.log)) process.kill(pid, 'SIGKILL');
    }
  });

  it('two repairs at once: one does the work, the other refuses or finds nothing to do; nothing is done twice', async () => {
    const agent = await makeAgent();
    const audit = path.join(dir, 'audit-8.log');
    try {
      const [a, b] = await Promise.all([fix(agent, audit), fix(agent, audit)]);
      expect((await pidsNamed(agent.name)).length).toBe(1);
      const intents = (await auditLines(audit)).filter((l) => l.phase === 'intent');
      expect(intents).toHaveLength(1);
      const refused = [a, b].filter((x) => /another repair holds the lock/.test(x.r.stderr));
      const fixed = [a, b].filter((x) => x.report.actions.some((act: { outcome: string }) => act.outcome === 'fixed'));
      expect(fixed).toHaveLength(1);
      // The other one either met the lock, or ran after the first and found the agent running.
      const other = [a, b].find((x) => !fixed.includes(x))!;
      expect(refused.includes(other) || other.r.exitCode === 0).toBe(true);
    } finally {
      await cleanupByName(agent.name);
    }
  });

  it('many repairs at once on a stale lock: exactly one takes it over and acts, every round (was: two wrote intents in the same round)', async () => {
    // The race is a matter of timing: several rounds of ten runs each make it show on code that has it.
    for (let round = 0; round < 4; round++) {
      const agent = await makeAgent();
      const lockDir = await mkdtemp(path.join(os.tmpdir(), 'sd-lockrace-'));
      const audit = path.join(lockDir, 'audit.log');
      // A lock left by a run that died: its pid is gone.
      const dead = spawn('true');
      await new Promise((r) => dead.once('exit', r));
      await writeFile(path.join(lockDir, 'repair.lock'), JSON.stringify({ pid: dead.pid, host: os.hostname(), startedAt: new Date(Date.now() - 60_000).toISOString(), command: 'check --fix' }));
      try {
        const runs = await Promise.all(Array.from({ length: 10 }, () => fix(agent, audit)));
        const intents = (await auditLines(audit)).filter((l) => l.phase === 'intent');
        expect(intents, `round ${round}`).toHaveLength(1);
        expect((await pidsNamed(agent.name)).length).toBe(1);
        // Every other run met the lock, or found the history changed by the winner (refused, in its
        // report), or came after and found the agent running.
        for (const x of runs) {
          expect(x.report.actions, `exit ${x.r.exitCode}: ${x.r.stderr}`).toBeDefined();
          const acted = x.report.actions.some((a: { outcome: string }) => a.outcome === 'fixed');
          const seen = JSON.stringify({ exit: x.r.exitCode, refused: x.report.repairRefused, actions: x.report.actions, checks: x.report.agents?.[0]?.checks.map((c: { id: string; state: string; summary: string }) => [c.id, c.state, c.summary]) });
          expect(acted || /another repair holds the lock|another repair finished meanwhile/.test(x.report.repairRefused ?? '') || x.r.exitCode === 0, seen).toBe(true);
        }
      } finally {
        await cleanupByName(agent.name);
      }
    }
  }, 120_000);

  it('refuses to repair while another repair holds the lock', async () => {
    const agent = await makeAgent();
    const audit = path.join(dir, 'audit-7.log');
    await writeFile(path.join(dir, 'repair.lock'), JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), command: 'test' }));
    try {
      const { r, report } = await fix(agent, audit);
      expect(r.stderr).toMatch(new RegExp(`another repair holds the lock \\(pid ${process.pid}`));
      expect(report.actions).toEqual([]);
      expect(await pidsNamed(agent.name)).toEqual([]);
    } finally {
      const { rm } = await import('node:fs/promises');
      await rm(path.join(dir, 'repair.lock'), { force: true });
    }
  });
});

describe.runIf(isLinux && process.getuid?.() === 0)('owner-scoped repairs: two users run the same program', () => {
  beforeAll(async () => {
    dir ??= await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-repair-'));
    // nobody must be able to run the copy of /bin/sh in here.
    await chmod(dir, 0o755);
  });

  afterEach(async () => {
    for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  /** The same unique program, started by this user and by nobody (uid 65534). */
  async function twoOwners() {
    const agent = await makeAgent();
    const mine = await start(agent.argv());
    const theirs = spawn(agent.exe, ['-c', 'while :; do sleep 1; done', '/dev/null'], { stdio: 'ignore', uid: 65534, gid: 65534 });
    await new Promise<void>((resolve, reject) => {
      theirs.once('spawn', resolve);
      theirs.once('error', reject);
    });
    started.push(theirs.pid!);
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(agent.log, staleLine());
    return { agent, mine, theirs };
  }

  it("closes and relaunches only the sync user's process; nobody's, with the same name, is left alone and named (was: both killed)", async () => {
    const { agent, mine, theirs } = await twoOwners();
    const audit = path.join(dir, 'audit-owners.log');
    try {
      const { r, report } = await fix(agent, audit, ['--allow', 'disruptive']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(alive(mine.pid!)).toBe(false);
      expect(alive(theirs.pid!)).toBe(true);
      const action = report.actions.find((a: { remediation: string }) => a.remediation === 'relaunch-agent');
      expect(action.outcome).toBe('fixed');
      expect(action.detail).toContain(`closed ${agent.name} (pid ${mine.pid})`);
      expect(action.detail).toContain(`left alone (not ${os.userInfo().username}'s): ${agent.name} (pid ${theirs.pid}) as nobody`);
    } finally {
      for (const pid of await pidsNamed(agent.name)) if (pid !== theirs.pid) process.kill(pid, 'SIGKILL');
    }
  });

  it("the plan says whose each process is; as another user's agent it refuses (it cannot start a program as nobody) and closes nothing", async () => {
    const { agent, mine, theirs } = await twoOwners();
    const dry = await fix(agent, path.join(dir, 'audit-dry.log'), ['--dry-run', '--allow', 'disruptive']);
    const step = dry.report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh').remediations.find((x: { id: string }) => x.id === 'relaunch-agent');
    expect(step.plan).toContain(`close ${agent.name} (pid ${mine.pid}) as ${os.userInfo().username}`);
    expect(step.plan).toContain(`leave ${agent.name} (pid ${theirs.pid}) as nobody alone: not ${os.userInfo().username}'s (a person asks its user to close it)`);
    expect(JSON.stringify(step.commands ?? step.command)).not.toContain(String(theirs.pid));

    const asNobody = await fix(agent, path.join(dir, 'audit-nobody.log'), ['--allow', 'disruptive', '--set', 'fake-repair.agentUser=nobody']);
    const refused = asNobody.report.actions.find((a: { remediation: string }) => a.remediation === 'relaunch-agent');
    expect(refused.outcome).not.toMatch(/fixed|applied/);
    expect(alive(mine.pid!)).toBe(true);
    expect(alive(theirs.pid!)).toBe(true);
  });

  it('without the sync user set, it refuses and closes nothing (was: every process of that name)', async () => {
    const { agent, mine, theirs } = await twoOwners();
    const { report } = await fix(agent, path.join(dir, 'audit-nouser.log'), ['--allow', 'disruptive', '--set', 'fake-repair.agentUser=']);
    const step = report.agents[0].checks.find((c: { id: string }) => c.id === 'last-sync-fresh').remediations.find((x: { id: string }) => x.id === 'relaunch-agent');
    expect(step.plan.join('\n')).toMatch(/cannot be done automatically here: the agent's user is not configured/);
    expect(alive(mine.pid!)).toBe(true);
    expect(alive(theirs.pid!)).toBe(true);
  });
});
