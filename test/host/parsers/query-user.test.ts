import { describe, expect, it } from 'vitest';
import { HostError } from '../../../src/core/errors.js';
import { parseIdleMinutes, parseQueryUser, parseQueryUserResult } from '../../../src/host/parsers/query-user.js';
import { PATHOLOGICAL, mulberry32, randomText, mutate } from '../../helpers/fuzz.js';

// Column layout of a real `quser`: SESSIONNAME at 23, ID right-aligned to 44, STATE at 46,
// IDLE TIME right-aligned to 63, LOGON TIME at 65.
const EN_HEADER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';
const DE_HEADER = ' BENUTZERNAME          SITZUNGSNAME       ID  STATUS  LEERLAUF   ANMELDEZEIT';
const FR_HEADER = ' UTILISATEUR           SESSION            ID  ÉTAT    TEMPS INACT.  TEMPS SESSION';

/** One padded row, laid out like quser does. */
function row(marker: '>' | ' ', user: string, session: string, id: string, state: string, idle: string, logon: string): string {
  const left = (marker + user).padEnd(23) + session;
  return (left.padEnd(44 - id.length) + id + '  ' + state).padEnd(63 - idle.length) + idle + '  ' + logon;
}

const EXAMPLE = [
  EN_HEADER,
  '>kmorales              console             1  Active      none   3/2/2026 8:05 AM',
  ' bookkeeper            rdp-tcp#4           2  Active         12  3/2/2026 9:41 AM',
].join('\r\n');

describe('parseQueryUser', () => {
  it('reads the documented example', () => {
    const r = parseQueryUser(EXAMPLE);
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { user: 'kmorales', sessionName: 'console', id: 1, state: 'active', stateText: 'Active', idleMinutes: 0, logonTime: '3/2/2026 8:05 AM', current: true },
      { user: 'bookkeeper', sessionName: 'rdp-tcp#4', id: 2, state: 'active', stateText: 'Active', idleMinutes: 12, logonTime: '3/2/2026 9:41 AM', current: false },
    ]);
  });

  it('reads CRLF and LF alike, with trailing spaces and blank lines around', () => {
    const lf = parseQueryUser(EXAMPLE.replace(/\r\n/g, '\n'));
    const padded = parseQueryUser(['', '  ', ...EXAMPLE.split('\r\n').map((l) => l + '     '), '', '', ''].join('\r\n'));
    expect(lf).toEqual(parseQueryUser(EXAMPLE));
    expect(padded).toEqual(parseQueryUser(EXAMPLE));
  });

  it('keeps user names with spaces whole', () => {
    const text = [EN_HEADER, row(' ', 'Front Desk 2', 'rdp-tcp#7', '3', 'Active', '5', '3/2/2026 9:00 AM')].join('\n');
    const [r] = parseQueryUser(text).rows;
    expect(r).toMatchObject({ user: 'Front Desk 2', sessionName: 'rdp-tcp#7', id: 3, idleMinutes: 5 });
  });

  it('reads a blank session name of a disconnected logon without shifting fields', () => {
    const text = [EN_HEADER, row(' ', 'Mary Ann', '', '4', 'Disc', '1:05', '3/1/2026 5:10 PM')].join('\n');
    const [r] = parseQueryUser(text).rows;
    expect(r).toEqual({
      user: 'Mary Ann', sessionName: '', id: 4, state: 'disconnected', stateText: 'Disc', idleMinutes: 65, logonTime: '3/1/2026 5:10 PM', current: false,
    });
  });

  it('keeps a session name cut with ...', () => {
    const text = [EN_HEADER, row(' ', 'kmorales', 'rdp-tcp#12345678...', '5', 'Active', '.', '3/2/2026 8:05 AM')].join('\n');
    expect(parseQueryUser(text).rows[0]).toMatchObject({ sessionName: 'rdp-tcp#12345678...', id: 5, idleMinutes: 0 });
  });

  it('reads an ID wider than its header label (eating the gap to its left)', () => {
    const text = [
      EN_HEADER,
      row(' ', 'svc-backup', 'rdp-tcp#12...', '1234567', 'Active', '2', '3/2/2026 8:05 AM'),
      row(' ', 'Front Desk', '', '65536', 'Disc', '2', '3/2/2026 8:05 AM'),
    ].join('\n');
    expect(text.split('\n')[1]).toContain('rdp-tcp#12... 1234567  Active');
    const r = parseQueryUser(text);
    expect(r.rows[0]).toMatchObject({ user: 'svc-backup', sessionName: 'rdp-tcp#12...', id: 1234567, state: 'active' });
    expect(r.rows[1]).toMatchObject({ user: 'Front Desk', sessionName: '', id: 65536, state: 'disconnected' });
  });

  it('reads an ID that pushes past its column into the gap before STATE', () => {
    const text = [
      EN_HEADER,
      ' bob                   rdp-tcp#1234567  123456 Active       7  3/2/2026 8:05 AM',
      ' carol                 console          1234567Disc         *  3/2/2026 8:05 AM',
    ].join('\n');
    const r = parseQueryUser(text);
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({ user: 'bob', sessionName: 'rdp-tcp#1234567', id: 123456, state: 'active', idleMinutes: 7 });
    expect(r.rows[1]).toMatchObject({ user: 'carol', sessionName: 'console', id: 1234567, state: 'disconnected', idleMinutes: null });
  });

  it('prefers the ID column over digits inside a user name', () => {
    const text = [EN_HEADER, row(' ', 'Room 12 Desk', 'console', '1', 'Active', 'none', '3/2/2026 8:05 AM')].join('\n');
    expect(parseQueryUser(text).rows[0]).toMatchObject({ user: 'Room 12 Desk', sessionName: 'console', id: 1 });
  });

  it('reads a German header and German states', () => {
    const text = [
      DE_HEADER,
      row('>', 'kmorales', 'console', '1', 'Aktiv', 'Kein', '02.03.2026 08:05'),
      row(' ', 'buchhaltung', '', '2', 'Getr.', '1+02:03', '01.03.2026 17:10'),
    ].join('\r\n');
    const r = parseQueryUser(text);
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { user: 'kmorales', sessionName: 'console', id: 1, state: 'active', stateText: 'Aktiv', idleMinutes: null, logonTime: '02.03.2026 08:05', current: true },
      { user: 'buchhaltung', sessionName: '', id: 2, state: 'disconnected', stateText: 'Getr.', idleMinutes: 1563, logonTime: '01.03.2026 17:10', current: false },
    ]);
  });

  it('reads a French header and French states', () => {
    const text = [
      FR_HEADER,
      row('>', 'Hélène Durand', 'console', '1', 'Actif', 'aucun', '02/03/2026 08:05'),
      row(' ', 'comptabilité', '', '3', 'Déco', '12', '01/03/2026 17:10'),
    ].join('\r\n');
    const r = parseQueryUser(text);
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => [x.user, x.sessionName, x.id, x.state, x.idleMinutes, x.logonTime])).toEqual([
      ['Hélène Durand', 'console', 1, 'active', null, '02/03/2026 08:05'],
      ['comptabilité', '', 3, 'disconnected', 12, '01/03/2026 17:10'],
    ]);
  });

  it('maps an unknown state word to unknown and keeps the word', () => {
    const text = [EN_HEADER, row(' ', 'kmorales', 'console', '1', 'Активно', '3', '02.03.2026 8:05')].join('\n');
    expect(parseQueryUser(text).rows[0]).toMatchObject({ state: 'unknown', stateText: 'Активно', id: 1 });
  });

  it('has no current session when no row has the > marker (SYSTEM, SSH)', () => {
    const rows = parseQueryUser(EXAMPLE.replace('>', ' ')).rows;
    expect(rows.map((r) => r.current)).toEqual([false, false]);
  });

  it('reads rows when the header is missing', () => {
    const text = EXAMPLE.split('\r\n').slice(1).join('\n') + '\n' + row(' ', 'Mary Ann', '', '4', 'Disc', '5', 'x');
    const r = parseQueryUser(text);
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => [x.user, x.sessionName, x.id, x.state])).toEqual([
      ['kmorales', 'console', 1, 'active'],
      ['bookkeeper', 'rdp-tcp#4', 2, 'active'],
      ['Mary Ann', '', 4, 'disconnected'],
    ]);
  });

  it('reads rows when the whole text was trimmed (header lost its leading space)', () => {
    const text = [EN_HEADER, row(' ', 'Mary Ann', '', '4', 'Disc', '5', '3/1/2026 5:10 PM'), row('>', 'kmorales', 'console', '1', 'Active', '.', 'x')].join('\n').trim();
    expect(parseQueryUser(text).rows.map((x) => [x.user, x.sessionName, x.id, x.state, x.current])).toEqual([
      ['Mary Ann', '', 4, 'disconnected', false],
      ['kmorales', 'console', 1, 'active', true],
    ]);
  });

  it('reads rows when the header has an odd shape', () => {
    const text = ['USERNAME', ...EXAMPLE.split('\r\n').slice(1)].join('\n');
    expect(parseQueryUser(text).rows.map((x) => [x.user, x.sessionName, x.id])).toEqual([
      ['kmorales', 'console', 1],
      ['bookkeeper', 'rdp-tcp#4', 2],
    ]);
  });

  it('reports unreadable lines as problems and keeps the rest', () => {
    const text = [EN_HEADER, ' something went wrong here', EXAMPLE.split('\r\n')[2]].join('\n');
    const r = parseQueryUser(text);
    expect(r.rows).toHaveLength(1);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^line 2: /);
  });

  it('reports a row with no user before the ID', () => {
    const r = parseQueryUser([EN_HEADER, '                                            1  Active      none   3/2/2026 8:05 AM'].join('\n'));
    expect(r.rows).toEqual([]);
    expect(r.problems).toHaveLength(1);
  });

  it('returns nothing for empty or header-only text', () => {
    expect(parseQueryUser('')).toEqual({ rows: [], problems: [] });
    expect(parseQueryUser(`\r\n${EN_HEADER}\r\n\r\n`)).toEqual({ rows: [], problems: [] });
  });
});

describe('parseIdleMinutes', () => {
  it.each([
    ['none', 0],
    ['.', 0],
    ['0', 0],
    ['12', 12],
    ['1:05', 65],
    ['23:59', 1439],
    ['2+03:04', 2 * 1440 + 184],
    ['1+0:00', 1440],
    ['*', null],
    ['', null],
    ['Kein', null],
    ['1:2:3', null],
    ['+1:00', null],
    ['-5', null],
  ])('%j → %j', (text, minutes) => {
    expect(parseIdleMinutes(text)).toBe(minutes);
  });
});

describe('parseQueryUserResult', () => {
  it('returns the sessions on exit 0', () => {
    const r = parseQueryUserResult(0, EXAMPLE, '');
    expect(r.noUsers).toBe(false);
    expect(r.sessions).toHaveLength(2);
  });

  it('treats exit 1 with empty stdout as nobody logged on, in any language', () => {
    expect(parseQueryUserResult(1, '', 'No User exists for *\r\n')).toMatchObject({ sessions: [], noUsers: true });
    expect(parseQueryUserResult(1, '\r\n', 'Kein Benutzer für * vorhanden\r\n')).toMatchObject({ sessions: [], noUsers: true });
  });

  it('throws HostError failed on other non-zero exits', () => {
    const attempt = (code: number, out: string, err: string): HostError => {
      try {
        parseQueryUserResult(code, out, err);
      } catch (e) {
        return e as HostError;
      }
      throw new Error('did not throw');
    };
    for (const [code, out, err] of [
      [5, '', 'Error 5: Access is denied.'],
      [9009, '', "'query' is not recognized as an internal or external command"],
      [1, EXAMPLE, ''],
      [-1, '', ''],
    ] as const) {
      const e = attempt(code, out, err);
      expect(e).toBeInstanceOf(HostError);
      expect(e.kind).toBe('failed');
      expect(e.message).toContain(String(code));
    }
  });
});

describe('parseQueryUser on random input', () => {
  // Regexes that backtrack quadratically would take minutes here; linear code takes milliseconds.
  it('stays fast on huge pathological lines', () => {
    for (const t of PATHOLOGICAL) parseQueryUser(t);
  }, 15_000);

  it('never throws and always returns well-formed rows', () => {
    const rand = mulberry32(0x5eed1);
    const pieces = [' ', '  ', '    ', '\t', '\r\n', '\n', '>', 'Active', 'Disc', 'Getr.', 'Déco', '...', '1', '42', '65536', '999999999999999999999',
      ':', '+', '.', '*', 'none', 'console', 'rdp-tcp#', 'é', 'ü', '名前', '\u0000', EN_HEADER, ...EXAMPLE.split('\r\n')];
    for (let i = 0; i < 2000; i++) {
      const text = randomText(rand, pieces, 1 + Math.floor(rand() * 40));
      const r = parseQueryUser(text);
      for (const row of r.rows) {
        expect(row.user.length).toBeGreaterThan(0);
        expect(row.id === null || Number.isSafeInteger(row.id)).toBe(true);
        expect(['active', 'disconnected', 'unknown']).toContain(row.state);
      }
      expect(() => parseQueryUserResult(0, text, text)).not.toThrow();
      // Exit 1 is either "nobody logged on" (empty stdout) or the documented HostError.
      try {
        expect(parseQueryUserResult(1, text, text).noUsers).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(HostError);
      }
    }
  });

  it('survives random mutations of a real output', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 1000; i++) expect(() => parseQueryUser(mutate(rand, EXAMPLE))).not.toThrow();
  });
});

describe('double-byte code pages: columns are bytes', () => {
  const wide = (ch: string): 1 | 2 => (ch.codePointAt(0)! < 0x80 ? 1 : 2);
  const cells = (t: string) => [...t].reduce((n, ch) => n + wide(ch), 0);
  const padEnd = (t: string, n: number) => t + ' '.repeat(Math.max(0, n - cells(t)));
  // As quser pads in cp936 (by bytes): the 7-character name takes 14 columns.
  const line = (m: string, user: string, session: string, id: string, state: string, idle: string, logon: string) =>
    padEnd(padEnd(padEnd(m + user, 23) + session, 44 - id.length) + id + '  ' + state, 63 - idle.length) + idle + '  ' + logon;
  const text = ['', line(' ', '用户名', '会话名', 'ID', '状态', '空闲时间', '登录时间'), line('>', '财务部张伟先生', 'console', '1', '运行中', '5', '2026/12/3 8:00'), ''].join('\r\n');

  it('with the width of each character, the session name is its own column', () => {
    const { rows, problems } = parseQueryUser(text, wide);
    expect(problems).toEqual([]);
    expect(rows).toMatchObject([{ user: '财务部张伟先生', sessionName: 'console', id: 1, state: 'unknown', stateText: '运行中', idleMinutes: 5 }]);
  });

  it('counted in characters, the name would swallow the session name', () => {
    expect(parseQueryUser(text).rows[0]?.user).not.toBe('财务部张伟先生');
  });
});
