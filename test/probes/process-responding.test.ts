import { describe, expect, it } from 'vitest';
import { HostFacts, TASKLIST_ARGV } from '../../src/host/facts.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import processResponding from '../../src/probes/process-responding.js';

const TL_HEADER = '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"';

interface Row {
  pid: number;
  name: string;
  user: string;
  status: string;
  session?: number;
}

/** A Windows PC whose process list and `tasklist /v /fo csv` (CRLF, quoted) agree. */
function pc(rows: Row[], tasklist: 'ok' | 'missing' = 'ok', platform: NodeJS.Platform = 'win32'): Snapshot {
  const csv = [TL_HEADER, ...rows.map((r) => [r.name, String(r.pid), r.session === 0 ? 'Services' : 'Console', String(r.session ?? 1), '12,000 K', r.status, r.user, '0:00:05', 'N/A'].map((f) => `"${f}"`).join(','))].join('\r\n');
  return {
    syncdoctorSnapshot: 1,
    capturedAt: '2026-11-20T14:03:00Z',
    platform,
    hostname: 'FRONTDESK-01',
    uptimeSeconds: 3600,
    processes: [{ pid: 4, ppid: 0, name: 'System' }, ...rows.map((r) => ({ pid: r.pid, ppid: 4, name: r.name }))],
    commands: tasklist === 'ok' ? [{ argv: TASKLIST_ARGV, exitCode: 0, stdout: `${csv}\r\n`, stderr: '' }] : [],
  };
}

async function judge(snapshot: Snapshot, params: { names: string[]; user?: string }) {
  const signal = new AbortController().signal;
  return processResponding.run(params, { facts: new HostFacts(new SnapshotHost(snapshot), { signal }), signal });
}

const FD = 'FRONTDESK-01\\frontdesk';
const BK = 'FRONTDESK-01\\bookkeeper';

describe('process-responding', () => {
  it.each([
    ['a responding agent passes', [{ pid: 10, name: 'QBWebConnector.exe', user: FD, status: 'Running' }], {}, 'pass', /is responding/],
    ['a hung agent fails, naming the pid', [{ pid: 10, name: 'QBWebConnector.exe', user: FD, status: 'Not Responding' }], {}, 'fail', /not responding \(pid 10\)/],
    ['one hung of two instances fails', [{ pid: 10, name: 'QBWebConnector.exe', user: FD, status: 'Running' }, { pid: 11, name: 'qbwebconnector.EXE', user: FD, status: 'Not Responding' }], {}, 'fail', /pid 11/],
    ["another user's hung instance is not the sync user's", [{ pid: 10, name: 'QBWebConnector.exe', user: FD, status: 'Running' }, { pid: 11, name: 'QBWebConnector.exe', user: BK, status: 'Not Responding' }], { user: 'frontdesk' }, 'pass', /is responding/],
    ['not running: nothing to judge', [{ pid: 12, name: 'explorer.exe', user: FD, status: 'Running' }], {}, 'skip', /not running: nothing to judge/],
    ['running only as another user: nothing to judge for this one', [{ pid: 11, name: 'QBWebConnector.exe', user: BK, status: 'Running' }], { user: 'frontdesk' }, 'skip', /not running as frontdesk/],
    ['"Unknown" (no window, another session) could not tell', [{ pid: 10, name: 'QBWebConnector.exe', user: FD, status: 'Unknown', session: 0 }], {}, 'unknown', /Could not tell/],
    ['a localised status word could not tell', [{ pid: 10, name: 'QBWebConnector.exe', user: FD, status: 'Keine Rückmeldung' }], {}, 'unknown', /Could not tell/],
  ] as const)('%s', async (_name, rows, extra, state, summary) => {
    const r = await judge(pc([...rows]), { names: ['QBWebConnector.exe'], ...extra });
    expect(r.state).toBe(state);
    expect(r.summary).toMatch(summary);
  });

  it('says why when the status is not one it knows', async () => {
    const r = await judge(pc([{ pid: 10, name: 'QBWebConnector.exe', user: FD, status: 'Unknown', session: 0 }]), { names: ['QBWebConnector.exe'] });
    expect(r.error).toMatch(/pid 10 .*no window, another session, or a localised word/);
    expect(r.evidence).toEqual(['QBWebConnector.exe (pid 10) as FRONTDESK-01\\frontdesk in session 0 (Services)']);
  });

  it('without tasklist it could not tell, and says tasklist', async () => {
    const r = await judge(pc([{ pid: 10, name: 'QBWebConnector.exe', user: FD, status: 'Running' }], 'missing'), { names: ['QBWebConnector.exe'] });
    expect(r.state).toBe('unknown');
    expect(r.error).toMatch(/tasklist/);
  });

  it('off Windows it could not tell rather than pass', async () => {
    const r = await judge(pc([{ pid: 10, name: 'agent', user: 'frontdesk', status: 'Running' }], 'ok', 'linux'), { names: ['agent'] });
    expect(r.state).toBe('unknown');
    expect(r.summary).toMatch(/Windows only/);
  });
});
