// Which processes an action may touch: image AND owner AND (Windows) one of the user's sessions.
import { describe, expect, it } from 'vitest';
import { selectOwnProcesses } from '../../src/actions/lib.js';
import type { ProcessInfo } from '../../src/host/facts.js';
import { sameUser } from '../../src/host/processes.js';

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

  describe('the same name in two domains is two people', () => {
    const both = [p(20, 'CISM.exe', 'PC\\frontdesk', 1), p(21, 'CISM.exe', 'CORP\\frontdesk', 2)];
    it.each<[string, string, { mine: number[]; others: number[]; unknown: number[] }]>([
      ['named with its domain: only that account (was: both)', 'PC\\frontdesk', { mine: [20], others: [21], unknown: [] }],
      ['named by a UPN, whose suffix is not the domain tasklist prints: which one cannot be told', 'frontdesk@corp.example', { mine: [], others: [], unknown: [20, 21] }],
      ['named without a domain: which one cannot be told, so neither is touched (was: both)', 'frontdesk', { mine: [], others: [], unknown: [20, 21] }],
      ['".\\name" (this PC) is a name without a domain too', '.\\frontdesk', { mine: [], others: [], unknown: [20, 21] }],
    ])('%s', (_name, user, want) => {
      const r = selectOwnProcesses(both, ['CISM.exe'], user, 'win32', [1, 2]);
      expect({ mine: ids(r.mine), others: ids(r.others), unknown: ids(r.unknown) }).toEqual(want);
    });
    it('one account of that name, named without a domain: it is the one', () => {
      const r = selectOwnProcesses([p(20, 'CISM.exe', 'PC\\frontdesk', 1)], ['CISM.exe'], 'frontdesk', 'win32', [1]);
      expect(ids(r.mine)).toEqual([20]);
    });
  });
});

describe('sameUser', () => {
  it.each([
    ['PC\\frontdesk', 'pc\\FRONTDESK', true],
    ['PC\\frontdesk', 'CORP\\frontdesk', false],
    ['frontdesk', 'CORP\\frontdesk', true],
    ['frontdesk@corp.example', 'CORP\\frontdesk', true],
    ['.\\frontdesk', 'PC\\frontdesk', true],
    ['PC\\frontdesk', 'PC\\mary', false],
    ['NT AUTHORITY\\SYSTEM', 'SYSTEM', true],
  ] as const)('%s and %s: %s', (a, b, same) => expect(sameUser(a, b)).toBe(same));
});
