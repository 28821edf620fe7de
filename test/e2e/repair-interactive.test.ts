// The interactive repair through the real binary in a pseudo-terminal: a technician answers the
// real prompts. Covers a confirmed step, Ctrl-C at a prompt (nothing of that step is done, the
// summary still prints) and the reboot prompt (the restart command is rehearsed, never run).
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { KEY, PtySession } from '../helpers/pty.js';

const PLAYBOOKS = path.join(ROOT, 'test', 'fixtures', 'playbooks');
const canRun = process.platform === 'linux';
let dir: string;
const names: string[] = [];

async function agent() {
  const name = `sdagent-${randomBytes(3).toString('hex')}`;
  names.push(name);
  const exe = path.join(dir, name);
  await copyFile('/bin/sh', exe);
  await chmod(exe, 0o755);
  const log = path.join(dir, `${name}.log`);
  const args = ['repair', 'fake-repair', '--playbooks', PLAYBOOKS, '--audit-log', path.join(dir, `${name}.audit`),
    '--set', `fake-repair.agentPath=${exe}`, '--set', `fake-repair.processNames=${name}`, '--set', `fake-repair.logPath=${log}`, '--set', `fake-repair.agentUser=${os.userInfo().username}`];
  return { name, exe, log, args };
}

async function pidsNamed(name: string): Promise<number[]> {
  const out: number[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    if ((await readFile(`/proc/${e}/comm`, 'utf8').catch(() => '')).trim() === name) out.push(Number(e));
  }
  return out;
}

describe.runIf(canRun)('syncdoctor repair in a terminal', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-pty-'));
  });
  afterAll(async () => {
    // Only the fake agents these tests started, by their unique names.
    for (const n of names) for (const pid of await pidsNamed(n)) process.kill(pid, 'SIGKILL');
  });

  it('shows the diagnosis, asks before the step, does it, re-checks and reports it fixed', async () => {
    const a = await agent();
    const s = new PtySession(a.args);
    await s.waitFor(/Do this now\?/);
    expect(s.text).toMatch(/\[FAIL\]\s+The fake agent is running/);
    expect(s.text).toMatch(/Step 1 of 1 for "The fake agent is running": Start the fake agent \[safe\]/);
    expect(s.text).toContain(`Runs: ${a.exe} -c`);
    s.type(KEY.down); // from "No, skip this step" (the default) to "Yes, do it"
    s.type(KEY.enter);
    expect(await s.exited).toBe(0);
    expect(s.text).toMatch(/Fixed: \S+ is running/);
    expect(s.text).toMatch(/=== Summary after repair ===/);
    expect(s.text).toMatch(/\[fixed\] fake-repair\/agent-running: start-agent/);
    expect((await pidsNamed(a.name)).length).toBe(1);
    const audit = (await readFile(path.join(dir, `${a.name}.audit`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).phase);
    expect(audit).toEqual(['intent', 'outcome', 'verified']);
  });

  it('Enter alone at a step never acts: the default is to skip it (was: "Yes, do it")', async () => {
    const a = await agent();
    const s = new PtySession(a.args);
    await s.waitFor(/Do this now\?/);
    s.type(KEY.enter);
    expect(await s.exited).toBe(2);
    expect(s.text).toMatch(/=== Summary after repair ===/);
    expect(s.text).toMatch(/\[FAIL\]\s+The fake agent is running/);
    expect(await pidsNamed(a.name)).toEqual([]);
    expect(await readFile(path.join(dir, `${a.name}.audit`), 'utf8').catch(() => '')).not.toMatch(/"intent"/);
  });

  it('Ctrl-C at a prompt does nothing of that step and still prints the summary', async () => {
    const a = await agent();
    const s = new PtySession(a.args);
    await s.waitFor(/Do this now\?/);
    s.type(KEY.ctrlC);
    expect(await s.exited).toBe(2);
    expect(s.text).toMatch(/Stopped: nothing more is done\./);
    expect(s.text).toMatch(/=== Summary after repair ===/);
    expect(s.text).toMatch(/\[FAIL\]\s+The fake agent is running/);
    expect(await pidsNamed(a.name)).toEqual([]);
    expect(await readFile(path.join(dir, `${a.name}.audit`), 'utf8').catch(() => '')).toBe('');
  });

  it('the reboot prompt: "in 15 minutes" schedules a warned restart (rehearsed, not run)', async () => {
    const a = await agent();
    // A running agent that never logs; the technician declines the relaunch, so the ladder reaches the
    // restart (a restart never follows a relaunch in the same run: that is tested in repair-live).
    const { spawn } = await import('node:child_process');
    const first = spawn(a.exe, ['-c', 'while :; do sleep 1; done'], { stdio: 'ignore' });
    await writeFile(a.log, `${new Date(Date.now() - 3600_000).toISOString()} sync ok\n`);
    const rehearsal = path.join(dir, `${a.name}.rehearsal`);
    const s = new PtySession([...a.args, '--set', 'fake-repair.agentScript=while :; do sleep 1; done'], {
      SYNCDOCTOR_REHEARSE: 'shutdown',
      SYNCDOCTOR_REHEARSAL_LOG: rehearsal,
    });
    try {
      await s.waitFor(/Kill and relaunch the fake agent \[disruptive\][\s\S]*Do this now\?/);
      s.type(KEY.enter); // "No, skip this step"
      await s.waitFor(/Restart this PC\?/, 40_000);
      s.type(KEY.down); // from "Not now" (the default) to "Restart in 15 minutes (logged-on users are warned)"
      s.type(KEY.enter);
      expect(await s.exited).toBe(2);
      expect(s.text).toMatch(/A restart is pending/);
      const ran = (await readFile(rehearsal, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).argv);
      expect(ran).toEqual([['shutdown', '-r', '+15', 'syncdoctor test restart']]);
    } finally {
      if (first.exitCode === null && first.signalCode === null) process.kill(first.pid!, 'SIGKILL');
      s.kill();
    }
  }, 90_000);
});
