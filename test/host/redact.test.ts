// Redaction keeps the verdict: every example snapshot, redacted, replays to the same states, and
// the names in it (users, hosts, companies, URLs, e-mail addresses) are gone.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { diagnose } from '../../src/cli/check.js';
import { loadAllPlaybooks } from '../../src/cli/load-playbooks.js';
import { companiesInTitle, redactSnapshot } from '../../src/host/redact.js';
import { parseSnapshot, SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import { stringifySnapshot } from '../../src/host/snapshot-write.js';
import { parseQueryUser } from '../../src/host/parsers/query-user.js';

const EXAMPLES = path.resolve(import.meta.dirname, '..', '..', 'examples');
const examples = readdirSync(EXAMPLES).filter((n) => n.endsWith('.yaml')).sort();

async function verdict(snap: Snapshot): Promise<unknown> {
  const d = await diagnose([], { set: [] }, undefined, undefined, new SnapshotHost(snap, 'test'));
  d.dispose();
  return states(d.report);
}

function states(r: Report) {
  return { status: r.status, agents: r.agents.map((a) => ({ id: a.id, detected: a.detected, checks: a.checks.map((c) => `${c.id}=${c.state}`) })) };
}

/** A small Windows PC, PC-7, with these facts. */
const pc7 = (facts: Partial<Snapshot>): Snapshot => ({ syncdoctorSnapshot: 1, capturedAt: '2026-11-20T14:03:00Z', platform: 'win32', hostname: 'PC-7', uptimeSeconds: 1, ...facts });

async function publicText(): Promise<string> {
  return JSON.stringify((await loadAllPlaybooks(undefined)).map((p) => p.spec));
}

describe('redactSnapshot on the example snapshots', () => {
  it.each(examples)('%s: the same verdict, no names left', async (name) => {
    const original = parseSnapshot(name, readFileSync(path.join(EXAMPLES, name), 'utf8'));
    const { snapshot, leftovers } = redactSnapshot(original, { publicText: await publicText() });
    expect(leftovers).toEqual([]);
    expect(snapshot.redacted).toBe(true);
    // What is written reads back as a valid snapshot with the same verdict.
    const reread = parseSnapshot('redacted.yaml', stringifySnapshot(snapshot));
    expect(await verdict(reread)).toEqual(await verdict(original));
    const text = JSON.stringify(reread).toLowerCase();
    expect(text).not.toContain(original.hostname.toLowerCase());
    for (const s of original.settings ? Object.values(original.settings) : []) {
      for (const [k, v] of Object.entries(s)) if (/user/i.test(k) && typeof v === 'string' && v) expect(text, `${k}=${v}`).not.toMatch(new RegExp(`\\b${v.toLowerCase()}\\b`));
    }
  });

  it('query user keeps its columns: same rows, same sessions, pseudonyms of the same length', async () => {
    const original = parseSnapshot('x', readFileSync(path.join(EXAMPLES, 'cism-quickbooks-user-conflict.yaml'), 'utf8'));
    const { snapshot } = redactSnapshot(original, { publicText: await publicText() });
    const qu = (s: Snapshot) => parseQueryUser(s.commands!.find((c) => c.argv.join(' ') === 'query user')!.stdout!).rows;
    const [a, b] = [qu(original), qu(snapshot)];
    expect(b.map((r) => [r.id, r.state, r.sessionName, r.user.length])).toEqual(a.map((r) => [r.id, r.state, r.sessionName, r.user.length]));
    for (const r of a) expect(b.map((x) => x.user)).not.toContain(r.user);
  });

  it('companies in QuickBooks window titles, URLs and e-mail addresses', async () => {
    const snap: Snapshot = {
      syncdoctorSnapshot: 1,
      capturedAt: '2026-11-20T14:03:00Z',
      platform: 'win32',
      hostname: 'FRONTDESK-01',
      uptimeSeconds: 100,
      commands: [
        {
          argv: ['tasklist', '/v', '/fo', 'csv'],
          exitCode: 0,
          stdout: '"QBW32.EXE","4120","Console","1","1 K","Running","FRONTDESK-01\\Maria Lopez","0:00:01","Harborline Supply, LLC - QuickBooks Desktop Pro 2024"\r\n',
          stderr: '',
        },
      ],
      files: [{ path: 'C:\\log.txt', content: 'AppURL: https://qb.harborline.example/wc?t=1 mail maria@harborline.example file C:\\QB\\Harborline Supply, LLC.QBW\r\n' }],
      env: { USERPROFILE: 'C:\\Users\\Maria Lopez' },
    };
    const { snapshot, counts, leftovers } = redactSnapshot(snap);
    const text = JSON.stringify(snapshot);
    for (const n of ['Maria', 'Lopez', 'Harborline', 'FRONTDESK', 'maria@']) expect(text).not.toContain(n);
    expect(leftovers).toEqual([]);
    expect(counts).toMatchObject({ user: 1, company: 1, url: 1, email: 1 });
    // Same length everywhere: the file and the output keep their sizes.
    expect(snapshot.files![0]!.content!.length).toBe(snap.files![0]!.content!.length);
    expect(snapshot.commands![0]!.stdout!.length).toBe(snap.commands![0]!.stdout!.length);
    // The same name gets the same pseudonym everywhere.
    const owner = snapshot.commands![0]!.stdout!.split('","')[6]!;
    expect(owner).toMatch(/^HOST00000001\\user0000001$/);
    expect(snapshot.env!.USERPROFILE).toBe('C:\\Users\\user0000001');
  });

  it('names in bytes of another code page and in UTF-16 are replaced in place', () => {
    const cp = Buffer.from('user: Maria Lopez \xe9t\xe9\r\n', 'latin1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Maria Lopez was here', 'utf16le')]);
    const snap: Snapshot = {
      syncdoctorSnapshot: 1,
      capturedAt: '2026-11-20T14:03:00Z',
      platform: 'win32',
      hostname: 'PC-7',
      uptimeSeconds: 1,
      env: { USERNAME: 'Maria Lopez' },
      files: [
        { path: 'C:\\a.txt', contentBase64: cp.toString('base64') },
        { path: 'C:\\b.txt', contentBase64: utf16.toString('base64') },
      ],
    };
    const { snapshot, leftovers } = redactSnapshot(snap);
    expect(leftovers).toEqual([]);
    const a = Buffer.from(snapshot.files![0]!.contentBase64!, 'base64');
    const b = Buffer.from(snapshot.files![1]!.contentBase64!, 'base64');
    expect(a.length).toBe(cp.length);
    expect(a.toString('latin1')).toMatch(/^user: user0000001 \xe9t\xe9\r\n$/);
    expect(b.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(b.subarray(2).toString('utf16le')).toBe('user0000001 was here');
  });

  it('keeps what is public (in the playbooks) and what names no one', () => {
    const snap = pc7({
      files: [{ path: 'C:\\a.txt', content: 'see https://help.vendor.example/article and NT AUTHORITY\\SYSTEM' }],
      network: [{ target: 'sync.vendor.example:443', result: 'ok' }],
    });
    const { snapshot } = redactSnapshot(snap, { publicText: '{"docs":"https://help.vendor.example/article","endpoint":"sync.vendor.example:443"}' });
    expect(snapshot.files![0]!.content).toBe(snap.files![0]!.content);
    expect(snapshot.network![0]!.target).toBe('sync.vendor.example:443');
  });

  it('a server named with hex letters only (DC01) is a host, not an address; profile folders in any case and with forward slashes name users (was: both kept)', () => {
    const snap = pc7({
      env: { APPDATA: 'c:\\users\\jsmith\\AppData\\Roaming' },
      files: [{ path: 'C:\\a.txt', content: 'synced to dc01 from C:/Users/kwalker/sync.ini; jsmith was here' }],
      network: [{ target: 'dc01:443', result: 'ok' }],
    });
    const { snapshot, leftovers } = redactSnapshot(snap);
    const text = JSON.stringify(snapshot);
    for (const name of ['dc01', 'jsmith', 'kwalker']) expect(text.toLowerCase()).not.toContain(name);
    expect(snapshot.network![0]!.target).toMatch(/^\S{4}:443$/);
    expect(leftovers).toEqual([]);
    // Real IPv6 addresses are still addresses (two colons at least).
    const v6 = redactSnapshot({ ...snap, network: [{ target: '[fd00::1]:443', result: 'ok' }] }).snapshot;
    expect(v6.network![0]!.target).not.toContain('fd00::1');
  });

  it('finds company names in window titles', () => {
    expect(companiesInTitle('Harborline Supply - QuickBooks Desktop Pro 2024')).toEqual(['Harborline Supply']);
    expect(companiesInTitle('QuickBooks Desktop Information')).toEqual([]);
    expect(companiesInTitle('Invoice - Acme Plumbing Inc.')).toEqual(['Acme Plumbing Inc.']);
    expect(companiesInTitle('Untitled - Notepad')).toEqual([]);
    expect(companiesInTitle('QuickBooks Desktop Pro 2024 - Acme - [Home]')).toEqual(['Acme']);
    expect(companiesInTitle(null)).toEqual([]);
  });
});

describe('redaction covers IP addresses, host:port, UNC names, the machine id and the site tag', () => {
  it('none is left in the file, the leftover scan looks for all of them, and the verdict is the same (was: all kept)', async () => {
    const text = readFileSync(path.join(EXAMPLES, 'quikstor-internet-down.yaml'), 'utf8')
      .replace(/quikstor-server\.example\.invalid:443/g, '192.168.40.17:8443')
      .replace(/^hostname: (.*)$/m, 'hostname: $1\nsite: Harbor Dental Group');
    const original = parseSnapshot('site.yaml', text);
    original.commands = [
      ...(original.commands ?? []),
      { argv: ['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid', '/reg:64'], exitCode: 0, stdout: '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    4c4c4544-0042-3510-8052-b4c04f4d3732\r\n\r\n', stderr: '' },
    ];
    original.note = 'QuickBooks file on \\\\FILESRV01\\Accounting\\Harbor.qbw; gateway 10.20.30.1, fe80::1c2d:3e4f:5a6b:7c8d and 2001:db8:85a3:0:0:8a2e:370:7334; loopback 127.0.0.1 and ::1 stay; at 10:15:00';
    expect(original.site).toBe('Harbor Dental Group');
    const { snapshot, leftovers, counts } = redactSnapshot(original, { publicText: await publicText() });
    const out = JSON.stringify(snapshot);
    for (const secret of ['Harbor Dental Group', '192.168.40.17', '10.20.30.1', 'fe80::1c2d:3e4f:5a6b:7c8d', '2001:db8:85a3:0:0:8a2e:370:7334', 'FILESRV01', '4c4c4544-0042-3510-8052-b4c04f4d3732']) expect(out).not.toContain(secret);
    expect(snapshot.note).toMatch(/loopback 127\.0\.0\.1 and ::1 stay; at 10:15:00$/);
    expect(leftovers).toEqual([]);
    expect(counts).toMatchObject({ ip: 4, id: 1 });
    // Same-length stand-ins, the same everywhere: the setting and the network fact still agree.
    const target = snapshot.network![0]!.target;
    expect(target).toMatch(/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:8443$/);
    expect(target.length).toBe('192.168.40.17:8443'.length);
    expect(snapshot.settings!.quikstor!.server).toBe(target);
    const reread = parseSnapshot('redacted.yaml', stringifySnapshot(snapshot));
    expect(await verdict(reread)).toEqual(await verdict(original));
  });
});

describe('redaction stays linear on hostile text', () => {
  it('a megabyte of hex digits and colons (no address in it) is redacted in well under a second per megabyte', () => {
    const hostile = `${'1:'.repeat(300_000)}x ${'a'.repeat(100_000)}::${'9.'.repeat(100_000)}`;
    const t0 = Date.now();
    const { snapshot } = redactSnapshot({ syncdoctorSnapshot: 1, capturedAt: '2026-11-20T14:03:00Z', platform: 'win32', hostname: 'PC-1', note: hostile } as never);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(snapshot.note!.length).toBe(hostile.length);
  });
});
