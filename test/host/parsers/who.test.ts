import { describe, expect, it } from 'vitest';
import { parseWho } from '../../../src/host/parsers/who.js';
import { PATHOLOGICAL, mulberry32 } from '../../helpers/fuzz.js';

describe('parseWho', () => {
  // Regexes that backtrack quadratically would take minutes here; linear code takes milliseconds.
  it('stays fast on huge pathological lines', () => {
    for (const t of PATHOLOGICAL) parseWho(t);
  }, 15_000);

  it('reads Linux who output with hosts and displays', () => {
    const text = [
      'alice    pts/0        2026-11-22 02:34 (10.0.0.1)',
      'alice    :0           2026-11-22 01:10 (:0)',
      'carol    tty7         2026-11-21 23:59 (:0)',
      'dave     pts/3        2026-11-22 03:00 (tmux(4321).%0)',
      '',
    ].join('\n');
    const r = parseWho(text);
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toEqual({
      user: 'alice', sessionName: 'pts/0', id: null, state: 'active', stateText: '', idleMinutes: null, logonTime: '2026-11-22 02:34', current: false,
    });
    expect(r.rows.map((x) => [x.user, x.sessionName, x.logonTime])).toEqual([
      ['alice', 'pts/0', '2026-11-22 02:34'],
      ['alice', ':0', '2026-11-22 01:10'],
      ['carol', 'tty7', '2026-11-21 23:59'],
      ['dave', 'pts/3', '2026-11-22 03:00'],
    ]);
  });

  it('reads macOS who output (month names, no host)', () => {
    const r = parseWho('bob      tty1         Nov 22 01:00\nbob      console  Nov 21 08:15 \nbob      ttys000  Nov 22 09:30\n');
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => [x.user, x.sessionName, x.logonTime, x.id, x.state, x.current])).toEqual([
      ['bob', 'tty1', 'Nov 22 01:00', null, 'active', false],
      ['bob', 'console', 'Nov 21 08:15', null, 'active', false],
      ['bob', 'ttys000', 'Nov 22 09:30', null, 'active', false],
    ]);
  });

  it('handles CRLF, trailing spaces and blank lines', () => {
    const r = parseWho('\r\n\r\nalice    pts/0        2026-11-22 02:34 (10.0.0.1)   \r\n   \r\n');
    expect(r).toEqual(parseWho('alice    pts/0        2026-11-22 02:34 (10.0.0.1)'));
    expect(r.rows).toHaveLength(1);
  });

  it('returns nothing for empty output (nobody logged on)', () => {
    expect(parseWho('')).toEqual({ rows: [], problems: [] });
  });

  it('reports lines it cannot read', () => {
    const r = parseWho('NAME     LINE         TIME             COMMENT\nloner\nalice    pts/0        2026-11-22 02:34\n');
    expect(r.rows).toHaveLength(1);
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toMatch(/^line 1: /);
    expect(r.problems[1]).toMatch(/^line 2: /);
  });

  it('never throws on random input', () => {
    const rand = mulberry32(0xc0ffee);
    const pieces = [' ', '   ', '\t', '\n', '\r\n', '(', ')', ':0', 'pts/0', 'alice', '2026-11-22', '02:34', 'Nov', '22', '名', 'é'];
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const n = Math.floor(rand() * 40);
      for (let k = 0; k < n; k++) text += rand() < 0.7 ? (pieces[Math.floor(rand() * pieces.length)] ?? '') : String.fromCharCode(Math.floor(rand() * 0x250));
      const r = parseWho(text);
      for (const row of r.rows) {
        expect(row.user).not.toMatch(/\s/);
        expect(row.logonTime).toMatch(/\d/);
      }
    }
  });
});
