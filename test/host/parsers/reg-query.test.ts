import { describe, expect, it } from 'vitest';
import { HostError } from '../../../src/core/errors.js';
import { parseRegQuery, regDword } from '../../../src/host/parsers/reg-query.js';
import { PATHOLOGICAL, mulberry32 } from '../../helpers/fuzz.js';

const EXAMPLE = '\r\nHKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\r\n    Level    REG_SZ    DEBUG\r\n\r\n';

describe('parseRegQuery', () => {
  // Regexes that backtrack quadratically would take minutes here; linear code takes milliseconds.
  it('stays fast on huge pathological lines', () => {
    for (const t of PATHOLOGICAL) {
      parseRegQuery(0, t, '');
      regDword(t);
    }
  }, 15_000);

  it('reads the documented example', () => {
    expect(parseRegQuery(0, EXAMPLE, '')).toEqual({
      found: true,
      key: 'HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector',
      values: [{ name: 'Level', type: 'REG_SZ', data: 'DEBUG' }],
      problems: [],
    });
  });

  it('reads LF, trailing spaces and extra blank lines alike', () => {
    const padded = '\n\n\nHKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector   \n    Level    REG_SZ    DEBUG   \n\n\n';
    expect(parseRegQuery(0, padded, '')).toEqual(parseRegQuery(0, EXAMPLE, ''));
  });

  it('keeps spaces in names and data, and reads every type', () => {
    const text = [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Example Vendor\\Sync Agent',
      '    (Default)    REG_SZ    ',
      '    Install Dir    REG_SZ    C:\\Program Files (x86)\\Example Vendor\\Sync Agent',
      '    Odd    Name    REG_SZ    a    b',
      '    UpdateLock    REG_DWORD    0x1',
      '    Big    REG_QWORD    0x123456789a',
      '    Blob    REG_BINARY    01A0FF',
      '    Path    REG_EXPAND_SZ    %ProgramFiles%\\Example',
      '    Servers    REG_MULTI_SZ    alpha\\0beta gamma\\0delta',
      '    EmptyList    REG_MULTI_SZ',
      '    Nothing    REG_NONE',
      '',
    ].join('\r\n');
    const r = parseRegQuery(0, text, '');
    expect(r.problems).toEqual([]);
    expect(r.values).toEqual([
      { name: '(Default)', type: 'REG_SZ', data: '' },
      { name: 'Install Dir', type: 'REG_SZ', data: 'C:\\Program Files (x86)\\Example Vendor\\Sync Agent' },
      { name: 'Odd    Name', type: 'REG_SZ', data: 'a    b' },
      { name: 'UpdateLock', type: 'REG_DWORD', data: '0x1' },
      { name: 'Big', type: 'REG_QWORD', data: '0x123456789a' },
      { name: 'Blob', type: 'REG_BINARY', data: '01A0FF' },
      { name: 'Path', type: 'REG_EXPAND_SZ', data: '%ProgramFiles%\\Example' },
      { name: 'Servers', type: 'REG_MULTI_SZ', data: 'alpha\\0beta gamma\\0delta' },
      { name: 'EmptyList', type: 'REG_MULTI_SZ', data: '' },
      { name: 'Nothing', type: 'REG_NONE', data: '' },
    ]);
    // REG_MULTI_SZ items are joined by a literal backslash-zero, not a NUL.
    expect(r.values[7]?.data.split('\\0')).toEqual(['alpha', 'beta gamma', 'delta']);
  });

  it('reads a key with no values, ignores subkey lines and the /f count line', () => {
    const text = '\r\nHKEY_CURRENT_USER\\Software\\Intuit\r\nHKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\r\n\r\nEnd of search: 1 match(es) found.\r\n';
    const r = parseRegQuery(0, text, '');
    expect(r).toMatchObject({ found: true, key: 'HKEY_CURRENT_USER\\Software\\Intuit', values: [] });
    expect(r.problems).toHaveLength(1);
  });

  it('reads only the first block of /s output', () => {
    const text = `${EXAMPLE}HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\Sub\r\n    Level    REG_SZ    OTHER\r\n\r\n`;
    expect(parseRegQuery(0, text, '').values).toEqual([{ name: 'Level', type: 'REG_SZ', data: 'DEBUG' }]);
  });

  it('reports value lines it cannot read', () => {
    const r = parseRegQuery(0, '\r\nHKEY_CURRENT_USER\\X\r\n    Level REG_SZ DEBUG\r\n    Ok    REG_SZ    1\r\n', '');
    expect(r.values).toEqual([{ name: 'Ok', type: 'REG_SZ', data: '1' }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^line 3: /);
  });

  it('reads a missing key or value (exit 1, empty stdout) as not found, in any language', () => {
    const absent = { found: false, key: null, values: [], problems: [] };
    expect(parseRegQuery(1, '', 'ERROR: The system was unable to find the specified registry key or value.\r\n')).toEqual(absent);
    expect(parseRegQuery(1, '\r\n', 'FEHLER: Der angegebene Registrierungsschlüssel bzw. Wert wurde nicht gefunden.\r\n')).toEqual(absent);
  });

  it('reads exit 0 with nothing recognisable as not found', () => {
    expect(parseRegQuery(0, '', '')).toEqual({ found: false, key: null, values: [], problems: [] });
  });

  it('throws HostError failed for other non-zero exits', () => {
    for (const [code, out] of [[2, ''], [1, EXAMPLE], [9009, '']] as const) {
      let err: unknown;
      try {
        parseRegQuery(code, out, 'ERROR: Invalid syntax.');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HostError);
      expect((err as HostError).kind).toBe('failed');
    }
  });

  it('never throws on random input with exit 0', () => {
    const rand = mulberry32(0x4e6);
    const pieces = ['    ', ' ', '\r\n', '\n', 'HKEY_CURRENT_USER\\', 'REG_SZ', 'REG_DWORD', 'REG_MULTI_SZ', '0x1', '\\0', 'Level', 'é', EXAMPLE];
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const n = Math.floor(rand() * 40);
      for (let k = 0; k < n; k++) text += rand() < 0.75 ? (pieces[Math.floor(rand() * pieces.length)] ?? '') : String.fromCharCode(Math.floor(rand() * 0x250));
      const r = parseRegQuery(0, text, text);
      for (const v of r.values) expect(v.type).toMatch(/^REG_[A-Z_]+$/);
      expect(() => regDword(text)).not.toThrow();
    }
  });
});

describe('regDword', () => {
  it.each([
    ['0x0', 0],
    ['0x1', 1],
    ['0x1f', 31],
    ['0X1F', 31],
    [' 0xffffffff ', 0xffffffff],
    ['0x00000002', 2],
    ['0x100000000', null],
    ['1', null],
    ['', null],
    ['0x', null],
    ['0xzz', null],
    ['-0x1', null],
  ])('%j → %j', (data, n) => {
    expect(regDword(data)).toBe(n);
  });
});
