import { describe, expect, it } from 'vitest';
import { parseCsvLine, parseTasklistCsv } from '../../../src/host/parsers/tasklist.js';
import { N, PATHOLOGICAL, mulberry32 } from '../../helpers/fuzz.js';

const HEADER = '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"';
const QB = '"QBW32.EXE","7316","Console","1","412,880 K","Running","FRONTDESK-07\\kmorales","0:04:12","Harborline Supply - QuickBooks Desktop Pro 2024"';

describe('parseTasklistCsv', () => {
  // Regexes that backtrack quadratically would take minutes here; linear code takes milliseconds.
  it('stays fast on huge pathological lines', () => {
    for (const t of PATHOLOGICAL) parseTasklistCsv(t);
  }, 15_000);

  it('reads the documented example', () => {
    const r = parseTasklistCsv(`${HEADER}\r\n${QB}\r\n`);
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      {
        image: 'QBW32.EXE',
        pid: 7316,
        sessionName: 'Console',
        sessionId: 1,
        memKb: 412880,
        status: 'Running',
        notResponding: false,
        user: 'FRONTDESK-07\\kmorales',
        cpuTime: '0:04:12',
        windowTitle: 'Harborline Supply - QuickBooks Desktop Pro 2024',
      },
    ]);
  });

  it('reads CRLF and LF alike, with blank lines and trailing spaces', () => {
    const crlf = parseTasklistCsv(`\r\n${HEADER}\r\n${QB}\r\n\r\n`);
    expect(parseTasklistCsv(`${HEADER}\n${QB}`)).toEqual(crlf);
    expect(parseTasklistCsv(`\n\n${HEADER}   \n${QB}  \n\n`)).toEqual(crlf);
  });

  it('reads output without a header (/nh)', () => {
    const r = parseTasklistCsv(`${QB}\r\n"System Idle Process","0","Services","0","8 K","Unknown","NT AUTHORITY\\SYSTEM","71:02:33","N/A"\r\n`);
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => x.pid)).toEqual([7316, 0]);
    expect(r.rows[1]).toMatchObject({ status: 'Unknown', notResponding: null, windowTitle: null, cpuTime: '71:02:33', memKb: 8 });
  });

  it('tells the header by position, not by its (localised) words', () => {
    const de = '"Abbildname","PID","Sitzungsname","Sitz.-Nr.","Speichernutzung","Status","Benutzername","CPU-Zeit","Fenstertitel"';
    const r = parseTasklistCsv(`${de}\r\n"QBW32.EXE","7316","Console","1","412.880 K","Wird ausgeführt","FRONTDESK-07\\kmorales","0:04:12","Firma GmbH"\r\n`);
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({ pid: 7316, memKb: 412880, status: 'Wird ausgeführt', notResponding: null, windowTitle: 'Firma GmbH' });
  });

  it('reads N/A users and titles as null (unknown, not none)', () => {
    const r = parseTasklistCsv('"agent.exe","4242","RDP-Tcp#3","2","10,004 K","Unknown","N/A","0:00:01","N/A"');
    expect(r.rows[0]).toMatchObject({ user: null, windowTitle: null, sessionName: 'RDP-Tcp#3', sessionId: 2 });
  });

  it('reads Not Responding', () => {
    const r = parseTasklistCsv(QB.replace('"Running"', '"Not Responding"'));
    expect(r.rows[0]?.notResponding).toBe(true);
  });

  it('keeps commas, doubled quotes and non-ASCII in window titles', () => {
    const lines = [
      '"QBW32.EXE","7316","Console","1","412,880 K","Running","FRONTDESK-07\\Front Desk","0:04:12","Smith, Jones & Co. - QuickBooks"',
      '"notepad.exe","100","Console","1","9,120 K","Running","PC\\kmorales","0:00:00","""quoted"" name, with comma.txt - Notepad"',
      '"winword.exe","101","Console","1","99,999 K","Running","PC\\kmorales","0:00:00","Müller & Söhne – Übersicht.docx"',
      '"chrome.exe","102","Console","1","1 234 K","Running","PC\\José Núñez","0:00:00","Café ""Zürich"""',
    ];
    const r = parseTasklistCsv(lines.join('\r\n'));
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => [x.user, x.windowTitle, x.memKb])).toEqual([
      ['FRONTDESK-07\\Front Desk', 'Smith, Jones & Co. - QuickBooks', 412880],
      ['PC\\kmorales', '"quoted" name, with comma.txt - Notepad', 9120],
      ['PC\\kmorales', 'Müller & Söhne – Übersicht.docx', 99999],
      ['PC\\José Núñez', 'Café "Zürich"', 1234],
    ]);
  });

  it('keeps quotes that tasklist did not double', () => {
    const r = parseTasklistCsv('"notepad.exe","100","Console","1","9,120 K","Running","PC\\k","0:00:00","He said "hi", twice"');
    expect(r.rows[0]?.windowTitle).toBe('He said "hi", twice');
    const r2 = parseTasklistCsv('"notepad.exe","100","Console","1","9,120 K","Running","PC\\k","0:00:00","He said "hi""');
    expect(r2.rows[0]?.windowTitle).toBe('He said "hi"');
  });

  it('reads an empty session name (disconnected session) and an empty title', () => {
    const r = parseTasklistCsv('"agent.exe","4242","","3","1,000 K","Running","PC\\bob","0:00:01",""');
    expect(r.rows[0]).toMatchObject({ sessionName: '', sessionId: 3, windowTitle: '' });
  });

  it('reads rows without /v (five columns)', () => {
    const r = parseTasklistCsv('"Image Name","PID","Session Name","Session#","Mem Usage"\r\n"QBW32.EXE","7316","Console","1","412,880 K"\r\n');
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { image: 'QBW32.EXE', pid: 7316, sessionName: 'Console', sessionId: 1, memKb: 412880, status: '', notResponding: null, user: null, cpuTime: '', windowTitle: null },
    ]);
  });

  it('treats the INFO: line as zero rows, not a problem', () => {
    expect(parseTasklistCsv('INFO: No tasks are running which match the specified criteria.\r\n')).toEqual({ rows: [], problems: [] });
    expect(parseTasklistCsv('\r\nINFORMATION : aucune tâche en service ne correspond aux critères spécifiés.\r\n')).toEqual({ rows: [], problems: [] });
    expect(parseTasklistCsv('')).toEqual({ rows: [], problems: [] });
  });

  it('reports unreadable rows and keeps the rest', () => {
    const r = parseTasklistCsv([HEADER, '"short","1"', '"bad.exe","x12","Console","1","1 K"', 'garbage', QB].join('\n'));
    expect(r.rows.map((x) => x.pid)).toEqual([7316]);
    expect(r.problems).toHaveLength(3);
    expect(r.problems.join('\n')).toMatch(/line 2: .*5 columns/);
    expect(r.problems.join('\n')).toMatch(/line 3: PID/);
    expect(r.problems.join('\n')).toMatch(/line 4: not a CSV row/);
  });

  it('gives null memory when it has no digits', () => {
    expect(parseTasklistCsv('"a.exe","1","Console","1","N/A"').rows[0]?.memKb).toBeNull();
  });

  it('never throws on random input', () => {
    const rand = mulberry32(0x7a5c);
    const pieces = ['"', '""', ',', '","', '\r\n', '\n', ' ', 'N/A', 'INFO:', '7316', '412,880 K', 'Running', 'Not Responding', 'é', '名', HEADER, QB];
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const n = Math.floor(rand() * 40);
      for (let k = 0; k < n; k++) text += rand() < 0.75 ? (pieces[Math.floor(rand() * pieces.length)] ?? '') : String.fromCharCode(Math.floor(rand() * 0x250));
      const r = parseTasklistCsv(text);
      for (const row of r.rows) {
        expect(Number.isSafeInteger(row.pid)).toBe(true);
        expect(row.memKb === null || Number.isSafeInteger(row.memKb)).toBe(true);
      }
    }
  });
});

describe('parseCsvLine', () => {
  it.each([
    ['"a","b","c"', ['a', 'b', 'c']],
    ['"a,b","c"', ['a,b', 'c']],
    ['"a""b",""', ['a"b', '']],
    ['a,b,,c', ['a', 'b', '', 'c']],
    ['"a",', ['a', '']],
    ['', ['']],
    ['"unterminated', ['unterminated']],
    ['"a"b","c"', ['a"b', 'c']],
  ])('%j', (line, fields) => {
    expect(parseCsvLine(line)).toEqual(fields);
  });
});
