// quickbooks-running on tasklist rows as Windows prints them: a status or owner it could not read
// is "could not tell", never "QuickBooks is running fine".
import { describe, expect, it } from 'vitest';
import { HostFacts, TASKLIST_ARGV } from '../../src/host/facts.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import quickbooksRunning from '../../src/probes/quickbooks-running.js';

const TL_HEADER = '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"';
const FD = 'FRONTDESK-01\\frontdesk';

/** A Windows PC with these QuickBooks rows in `tasklist /v /fo csv`; `listed: false` leaves a process out of tasklist (it raced). */
function pc(rows: { pid: number; status: string; user: string; listed?: boolean }[]): Snapshot {
  const csv = [TL_HEADER, '"System","4","Services","0","144 K","Unknown","N/A","0:12:01","N/A"', ...rows.filter((r) => r.listed !== false).map((r) => ['QBW32.EXE', String(r.pid), 'Console', '1', '412,880 K', r.status, r.user, '0:04:12', 'Harborline Supply - QuickBooks Desktop Pro 2024'].map((f) => `"${f}"`).join(','))].join('\r\n');
  return {
    syncdoctorSnapshot: 1,
    capturedAt: '2026-11-20T14:03:00Z',
    platform: 'win32',
    hostname: 'FRONTDESK-01',
    uptimeSeconds: 3600,
    processes: [{ pid: 4, ppid: 0, name: 'System' }, ...rows.map((r) => ({ pid: r.pid, ppid: 4, name: 'QBW32.EXE' }))],
    commands: [{ argv: TASKLIST_ARGV, exitCode: 0, stdout: `${csv}\r\n`, stderr: '' }],
  };
}

async function judge(snapshot: Snapshot) {
  const signal = new AbortController().signal;
  return quickbooksRunning.run({ quickbooksImages: ['QBW32.EXE'] }, { facts: new HostFacts(new SnapshotHost(snapshot), { signal }), signal });
}

describe('quickbooks-running', () => {
  it.each([
    ['responding, one instance: pass', [{ pid: 10, status: 'Running', user: FD }], 'pass'],
    ['not responding: fail', [{ pid: 10, status: 'Not Responding', user: FD }], 'fail'],
    ['a status word of another language (German "Keine Rückmeldung"): could not tell (was pass)', [{ pid: 10, status: 'Keine Rückmeldung', user: FD }], 'unknown'],
    ['"Unknown" (its window is in another session than the caller): could not tell (was pass)', [{ pid: 10, status: 'Unknown', user: FD }], 'unknown'],
    ['an owner tasklist could not read (N/A): could not tell (was pass, "owner unknown")', [{ pid: 10, status: 'Running', user: 'N/A' }], 'unknown'],
    ['a QuickBooks tasklist did not list: could not tell (was pass)', [{ pid: 10, status: 'Running', user: FD, listed: false }], 'unknown'],
  ] as const)('%s', async (_name, rows, state) => {
    const r = await judge(pc([...rows]));
    expect(`${r.state}: ${r.summary}`).toMatch(new RegExp(`^${state}: `));
    if (state === 'unknown') expect(r.summary).toMatch(/could not be read for QBW32\.EXE \(pid 10\)/);
  });
});
