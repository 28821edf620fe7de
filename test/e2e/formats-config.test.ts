// Report formats on the command line (--format markdown|nagios, --output by extension, written
// whole) and site settings from the default config location (SYNCDOCTOR_CONFIG) or --config.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath, siteConfigFile } from '../../src/cli/site-config.js';
import { formatForFile } from '../../src/cli/render.js';
import { example, ROOT, syncdoctor } from '../helpers/cli.js';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'syncdoctor-fmt-'));
const PLAYBOOKS = path.join(ROOT, 'test', 'fixtures', 'playbooks');

describe('--format and --output', () => {
  it('nagios: one line, exit code unchanged', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('cism-not-running.yaml'), '--format', 'nagios']);
    expect(r).toMatchObject({ exitCode: 2, stdout: 'SYNCDOCTOR CRITICAL - cism: CISM is running FAIL | checks=7 critical=1 unknown=0 warning=0 ok=5 skip=1\n' });
  });

  it('markdown: a ticket note', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('cism-not-running.yaml'), '--format', 'markdown']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^### syncdoctor: CRITICAL on FRONTDESK-01\n/);
    expect(r.stdout).toContain('- **FAIL** CISM is running — CISM.exe is not running');
  });

  it('--output keeps the format its extension says while stdout prints another; no temporary file left', async () => {
    const dir = await tmp();
    const snap = example('cism-not-running.yaml');
    for (const [file, check] of [
      ['r.json', (t: string) => expect(JSON.parse(t).status).toBe('critical')],
      ['r.md', (t: string) => expect(t).toMatch(/^### syncdoctor: CRITICAL/)],
      ['r.txt', (t: string) => expect(t).toMatch(/^syncdoctor .* — FRONTDESK-01 .*\n[\s\S]*Host facts read:/)],
      ['r.log', (t: string) => expect(JSON.parse(t).schemaVersion).toBe(2)],
    ] as const) {
      const r = await syncdoctor(['check', '--snapshot', snap, '--format', 'nagios', '--output', path.join(dir, file)]);
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toMatch(/^SYNCDOCTOR CRITICAL/);
      check(await readFile(path.join(dir, file), 'utf8'));
    }
    expect((await readdir(dir)).sort()).toEqual(['r.json', 'r.log', 'r.md', 'r.txt']);
    expect(formatForFile('REPORT.MD')).toBe('markdown');
  });

  it('an unknown format is a usage error', async () => {
    expect((await syncdoctor(['check', '--format', 'xml'])).exitCode).toBe(64);
  });
});

describe('site config', () => {
  it('default locations per platform', () => {
    expect(defaultConfigPath('win32', { ProgramData: 'D:\\PD' })).toBe('D:\\PD\\syncdoctor\\config.yaml');
    expect(defaultConfigPath('win32', {})).toBe('C:\\ProgramData\\syncdoctor\\config.yaml');
    expect(defaultConfigPath('linux', {})).toBe('/etc/syncdoctor/config.yaml');
    expect(defaultConfigPath('darwin', {})).toBe('/etc/syncdoctor/config.yaml');
  });

  it('--config wins; SYNCDOCTOR_CONFIG next (empty: none); a replay ignores this PC\'s own', async () => {
    expect(await siteConfigFile('a.yaml', false, { SYNCDOCTOR_CONFIG: 'b.yaml' })).toBe('a.yaml');
    expect(await siteConfigFile(undefined, false, { SYNCDOCTOR_CONFIG: 'b.yaml' })).toBe('b.yaml');
    expect(await siteConfigFile(undefined, false, { SYNCDOCTOR_CONFIG: '' })).toBeUndefined();
    expect(await siteConfigFile(undefined, true, { SYNCDOCTOR_CONFIG: 'b.yaml' })).toBeUndefined();
    expect(await siteConfigFile('a.yaml', true, {})).toBe('a.yaml');
  });

  it('settings from SYNCDOCTOR_CONFIG apply to a live check; --config replaces it', async () => {
    const dir = await tmp();
    const site = path.join(dir, 'config.yaml');
    await writeFile(site, 'agents:\n  fake-agent:\n    processNames: [sdnone-site]\n');
    const other = path.join(dir, 'other.yaml');
    await writeFile(other, 'agents:\n  fake-agent:\n    processNames: [sdnone-flag]\n');
    const summary = async (args: string[]) => {
      const r = await syncdoctor(['check', 'fake-agent', '--json', '--playbooks', PLAYBOOKS, ...args], { env: { SYNCDOCTOR_CONFIG: site } });
      return JSON.parse(r.stdout).agents[0].checks.find((c: { id: string }) => c.id === 'agent-running').summary as string;
    };
    expect(await summary([])).toBe('sdnone-site is not running');
    expect(await summary(['--config', other])).toBe('sdnone-flag is not running');
  });

  it('a bad config is invalid input with file:line:col (65); a missing SYNCDOCTOR_CONFIG file too', async () => {
    const dir = await tmp();
    const bad = path.join(dir, 'config.yaml');
    await writeFile(bad, 'agents:\n  fake-agent:\n    processNames: 42\n');
    const r = await syncdoctor(['check', 'fake-agent', '--playbooks', PLAYBOOKS], { env: { SYNCDOCTOR_CONFIG: bad } });
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:19: `));
    const missing = await syncdoctor(['check'], { env: { SYNCDOCTOR_CONFIG: path.join(dir, 'nope.yaml') } });
    expect(missing.exitCode).toBe(65);
    expect(missing.stderr).toContain('nope.yaml: cannot read config: ENOENT');
    // Replaying another PC's snapshot does not read this PC's config.
    expect((await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml')], { env: { SYNCDOCTOR_CONFIG: bad } })).exitCode).toBe(0);
  });
});
