// Hostile values from playbooks, site configs and --set: shell metacharacters, path traversal,
// megabyte strings, and regexes built to backtrack catastrophically. No shell is ever used (argv
// reach the host as they are), a snapshot never touches the real disk, huge values cost time in
// proportion, and playbook regexes are checked at load (file:line:col) and run with limits.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/core/errors.js';
import { regexSafetyProblem } from '../../src/core/regex-safety.js';
import type { Report } from '../../src/core/report.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { HostFacts } from '../../src/host/facts.js';
import type { CommandResult, FileStat, RunOptions } from '../../src/host/host.js';
import { LiveHost } from '../../src/host/live.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import { parseConfig } from '../../src/playbook/config.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { parseSetOption, resolvePlaybook, type Settings } from '../../src/playbook/resolve.js';
import { syncdoctor } from '../helpers/cli.js';
import { Sandbox, verdict } from './sandbox.js';
import { ROOT } from './seeds.js';

const HOSTILE = [
  'x; rm -rf /',
  '$(touch pwned-dollar)',
  '`touch pwned-backtick`',
  'a && touch pwned-and',
  'a || touch pwned-or',
  'a | tee pwned-pipe',
  '"; shutdown /r /t 0 & "',
  "' ; del /q C:\\* ; '",
  '%COMSPEC% /c calc.exe',
  '^& calc ^&',
  'name\r\nquery user',
  '-rf --no-preserve-root /',
  '/c calc',
  '..\\..\\..\\Windows\\System32\\config\\SAM',
  '../../../../etc/shadow',
  '${windowsUser}',
  '\u202ereversed.exe',
  'é ü 漢字 🙂',
];

function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    syncdoctorSnapshot: 1,
    capturedAt: '2026-11-20T14:03:00Z',
    platform: 'win32',
    hostname: 'PC-1',
    uptimeSeconds: 3600,
    processes: [{ pid: 10, ppid: 1, name: 'explorer.exe' }],
    ...extra,
  };
}

/** A snapshot host that records every argv, path and target the probes ask for. */
class RecordingHost extends SnapshotHost {
  readonly argvs: string[][] = [];
  readonly paths: string[] = [];
  override async run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    this.argvs.push([...argv]);
    return super.run(argv, options);
  }
  override async stat(p: string): Promise<FileStat | undefined> {
    this.paths.push(p);
    return super.stat(p);
  }
}

const VALUES_PLAYBOOK = `id: hostile
name: Hostile values
vendor: Test
vars:
  service: { default: Spooler, description: a service }
  image: { default: [agent.exe], description: images }
  user: { default: frontdesk, description: a user }
  folder: { default: 'C:\\Agent', description: a folder }
  table: { default: '', description: a table file }
  exe: { default: 'C:\\Agent\\agent.exe', description: the program }
detect:
  - probe: machine-awake
checks:
  - { id: service, title: Service, probe: service-running, with: { name: "\${service}" } }
  - { id: running, title: Running, probe: process-running, with: { names: "\${image}", user: "\${user}" }, remediate: [start] }
  - { id: folder, title: Folder, probe: file-exists, with: { path: "\${folder}" } }
  - { id: log, title: Log, probe: log-timestamp-fresh, with: { path: "\${folder}", pattern: '^(?<ts>\\S+) ok', maxAge: 1h } }
  - { id: table, title: Table, probe: journyx-stuck-session, with: { historyFile: "\${table}" } }
  - { id: session, title: Session, probe: user-session, with: { user: "\${user}" } }
remediations:
  start:
    title: Start it
    risk: safe
    action: start-process
    with: { path: "\${exe}", user: "\${user}", image: "\${image}" }
`;

async function withValue(value: string): Promise<{ host: RecordingHost; report: Report }> {
  const settings: Settings = { hostile: { service: value, image: [value], user: value, folder: value, table: value, exe: value } };
  const pb = resolvePlaybook(parsePlaybook('hostile.yaml', VALUES_PLAYBOOK), [{ settings, origin: 'site.yaml', kind: 'input' }]);
  const host = new RecordingHost(snapshot());
  const deadline = new AbortController();
  try {
    const report = await runDiagnosis({ facts: new HostFacts(host, { signal: deadline.signal }), playbooks: [pb], named: ['hostile'], deadline: deadline.signal });
    return { host, report };
  } finally {
    deadline.abort();
  }
}

describe('no shell, ever: values reach the host as they are', () => {
  for (const value of HOSTILE) {
    // A double quote cannot be in a Windows path, and would break out of schtasks /tr "...": such a
    // program path is refused when the playbook is resolved, before anything runs.
    if (value.includes('"')) {
      it(`${JSON.stringify(value)} from a config: refused as a program path (no double quotes)`, async () => {
        await expect(withValue(value)).rejects.toThrow(/with\.path: expected the full path of the program \(no double quotes\)/);
      });
      continue;
    }
    it(`${JSON.stringify(value)} from a config: the exact argv, paths and planned command`, async () => {
      const { host, report } = await withValue(value);
      // Commands: one argv element each, unchanged (service names are trimmed; these have no outer spaces).
      expect(host.argvs).toContainEqual(['sc', 'query', value]);
      for (const argv of host.argvs) expect(argv.every((a) => typeof a === 'string')).toBe(true);
      // Files: the configured path as it is (no %VARIABLES% in this snapshot's environment to expand).
      expect(host.paths).toContain(value);
      // Every check ended in a state: the value may make a check fail or error, never the run.
      const checks = report.agents[0]!.checks;
      expect(checks.map((c) => c.id)).toEqual(['service', 'running', 'folder', 'log', 'table', 'session']);
      for (const c of checks) expect(c.error ?? '', `${c.id}: ${c.summary}`).not.toMatch(/internal error/);
      // The plan: on Windows a one-shot task for that user, each value one argv element.
      const command = checks.find((c) => c.id === 'running')!.remediations.find((r) => r.id === 'start')?.command;
      expect(command, 'start-process planned a command').toBeDefined();
      expect(command).toContain(`"${value}"`); // schtasks /tr: the program, quoted, one element
      expect(command!.indexOf(value)).toBe(command!.indexOf('/ru') + 1);
    });
  }

  it('the live host runs argv without a shell: metacharacters arrive as text, nothing is executed', async () => {
    if (process.platform === 'win32') return;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-noshell-'));
    const host = new LiveHost();
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      for (const value of HOSTILE) {
        const r = await host.run(['printf', '%s', value], { timeoutMs: 10_000 });
        expect(r.exitCode, value).toBe(0);
        expect(Buffer.from(r.stdout).toString('utf8')).toBe(value);
      }
    } finally {
      process.chdir(cwd);
    }
    expect(await readdir(dir)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });

  it('a NUL inside an argument is a failure to run, not a crash', async () => {
    const { report } = await withValue('svc\u0000name');
    const service = report.agents[0]!.checks.find((c) => c.id === 'service')!;
    expect(service.state).toBe('unknown');
    expect(service.error).toMatch(/NUL/);
  });

  it('the sources never start a shell, and only src/host starts programs', () => {
    const offenders: string[] = [];
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    for (const file of walk(path.join(ROOT, 'src'))) {
      const rel = path.relative(ROOT, file);
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (/\bshell\s*:\s*(?!false\b)/.test(code)) offenders.push(`${rel}: a shell option`);
      if (/\b(execSync|execaCommand|execaCommandSync)\b|(?<![.\w])exec\s*\(/.test(code)) offenders.push(`${rel}: a command-string API`);
      if (/from '(node:)?child_process'|from 'execa'|import\('execa'\)/.test(code) && !rel.startsWith(path.join('src', 'host'))) offenders.push(`${rel}: starts programs outside src/host`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('path traversal', () => {
  it('a snapshot never reads the real disk, whatever path a playbook names', async () => {
    const real = ['/etc/passwd', '../../../../etc/passwd', path.join(ROOT, 'package.json'), 'C:\\..\\..\\Windows\\win.ini'];
    for (const p of real) {
      const { host, report } = await withValue(p);
      expect(host.paths).toContain(p);
      const folder = report.agents[0]!.checks.find((c) => c.id === 'folder')!;
      expect(folder.state, p).toBe('fail');
      expect(folder.summary).toMatch(/not found/);
    }
  });

  it('ids and variable names cannot carry paths', () => {
    expect(() => parsePlaybook('evil.yaml', VALUES_PLAYBOOK.replace('id: hostile', 'id: ../../etc/evil'))).toThrow(InputError);
    try {
      parsePlaybook('evil.yaml', VALUES_PLAYBOOK.replace('id: hostile', 'id: ../../etc/evil'));
    } catch (err) {
      expect((err as InputError).problems[0]!.pos).toMatchObject({ file: 'evil.yaml', line: 1, col: 5 });
    }
    expect(() => parseConfig('site.yaml', 'agents:\n  ../x:\n    windowsUser: a\n')).toThrow(InputError);
    expect(() => parseConfig('site.yaml', 'agents:\n  cism:\n    ../windowsUser: a\n')).toThrow(InputError);
    for (const bad of ['../cism.windowsUser=x', 'cism/../x.windowsUser=x', 'cism.../x=1', 'cism.a/b=1']) expect(() => parseSetOption(bad), bad).toThrow(UsageError);
  });
});

describe('huge values', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
  });

  it('megabyte variables, a 100,000-name list, and megabyte command output finish in seconds', async () => {
    const big = 'A'.repeat(3 * 1024 * 1024);
    const names = Array.from({ length: 100_000 }, (_, i) => `agent${i}.exe`);
    const quser = ` USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n>${'u'.repeat(2_000_000)} console 1  Active  none  11/20/2026 8:02 AM\r\n`;
    const input = {
      playbook: VALUES_PLAYBOOK,
      settings: { hostile: { service: big, image: names, user: big, folder: big, table: big, exe: big } },
      snapshot: snapshot({
        commands: [{ argv: ['query', 'user'], exitCode: 0, stdout: quser, stderr: '' }],
        processes: Array.from({ length: 20_000 }, (_, i) => ({ pid: i + 1, ppid: 0, name: i % 2 ? 'agent7.exe' : `p${i}.exe` })),
      }),
    };
    const t0 = Date.now();
    const r = await sandbox.call('diagnose', input, 30_000);
    expect(verdict('hang' in r || !r.ok ? r : { ...r, value: [] })).toBe('');
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect((r as { value: string[] }).value.map((s) => s.split('=')[0])).toEqual(['service', 'running', 'folder', 'log', 'table', 'session']);
  }, 60_000);
});

describe('regexes from playbooks', () => {
  const CATASTROPHIC = ['^(a+)+$', '(a*)*b', '(\\w+\\s?)*$', '^(\\d+\\.?)+$', '(.{1,50})+x', '((ab)+c?)+$', '(?<ts>\\S+)(?:\\s*\\S+)*$'];
  const NOT_LINEAR = ['(a|a)*\\1$', '(?=a)(a|a)*$', '(?<!x)(a|aa)+$', '(?<n>a)\\k<n>'];

  it('nested repetition, backreferences and lookaround are rejected at load with file:line:col', () => {
    for (const pattern of [...CATASTROPHIC, ...NOT_LINEAR]) {
      const text = VALUES_PLAYBOOK.replace("pattern: '^(?<ts>\\S+) ok'", () => `pattern: ${JSON.stringify(pattern)}`);
      expect(text).toContain(JSON.stringify(pattern));
      let err: unknown;
      try {
        parsePlaybook('evil.yaml', text);
      } catch (e) {
        err = e;
      }
      expect(err, pattern).toBeInstanceOf(InputError);
      const p = (err as InputError).problems[0]!;
      const line = text.split('\n').findIndex((l) => l.includes(JSON.stringify(pattern))) + 1;
      expect(p.pos, pattern).toMatchObject({ file: 'evil.yaml', line });
      expect(p.message, pattern).toMatch(/with\.pattern: invalid regular expression: .*(nested quantifier|backreference|lookaround)/);
    }
  });

  it('the same pattern from a config or --set is rejected when the playbook is resolved', () => {
    const text = VALUES_PLAYBOOK.replace("pattern: '^(?<ts>\\S+) ok'", () => 'pattern: "${folder}"');
    const pb = parsePlaybook('ok.yaml', text);
    for (const pattern of CATASTROPHIC) {
      let err: unknown;
      try {
        resolvePlaybook(pb, [{ settings: { hostile: { folder: pattern } }, origin: '--set', kind: 'usage' }]);
      } catch (e) {
        err = e;
      }
      expect(err, pattern).toBeInstanceOf(InputError);
      expect((err as InputError).message).toMatch(/ok\.yaml:\d+:\d+: with\.pattern: invalid regular expression: nested quantifier.*\(variables set: folder from --set\)/);
    }
  });

  it('the shipped, example and fixture patterns pass the check', () => {
    const found: string[] = [];
    for (const dir of ['playbooks', 'examples', path.join('test', 'fixtures', 'playbooks')]) {
      if (!existsSync(path.join(ROOT, dir))) continue;
      for (const f of readdirSync(path.join(ROOT, dir)).filter((n) => n.endsWith('.yaml'))) {
        for (const m of readFileSync(path.join(ROOT, dir, f), 'utf8').matchAll(/(?:pattern|Pattern):\s*'([^']+)'/g)) found.push(m[1]!);
      }
    }
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(regexSafetyProblem(p), p).toBeUndefined();
  });

  describe('at run time, patterns the load check lets through still finish (V8 backtrack limit, lines cut to 4 KB)', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await Sandbox.create();
    }, 60_000);
    afterAll(async () => {
      await sandbox?.close();
    });

    // Exponential (ambiguous alternation) and polynomial (overlapping .*) at star height 1.
    const SLOW = ['^(?<ts>a|a)*$', '^(?<ts>(?:a|aa)+)$', '^(?<ts>a*)a*a*a*a*a*b$', '(?<ts>.*a.*a.*a.*c)', '^(?<ts>\\w|\\d)*!$'];
    for (const pattern of SLOW) {
      it(`${pattern} over lines of "a"s ending in "b" (4,000 and 200,000 long)`, async () => {
        expect(regexSafetyProblem(pattern)).toBeUndefined();
        const line = `${'a'.repeat(4000)}b\n${'a'.repeat(200_000)}b`;
        const input = {
          playbook: `id: slow\nname: Slow\nvendor: Test\ndetect: [{ probe: machine-awake }]\nchecks:\n  - { id: fresh, title: Fresh, probe: log-timestamp-fresh, timeout: 60s, with: { path: 'C:\\sync.log', pattern: ${JSON.stringify(pattern)}, maxAge: 1h } }\n`,
          snapshot: snapshot({ files: [{ path: 'C:\\sync.log', content: `${line}\n`.repeat(20) }] }),
        };
        const t0 = Date.now();
        const r = await sandbox.call('diagnose', input, 20_000);
        expect('hang' in r ? 'hang' : '', 'the regex backtracked without limit').toBe('');
        expect('ok' in r && r.ok, JSON.stringify(r)).toBe(true);
        expect(Date.now() - t0).toBeLessThan(10_000);
        expect((r as { value: string[] }).value[0]).toMatch(/^fresh=unknown: no line matches/);
      }, 30_000);
    }
  });

  it('through the real binary: validate and check exit 65 with file:line:col', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-regex-'));
    const pbDir = path.join(dir, 'playbooks');
    await mkdir(pbDir);
    const bad = VALUES_PLAYBOOK.replace("pattern: '^(?<ts>\\S+) ok'", () => "pattern: '^(a+)+$'");
    await writeFile(path.join(dir, 'bad.yaml'), bad);
    const v = await syncdoctor(['validate', path.join(dir, 'bad.yaml')]);
    expect(v.exitCode).toBe(65);
    expect(v.stderr).toMatch(/bad\.yaml:\d+:\d+: with\.pattern: invalid regular expression: nested quantifier/);

    await writeFile(path.join(pbDir, 'hostile.yaml'), VALUES_PLAYBOOK.replace("pattern: '^(?<ts>\\S+) ok'", () => 'pattern: "${table}"'));
    await writeFile(path.join(dir, 'pc.json'), JSON.stringify(snapshot()));
    const c = await syncdoctor(['check', 'hostile', '--snapshot', path.join(dir, 'pc.json'), '--playbooks', pbDir, '--json', '--set', 'hostile.table=(\\w+\\s?)*$']);
    expect(c.exitCode, c.stderr).toBe(65);
    expect(c.stderr).toMatch(/hostile\.yaml:\d+:\d+: with\.pattern: invalid regular expression: nested quantifier/);
    expect(c.stdout).toBe('');
    await rm(dir, { recursive: true, force: true });
  });
});
