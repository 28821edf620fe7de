// A repair acts only on the history it judged: if another repair wrote to the audit log between
// this run's reading of it and its taking the lock, this run does nothing.
import { mkdtemp, stat, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepairSession } from '../../src/cli/check.js';

describe('openRepairSession', () => {
  it('the audit log grew after it was read: refused, the lock left free (was: the repair acted on a history without the other run\'s records)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-session-'));
    const auditLog = path.join(dir, 'audit.log');
    await writeFile(auditLog, '{"at":"2026-12-03T09:00:00.000Z","phase":"intent"}\n', { mode: 0o600 });
    const seen = (await stat(auditLog)).size;
    await appendFile(auditLog, '{"at":"2026-12-03T09:00:05.000Z","phase":"awaiting"}\n');
    const refused = await openRepairSession({ auditLog }, 'test', seen);
    expect(refused).toEqual({ refused: 'the audit log changed while this run was diagnosing (another repair finished meanwhile); the next run starts from what it did' });
    // Unchanged since it was read: the session opens (and the lock was not left behind by the refusal).
    const ok = await openRepairSession({ auditLog }, 'test', (await stat(auditLog)).size);
    expect('lock' in ok).toBe(true);
    if ('lock' in ok) await ok.lock.release();
  });
});
