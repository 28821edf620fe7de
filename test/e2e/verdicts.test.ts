// Verdicts an RMM can trust, through the real CLI: every shipped example's exit code, and the
// paths that used to report green (or lose the verdict) when the tool could not tell.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { EXAMPLES, example, syncdoctor } from '../helpers/cli.js';

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
    expect(nagios.stdout).toMatch(/^SYNCDOCTOR UNKNOWN - cism: CISM is running UNKNOWN, .*; set cism\.processNames, cism\.logPath, cism\.syncLinePattern \| checks=7 critical=0 unknown=2 /);

    const json = JSON.parse((await syncdoctor(['check', '--snapshot', file, '--json'])).stdout) as Report;
    const cism = json.agents[0]!;
    expect(cism.status).toBe('unknown');
    expect(cism.notConfigured).toEqual(['cism.processNames', 'cism.logPath', 'cism.syncLinePattern']);
    const running = cism.checks.find((c) => c.id === 'cism-running')!;
    expect(running.state).toBe('unknown');
    expect(running.summary).toMatch(/^Not configured: set cism\.processNames to check this automatically/);
    // The person's question is still there for a technician at the PC.
    expect(running.question).toMatch(/CISM icon/);

    const text2 = await syncdoctor(['check', '--snapshot', file]);
    expect(text2.stdout).toContain('Not configured: set cism.processNames, cism.logPath, cism.syncLinePattern (--config FILE or --set AGENT.NAME=VALUE) to decide automatically.');
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
