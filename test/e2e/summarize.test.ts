// `syncdoctor summarize` on a few hundred JSON reports, as an RMM collects them: real reports of
// the example PCs, copied under generated host names, with older duplicates and broken files.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { example, syncdoctor } from '../helpers/cli.js';

interface Report {
  schemaVersion: number;
  host: { hostname: string; machineId?: string | null; site?: string | null; capturedAt?: string };
  startedAt: string;
  status: string;
  exitCode: number;
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
    r.host.machineId = `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
    r.startedAt = new Date(Date.UTC(2026, 10, 20, 14, 0, i % 60)).toISOString();
    r.host.capturedAt = r.startedAt;
    expected[r.status]!++;
    for (const a of r.agents) for (const c of a.checks) if (!c.guard && c.state === 'fail') failing.set(`${a.id}.${c.id}`, (failing.get(`${a.id}.${c.id}`) ?? 0) + 1);
    writes.push(writeFile(path.join(dir, `${r.host.hostname}.json`), JSON.stringify(r)));
    if (i < 10) {
      // An older report of the same PC, now superseded: it says CRITICAL, the newer one decides.
      const old = structuredClone(base[1]!);
      old.host.hostname = r.host.hostname.toLowerCase();
      old.host.machineId = r.host.machineId;
      old.startedAt = '2026-11-01T00:00:00.000Z';
      old.host.capturedAt = old.startedAt;
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
    // The fleet's worst status is the exit code, as for one PC.
    expect(r.exitCode, r.stderr).toBe(2);
    const out = r.stdout;
    expect(out).toContain(`Fleet summary: ${PCS} PCs from ${PCS + 10} reports, 10 older reports of the same PCs left out, 4 unreadable files`);
    expect(out).toContain(`Status: CRITICAL (${expected.critical} CRITICAL, ${expected.unknown} UNKNOWN, ${expected.warning} WARNING, ${expected.ok} OK)`);
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
    expect(md.exitCode, md.stderr).toBe(2);
    expect(md.stdout).toMatch(/^### syncdoctor fleet summary\n\n100 PCs from 110 reports/);
    expect(md.stdout).toContain('| Check | FAIL | UNKNOWN | WARN | PCs |');

    const csv = await syncdoctor(['summarize', dir, '--format', 'csv']);
    expect(csv.exitCode).toBe(2);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('site,machine_id,hostname,status,exit_code,checked_at,agent,check,title,state,severity,summary,file');
    const hosts = new Set(rows.slice(1).map((r) => r.split(',')[2]));
    expect(hosts.size).toBe(PCS);
    expect(csv.stderr).toContain('broken.json: not JSON');
  });

  it('--output writes the summary whole', async () => {
    const out = path.join(dir, 'out', 'fleet.md');
    await mkdir(path.dirname(out));
    const r = await syncdoctor(['summarize', dir, '--format', 'markdown', '--output', out]);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
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

describe('a fleet that knows which PC is which', () => {
  async function reportOf(snapshot: string, extra: string[] = []): Promise<Report> {
    return JSON.parse((await syncdoctor(['check', '--snapshot', example(snapshot), '--json', ...extra])).stdout) as Report;
  }
  async function fleetDir(reports: Record<string, unknown>): Promise<string> {
    const d = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-fleet-ids-'));
    await Promise.all(Object.entries(reports).map(([name, r]) => writeFile(path.join(d, name), JSON.stringify(r))));
    return d;
  }

  it("two customers' FRONTDESK-01 stay two PCs, grouped by site (was: one line, the newer report hiding the other)", async () => {
    const a = await reportOf('cism-not-running.yaml', ['--site', 'Harbor Dental']);
    const b = await reportOf('cism-healthy.yaml', ['--site', 'Elm St Storage']);
    const d = await fleetDir({ 'a.json': a, 'b.json': b });
    const r = await syncdoctor(['summarize', d]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain('Fleet summary: 2 PCs from 2 reports, 2 sites');
    expect(r.stdout).toMatch(/Site Elm St Storage: 1 PC \(0 CRITICAL, 0 UNKNOWN, 0 WARNING, 1 OK\)\n {2}OK \(1 PC\): Elm St Storage\/FRONTDESK-01/);
    expect(r.stdout).toMatch(/Site Harbor Dental: 1 PC \(1 CRITICAL, .*\n {2}PCs, worst first:\n {4}CRITICAL {2}Harbor Dental\/FRONTDESK-01 /);
  });

  it('cloned PCs (one MachineGuid, two host names) and one host name on two machines are each their own PC', async () => {
    const base = await reportOf('cism-healthy.yaml');
    const clone = structuredClone(base);
    clone.host.hostname = 'FRONTDESK-02';
    const sameName = structuredClone(base);
    sameName.host.machineId = '11111111-2222-4333-8444-555555555555';
    const d = await fleetDir({ 'a.json': base, 'b.json': clone, 'c.json': sameName });
    const json = JSON.parse((await syncdoctor(['summarize', d, '--format', 'json'])).stdout) as { pcs: { hostname: string; machineId: string }[] };
    expect(json.pcs.map((p) => p.hostname).sort()).toEqual(['FRONTDESK-01 [11111111]', 'FRONTDESK-01 [6f1e2b7c]', 'FRONTDESK-02']);
  });

  it('a replayed snapshot counts at its capture time, not the replay time', async () => {
    // Captured 14:03 and CRITICAL, but replayed last (its startedAt is the newest).
    const older = await reportOf('cism-not-running.yaml');
    const newer = await reportOf('cism-healthy.yaml');
    older.host.capturedAt = '2026-11-20T09:00:00.000Z';
    older.host.machineId = newer.host.machineId;
    older.startedAt = '2026-12-01T00:00:00.000Z';
    const d = await fleetDir({ 'old-capture.json': older, 'new-capture.json': newer });
    const r = await syncdoctor(['summarize', d]);
    expect(r.stdout).toContain('1 older report of the same PCs left out');
    expect(r.stdout).toContain('Status: OK (0 CRITICAL, 0 UNKNOWN, 0 WARNING, 1 OK)');
    expect(r.exitCode).toBe(0);
  });

  it('an older report without a machine id is the same PC as the newer ones with one (was: two PCs, the old CRITICAL beside the new OK)', async () => {
    const old = await reportOf('cism-not-running.yaml');
    const now = await reportOf('cism-healthy.yaml');
    delete (old.host as { machineId?: string | null }).machineId;
    old.host.capturedAt = '2026-11-01T09:00:00.000Z';
    const d = await fleetDir({ 'old.json': old, 'now.json': now });
    const r = await syncdoctor(['summarize', d]);
    expect(r.stdout).toContain('Fleet summary: 1 PC from 2 reports');
    expect(r.stdout).toContain('Status: OK (0 CRITICAL, 0 UNKNOWN, 0 WARNING, 1 OK)');
    expect(r.exitCode).toBe(0);
  });

  it('a report from the future (a PC clock that was wrong) does not pin an old verdict; equal times give the worse status, every run (was: the 2099 report won for ever; ties by read order)', async () => {
    const healthy = await reportOf('cism-healthy.yaml');
    const future = await reportOf('cism-not-running.yaml');
    future.host.machineId = healthy.host.machineId;
    future.host.capturedAt = '2099-01-01T00:00:00.000Z';
    const d = await fleetDir({ 'future.json': future, 'now.json': healthy });
    const r = await syncdoctor(['summarize', d]);
    expect(r.stdout).toContain('Status: OK (0 CRITICAL, 0 UNKNOWN, 0 WARNING, 1 OK)');
    expect(r.exitCode).toBe(0);
    // Two reports of one PC at the same time: the worse one counts.
    const tie = await reportOf('cism-not-running.yaml');
    tie.host.machineId = healthy.host.machineId;
    tie.host.capturedAt = healthy.host.capturedAt;
    const names = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`r${i}.json`, i % 2 ? healthy : tie]));
    for (let run = 0; run < 3; run++) expect((await syncdoctor(['summarize', await fleetDir(names)])).exitCode).toBe(2);
  });

  it('reads version 1 reports (their "error" is UNKNOWN) beside version 2; the fleet exits UNKNOWN', async () => {
    const v2 = await reportOf('cism-healthy.yaml');
    const v1 = structuredClone(v2) as unknown as { schemaVersion: number; status: string; exitCode: number; host: Record<string, unknown>; agents: { checks: { state: string }[] }[] };
    v1.schemaVersion = 1;
    v1.host = { hostname: 'OLD-PC', platform: 'win32', uptimeSeconds: 1, bootTime: null, source: 'live', facts: [] };
    v1.status = 'unknown';
    v1.exitCode = 3;
    v1.agents[0]!.checks[0]!.state = 'error';
    const d = await fleetDir({ 'v1.json': v1, 'v2.json': v2 });
    const r = await syncdoctor(['summarize', d, '--format', 'json']);
    expect(r.exitCode).toBe(3);
    const json = JSON.parse(r.stdout) as { status: string; exitCode: number; pcs: { hostname: string; problems: { state: string }[] }[] };
    expect(json).toMatchObject({ status: 'unknown', exitCode: 3 });
    expect(json.pcs.find((p) => p.hostname === 'OLD-PC')!.problems[0]!.state).toBe('unknown');
  });
});
