// The single-file bundle: built from scratch, copied alone into an empty folder (no node_modules
// anywhere above it, no playbooks/ beside it) and run with plain node, it behaves as the installed
// CLI — which runs that same file through bin/syncdoctor.js.
import { execa } from 'execa';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/core/version.js';
import { example, ROOT, syncdoctor } from '../helpers/cli.js';
import { KEY, PtySession } from '../helpers/pty.js';

let tmp: string;
let built: string;
let dir: string;
let bundle: string;

/** Runs the copied bundle from its own empty folder, with no NODE_PATH to find packages through. */
async function run(args: string[], { file = bundle, env: extra = {}, nodeFlags = [] as string[] } = {}) {
  const env: Record<string, string> = { NO_COLOR: '1', ...extra };
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'SystemRoot', 'ProgramData']) if (process.env[k]) env[k] = process.env[k]!;
  const r = await execa(process.execPath, [...nodeFlags, file, ...args], { cwd: path.dirname(file), env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000, stripFinalNewline: false });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** What differs between any two runs: timings, and the order concurrent checks read facts in. */
function stable(json: string): unknown {
  const r = JSON.parse(json);
  delete r.startedAt;
  delete r.durationMs;
  r.host.facts.sort();
  for (const a of r.agents) for (const c of a.checks) delete c.durationMs;
  return r;
}

describe('single-file bundle', () => {
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-bundle-'));
    built = path.join(tmp, 'build', 'syncdoctor.mjs');
    const b = await execa(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--outfile', built], { cwd: ROOT, reject: false });
    expect(b.exitCode, b.stderr).toBe(0);
    dir = path.join(tmp, 'empty');
    await mkdir(dir);
    bundle = path.join(dir, 'syncdoctor.mjs');
    await copyFile(built, bundle);
    expect(await readdir(dir)).toEqual(['syncdoctor.mjs']);
  }, 60_000);
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('--version', async () => {
    const r = await run(['--version']);
    expect(r).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('check --snapshot: the same report, text and JSON, as the installed CLI', async () => {
    const snap = example('cism-not-running.yaml');
    const text = await run(['check', '--snapshot', snap]);
    expect(text.exitCode).toBe(2);
    expect(text.stdout).toBe((await syncdoctor(['check', '--snapshot', snap])).stdout);
    const json = await run(['check', '--snapshot', snap, '--json']);
    expect(json.exitCode).toBe(2);
    expect(stable(json.stdout)).toEqual(stable((await syncdoctor(['check', '--snapshot', snap, '--json'])).stdout));
  });

  it('check --json on this machine: only the JSON report, exit 0 (no agent installed here)', async () => {
    const r = await run(['check', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ schemaVersion: 2, status: 'ok', host: { source: 'live', platform: process.platform } });
    expect(report.host.facts.join('\n')).toMatch(/process list: \d+ processes/);
  });

  it('carries the shipped playbooks inside it', async () => {
    const shipped = (await readdir(path.join(ROOT, 'playbooks'))).filter((n) => n.endsWith('.yaml')).sort();
    const r = await run(['validate']);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const n of shipped) expect(r.stdout).toContain(`ok  builtin:playbooks/${n}`);
    const list = await run(['list', '--json']);
    expect(JSON.parse(list.stdout).playbooks).toHaveLength(shipped.length);
  });

  it('reports a bad snapshot as file:line:col, exit 65, like the installed CLI', async () => {
    const r = await run(['check', '--snapshot', path.join(dir, 'missing.yaml')]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain('missing.yaml: cannot read snapshot: ENOENT');
  });

  it('starts from the code cache the build wrote beside it, and only from that one', async () => {
    const snap = example('qbwc-popup-blocking.yaml');
    const args = ['check', '--snapshot', snap, '--json'];
    const debug = { SYNCDOCTOR_DEBUG_STARTUP: '1' };
    const withCache = await run(args, { file: built, env: debug });
    expect(withCache.stderr).toBe('syncdoctor: code cache used\n');
    expect(withCache.exitCode).toBe(2);
    const report = stable(withCache.stdout);

    // A copied bundle travels without it.
    const alone = await run(args, { env: debug });
    expect(alone.stderr).toMatch(/^syncdoctor: code cache not found \(.*syncdoctor\.mjs\.v8cache\)\n$/);
    expect(stable(alone.stdout)).toEqual(report);

    // A cache that is not the build's (one byte changed) is not handed to V8: it could hold any code.
    const cache = await readFile(`${built}.v8cache`);
    const mid = cache.length >> 1;
    cache.writeUInt8(cache.readUInt8(mid) ^ 0xff, mid);
    await writeFile(`${bundle}.v8cache`, cache);
    const tampered = await run(args, { env: debug });
    expect(tampered.stderr).toMatch(/^syncdoctor: code cache not used: .*syncdoctor\.mjs\.v8cache is not the one this bundle was built with\n$/);
    expect(stable(tampered.stdout)).toEqual(report);
    await rm(`${bundle}.v8cache`);

    // Other node flags (or another Node.js build): V8 refuses the build's cache and compiles.
    const otherFlags = await run(args, { file: built, env: debug, nodeFlags: ['--stack-size=2000'] });
    expect(otherFlags.stderr).toBe('syncdoctor: code cache rejected by V8 (another Node.js build or other node flags)\n');
    expect(stable(otherFlags.stdout)).toEqual(report);

    // Without the debug switch nothing is said about it.
    expect((await run(args, { file: built })).stderr).toBe('');
  });

  // The prompts package travels packed inside the bundle and is compiled on first use: a copied
  // bundle, with no node_modules anywhere above it, must still ask.
  it.runIf(process.platform === 'linux')('a copied bundle asks in a terminal (the prompts load from inside it)', async () => {
    const name = `sdbundle-${process.pid}`;
    const exe = path.join(dir, name);
    await copyFile('/bin/sh', exe);
    await chmod(exe, 0o755);
    const s = new PtySession(
      ['repair', 'fake-repair', '--playbooks', path.join(ROOT, 'test', 'fixtures', 'playbooks'), '--audit-log', path.join(tmp, 'audit.log'),
        '--set', `fake-repair.agentPath=${exe}`, '--set', `fake-repair.processNames=${name}`, '--set', `fake-repair.logPath=${path.join(tmp, 'agent.log')}`, '--set', `fake-repair.agentUser=${os.userInfo().username}`],
      {},
      { script: bundle, cwd: dir },
    );
    try {
      await s.waitFor(/Do this now\?/);
      s.type(KEY.ctrlC); // nothing of the step is done
      expect(await s.exited).toBe(2);
      expect(s.text).toMatch(/Stopped: nothing more is done\./);
    } finally {
      s.kill();
      await rm(exe, { force: true });
    }
  }, 60_000);

  // The pasted-table prompt reads lines with node:readline, which the bundled CLI loads at run time
  // (an import() the bundle's compiled code could not make before the build turned them into requires).
  it.runIf(process.platform === 'linux')('a copied bundle reads a table pasted at the prompt, and judges it', async () => {
    // A live check asks (a replayed snapshot never does): a playbook with only the session check.
    const playbooks = path.join(tmp, 'paste-playbooks');
    await mkdir(playbooks);
    await writeFile(
      path.join(playbooks, 'paste.yaml'),
      'id: paste\nname: Pasted table\nvendor: test\ndetect: [{ probe: machine-awake }]\nchecks:\n  - { id: session, title: No unfinished sync session, probe: journyx-stuck-session, with: { historyFile: "" } }\n',
    );
    const s = new PtySession(['check', 'paste', '--playbooks', playbooks], {}, { script: bundle, cwd: dir });
    try {
      await s.waitFor(/Paste the "Total Syncs" table/);
      const table = [
        'Session ID\tSync Type\tStart Time\tLast Updated\tStatus\tTotal Records Synched',
        '1039\tTime\t11/19/2026 4:52 PM\t11/19/2026 4:52 PM\tIn Progress\t0',
        '1040\tExpense\t11/19/2026 4:58 PM\t11/19/2026 4:59 PM\tCompleted\t9',
      ];
      for (const line of table) s.type(`${line}\r`);
      s.type('\r'); // an empty line ends the paste
      const code = await s.exited;
      expect(s.text).toMatch(/session table pasted by the technician \(3 lines\)/);
      expect(s.text).toMatch(/1039/);
      expect(code).toBe(2);
    } finally {
      s.kill();
    }
  }, 60_000);

  it('the installed CLI is that bundle', async () => {
    const shim = await readFile(path.join(ROOT, 'bin', 'syncdoctor.js'), 'utf8');
    expect(shim).toMatch(/import\('\.\.\/dist\/syncdoctor\.mjs'\)/);
  });
});
