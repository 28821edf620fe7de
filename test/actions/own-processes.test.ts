// Which processes an action may touch: image AND owner AND (Windows) one of the user's sessions.
import { describe, expect, it } from 'vitest';
import { selectOwnProcesses } from '../../src/actions/lib.js';
import type { ProcessInfo } from '../../src/host/facts.js';

const p = (pid: number, name: string, user: string | null, sessionId: number | null): ProcessInfo => ({ pid, ppid: 1, name, user, sessionId, sessionName: null, notResponding: false, windowTitle: null, cmd: null });
const ids = (list: ProcessInfo[]) => list.map((x) => x.pid);

describe('selectOwnProcesses', () => {
  it.each<[string, ProcessInfo[], NodeJS.Platform, number[] | null, { mine: number[]; others: number[]; unknown: number[] }]>([
    ['the sync user in their session: mine', [p(1, 'QBW32.EXE', 'PC\\frontdesk', 1)], 'win32', [1], { mine: [1], others: [], unknown: [] }],
    ["another user's: never", [p(2, 'QBW32.EXE', 'PC\\mary', 2)], 'win32', [1], { mine: [], others: [2], unknown: [] }],
    ['the sync user, but in a session that is not theirs (a service, another logon): not mine', [p(3, 'QBW32.EXE', 'PC\\frontdesk', 0)], 'win32', [1], { mine: [], others: [3], unknown: [] }],
    ['owner unknown: refuse', [p(4, 'QBW32.EXE', null, 1)], 'win32', [1], { mine: [], others: [], unknown: [4] }],
    ['session unknown on Windows: refuse', [p(5, 'QBW32.EXE', 'PC\\frontdesk', null)], 'win32', [1], { mine: [], others: [], unknown: [5] }],
    ["the user's sessions unreadable: refuse", [p(6, 'QBW32.EXE', 'PC\\frontdesk', 1)], 'win32', null, { mine: [], others: [], unknown: [6] }],
    ['a disconnected session of the user is still theirs', [p(7, 'CISM.exe', 'frontdesk', 3)], 'win32', [1, 3], { mine: [7], others: [], unknown: [] }],
    ['Linux: the owner is the boundary', [p(8, 'agent', 'root', null), p(9, 'agent', 'nobody', null)], 'linux', null, { mine: [8], others: [9], unknown: [] }],
    ['other images are not considered at all', [p(10, 'explorer.exe', 'PC\\frontdesk', 1)], 'win32', [1], { mine: [], others: [], unknown: [] }],
    ['image names match without case or .exe', [p(11, 'qbw32', 'FRONTDESK', 1)], 'win32', [1], { mine: [11], others: [], unknown: [] }],
  ])('%s', (_name, processes, platform, sessions, want) => {
    const user = platform === 'win32' ? 'frontdesk' : 'root';
    const r = selectOwnProcesses(processes, ['QBW32.EXE', 'CISM.exe', 'agent'], user, platform, sessions);
    expect({ mine: ids(r.mine), others: ids(r.others), unknown: ids(r.unknown) }).toEqual(want);
  });
});
