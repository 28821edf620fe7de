// `syncdoctor summarize` on a few hundred JSON reports, as an RMM collects them: real reports of
// the example PCs, copied under generated host names, with older duplicates and broken files.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { example, syncdoctor } from '../helpers/cli.js';

interface Report {
  host: { hostname: string };
  startedAt: string;
  status: string;
  agents: { id: string; checks: { id: string; state: string; guard?: boolean }[] }[];
}

const SOURCES = ['cism-healthy.yaml', 'cism-not-running.yaml', 'qbwc-popup-blocking.yaml', 'quikstor-pc-restarted.yaml', 'pos-sync-healthy.yaml'];
const PCS = 300;

let dir: string;
const expected = { critical: 0, unknown: 0, warning: 0, ok: 0 } as Record<string, number>;
const failing = new Map<string, number>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-fleet-'));
  const base: Report[] = [];
  for (const s of SOURCES) base.push(JSON.parse((await syncdoctor(['check', '--snapshot', example(s), '--json'])).stdout));
  const writes: Promise<void>[] = [];
  for (let i = 0; i < PCS; i++) {
    const r = structuredClone(base[i % base.length]!);
    r.host.hostname = `PC-${String(i).padStart(4, '0')}`;
    r.startedAt = new Date(Date.UTC(2026, 10, 20, 14, 0, i % 60)).toISOString();
    expected[r.status]!++;
    for (const a of r.agents) for (const c of a.checks) if (!c.guard && c.state === 'fail') failing.set(`${a.id}.${c.id}`, (failing.get(`${a.id}.${c.id}`) ?? 0) + 1);
    writes.push(writeFile(path.join(dir, `${r.host.hostname}.json`), JSON.stringify(r)));
    if (i < 10) {
      // An older report of the same PC, now superseded: it says CRITICAL, the newer one decides.
      const old = structuredClone(base[1]!);
      old.host.hostname = r.host.hostname.toLowerCase();
      old.startedAt = '2026-11-01T00:00:00.000Z';
      writes.push(writeFile(path.join(dir, `${r.host.hostname}-old.json`), JSON.stringify(old)));
    }
  }
  writes.push(writeFile(path.join(dir, 'broken.json'), '{"schemaVersion": 1, "host": '));
  writes.push(writeFile(path.join(dir, 'not-a-report.json'), '{"hello": "world"}'));
  writes.push(writeFile(path.join(dir, 'future.json'), JSON.stringify({ ...base[0], schemaVersion: 3 })));
  writes.push(writeFile(path.join(dir, 'empty.json'), ''));
  writes.push(writeFile(path.join(dir, 'notes.txt'), 'not a report, not *.json'));
  await Promise.all(writes);
}, 60_000);

describe('syncdoctor summarize', () => {
  it('text: which PCs fail which checks, worst first; unreadable files listed, not fatal', async () => {
    const t0 = Date.now();
    const r = await syncdoctor(['summarize', dir]);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toContain(`Fleet summary: ${PCS} PCs from ${PCS + 10} reports, 10 older reports of the same PCs left out, 4 unreadable files`);
    expect(out).toContain(`Status: ${expected.critical} CRITICAL, ${expected.unknown} UNKNOWN, ${expected.warning} WARNING, ${expected.ok} OK`);
    // The check most PCs fail comes first, with its count.
    const [topCheck, topCount] = [...failing].sort((a, b) => b[1] - a[1])[0]!;
    const checksSection = out.slice(out.indexOf('Checks with problems'), out.indexOf('PCs, worst first'));
    expect(checksSection.split('\n')[1]).toContain(`${topCheck} — `);
    expect(checksSection).toContain(`FAIL on ${topCount} PCs: `);
    expect(checksSection).toMatch(/\(\+\d+ more\)/);
    // Worst first: every CRITICAL before any WARNING; the superseded CRITICAL of PC-0000 does not count.
    const pcLines = out.slice(out.indexOf('PCs, worst first:')).split('\n').slice(1).filter((l) => /^ {2}[A-Z]/.test(l));
    const statuses = pcLines.map((l) => l.trim().split(/\s+/)[0]);
    expect(statuses.indexOf('WARNING')).toBeGreaterThan(statuses.lastIndexOf('CRITICAL'));
    expect(out).not.toMatch(/CRITICAL\s+PC-0000\s/);
    expect(out).toMatch(/OK \(\d+ PCs\): PC-0000, /);
    for (const f of ['broken.json: not JSON', 'not-a-report.json: not a syncdoctor report (no schemaVersion)', 'future.json: report schemaVersion 3 is not supported', 'empty.json: not JSON']) {
      expect(out).toContain(f);
    }
  });

  it('a pattern the shell did not expand (as on Windows), Markdown and CSV', async () => {
    const md = await syncdoctor(['summarize', path.join(dir, 'PC-00*.json'), '--format', 'markdown']);
    expect(md.exitCode, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^### syncdoctor fleet summary\n\n100 PCs from 110 reports/);
    expect(md.stdout).toContain('| Check | FAIL | UNKNOWN | WARN | PCs |');

    const csv = await syncdoctor(['summarize', dir, '--format', 'csv']);
    expect(csv.exitCode).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('hostname,status,exit_code,checked_at,agent,check,title,state,severity,summary,file');
    const hosts = new Set(rows.slice(1).map((r) => r.split(',')[0]));
    expect(hosts.size).toBe(PCS);
    expect(csv.stderr).toContain('broken.json: not JSON');
  });

  it('--output writes the summary whole', async () => {
    const out = path.join(dir, 'out', 'fleet.md');
    await mkdir(path.dirname(out));
    const r = await syncdoctor(['summarize', dir, '--format', 'markdown', '--output', out]);
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(out, 'utf8')).toMatch(/^### syncdoctor fleet summary/);
  });

  it('nothing readable: invalid input (65), each file with why', async () => {
    const r = await syncdoctor(['summarize', path.join(dir, 'broken.json'), path.join(dir, 'nope-*.json'), path.join(dir, 'missing.json')]);
    expect(r.exitCode).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.json: not JSON');
    expect(r.stderr).toContain('nope-*.json: no file matches');
    expect(r.stderr).toContain('missing.json: no such file');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('usage: a report argument is required, formats are checked (64)', async () => {
    expect((await syncdoctor(['summarize'])).exitCode).toBe(64);
    expect((await syncdoctor(['summarize', dir, '--format', 'xml'])).exitCode).toBe(64);
  });
});
