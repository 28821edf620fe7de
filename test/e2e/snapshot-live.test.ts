// `syncdoctor snapshot` on this Linux machine, for real: a fake agent started under a unique name,
// a log the test writes; capture, replay, compare the verdicts. A redacted capture holds none of
// the original names and replays to the same verdict.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, copyFile, mkdir, mkdtemp, open, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, syncdoctor } from '../helpers/cli.js';

const PLAYBOOKS = path.join(ROOT, 'test', 'fixtures', 'playbooks');

let dir: string;
let name: string;
let agent: ChildProcess | undefined;
let logPath: string;

interface Report {
  status: string;
  exitCode: number;
  host: { hostname: string; source: string; facts: string[] };
  agents: { id: string; detected: boolean; status: string; checks: { id: string; state: string; summary: string }[] }[];
}

const verdict = (r: Report) => ({
  status: r.status,
  exitCode: r.exitCode,
  agents: r.agents.map((a) => ({ id: a.id, detected: a.detected, status: a.status, checks: a.checks.map((c) => [c.id, c.state]) })),
});

const settings = (...extra: string[]) => ['--playbooks', PLAYBOOKS, '--set', `fake-agent.processNames=${name}`, '--set', `fake-agent.logPath=${logPath}`, ...extra];

/** Captures, then replays the file; returns both reports' verdicts and the file's text. */
async function roundTrip(file: string, extra: string[] = [], agents: string[] = [], env: Record<string, string> = {}) {
  const cap = await syncdoctor(['snapshot', ...agents, '--output', path.join(dir, file), ...settings(...extra)], { env });
  expect(cap.exitCode, cap.stderr).toBe(0);
  expect(cap.stdout).toBe('');
  expect(cap.stderr).toMatch(/Replaying it gives the same verdict\./);
  const text = await readFile(path.join(dir, file), 'utf8');
  const replay = await syncdoctor(['check', ...agents, '--json', '--snapshot', path.join(dir, file), '--playbooks', PLAYBOOKS]);
  return { cap, text, replay: JSON.parse(replay.stdout) as Report, replayExit: replay.exitCode };
}

async function live(extra: string[] = [], agents: string[] = []): Promise<Report> {
  return JSON.parse((await syncdoctor(['check', ...agents, '--json', ...settings(...extra)])).stdout) as Report;
}

describe.runIf(process.platform === 'linux')('snapshot of this Linux host with a fake agent', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-snap-'));
    name = `sdfake-${randomBytes(3).toString('hex')}`;
    logPath = path.join(dir, 'agent.log');
    await copyFile('/bin/sleep', path.join(dir, name));
    agent = spawn(path.join(dir, name), ['300'], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      agent!.once('spawn', resolve);
      agent!.once('error', reject);
    });
  });

  afterAll(async () => {
    if (!agent || agent.exitCode !== null || agent.signalCode) return;
    const exited = new Promise((r) => agent!.once('exit', r));
    process.kill(agent.pid!, 'SIGTERM'); // only ever the pid this test started
    await exited;
  });

  it('replaying the capture gives the live verdict (healthy agent, exit 0)', async () => {
    await writeFile(logPath, `${new Date(Date.now() - 60_000).toISOString()} sync ok: 3 records\n`);
    const { text, replay, replayExit } = await roundTrip('healthy.yaml');
    expect(replayExit).toBe(0);
    expect(verdict(replay)).toEqual(verdict(await live()));
    const snap = parse(text);
    expect(snap).toMatchObject({ syncdoctorSnapshot: 1, platform: 'linux', hostname: os.hostname() });
    expect(snap.settings['fake-agent']).toEqual({ processNames: [name], logPath });
    expect(snap.processes.some((p: { name: string }) => p.name === name)).toBe(true);
    expect(snap.files.find((f: { path: string }) => f.path === logPath).content).toMatch(/sync ok: 3 records\n$/);
    // Replay is judged at the capture's clock, not today's.
    expect(replay.host.source).toBe('snapshot');
  });

  it('a failing verdict survives the round trip too (wrong user, exit 2)', async () => {
    const { replay, replayExit } = await roundTrip('wrong-user.yaml', ['--set', 'fake-agent.user=someone-else']);
    expect(replayExit).toBe(2);
    expect(replay.agents[0]!.checks.find((c) => c.id === 'agent-running')!.summary).toContain('not as someone-else');
  });

  it('a huge log: only the tail that was read is stored, and replay reads the same bytes', async () => {
    const fh = await open(logPath, 'w');
    await fh.truncate(64 * 1024 * 1024); // 64 MB of NULs
    await fh.close();
    await appendFile(logPath, `\n${new Date(Date.now() - 30_000).toISOString()} sync ok: 3 records\n`);
    const { text, replay, replayExit } = await roundTrip('huge.json');
    expect(replayExit).toBe(0);
    expect(text.length).toBeLessThan(2 * 1024 * 1024);
    const file = JSON.parse(text).files.find((f: { path: string }) => f.path === logPath);
    // The stored tail reaches the end of the file, so its offset says how big the file is.
    const size = (await readFile(logPath)).length;
    expect(file.contentOffset).toBe(size - 262144);
    expect(Buffer.byteLength(file.content)).toBe(262144);
    expect(file.size ?? file.contentOffset + 262144).toBe(size);
    // NUL bytes are valid UTF-8: kept as text (JSON escapes them), not lost.
    expect(file.content).toContain('\u0000');
    const read = replay.host.facts.find((f) => f.includes(`at the end of ${logPath}`));
    expect(read).toBe(`read 262144 of ${size} bytes at the end of ${logPath}`);
  });

  it('--redact: none of the original names remain, and the verdict is the same', async () => {
    const user = `sduser-${randomBytes(3).toString('hex')}`;
    const company = `Zyxco Plumbing ${randomBytes(2).toString('hex')}`;
    const host = `sync-${randomBytes(3).toString('hex')}.example.net`;
    const mail = `ops-${randomBytes(2).toString('hex')}@zyxco.example.org`;
    // The log sits in a folder named after the user, found through %LOGNAME% as a playbook path
    // would be through %APPDATA%: the user name is in the environment, the path and the file.
    await mkdir(path.join(dir, user), { recursive: true });
    const userLog = path.join(dir, user, 'agent.log');
    await writeFile(
      userLog,
      `${new Date(Date.now() - 2 * 3600_000).toISOString()} sync ok: 3 records to https://${host}/qbwc/sync?key=s3cr3t by ${mail} from C:\\Company Files\\${company}.QBW (${user})\n`,
    );
    const extra = ['--set', `fake-agent.logPath=${path.join(dir, '%LOGNAME%', 'agent.log')}`];
    const env = { LOGNAME: user };
    const plain = await roundTrip('plain.yaml', extra, [], env);
    const red = await roundTrip('redacted.yaml', ['--redact', ...extra], [], env);
    expect(red.cap.stderr).toMatch(/Redacted: [1-9]\d* user names?, [1-9]\d* host names?, [1-9]\d* domain names?, 1 company name, [1-9]\d* URLs?, 1 e-mail address, \d+ IP address(es)?, [01] machine ids?\./);
    // A stale log: the verdict to keep is a failure, with the age it names.
    expect(plain.replay.exitCode).toBe(2);
    expect(verdict(red.replay)).toEqual(verdict(plain.replay));

    const names = [user, company, host, mail, 'zyxco', 's3cr3t'];
    for (const n of names) expect(red.text.toLowerCase(), n).not.toContain(n.toLowerCase());
    // The host name is gone as a word (a short one may still occur inside other words).
    const hostname = os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (os.hostname() !== 'localhost') expect(red.text).not.toMatch(new RegExp(`(?<![\\p{L}\\p{N}_])${hostname}(?![\\p{L}\\p{N}_])`, 'iu'));
    const snap = parse(red.text);
    expect(snap.redacted).toBe(true);
    expect(snap.hostname).toHaveLength(os.hostname().length);
    // Same-length pseudonyms: the log keeps its size.
    const logged = snap.files.find((f: { path: string }) => f.path.endsWith('agent.log') && f.path !== logPath);
    expect(Buffer.byteLength(logged.content)).toBe((await readFile(userLog)).length);
    // The unredacted capture does name them (the test would prove nothing otherwise).
    for (const n of [user, company, host, mail]) expect(plain.text, n).toContain(n);
  });

  it('writes to stdout without --output, never prompts, and leaves no temporary files', async () => {
    const r = await syncdoctor(['snapshot', 'fake-agent', ...settings()]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(parse(r.stdout)).toMatchObject({ syncdoctorSnapshot: 1, platform: 'linux' });
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('usage errors: 64; an --output that cannot be written: 73 before capturing; no stack trace', async () => {
    const bad = await syncdoctor(['snapshot', '--set', 'garbage']);
    expect(bad.exitCode).toBe(64);
    const unwritable = await syncdoctor(['snapshot', '--output', path.join(dir, 'no', 'such', 'dir', 'pc.yaml'), ...settings()]);
    expect(unwritable.exitCode).toBe(73);
    expect(unwritable.stderr).toMatch(/--output .*pc\.yaml: cannot write: the folder .*dir does not exist/);
    expect(unwritable.stderr).not.toMatch(/\n\s+at /);
  });
});
