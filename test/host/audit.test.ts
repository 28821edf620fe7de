// The audit log as the next run reads it back: a line cut by a crash costs only that line.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAuditTail } from '../../src/host/audit.js';
import { appendLineSafely } from '../../src/host/safe-write.js';

const record = (phase: string, at: string) => JSON.stringify({ at, runId: 'r', who: { user: 'SYSTEM', host: 'PC', pid: 1 }, phase, agent: 'cism', check: 'syncs-scheduled', remediation: 'kill-qbw' });
const log = async () => path.join(await mkdtemp(path.join(os.tmpdir(), 'sd-audit-')), 'audit.log');

describe('the audit log read back', () => {
  it('a record appended after a line cut by a crash is on a line of its own and is read (was: joined to the cut line and lost)', async () => {
    const file = await log();
    await writeFile(file, `${record('awaiting', '2026-12-03T09:00:00.000Z')}\n{"at":"2026-12-03T09:0`);
    await appendLineSafely(file, record('confirmation', '2026-12-03T09:30:00.000Z'));
    expect((await readAuditTail(file)).map((r) => r.phase)).toEqual(['awaiting', 'confirmation']);
    expect((await readFile(file, 'utf8')).endsWith('\n')).toBe(true);
  });

  it('a tail that starts exactly at a line keeps that line (was: dropped as if cut)', async () => {
    const file = await log();
    const second = `${record('awaiting', '2026-12-03T09:15:00.000Z')}\n`;
    await writeFile(file, `${record('intent', '2026-12-03T09:00:00.000Z')}\n${second}`);
    expect((await readAuditTail(file, Buffer.byteLength(second))).map((r) => r.phase)).toEqual(['awaiting']);
    // Cut one byte later, that line is partial and is left out.
    expect(await readAuditTail(file, Buffer.byteLength(second) - 1)).toEqual([]);
  });
});
