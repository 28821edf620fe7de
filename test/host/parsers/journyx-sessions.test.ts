import { describe, expect, it } from 'vitest';
import { parseJournyxSessions } from '../../../src/host/parsers/journyx-sessions.js';

// Journyx does not publish the console's column names: these tables use plausible ones, and
// several tests rename or reorder them to show that only header words matter.
const HEADER = ['Session ID', 'Sync Type', 'Start Time', 'Last Updated', 'Status', 'Total Records Synched'];
const ROWS = [
  ['1036', 'Time', '11/13/2026 4:41 PM', '11/13/2026 4:44 PM', 'Completed', '214'],
  ['1037', 'Expense', '11/13/2026 4:45 PM', '11/13/2026 4:46 PM', 'Completed', '1,012'],
  ['1039', 'Time', '11/19/2026 4:52 PM', '11/19/2026 4:52 PM', 'In Progress', '0'],
];
const tsv = (rows: string[][], eol = '\r\n') => rows.map((r) => r.join('\t')).join(eol) + eol;

/** A table laid out in columns of spaces, as when tabs were turned into spaces. */
function aligned(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

const EXPECTED = [
  { line: 2, id: '1036', type: 'Time', status: 'Completed', inProgress: false, records: 214, when: '11/13/2026 4:41 PM', at: Date.UTC(2026, 10, 13, 16, 41) },
  { line: 3, id: '1037', type: 'Expense', status: 'Completed', inProgress: false, records: 1012, when: '11/13/2026 4:45 PM', at: Date.UTC(2026, 10, 13, 16, 45) },
  { line: 4, id: '1039', type: 'Time', status: 'In Progress', inProgress: true, records: 0, when: '11/19/2026 4:52 PM', at: Date.UTC(2026, 10, 19, 16, 52) },
];

describe('parseJournyxSessions', () => {
  it('reads a tab-separated browser copy (CRLF)', () => {
    const t = parseJournyxSessions(tsv([HEADER, ...ROWS]));
    expect(t.problems).toEqual([]);
    expect(t.format).toBe('tab');
    expect(t.columns).toMatchObject({ records: 5, status: 4, when: 2, type: 1, id: 0 });
    expect(t.dateOrder).toBe('month-first');
    expect(t.sessions).toMatchObject(EXPECTED);
  });

  it('reads LF, a byte-order mark and blank lines alike', () => {
    const crlf = parseJournyxSessions(tsv([HEADER, ...ROWS]));
    const lf = parseJournyxSessions(`\uFEFF${tsv([HEADER, ...ROWS], '\n')}\n\n`);
    expect(lf.sessions.map((s) => s.id)).toEqual(crlf.sessions.map((s) => s.id));
    expect(lf.problems).toEqual([]);
  });

  it('reads runs of 2+ spaces, keeping single spaces inside cells', () => {
    const t = parseJournyxSessions(aligned([HEADER, ...ROWS]));
    expect(t.problems).toEqual([]);
    expect(t.format).toBe('spaces');
    expect(t.sessions).toMatchObject(EXPECTED);
  });

  it('places a blank cell by position in a space-aligned table, and reports rows that do not line up', () => {
    const rows = [HEADER, ['1040', '', '11/20/2026 9:02 AM', '11/20/2026 9:03 AM', 'In Progress', '0'], ROWS[0]!];
    const text = aligned(rows).split('\n');
    text.push('1041  Time  11/20/2026 9:09 AM  Completed  3'); // not under the header's columns
    const t = parseJournyxSessions(text.join('\n'));
    expect(t.sessions[0]).toMatchObject({ id: '1040', type: '', status: 'In Progress', records: 0 });
    expect(t.sessions[1]).toMatchObject({ id: '1036', records: 214 });
    expect(t.sessions).toHaveLength(2);
    expect(t.problems).toEqual([expect.stringMatching(/^line 4: 5 cells where the header has 6, and they do not line up/)]);
  });

  it('reads a CSV export, plain and quoted (commas and quotes inside fields)', () => {
    const plain = parseJournyxSessions(`${HEADER.join(',')}\n${ROWS.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\n')}`);
    expect(plain.format).toBe('csv');
    expect(plain.problems).toEqual([]);
    expect(plain.sessions).toMatchObject(EXPECTED);

    const quoted = parseJournyxSessions(
      [
        '"Session","Type","Started","Status","Total Records Synched","Note"',
        '"2252","Time","2026-11-19 16:58:00","In Progress","37","stopped at ""Project, Phase 2"""',
        ' "2253" , "Expense" , "2026-11-19 17:01:00" , "Completed" , "0" , ""',
      ].join('\r\n'),
    );
    expect(quoted.problems).toEqual([]);
    expect(quoted.sessions).toMatchObject([
      { id: '2252', type: 'Time', status: 'In Progress', records: 37, at: Date.UTC(2026, 10, 19, 16, 58) },
      { id: '2253', type: 'Expense', status: 'Completed', records: 0 },
    ]);
    expect(quoted.dateOrder).toBeNull();
  });

  it('joins a quoted CSV field that holds a line break', () => {
    const t = parseJournyxSessions('Session,Status,Records Synched,Note\n7,In Progress,0,"first\nsecond"\n8,Completed,4,x\n');
    expect(t.problems).toEqual([]);
    expect(t.sessions.map((s) => [s.id, s.line])).toEqual([
      ['7', 2],
      ['8', 4],
    ]);
  });

  it('reads a semicolon CSV (European locales)', () => {
    const t = parseJournyxSessions('Session;Status;Total Records Synched;Date\n5;in progress;0;20.11.2026 09:02\n4;Completed;12;19.11.2026 17:40\n');
    expect(t.format).toBe('semicolon');
    expect(t.dateOrder).toBe('day-first');
    expect(t.sessions).toMatchObject([
      { id: '5', inProgress: true, records: 0, at: Date.UTC(2026, 10, 20, 9, 2) },
      { id: '4', inProgress: false, records: 12, at: Date.UTC(2026, 10, 19, 17, 40) },
    ]);
  });

  it('finds columns by header words in any order and case, ignoring extra columns', () => {
    const t = parseJournyxSessions(
      tsv([
        ['', 'STATUS', 'records synched', 'Ended', 'started', 'sync type', 'Run #', 'Comment'],
        ['', 'IN_PROGRESS', '0', '', 'Nov 19, 2026 4:52 PM', 'Time', '12', 'x'],
      ]),
    );
    expect(t.problems).toEqual([]);
    expect(t.columns).toMatchObject({ status: 1, records: 2, when: 4, type: 5, id: 6 });
    expect(t.sessions[0]).toMatchObject({ id: '12', inProgress: true, records: 0, at: Date.UTC(2026, 10, 19, 16, 52) });
  });

  it('prefers the records column that says "synched", and "Started" over "Last Updated"', () => {
    const t = parseJournyxSessions(tsv([['Last Updated', 'Records', 'Total Records Synched', 'Status', 'Started'], ['11/20/2026 9:00 AM', '50', '0', 'In Progress', '11/20/2026 8:00 AM']]));
    expect(t.columns).toMatchObject({ records: 2, when: 4 });
    expect(t.sessions[0]).toMatchObject({ records: 0, when: '11/20/2026 8:00 AM' });
  });

  it('reads the status words "in progress" tolerantly, and nothing else as in progress', () => {
    const statuses = ['In Progress', 'in-progress', 'INPROGRESS', 'In  progress', 'Completed', 'Progress', 'Not started'];
    const t = parseJournyxSessions(tsv([['Status', 'Records Synched'], ...statuses.map((s) => [s, '0'])]));
    expect(t.sessions.map((s) => s.inProgress)).toEqual([true, true, true, true, false, false, false]);
  });

  it('works without the optional columns (no type, id or time)', () => {
    const t = parseJournyxSessions(tsv([['Status', 'Total Records Synched'], ['In Progress', '0']]));
    expect(t.columns).toMatchObject({ when: null, type: null, id: null });
    expect(t.sessions).toMatchObject([{ id: null, type: null, when: null, at: null, records: 0, inProgress: true }]);
    expect(t.dateOrder).toBeNull();
  });

  it('pads rows that miss trailing cells and drops a leading checkbox cell the header lacks', () => {
    const t = parseJournyxSessions(['Session\tStatus\tRecords Synched\tStarted', '\t9\tIn Progress\t0\t11/20/2026 8:00 AM', '10\tCompleted\t4'].join('\n'));
    expect(t.problems).toEqual([]);
    expect(t.sessions).toMatchObject([
      { id: '9', status: 'In Progress', records: 0, when: '11/20/2026 8:00 AM' },
      { id: '10', status: 'Completed', records: 4, when: '', at: null },
    ]);
  });

  it('keeps a row with an unreadable record count, with records null', () => {
    const t = parseJournyxSessions(tsv([['Status', 'Records Synched'], ['In Progress', 'n/a'], ['In Progress', ''], ['Completed', '1.5']]));
    expect(t.sessions.map((s) => [s.records, s.recordsText])).toEqual([
      [null, 'n/a'],
      [null, ''],
      [null, '1.5'],
    ]);
  });

  it('reports lines that are not rows: too many cells, no status, text before the header', () => {
    const t = parseJournyxSessions(
      [
        'Sync sessions for bucket Acme Payroll.QBW',
        'Session\tStatus\tRecords Synched',
        '1\tCompleted\t3',
        '2\tCompleted\t4\tsurprise',
        'Delete session(s) and unsync record(s)',
        'Session\tStatus\tRecords Synched',
        '3\tIn Progress\t0',
      ].join('\n'),
    );
    expect(t.sessions.map((s) => s.id)).toEqual(['1', '3']);
    expect(t.problems).toEqual([
      expect.stringMatching(/^line 1: not the header row/),
      expect.stringMatching(/^line 4: 4 cells where the header has 3/),
      expect.stringMatching(/^line 5: not a session row \(no status\)/),
    ]);
  });

  it('tells month-first, day-first and ambiguous numeric dates apart from the whole table', () => {
    const table = (...dates: string[]) => parseJournyxSessions(tsv([['Status', 'Records Synched', 'Date'], ...dates.map((d) => ['Completed', '1', d])]));
    const mf = table('11/20/2026 8:00 AM', '03/04/2026 8:00 AM');
    expect(mf.dateOrder).toBe('month-first');
    expect(mf.sessions[1]!.at).toBe(Date.UTC(2026, 2, 4, 8));
    const df = table('20/11/2026 08:00', '03/04/2026 08:00');
    expect(df.dateOrder).toBe('day-first');
    expect(df.sessions[1]!.at).toBe(Date.UTC(2026, 3, 3, 8));
    const amb = table('03/04/2026 08:00', '04/03/2026 08:00');
    expect(amb.dateOrder).toBe('ambiguous');
    expect(amb.sessions[0]).toMatchObject({ at: Date.UTC(2026, 2, 4, 8), atIfDayFirst: Date.UTC(2026, 3, 3, 8) });
    const mixed = table('11/20/2026 8:00 AM', '20/11/2026 8:00 AM');
    expect(mixed.dateOrder).toBeNull();
    expect(mixed.sessions.map((s) => s.at)).toEqual([null, null]);
    expect(mixed.problems).toEqual([expect.stringMatching(/mix month-first and day-first/)]);
  });

  it('reads ISO, month-name and 12-hour times; unreadable dates are null', () => {
    const dates = ['2026-11-20T14:03:00Z', '2026-11-20 09:03:00-05:00', '20 Nov 2026 2:03 PM', 'Friday, November 20, 2026 12:03 a.m.', 'yesterday', '31/11/2026', '2026-11-20 25:00'];
    const t = parseJournyxSessions(tsv([['Status', 'Records Synched', 'Started'], ...dates.map((d) => ['Completed', '1', d])]));
    expect(t.sessions.map((s) => s.at)).toEqual([
      Date.UTC(2026, 10, 20, 14, 3),
      Date.UTC(2026, 10, 20, 14, 3),
      Date.UTC(2026, 10, 20, 14, 3),
      Date.UTC(2026, 10, 20, 0, 3),
      null,
      null,
      null,
    ]);
  });

  it('skips a repeated header row (a second page pasted below the first)', () => {
    const t = parseJournyxSessions(tsv([HEADER, ROWS[0]!, HEADER, ROWS[2]!]));
    expect(t.problems).toEqual([]);
    expect(t.sessions.map((s) => s.id)).toEqual(['1036', '1039']);
  });

  it('returns no columns, never throws, on garbage and empty input', () => {
    for (const text of ['', '   \r\n\r\n', 'hello world', '\u0000\u0001\u0002', 'a\tb\tc\n1\t2\t3', '"unterminated,quote\n', 'Status only\nIn Progress']) {
      const t = parseJournyxSessions(text);
      expect(t.columns).toBeNull();
      expect(t.sessions).toEqual([]);
      expect(t.problems[0]).toMatch(/no header row found/);
    }
  });

  it('stays fast on huge pathological input', () => {
    const header = 'Session\tStatus\tTotal Records Synched\tStarted\n';
    const inputs = [
      header + `1\tIn Progress\t0\t${'1'.repeat(200_000)}\n`,
      header + `1\tIn Progress\t${'1,'.repeat(100_000)}0\t11/20/2026\n`,
      `${'a  '.repeat(100_000)}\n`,
      `"${'"'.repeat(100_000)},Status,Records Synched\n`,
      header + 'x \t'.repeat(50_000),
      aligned([HEADER, ...ROWS]) + '\n' + ' x'.repeat(100_000),
    ];
    for (const text of inputs) parseJournyxSessions(text);
  }, 15_000);
});
