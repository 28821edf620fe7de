// Verdicts an RMM can trust, through the real CLI: every shipped example's exit code, and the
// paths that used to report green (or lose the verdict) when the tool could not tell.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { execa } from 'execa';
import { BIN, EXAMPLES, example, ROOT, syncdoctor } from '../helpers/cli.js';

/** Every shipped example and the exit code an unattended run gives on it. */
const EXIT_CODES: Record<string, number> = {
  'cism-healthy.yaml': 0,
  'cism-nobody-logged-on.yaml': 2,
  'cism-not-running.yaml': 2,
  'cism-quickbooks-user-conflict.yaml': 2,
  'journyx-quickbooks-held.yaml': 2,
  'journyx-session-with-records.yaml': 2,
  'journyx-stuck-session.yaml': 2,
  'pos-sync-healthy.yaml': 0,
  'pos-sync-server-unreachable.yaml': 2,
  'pos-sync-service-not-installed.yaml': 2,
  'pos-sync-service-stopped.yaml': 2,
  'qbwc-healthy.yaml': 0,
  'qbwc-not-running.yaml': 2,
  'qbwc-pc-asleep.yaml': 2,
  'qbwc-popup-blocking.yaml': 2,
  'quikstor-healthy.yaml': 0,
  'quikstor-internet-down.yaml': 2,
  'quikstor-not-running.yaml': 2,
  'quikstor-pc-restarted.yaml': 1,
};

async function tmp(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'syncdoctor-verdicts-'));
}

describe('every shipped example, unattended', () => {
  it('the table names every example', () => {
    expect(Object.keys(EXIT_CODES).sort()).toEqual(readdirSync(EXAMPLES).filter((n) => n.endsWith('.yaml')).sort());
  });
  for (const [name, code] of Object.entries(EXIT_CODES)) {
    it(`${name}: exit ${code}, and the JSON status and Nagios line agree`, async () => {
      const json = await syncdoctor(['check', '--snapshot', example(name), '--json']);
      expect(json.exitCode, json.stderr).toBe(code);
      const report = JSON.parse(json.stdout) as Report;
      expect(report.exitCode).toBe(code);
      const c = report.counts;
      expect(c.critical + c.unknown + c.warning + c.ok + c.skip).toBe(c.checks);
      const word = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'][code]!;
      const nagios = await syncdoctor(['check', '--snapshot', example(name), '--format', 'nagios']);
      expect(nagios.exitCode).toBe(code);
      expect(nagios.stdout).toMatch(new RegExp(`^SYNCDOCTOR ${word} - .* \\| checks=${c.checks} critical=${c.critical} unknown=${c.unknown} warning=${c.warning} ok=${c.ok} skip=${c.skip}\\n$`));
    });
  }
});

describe('could not tell is never OK', () => {
  it('CISM installed but not running, no site settings: UNKNOWN (exit 3), naming what to set (was OK, exit 0)', async () => {
    const dir = await tmp();
    const text = readFileSync(example('cism-not-running.yaml'), 'utf8');
    const noSettings = text.slice(0, text.indexOf('settings:')) + text.slice(text.indexOf('env:'));
    const file = path.join(dir, 'cism-no-settings.yaml');
    await writeFile(file, noSettings);

    const nagios = await syncdoctor(['check', '--snapshot', file, '--format', 'nagios']);
    expect(nagios.exitCode).toBe(3);
    expect(nagios.stdout).toMatch(/^SYNCDOCTOR UNKNOWN - cism: The CISM user is logged on to Windows UNKNOWN, CISM is running UNKNOWN, .*; set cism\.windowsUser, cism\.processNames, cism\.logPath, cism\.syncLinePattern \| checks=7 critical=0 unknown=3 /);

    const json = JSON.parse((await syncdoctor(['check', '--snapshot', file, '--json'])).stdout) as Report;
    const cism = json.agents[0]!;
    expect(cism.status).toBe('unknown');
    expect(cism.notConfigured).toEqual(['cism.windowsUser', 'cism.processNames', 'cism.logPath', 'cism.syncLinePattern']);
    // Without the CISM user's name, "someone is logged on" is all that can be seen: not a pass.
    const user = cism.checks.find((c) => c.id === 'cism-user-logged-on')!;
    expect(user.state).toBe('unknown');
    expect(user.summary).toMatch(/^Not configured: set cism\.windowsUser to check this automatically \(without it, only this could be seen: A user is logged on/);
    const running = cism.checks.find((c) => c.id === 'cism-running')!;
    expect(running.state).toBe('unknown');
    expect(running.summary).toMatch(/^Not configured: set cism\.processNames to check this automatically/);
    // The person's question is still there for a technician at the PC.
    expect(running.question).toMatch(/CISM icon/);

    const text2 = await syncdoctor(['check', '--snapshot', file]);
    expect(text2.stdout).toContain('Not configured: set cism.windowsUser, cism.processNames, cism.logPath, cism.syncLinePattern (--config FILE or --set AGENT.NAME=VALUE) to decide automatically.');
  });

  describe('a detection that could not tell is not "not installed"', () => {
    /** The shipped example, changed: a stopped POS sync service the PC will not let us query (sc exit 5), the POS closed. */
    async function posDenied(): Promise<string> {
      const text = readFileSync(example('pos-sync-service-stopped.yaml'), 'utf8');
      const sc = text.indexOf('  - argv: [sc, query, ExamplePosSync]');
      const denied = '  - argv: [sc, query, ExamplePosSync]\n    exitCode: 5\n    stdout: "[SC] OpenService FAILED 5:\\r\\n\\r\\nAccess is denied.\\r\\n\\r\\n"\n    stderr: ""\n';
      const changed = (text.slice(0, sc) + denied + text.slice(text.indexOf('network:'))).replace('  - { pid: 6232, ppid: 2904, name: First Choice Checkout POS.exe }\n', '');
      const file = path.join(await tmp(), 'pos-denied.yaml');
      await writeFile(file, changed);
      return file;
    }

    it('the POS sync service cannot be queried (access denied) and the POS is closed: the agent is shown UNKNOWN, exit 3 (was "No supported sync agent is installed", exit 0)', async () => {
      const file = await posDenied();
      const r = await syncdoctor(['check', '--snapshot', file, '--json']);
      expect(r.exitCode).toBe(3);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.status).toBe('unknown');
      expect(report.agents.map((a) => [a.id, a.detected, a.status])).toEqual([['pos-sync', false, 'unknown']]);
      const detection = report.agents[0]!.checks[0]!;
      expect(detection).toMatchObject({ id: 'detection', state: 'unknown', summary: 'Could not tell whether POS cloud sync manager (First Choice POS) is installed (detection did not decide; see the evidence)' });
      expect(detection.evidence.join('\n')).toContain('access denied');
      const text = await syncdoctor(['check', '--snapshot', file]);
      expect(text.stdout).toContain('whether it is installed could not be told on this PC');
      expect(text.exitCode).toBe(3);
    });

    it("CISM's Start-menu folder cannot be looked at (EACCES): UNKNOWN, exit 3 (was OK)", async () => {
      const text = readFileSync(example('cism-not-running.yaml'), 'utf8');
      const folder = "  - path: 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Crik-IT LLC'\n    directory: true\n";
      expect(text).toContain(folder);
      const file = path.join(await tmp(), 'cism-denied.yaml');
      await writeFile(file, text.replace(folder, `${folder}    statError: EACCES\n`));
      const r = await syncdoctor(['check', '--snapshot', file, '--json']);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.agents.find((a) => a.id === 'cism')).toMatchObject({ detected: false, status: 'unknown' });
      expect(r.exitCode).toBe(3);
    });

    it('a run whose deadline passes before detection: UNKNOWN, exit 3 (was OK, exit 0)', async () => {
      const r = await syncdoctor(['check', '--snapshot', example('cism-not-running.yaml'), '--timeout', '0.001', '--format', 'nagios']);
      expect(r.stdout).toMatch(/^SYNCDOCTOR UNKNOWN - /);
      expect(r.exitCode).toBe(3);
    });
  });
});

describe('declared expectations and validated site settings', () => {
  it('a config that misspells an agent id, a variable, or names a built-in: exit 65 with file:line:col each (was accepted, exit 0)', async () => {
    const dir = await tmp();
    const config = path.join(dir, 'site.yaml');
    await writeFile(config, 'agents:\n  cisn:\n    windowsUser: frontdesk\n  cism:\n    windowsUsr: frontdesk\n    constructor: x\n');
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--config', config, '--json']);
    expect(r.exitCode).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${config}:2:3: agents: unknown agent "cisn"; expected one of: cism, journyx, pos-sync, qbwc, quikstor`);
    expect(r.stderr).toContain(`${config}:5:5: cism has no variable "windowsUsr"; expected one of: windowsUser,`);
    expect(r.stderr).toContain(`${config}:6:5: cism has no variable "constructor"`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("a config value of the wrong shape is named at the config's line (was: one error per playbook line that used it); an out-of-range number says so (was: \"got null\")", async () => {
    const dir = await tmp();
    const config = path.join(dir, 'site.yaml');
    await writeFile(config, 'site: 1e400\nagents:\n  cism:\n    windowsUser: [a, b]\n');
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--config', config]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toBe(`${config}:1:7: site: expected a string matching ^[^\\x00-\\x1f\\x7f]*$, got Infinity (a number out of range)\n`);
    await writeFile(config, 'agents:\n  cism:\n    windowsUser: [a, b]\n');
    const list = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--config', config]);
    expect(list.exitCode).toBe(65);
    expect(list.stderr).toBe(`${config}:3:18: cism.windowsUser: expected one value (a text), got a list\n`);
  });

  it('--set of a built-in object property is a usage error, and no snapshot is written with it (was accepted and recorded)', async () => {
    const dir = await tmp();
    for (const name of ['toString', 'constructor', 'hasOwnProperty']) {
      const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--set', `cism.${name}=x`]);
      expect(r.exitCode, name).toBe(64);
      expect(r.stderr).toContain(`--set cism.${name}: cism has no variable "${name}"`);
    }
    const out = path.join(dir, 'pc.yaml');
    const snap = await syncdoctor(['snapshot', '--set', 'cism.toString=x', '--output', out]);
    expect(snap.exitCode).toBe(64);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--expect: a PC without an agent it must have is CRITICAL with the reason (was OK, exit 0)', async () => {
    // The CISM PC has no Web Connector.
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--expect', 'qbwc', '--json']);
    expect(r.exitCode).toBe(2);
    const report = JSON.parse(r.stdout) as Report;
    const qbwc = report.agents.find((a) => a.id === 'qbwc')!;
    expect(qbwc.detected).toBe(false);
    expect(qbwc.status).toBe('critical');
    expect(qbwc.checks[0]).toMatchObject({ id: 'expected-installed', state: 'fail', severity: 'critical' });
    expect(qbwc.checks[0]!.summary).toMatch(/is expected on this PC .* but it was not detected/);
    expect(qbwc.checks[0]!.evidence.join('\n')).toMatch(/^detection: /);
    // The agent that is there is still diagnosed, and healthy.
    expect(report.agents.find((a) => a.id === 'cism')!.status).toBe('ok');

    const bad = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--expect', 'qbwx']);
    expect(bad.exitCode).toBe(64);
    expect(bad.stderr).toContain('--expect qbwx: unknown agent "qbwx"');
  });

  it('the site config says which agents must be here and which site the PC belongs to', async () => {
    const dir = await tmp();
    const config = path.join(dir, 'site.yaml');
    await writeFile(config, 'site: Harbor Dental\nexpect: [qbwc]\n');
    const nagios = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--config', config, '--format', 'nagios']);
    expect(nagios.exitCode).toBe(2);
    expect(nagios.stdout).toMatch(/^SYNCDOCTOR CRITICAL - qbwc: QuickBooks Web Connector .* is installed on this PC \(expected by the site\) FAIL/);
    const json = JSON.parse((await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--config', config, '--json'])).stdout) as Report;
    expect(json.host.site).toBe('Harbor Dental');
    const site = JSON.parse((await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--site', 'Elm St Storage', '--json'])).stdout) as Report;
    expect(site.host.site).toBe('Elm St Storage');

    await writeFile(config, 'expect: [qbwx]\n');
    const bad = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--config', config]);
    expect(bad.exitCode).toBe(65);
    expect(bad.stderr).toContain(`${config}:1:10: expect: unknown agent "qbwx"`);
  });
});

/** The real CLI with its stdout a pipe that this test closes: at once, or after the first chunk. */
function withClosedStdout(args: string[], when: 'at-once' | 'after-first-chunk'): Promise<{ code: number | null; stderr: string; got: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let got = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (when === 'at-once') child.stdout.destroy();
    else
      child.stdout.once('data', (d: Buffer) => {
        got = d.length;
        child.stdout.destroy();
      });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the CLI did not end'));
    }, 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, got });
    });
  });
}

describe('the exit code survives the pipe and the disk', () => {
  it('a reader that closes stdout: the run ends quietly with the verdict (was an EPIPE stack trace, exit 1)', async () => {
    for (const when of ['at-once', 'after-first-chunk'] as const) {
      // CRITICAL (2) and a long Markdown note, so that writing goes on after the reader left.
      const r = await withClosedStdout(['check', '--snapshot', example('qbwc-popup-blocking.yaml'), '--format', 'markdown', '--verbose'], when);
      expect(r.code, `${when}: ${r.stderr}`).toBe(2);
      expect(r.stderr, when).toBe('');
    }
    const ok = await withClosedStdout(['check', '--snapshot', example('cism-healthy.yaml'), '--json'], 'at-once');
    expect(ok.code).toBe(0);
  });

  it.runIf(process.platform === 'linux')('standard output on a full disk: a command whose product is its output fails (73, one line); a check keeps its verdict (was: 0 over an empty schema file)', async () => {
    const { openSync, closeSync } = await import('node:fs');
    const toFull = async (args: string[]) => {
      const fd = openSync('/dev/full', 'w');
      try {
        const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
        let stderr = '';
        child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        return { code, stderr };
      } finally {
        closeSync(fd);
      }
    };
    for (const args of [['schema', 'report'], ['list'], ['explain', '0x80040408']]) {
      const r = await toFull(args);
      expect(r.code, args.join(' ')).toBe(73);
      expect(r.stderr).toBe('syncdoctor: cannot write to standard output (ENOSPC)\n');
    }
    const check = await toFull(['check', '--snapshot', example('qbwc-popup-blocking.yaml')]);
    expect(check.code).toBe(2);
    expect(check.stderr).toBe('');
    // A reader that stops early is not a failure.
    expect((await withClosedStdout(['schema', 'report'], 'after-first-chunk')).code).toBe(0);
  });

  it('--output naming the snapshot the run reads, or no file at all: exit 73 before anything runs, the snapshot intact (was: overwritten with the report, exit 0; or exit 3 after the run)', async () => {
    const dir = await tmp();
    const snap = path.join(dir, 'pc.yaml');
    await copyFile(example('cism-healthy.yaml'), snap);
    const before = readFileSync(snap, 'utf8');
    const same = await syncdoctor(['check', '--snapshot', snap, '--output', snap]);
    expect(same.exitCode).toBe(73);
    expect(same.stderr).toBe(`syncdoctor: --output ${snap}: cannot write: it is the snapshot this run reads (${snap}): the report would overwrite it\n`);
    expect(readFileSync(snap, 'utf8')).toBe(before);
    // Another name for the same file (a link) is the same file.
    const link = path.join(dir, 'report.yaml');
    const { symlink } = await import('node:fs/promises');
    await symlink(snap, link);
    expect((await syncdoctor(['check', '--snapshot', snap, '--output', link])).exitCode).toBe(73);
    expect(readFileSync(snap, 'utf8')).toBe(before);
    const empty = await syncdoctor(['check', '--snapshot', snap, '--output', '']);
    expect(empty.exitCode).toBe(73);
    expect(empty.stderr).toBe('syncdoctor: --output "": cannot write: no file name given\n');
  });

  it('a snapshot uptime beyond a century is invalid input at its line, exit 65 (was: a RangeError stack trace, exit 70)', async () => {
    const text = readFileSync(example('cism-healthy.yaml'), 'utf8');
    expect(text).toMatch(/^uptimeSeconds: \d+$/m);
    const file = path.join(await tmp(), 'uptime.yaml');
    await writeFile(file, text.replace(/^uptimeSeconds: \d+$/m, 'uptimeSeconds: 1e20'));
    const r = await syncdoctor(['check', '--snapshot', file]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:16: uptimeSeconds: expected a number of seconds from 0 to 3155760000 \\(a century\\), got 100000000000000000000\\n$`));
  });

  it('--timeout beyond what a timer holds is refused with the maximum named (was: every check error at once, exit 3)', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--timeout', '99999999']);
    expect(r.exitCode).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('syncdoctor: --timeout 99999999: at most 2147483 seconds (24 days 20 hours)\n');
    expect((await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--timeout', '2147483'])).exitCode).toBe(0);
  });

  it('playbook durations beyond what they can mean are invalid input, with the maximum named (was valid)', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'long.yaml');
    await writeFile(
      file,
      'id: long\nname: Long\nvendor: V\ndetect: [{ probe: machine-awake }]\nchecks:\n' +
        '  - { id: a, title: A, probe: machine-awake, timeout: 99999999999999999999999d }\n' +
        '  - { id: b, title: B, probe: network-reachable, with: { target: "127.0.0.1:9", timeout: 25d } }\n' +
        '  - { id: c, title: C, probe: machine-awake, with: { recentBootWithin: 36500000d } }\n',
    );
    const r = await syncdoctor(['validate', file]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain(`${file}:6:55: checks[0].timeout: expected a duration up to 24d (what a timer holds)`);
    await writeFile(file, readFileSync(file, 'utf8').replace(', timeout: 99999999999999999999999d', ''));
    const r2 = await syncdoctor(['validate', file]);
    expect(r2.exitCode).toBe(65);
    expect(r2.stderr).toMatch(/:7:\d+: with\.timeout: expected a duration up to 24d/);
    expect(r2.stderr).toMatch(/:8:\d+: with\.recentBootWithin: expected a duration \(up to 100 years\)/);
  });

  it('--output into a folder that does not exist: exit 73 before anything runs; nothing repaired, nothing logged (was exit 64 after --fix)', async () => {
    const dir = await tmp();
    const audit = path.join(dir, 'audit.log');
    const r = await syncdoctor(['check', '--fix', '--allow', 'disruptive', '--audit-log', audit, '--output', path.join(dir, 'missing', 'pc.json')]);
    expect(r.exitCode).toBe(73);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`syncdoctor: --output ${path.join(dir, 'missing', 'pc.json')}: cannot write: the folder ${path.join(dir, 'missing')} does not exist\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--output into a folder this user cannot write: exit 73, nothing runs (tested as an unprivileged user: root can write anywhere)', async () => {
    const dir = await tmp();
    // The bundle runs alone (no node_modules), so an unprivileged user can run a copy of it.
    const bin = path.join(dir, 'syncdoctor.mjs');
    await copyFile(path.join(ROOT, 'dist', 'syncdoctor.mjs'), bin);
    await copyFile(example('cism-healthy.yaml'), path.join(dir, 'pc.yaml'));
    const locked = path.join(dir, 'reports');
    await mkdir(locked);
    await chmod(locked, 0o555);
    await chmod(dir, 0o755);
    await chmod(bin, 0o644);
    await chmod(path.join(dir, 'pc.yaml'), 0o644);
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = await execa(process.execPath, [bin, 'check', '--snapshot', path.join(dir, 'pc.yaml'), '--output', path.join(locked, 'pc.json')], { reject: false, cwd: dir, env: { NO_COLOR: '1', HOME: dir }, ...asUser });
    expect(r.exitCode, String(r.stderr)).toBe(73);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot write: the folder .*reports is not writable \((EACCES|EROFS)\)/);
  });

  it('a report file that still cannot be written (the disk refuses it): the verdict on stdout, one line on stderr, OK raised to 3', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'pc.json');
    // A file size limit of 1 KiB: the kernel refuses the report (EFBIG) as a full disk would; stdout is a pipe.
    const r = await execa('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" "${BIN}" check --snapshot "${example('cism-healthy.yaml')}" --format nagios --output "${out}"`], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.stdout).toBe('SYNCDOCTOR OK - cism OK | checks=7 critical=0 unknown=0 warning=0 ok=7 skip=0\n'.trimEnd());
    expect(r.stderr).toBe(`syncdoctor: --output ${out}: cannot write (EFBIG)`);
    expect(r.exitCode).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
    // CRITICAL stays CRITICAL.
    const c = await execa('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" "${BIN}" check --snapshot "${example('cism-not-running.yaml')}" --format nagios --output "${out}"`], { reject: false });
    expect(c.exitCode).toBe(2);
  });
});

describe('fits the RMM field', () => {
  it('--max-length cuts the nagios line by whole problems, "(+N more)", never past the limit; the exit code is unchanged', async () => {
    const args = ['check', '--snapshot', example('qbwc-popup-blocking.yaml'), '--format', 'nagios'];
    const full = (await syncdoctor(args)).stdout.trimEnd();
    expect(full.length).toBeGreaterThan(200);
    for (const n of [255, 200, 150, 100, 60, 20]) {
      const r = await syncdoctor([...args, '--max-length', String(n)]);
      expect(r.exitCode).toBe(2);
      const line = r.stdout.trimEnd();
      expect(line.length, `${n}: ${line}`).toBeLessThanOrEqual(n);
      expect(line).toMatch(/^SYNCDOCTOR CRITICAL/);
      // What is named is a whole problem of the full line, never a cut one.
      const named = /^SYNCDOCTOR CRITICAL - qbwc: (.*?)(?: \(\+\d+ more\))? \|/.exec(line)?.[1];
      if (named) for (const item of named.split(', ')) expect(full).toContain(item);
    }
    expect((await syncdoctor([...args, '--max-length', '150'])).stdout).toBe('SYNCDOCTOR CRITICAL - qbwc: The last update cycle completed FAIL (+2 more) | checks=8 critical=2 unknown=0 warning=1 ok=5 skip=0\n');
    expect((await syncdoctor([...args, '--max-length', '100'])).stdout).toBe('SYNCDOCTOR CRITICAL - (3 problems) | checks=8 critical=2 unknown=0 warning=1 ok=5 skip=0\n');
    expect((await syncdoctor([...args, '--max-length', '10000'])).stdout.trimEnd()).toBe(full);
  });

  it('--max-length is for the one-line format and a positive whole number (64 otherwise)', async () => {
    const snap = example('cism-healthy.yaml');
    expect((await syncdoctor(['check', '--snapshot', snap, '--max-length', '255'])).exitCode).toBe(64);
    expect((await syncdoctor(['check', '--snapshot', snap, '--format', 'nagios', '--max-length', '0'])).exitCode).toBe(64);
    expect((await syncdoctor(['check', '--snapshot', snap, '--format', 'nagios', '--max-length', 'x'])).exitCode).toBe(64);
    // Room for the status word at least (was: 5 printed "SYNCD").
    const short = await syncdoctor(['check', '--snapshot', snap, '--format', 'nagios', '--max-length', '5']);
    expect(short.exitCode).toBe(64);
    expect(short.stderr).toBe('syncdoctor: --max-length 5: expected a whole number of characters ≥ 19 (room for the status, "SYNCDOCTOR CRITICAL")\n');
    const least = await syncdoctor(['check', '--snapshot', example('qbwc-popup-blocking.yaml'), '--format', 'nagios', '--max-length', '19']);
    expect(least.stdout).toBe('SYNCDOCTOR CRITICAL\n');
    expect(least.exitCode).toBe(2);
  });
});

describe('one honest state model (report schema version 2)', () => {
  it('a failed check of severity warning: WARNING, counted as a warning in every format (was counted as failed under a WARNING verdict)', async () => {
    // The healthy CISM PC with QuickBooks hung: CISM's "QuickBooks is responding" check (severity warning) fails.
    const dir = await tmp();
    const text = readFileSync(example('cism-healthy.yaml'), 'utf8').replace('\\"412,880 K\\",\\"Running\\"', '\\"412,880 K\\",\\"Not Responding\\"');
    expect(text).toContain('Not Responding');
    const file = path.join(dir, 'hung.yaml');
    await writeFile(file, text);

    const nagios = await syncdoctor(['check', '--snapshot', file, '--format', 'nagios']);
    expect(nagios.exitCode).toBe(1);
    expect(nagios.stdout).toBe('SYNCDOCTOR WARNING - cism: QuickBooks is responding, and open at most once for the CISM user FAIL | checks=7 critical=0 unknown=0 warning=1 ok=6 skip=0\n');
    const json = JSON.parse((await syncdoctor(['check', '--snapshot', file, '--json'])).stdout) as Report;
    expect(json.schemaVersion).toBe(2);
    expect(json.counts).toEqual({ checks: 7, critical: 0, unknown: 0, warning: 1, ok: 6, skip: 0 });
    expect(json.agents[0]!.checks.find((c) => c.id === 'quickbooks-state')).toMatchObject({ state: 'fail', severity: 'warning' });
    const txt = (await syncdoctor(['check', '--snapshot', file])).stdout;
    expect(txt).toMatch(/\[FAIL\]\s+QuickBooks is responding, and open at most once for the CISM user \(severity warning: counts as WARNING\)/);
    expect(txt).toMatch(/Result: WARNING — Crik-IT Sync Manager \(CISM\): WARNING \(0 critical, 0 unknown, 1 warning, 6 ok, 0 skipped\)/);
    const note = (await syncdoctor(['check', '--snapshot', file, '--format', 'markdown'])).stdout;
    expect(note).toContain('- **FAIL** QuickBooks is responding, and open at most once for the CISM user (severity warning: counts as WARNING)');
  });

  it('"could not determine" has one name everywhere: unknown / UNKNOWN (was [ERROR], unknown and error=)', async () => {
    const dir = await tmp();
    const text = readFileSync(example('cism-healthy.yaml'), 'utf8');
    // tasklist refused: who runs CISM cannot be read.
    const file = path.join(dir, 'denied.yaml');
    await writeFile(file, text.replace(/ {2}- argv: \[tasklist, \/v, \/fo, csv\]\n {4}exitCode: 0\n/, '  - argv: [tasklist, /v, /fo, csv]\n    exitCode: 1\n'));
    const outputs = await Promise.all(['text', 'markdown', 'nagios', 'json'].map((f) => syncdoctor(['check', '--snapshot', file, '--format', f])));
    for (const r of outputs) {
      expect(r.exitCode).toBe(3);
      expect(r.stdout).not.toMatch(/\berror=|\[ERROR\]|"state": "error"|\*\*ERROR\*\*/);
    }
    expect(outputs[0]!.stdout).toMatch(/\[UNKNOWN\]\s+CISM is running/);
    expect(outputs[1]!.stdout).toMatch(/- \*\*UNKNOWN\*\* CISM is running/);
    expect(outputs[2]!.stdout).toMatch(/^SYNCDOCTOR UNKNOWN - cism: CISM is running UNKNOWN.* \| checks=7 critical=0 unknown=\d+ /);
    expect(outputs[3]!.stdout).toMatch(/"state": "unknown"/);
  });

  it('the report names the PC: machine id, OS edition and build, site; a replay carries its capture time', async () => {
    const json = JSON.parse((await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--json', '--site', 'Harbor Dental'])).stdout) as Report;
    expect(json.host).toMatchObject({
      hostname: 'FRONTDESK-01',
      site: 'Harbor Dental',
      machineId: '6f1e2b7c-3d4a-4b5c-9d8e-7f6a5b4c3d2e',
      os: { name: 'Windows 11 23H2', edition: 'Professional', build: '22631.4400' },
      capturedAt: '2026-11-20T14:03:00.000Z',
      source: 'snapshot',
    });
    expect(Date.parse(json.startedAt)).toBeGreaterThan(Date.parse('2026-12-01'));
  });
});

describe('repairs touch only the sync user\'s processes (issue 13, first step)', () => {
  it("the CISM user-conflict example: Kill QBW never plans to close another user's QuickBooks (was: taskkill /pid 7316 for mary jones)", async () => {
    const r = await syncdoctor(['check', '--snapshot', example('cism-quickbooks-user-conflict.yaml'), '--dry-run', '--allow', 'disruptive', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    const killQbw = report.agents[0]!.checks.flatMap((c) => c.remediations).find((x) => x.id === 'kill-qbw')!;
    expect(JSON.stringify(killQbw.commands ?? killQbw.command)).not.toContain('7316');
    expect(killQbw.plan).toContain("leave QBW32.EXE (pid 7316) as FRONTDESK-01\\mary jones in session 2 (RDP-Tcp#4) alone: not frontdesk's (a person asks its user to close it)");
    expect(killQbw.plan).toContain('close CISM.exe (pid 3804) as FRONTDESK-01\\frontdesk in session 1 (Console)');
  });
});
