// Safe to run as root: nothing another user plants is written through. The attacker is an
// unprivileged user the test creates (and removes), who owns a folder root writes into (as standard
// users may own folders under %ProgramData%). Runs for real on Linux as root (CI); elsewhere it says
// it was not run.
import { execFileSync } from 'node:child_process';
import { chmod, chown, copyFile, lstat, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { ROOT, example, syncdoctor } from '../helpers/cli.js';

const isRoot = process.platform === 'linux' && process.getuid?.() === 0;
const PLAYBOOKS = path.resolve(import.meta.dirname, '..', 'fixtures', 'playbooks');

/** The attacker: a system user without a home or a shell, made for this test file. */
const ATTACKER = `sdatk${process.pid % 100000}`;
let attackerUid = -1;
beforeAll(() => {
  if (!isRoot) return;
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ATTACKER], { stdio: 'ignore' });
  attackerUid = Number(execFileSync('id', ['-u', ATTACKER], { encoding: 'utf8' }).trim());
});
afterAll(() => {
  if (isRoot) execFileSync('userdel', [ATTACKER], { stdio: 'ignore' });
});

/** Runs a shell command as the attacker. */
function asAttacker(script: string): void {
  execFileSync('runuser', ['-u', ATTACKER, '--', 'sh', '-c', script], { stdio: 'ignore' });
}

describe.runIf(isRoot)('writes never follow a link another user planted (root, attacker: a user the test creates)', () => {
  let attackerDir: string;
  let precious: string;
  beforeEach(async () => {
    attackerDir = await mkdtemp(path.join(os.tmpdir(), 'sd-attacker-'));
    await chown(attackerDir, attackerUid, attackerUid);
    await chmod(attackerDir, 0o755);
    // A file only root may change, elsewhere: what the attacker wants root to overwrite.
    const safe = await mkdtemp(path.join(os.tmpdir(), 'sd-root-'));
    precious = path.join(safe, 'precious.conf');
    await writeFile(precious, 'precious\n');
  });

  it('--output: links planted at every temporary name root could use are not followed (was: the report overwrote the file they point to)', async () => {
    const out = path.join(attackerDir, 'report.json');
    // The old temporary name was FILE.<pid>.tmp: plant it for the next few hundred pids.
    // One process plants them all (a shell loop would use up the very pids it plants for).
    const last = Number((await readFile('/proc/sys/kernel/ns_last_pid', 'utf8')).trim());
    execFileSync('runuser', ['-u', ATTACKER, '--', process.execPath, '-e', `for (let i = ${last + 1}; i <= ${last + 3000}; i++) require('fs').symlinkSync(${JSON.stringify(precious)}, ${JSON.stringify(out)} + '.' + i + '.tmp')`]);
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--output', out]);
    expect(r.exitCode).toBe(0);
    expect(await readFile(precious, 'utf8')).toBe('precious\n');
    expect((await lstat(out)).isFile()).toBe(true);
    expect(JSON.parse(await readFile(out, 'utf8')).status).toBe('ok');
  });

  it('--output that is itself a link is refused before anything runs: exit 73, nothing written', async () => {
    const out = path.join(attackerDir, 'out.json');
    asAttacker(`ln -s '${precious}' '${out}'`);
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--output', out]);
    expect(r.exitCode).toBe(73);
    expect(r.stderr).toContain(`--output ${out}: cannot write: it is a link (syncdoctor never writes through a link)`);
    expect(await readFile(precious, 'utf8')).toBe('precious\n');
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
  });

  it('an audit log that is a link refuses the repair, in the report and the exit code; nothing is done or written (was: the intent was appended to the linked file)', async () => {
    const audit = path.join(attackerDir, 'audit.log');
    asAttacker(`ln -s '${precious}' '${audit}'`);
    const name = `sdagent-${process.pid}-${Date.now() % 100000}`;
    const r = await syncdoctor([
      'check', 'fake-repair', '--fix', '--json', '--playbooks', PLAYBOOKS, '--audit-log', audit,
      '--set', `fake-repair.processNames=${name}`, '--set', `fake-repair.agentPath=/bin/true`, '--set', `fake-repair.logPath=${path.join(attackerDir, 'x.log')}`,
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.repairRefused).toBe(`the audit log ${audit} cannot be trusted: it is a link (syncdoctor never writes through a link)`);
    expect(report.actions).toEqual([]);
    expect(r.exitCode).toBe(2); // the agent is not running (critical), and no repair was tried
    expect(r.stderr).toContain('Not repairing: the audit log');
    expect(await readFile(precious, 'utf8')).toBe('precious\n');
  });

  it('the audit log, the lock and snapshots are created readable by their owner only (was: world-readable)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-private-'));
    const audit = path.join(dir, 'logs', 'audit.log');
    const name = `sdagent-${process.pid}-${Date.now() % 100000}`;
    await syncdoctor([
      'check', 'fake-repair', '--fix', '--json', '--playbooks', PLAYBOOKS, '--audit-log', audit,
      '--set', `fake-repair.processNames=${name}`, '--set', `fake-repair.agentPath=/nonexistent/${name}`, '--set', `fake-repair.logPath=${path.join(dir, 'x.log')}`,
    ]);
    expect((await stat(audit)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(audit))).mode & 0o777).toBe(0o700);
    const snap = path.join(dir, 'pc.yaml');
    const s = await syncdoctor(['snapshot', '--output', snap]);
    expect(s.exitCode, s.stderr).toBe(0);
    expect((await stat(snap)).mode & 0o777).toBe(0o600);
    // No temporary file is left beside what was written.
    expect((await readdir(dir)).sort()).toEqual(['logs', 'pc.yaml']);
  });
});

describe.runIf(isRoot)('run as root, settings and playbooks another user can change are not trusted', () => {
  const CONFIG = 'agents:\n  fake-repair:\n    processNames: [sdagent-trust-test]\n    logPath: /nonexistent/trust.log\n';

  async function configIn(owner: number, mode: number) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-trust-'));
    await chown(dir, owner, owner);
    await chmod(dir, mode);
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, CONFIG);
    return { dir, file };
  }
  const run = (config: string) => syncdoctor(['check', 'fake-repair', '--json', '--playbooks', PLAYBOOKS, '--config', config]);

  it('a config in a folder another user owns is not read: reported, its settings unset (UNKNOWN), exit 3 (was: read, and its process names and paths used)', async () => {
    const { dir, file } = await configIn(attackerUid, 0o755);
    const r = await run(file);
    const report = JSON.parse(r.stdout);
    expect(report.untrustedInputs).toEqual([`config ${file} was not read: ${dir} is owned by uid ${attackerUid}, not root`]);
    expect(r.stderr).toContain(`syncdoctor: not trusted: config ${file} was not read`);
    // Without its settings the agent's checks cannot decide.
    expect(report.agents[0].notConfigured).toContain('fake-repair.processNames');
    expect(r.exitCode).toBe(3);
  });

  it('a config writable by every user is not read either', async () => {
    const { file } = await configIn(0, 0o755);
    await chmod(file, 0o666);
    const report = JSON.parse((await run(file)).stdout);
    expect(report.untrustedInputs).toEqual([`config ${file} was not read: ${file} is writable by every user`]);
  });

  it('a config only root can change is read', async () => {
    const { file } = await configIn(0, 0o755);
    const report = JSON.parse((await run(file)).stdout);
    expect(report.untrustedInputs).toBeUndefined();
    expect(report.agents[0].notConfigured).not.toContain('fake-repair.processNames');
  });

  it('a --playbooks folder another user owns is skipped with the reason (was: its playbooks loaded, their repairs run as root)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-trust-pb-'));
    await writeFile(path.join(dir, 'planted.yaml'), 'id: planted\nname: Planted\nvendor: x\ndetect: [{ probe: machine-awake }]\nchecks:\n  - { id: a, title: A, probe: machine-awake }\n');
    await chown(dir, attackerUid, attackerUid);
    const r = await syncdoctor(['check', '--json', '--playbooks', dir]);
    const report = JSON.parse(r.stdout);
    expect(report.untrustedInputs).toEqual([`--playbooks ${dir} was skipped: ${dir} is owned by uid ${attackerUid}, not root`]);
    expect(report.agents.map((a: { id: string }) => a.id)).not.toContain('planted');
    expect(r.exitCode).toBe(3);
  });
});

describe.runIf(isRoot)('run as root, the code cache is used only from where no other user can change it', () => {
  /** The built bundle and the cache the build made for it, copied into a fresh folder owned by `owner`. */
  async function bundleIn(owner: number) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-cache-'));
    for (const f of ['syncdoctor.mjs', 'syncdoctor.mjs.v8cache']) await copyFile(path.join(ROOT, 'dist', f), path.join(dir, f));
    await chown(dir, owner, owner);
    return { dir, bundle: path.join(dir, 'syncdoctor.mjs') };
  }
  const start = (bundle: string) =>
    execa(process.execPath, [bundle, 'check', '--snapshot', example('cism-healthy.yaml')], { reject: false, env: { NO_COLOR: '1', SYNCDOCTOR_DEBUG_STARTUP: '1' } });

  it("in a folder another user owns, the build's own cache is not used, and why is said; the run is the same (was: used)", async () => {
    const { dir, bundle } = await bundleIn(attackerUid);
    const r = await start(bundle);
    expect(r.stderr).toBe(`syncdoctor: code cache not used: run as root, and another user could change it (${dir} is owned by uid ${attackerUid}, not root)`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('OK');
  });

  it('in a folder only root can change, it is used', async () => {
    const { bundle } = await bundleIn(0);
    const r = await start(bundle);
    expect(r.stderr).toBe('syncdoctor: code cache used');
    expect(r.exitCode).toBe(0);
  });
});

describe.skipIf(isRoot)('writes never follow a link another user planted', () => {
  it('NOT RUN: needs root on Linux to act as a second, unprivileged user (CI runs as root)', () => {});
});
