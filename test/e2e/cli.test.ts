// The command line as a user meets it: commands, exit codes, errors without stack traces.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, syncdoctor } from '../helpers/cli.js';
import { VERSION } from '../../src/core/version.js';

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-cli-'));
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);

describe('syncdoctor CLI', () => {
  it('--version prints the version', async () => {
    const r = await syncdoctor(['--version']);
    expect(r).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n` });
  });

  it('check on this machine (live) finds no agent, shows host facts, exits 0', async () => {
    const r = await syncdoctor(['check']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/No supported sync agent is installed on this PC/);
    expect(r.stdout).toMatch(new RegExp(`${os.hostname()} \\(${process.platform}, live\\)`));
    expect(r.stdout).toMatch(/Host facts read:/);
    expect(r.stdout).toMatch(/uptime \d+ s/);
    expect(r.stdout).toMatch(/process list: \d+ processes/);
  });

  it('check --json prints only the JSON report', async () => {
    const r = await syncdoctor(['check', '--json']);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ schemaVersion: 2, status: 'ok', exitCode: 0, agents: [], host: { source: 'live', platform: process.platform } });
    expect(r.stdout.trim().startsWith('{')).toBe(true);
  });

  it('a named agent is diagnosed even when not detected', async () => {
    const r = await syncdoctor(['check', 'cism', '--json', '--no-prompt']);
    const report = JSON.parse(r.stdout);
    expect(report.agents.map((a: { id: string }) => a.id)).toEqual(['cism']);
    expect(report.agents[0].detected).toBe(false);
    expect([0, 1, 2, 3]).toContain(r.exitCode);
    expect(report.exitCode).toBe(r.exitCode);
  });

  it('list shows playbooks, probes and actions with one-line descriptions', async () => {
    const r = await syncdoctor(['list']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Playbooks \(agents\):\n\s+cism\s+Crik-IT Sync Manager/);
    for (const probe of ['ask', 'file-exists', 'log-timestamp-fresh', 'machine-awake', 'process-running', 'user-session']) {
      expect(r.stdout).toMatch(new RegExp(`\\n\\s+${probe}\\s+\\S`));
    }
    expect(r.stdout).toMatch(/reboot\s+\[reboot\]/);
  });

  it('validate passes the shipped playbooks', async () => {
    const r = await syncdoctor(['validate', 'playbooks/cism.yaml']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/ok\s+playbooks\/cism\.yaml/);
  });

  it('schema prints each format as JSON Schema', async () => {
    for (const format of ['playbook', 'report', 'snapshot', 'config']) {
      const r = await syncdoctor(['schema', format]);
      expect(r.exitCode, format).toBe(0);
      const schema = JSON.parse(r.stdout);
      expect(schema.type).toBe('object');
      expect(schema.properties).toBeTypeOf('object');
    }
    const pb = JSON.parse((await syncdoctor(['schema', 'playbook'])).stdout);
    expect(pb.properties.checks.items.properties.probe.enum).toContain('process-running');
  });

  it('unknown options, commands and agents are usage errors (64) without a stack trace', async () => {
    for (const args of [['check', '--frobnicate'], ['frobnicate'], ['check', 'no-such-agent'], ['schema', 'nope'], ['check', '--timeout', 'soon'], ['check', '--set', 'garbage']]) {
      const r = await syncdoctor(args);
      expect(r.exitCode, args.join(' ')).toBe(64);
      expect(r.stdout).toBe('');
      expect(r.stderr.length).toBeGreaterThan(0);
      noStack(r.stderr);
    }
  });

  it('a bad playbook is invalid input (65) with file:line:col', async () => {
    const file = await tempFile('bad.yaml', 'id: bad\nname: Bad\nvendor: X\ndetect:\n  - probe: nope\nchecks:\n  - id: a\n    title: A\n    probe: machine-awake\n');
    const r = await syncdoctor(['validate', file]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain(`${file}:5:12: unknown probe "nope"`);
    noStack(r.stderr);
  });

  it('a bad snapshot is invalid input (65) with file:line:col, and nothing on stdout', async () => {
    const file = await tempFile('pc.yaml', 'syncdoctorSnapshot: 1\ncapturedAt: "2026-11-20T14:03:00Z"\nplatform: win32\nhostname: PC\nuptimeSeconds: -5\n');
    const r = await syncdoctor(['check', '--snapshot', file, '--json']);
    expect(r.exitCode).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:5:16: uptimeSeconds: expected a number of seconds from 0 to 3155760000 (a century), got -5`);
    noStack(r.stderr);
  });

  it('a program path that would break out of its quotes is refused before anything runs (65)', async () => {
    const r = await syncdoctor(['check', 'cism', '--snapshot', example('cism-not-running.yaml'), '--set', 'cism.exePath=C:\\x" /evil "y']);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/builtin:playbooks\/cism\.yaml:\d+:\d+: with\.path: expected the full path of the program \(no double quotes\)/);
    noStack(r.stderr);
  });

  it('a missing snapshot file is invalid input (65)', async () => {
    const r = await syncdoctor(['check', '--snapshot', '/nonexistent/pc.yaml']);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/\/nonexistent\/pc\.yaml: cannot read snapshot: ENOENT/);
  });

  it('--output keeps the JSON report while printing text', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-out-')), 'report.json');
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--output', out]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Result: OK/);
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(out, 'utf8')).status).toBe('ok');
  });

  it('explain renders a probe, a playbook and a check from their metadata', async () => {
    expect((await syncdoctor(['explain', 'log-timestamp-fresh'])).stdout).toMatch(/reads only the tail/i);
    expect((await syncdoctor(['explain', 'cism'])).stdout).toMatch(/Checks, in order:\n\s+1\. The CISM PC is powered on and awake/);
    const check = await syncdoctor(['explain', 'cism.syncs-scheduled']);
    expect(check.stdout).toMatch(/Remediation ladder:\n\s+1\. Restart scheduled syncing in CISM \[safe\]/);
    expect((await syncdoctor(['explain', 'nothing-here'])).exitCode).toBe(64);
  });
});
