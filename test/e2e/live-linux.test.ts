// A live run on this Linux machine: a fake agent process started by the test under a unique name,
// and a log the test writes, found through the real process list and the real file — no mocks.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, copyFile, mkdtemp, open, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, syncdoctor } from '../helpers/cli.js';

const PLAYBOOKS = path.join(ROOT, 'test', 'fixtures', 'playbooks');
const isLinux = process.platform === 'linux';

let dir: string;
let name: string;
let agent: ChildProcess | undefined;
let logPath: string;

async function startFakeAgent(): Promise<ChildProcess> {
  const exe = path.join(dir, name);
  await copyFile('/bin/sleep', exe);
  const child = spawn(exe, ['300'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child;
}

async function stopFakeAgent(): Promise<void> {
  if (!agent || agent.exitCode !== null || agent.signalCode) return;
  const exited = new Promise((r) => agent!.once('exit', r));
  process.kill(agent.pid!, 'SIGTERM'); // only ever the pid this test started
  await exited;
}

const logLine = (d: Date) => `${d.toISOString()} sync ok: 3 records\n`;

async function check(...extra: string[]) {
  const r = await syncdoctor(['check', '--json', '--playbooks', PLAYBOOKS, '--set', `fake-agent.processNames=${name}`, '--set', `fake-agent.logPath=${logPath}`, ...extra]);
  const report = JSON.parse(r.stdout);
  const agentResult = report.agents.find((a: { id: string }) => a.id === 'fake-agent');
  const state = (id: string) => agentResult?.checks.find((c: { id: string }) => c.id === id);
  return { r, report, agentResult, state };
}

describe.runIf(isLinux)('live check on Linux with a fake agent', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-live-'));
    name = `sdfake-${randomBytes(3).toString('hex')}`; // 13 characters: fits the kernel's 15-character comm
    logPath = path.join(dir, 'agent.log');
    agent = await startFakeAgent();
  });

  afterAll(async () => {
    await stopFakeAgent();
  });

  it('detects the running agent and a fresh log: OK, exit 0', async () => {
    await writeFile(logPath, logLine(new Date(Date.now() - 3 * 60_000)) + logLine(new Date(Date.now() - 60_000)));
    const { r, agentResult, state } = await check();
    expect(r.exitCode).toBe(0);
    expect(agentResult.detected).toBe(true);
    expect(state('agent-running').state).toBe('pass');
    expect(state('agent-running').evidence.join('\n')).toContain(`(pid ${agent!.pid})`);
    expect(state('last-sync-fresh').state).toBe('pass');
  });

  it('knows which user runs it', async () => {
    const me = os.userInfo().username;
    expect((await check('--set', `fake-agent.user=${me}`)).state('agent-running').state).toBe('pass');
    const other = await check('--set', 'fake-agent.user=someone-else');
    expect(other.state('agent-running').state).toBe('fail');
    expect(other.state('agent-running').summary).toContain(`but as ${me}, not as someone-else`);
  });

  it('a stale log: CRITICAL, exit 2, says how old', async () => {
    await writeFile(logPath, logLine(new Date(Date.now() - 2 * 3600_000)));
    const { r, state } = await check();
    expect(r.exitCode).toBe(2);
    expect(state('last-sync-fresh').state).toBe('fail');
    expect(state('last-sync-fresh').summary).toMatch(/The last fake sync was 2h ago \(more than 10m\)/);
  });

  it('reads only the tail of a large log', async () => {
    const size = 64 * 1024 * 1024;
    const fh = await open(logPath, 'w');
    await fh.truncate(size); // 64 MB of NULs
    await fh.close();
    await appendFile(logPath, `\n${logLine(new Date(Date.now() - 30_000))}`);
    const { r, report, state } = await check();
    expect(r.exitCode).toBe(0);
    expect(state('last-sync-fresh').state).toBe('pass');
    const read = (report.host.facts as string[]).find((f) => f.includes(`at the end of ${logPath}`))!;
    expect(read).toMatch(/^read 262144 of \d+ bytes/);
  });

  it('the agent stopped: CRITICAL, exit 2, its dependant skipped', async () => {
    await writeFile(logPath, logLine(new Date()));
    await stopFakeAgent();
    // Named explicitly: a stopped agent is no longer detected by its process.
    const { r, agentResult, state } = await check('fake-agent');
    expect(r.exitCode).toBe(2);
    expect(agentResult.detected).toBe(false);
    expect(state('agent-running').state).toBe('fail');
    expect(state('agent-running').summary).toBe(`${name} is not running`);
    expect(state('last-sync-fresh').state).toBe('skip');
  });
});
