import { describe, expect, it } from 'vitest';
import { parseQwcLog, readQwcLogTail, decodeLogBytes, medianIntervalMinutes } from '../../../src/host/parsers/qwclog.js';

// A real-shaped Web Connector log, verbatim (TAB after "UTC").
const SECTION_7 = `Log file initialized at Monday, March 2, 2026 - 1:58 PM UTC
Timestamp format used: YYYYMMDD.HH:MM:SS UTC
QBWebConnector 2.3 has been initialized with its logging status to level = DEBUG.
Please restart QBWebConnector for any change in log level to take effect. Use file menu to clear log.
20260302.14:15:00 UTC\t: UpdateThisScheduledApp() : Performing SCHEDULED UPDATE for application = Harborline Invoices
20260302.14:15:00 UTC\t: QBWebConnector.RegistryManager.getUpdateLock() : HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock = FALSE
20260302.14:15:00 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to True
20260302.14:15:00 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : ********************* Update session locked *********************
20260302.14:15:00 UTC\t: QBWebConnector.SOAPWebService.instantiateWebService() : AppURL: https://qb.harborline.example/wc
20260302.14:15:01 UTC\t: QBWebConnector.SOAPWebService.do_authenticate() : Authenticating to application 'Harborline Invoices', username = 'hl-sync'
20260302.14:15:03 UTC\t: QBWebConnector.CompanyFileLock.getLock() : Got Lock = LOCKED:FRONTDESK-07:639080397031234567
20260302.14:15:09 UTC\t: QBWebConnector.CompanyFileLock.unsetLock() : Company file has been unlocked for ownerID = <{6F1D367C-A820-45CA-8BA2-C5BA9788BCFB}>
20260302.14:15:09 UTC\t: QBWebConnector.SOAPWebService.DisconnectFromQB() : Session ended and connection closed
20260302.14:15:10 UTC\t: QBWebConnector.SOAPWebService.do_closeConnection() : Response received from application = Done
20260302.14:15:10 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to False
20260302.14:15:10 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : ********************* Update session unlocked *********************
20260302.16:40:22 UTC\t: QBWebConnector.WebServiceManager.DoUpdateSelected() : updateWS() for application = 'Dockside Timesheets' has STARTED
20260302.16:40:22 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : ********************* Update session locked *********************
20260302.16:40:22 UTC\t: QBWebConnector.SOAPWebService.instantiateWebService() : AppURL: https://api.dockside-time.example/qbwc
20260302.16:40:25 UTC\t: QBWebConnector.SOAPWebService.ProcessRequestXML() : Sending request to QuickBooks.
20260302.16:40:25 UTC\t: QBWebConnector.SOAPWebService.ProcessRequestXML() : Sending error message back to application:
HRESULT = 0x80040400
Message: QuickBooks found an error when parsing the provided XML text stream.
20260302.16:40:26 UTC\t: QBWebConnector.SOAPWebService.do_closeConnection() : Response received from application = Stopped on QuickBooks error
20260302.16:40:26 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to False
20260302.16:40:26 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : ********************* Update session unlocked *********************
`;

const RP = 'QBWebConnector.RegistryManager';
const WS = 'QBWebConnector.SOAPWebService';
const KEY = 'HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock';

/** Formats one entry line the way QBWC does (TAB after UTC). */
function line(at: Date, method: string, message: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const ts = `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}.${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())}`;
  return `${ts} UTC\t: ${method} : ${message}`;
}

function scheduledCycle(app: string, start: Date, opts: { error?: boolean; unlock?: boolean; lockHolder?: string } = {}): string[] {
  const t = (s: number) => new Date(start.getTime() + s * 1000);
  const out = [
    line(t(0), 'UpdateThisScheduledApp()', `Performing SCHEDULED UPDATE for application = ${app}`),
    line(t(0), `${RP}.getUpdateLock()`, `${KEY} = FALSE`),
    line(t(0), `${RP}.setUpdateLock()`, `${KEY} has been set to True`),
    line(t(0), `${RP}.setUpdateLock()`, '********************* Update session locked *********************'),
    line(t(1), `${WS}.instantiateWebService()`, `AppURL: https://example.invalid/${encodeURIComponent(app)}`),
    line(t(2), 'QBWebConnector.CompanyFileLock.getLock()', `Got Lock = LOCKED:${opts.lockHolder ?? 'FRONTDESK-07'}:639080397031234567`),
  ];
  if (opts.error) {
    out.push(line(t(3), `${WS}.ProcessRequestXML()`, 'Sending error message back to application:'), 'HRESULT = 0x80040414', 'Message: A modal dialog box is showing in the QuickBooks user interface.');
  }
  if (opts.unlock !== false) {
    out.push(
      line(t(4), `${WS}.do_closeConnection()`, 'Response received from application = Done'),
      line(t(4), `${RP}.setUpdateLock()`, `${KEY} has been set to False`),
      line(t(4), `${RP}.setUpdateLock()`, '********************* Update session unlocked *********************'),
    );
  }
  return out;
}

const D = (iso: string) => new Date(iso);

describe('parseQwcLog: a real-shaped log', () => {
  const a = parseQwcLog(SECTION_7);

  it('reads the header', () => {
    expect(a.header).toEqual({
      initializedAt: 'Monday, March 2, 2026 - 1:58 PM UTC',
      initializedAtDate: D('2026-03-02T13:58:00Z'),
      version: '2.3',
      level: 'DEBUG',
    });
    expect(a.headerBlocks).toBe(1);
    expect(a.restarted).toBe(false);
    expect(a.problems).toEqual([]);
    expect(a.entries).toBe(20);
    expect(a.lastEntryAt).toEqual(D('2026-03-02T16:40:26Z'));
  });

  it('finds two cycles: scheduled completed, manual completed with errors', () => {
    expect(a.cycles).toHaveLength(2);
    const [c1, c2] = a.cycles;
    expect(c1).toMatchObject({
      kind: 'scheduled',
      app: 'Harborline Invoices',
      appUrl: 'https://qb.harborline.example/wc',
      startedAt: D('2026-03-02T14:15:00Z'),
      endedAt: D('2026-03-02T14:15:10Z'),
      verdict: 'completed',
      errors: [],
      lockHolder: 'FRONTDESK-07',
      staleLockSuspected: false,
      response: 'Done',
    });
    expect(c2).toMatchObject({
      kind: 'manual',
      app: 'Dockside Timesheets',
      appUrl: 'https://api.dockside-time.example/qbwc',
      startedAt: D('2026-03-02T16:40:22Z'),
      endedAt: D('2026-03-02T16:40:26Z'),
      verdict: 'completed-with-errors',
      lockHolder: null,
      staleLockSuspected: false,
      response: 'Stopped on QuickBooks error',
    });
    expect(c2!.errors).toEqual([
      {
        at: D('2026-03-02T16:40:25Z'),
        code: '0x80040400',
        message: 'QuickBooks found an error when parsing the provided XML text stream.',
        kind: 'hresult',
      },
    ]);
  });

  it('summarises per app', () => {
    expect(Object.keys(a.apps).sort()).toEqual(['Dockside Timesheets', 'Harborline Invoices']);
    expect(a.apps['Harborline Invoices']).toMatchObject({
      cycles: 1,
      lastStart: D('2026-03-02T14:15:00Z'),
      lastCompleted: D('2026-03-02T14:15:10Z'),
      lastError: null,
      lastCycleKind: 'scheduled',
      lastVerdict: 'completed',
      scheduledStarts: [D('2026-03-02T14:15:00Z')],
      medianIntervalMinutes: null,
    });
    expect(a.apps['Dockside Timesheets']).toMatchObject({
      lastStart: D('2026-03-02T16:40:22Z'),
      lastCompleted: null,
      lastEnded: D('2026-03-02T16:40:26Z'),
      lastCycleKind: 'manual',
      scheduledStarts: [],
    });
    expect(a.apps['Dockside Timesheets']!.lastError?.code).toBe('0x80040400');
  });

  it('would call cycle 2 interrupted, or possibly running, had it stopped after Message:', () => {
    const cut = SECTION_7.slice(0, SECTION_7.indexOf('20260302.16:40:26'));
    const late = parseQwcLog(cut, { now: D('2026-03-02T18:00:00Z') });
    expect(late.cycles.map((c) => c.verdict)).toEqual(['completed', 'interrupted']);
    expect(late.cycles[1]!.endedAt).toBeNull();
    expect(late.cycles[1]!.lastSeenAt).toEqual(D('2026-03-02T16:40:25Z'));
    const soon = parseQwcLog(cut, { now: D('2026-03-02T16:50:00Z') });
    expect(soon.cycles[1]!.verdict).toBe('possibly-running');
    expect(parseQwcLog(cut, { now: D('2026-03-02T16:50:00Z'), graceMinutes: 5 }).cycles[1]!.verdict).toBe('interrupted');
    expect(parseQwcLog(cut).cycles[1]!.verdict).toBe('interrupted'); // no clock given
  });
});

describe('parseQwcLog: line format', () => {
  const base = parseQwcLog(SECTION_7);
  const shape = (x: ReturnType<typeof parseQwcLog>) => ({ cycles: x.cycles, apps: x.apps, entries: x.entries, header: x.header });

  it('accepts spaces instead of the TAB (pasted copies)', () => {
    const spaced = parseQwcLog(SECTION_7.replace(/UTC\t:/g, 'UTC    :'));
    expect(shape(spaced)).toEqual(shape(base));
    expect(shape(parseQwcLog(SECTION_7.replace(/UTC\t: /g, 'UTC:')))).toEqual(shape(base));
  });

  it('accepts CRLF line ends', () => {
    const crlf = parseQwcLog(SECTION_7.replace(/\n/g, '\r\n'));
    expect(shape(crlf)).toEqual(shape(base));
    expect(crlf.problems).toEqual([]);
    expect(crlf.cycles[1]!.errors[0]!.message).toBe('QuickBooks found an error when parsing the provided XML text stream.');
  });

  it('strips a UTF-8 BOM', () => {
    const bom = parseQwcLog(`\uFEFF${SECTION_7.replace(/\n/g, '\r\n')}`);
    expect(shape(bom)).toEqual(shape(base));
    expect(bom.problems).toEqual([]);
  });

  it('folds multi-line entries, with blank lines inside', () => {
    const t0 = D('2026-03-02T10:00:00Z');
    const text = [
      ...scheduledCycle('App', t0, { unlock: false }),
      line(D('2026-03-02T10:00:05Z'), `${WS}.do_receiveResponseXML()`, 'response ='),
      'XML dump follows: -',
      '',
      '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>......',
      '',
      line(D('2026-03-02T10:00:06Z'), `${RP}.setUpdateLock()`, `${KEY} has been set to False`),
    ].join('\n');
    const a = parseQwcLog(text);
    expect(a.entries).toBe(8);
    expect(a.problems).toEqual([]);
    expect(a.cycles[0]!.verdict).toBe('completed');
  });

  it('accepts a lone method line with an empty message', () => {
    const text = `${SECTION_7}20260302.16:41:00 UTC\t: update()\n20260302.16:41:01 UTC\t: update() : \n`;
    const a = parseQwcLog(text);
    expect(a.entries).toBe(22);
    expect(a.problems).toEqual([]);
  });

  it('reads the company file, authRet[1] and AppName continuation lines', () => {
    const t = D('2026-03-02T10:00:00Z');
    const text = [
      line(t, `${RP}.setUpdateLock()`, `${KEY} has been set to True`),
      line(t, `${WS}.instantiateWebService()`, 'Initiated connection to the following application.'),
      'AppName: Harborline Invoices',
      'AppUniqueName (if available): Harborline Invoices',
      'AppURL: https://qb.harborline.example/wc',
      line(t, `${WS}.do_authenticate()`, 'Received from authenticate() following parameter:<authRet[0]="abc"><authRet[1]="none">'),
      line(t, `${WS}.do_sendRequestXML()`, 'HCPResponseXML='),
      '<QBXML> cfn="Harborline.QBW" qbNationality="US"',
      line(t, `${RP}.setUpdateLock()`, `${KEY} has been set to False`),
    ].join('\r\n');
    const c = parseQwcLog(text).cycles[0]!;
    expect(c).toMatchObject({
      kind: 'unknown',
      app: 'Harborline Invoices',
      appUrl: 'https://qb.harborline.example/wc',
      authRet1: 'none',
      companyFile: 'Harborline.QBW',
      verdict: 'completed',
    });
  });

  it('starts a cycle at set to True when no start line is present', () => {
    const text = SECTION_7.split('\n').filter((l) => !l.includes('SCHEDULED UPDATE')).join('\n');
    const a = parseQwcLog(text);
    expect(a.cycles.map((c) => [c.kind, c.verdict])).toEqual([
      ['unknown', 'completed'],
      ['manual', 'completed-with-errors'],
    ]);
    expect(a.cycles[0]!.app).toBeNull();
    expect(a.cycles[0]!.startedAt).toEqual(D('2026-03-02T14:15:00Z'));
    expect(Object.keys(a.apps)).toEqual(['Dockside Timesheets']);
  });
});

describe('parseQwcLog: failures', () => {
  it('reads a QBWC1012 authentication failure that ends with set to False and no banner', () => {
    const t = D('2026-03-03T08:00:00Z');
    const text = [
      line(t, 'UpdateThisScheduledApp()', 'Performing SCHEDULED UPDATE for application = Harborline Invoices'),
      line(t, `${RP}.getUpdateLock()`, `${KEY} = FALSE`),
      line(t, `${RP}.setUpdateLock()`, `${KEY} has been set to True`),
      line(t, `${RP}.setUpdateLock()`, '********************* Update session locked *********************'),
      line(t, `${WS}.do_authenticate()`, "Authenticating to application 'Harborline Invoices', username = 'hl-sync'"),
      line(D('2026-03-03T08:00:30Z'), `${WS}.do_authenticate()`, 'QBWC1012: Authentication failed due to following error message.'),
      'The request was aborted: The connection was closed unexpectedly.',
      'More info:',
      'StackTrace =    в System.Web.Services.Protocols.WebClientProtocol.GetWebResponse(WebRequest request)',
      'Source = System.Web.Services',
      line(D('2026-03-03T08:00:30Z'), `${RP}.setUpdateLock()`, `${KEY} has been set to False`),
    ].join('\r\n');
    const a = parseQwcLog(text);
    expect(a.cycles).toHaveLength(1);
    const c = a.cycles[0]!;
    expect(c.verdict).toBe('completed-with-errors');
    expect(c.endedAt).toEqual(D('2026-03-03T08:00:30Z'));
    expect(c.errors).toEqual([
      {
        at: D('2026-03-03T08:00:30Z'),
        code: 'QBWC1012',
        message: 'QBWC1012: Authentication failed due to following error message.',
        detail: 'The request was aborted: The connection was closed unexpectedly.',
        kind: 'qbwc',
      },
    ]);
    expect(a.apps['Harborline Invoices']!.lastError?.code).toBe('QBWC1012');
    expect(a.apps['Harborline Invoices']!.lastCompleted).toBeNull();
  });

  it('reads QBWC1013 with its appended HRESULT and web-service errors', () => {
    const t = D('2026-03-03T08:00:00Z');
    const text = [
      line(t, `${WS}.DoUpdateSelected()`, "updateWS() for application = 'Dockside' has STARTED"),
      line(t, `${RP}.setUpdateLock()`, `${KEY} has been set to True`),
      line(t, `${WS}.OpenConnection()`, 'QBWC1013: Error connecting to QuickBooks. Returning error message to application.'),
      'hresult = 0x8004041d',
      'Message: This application is not allowed to log into this QuickBooks company data file automatically.',
      line(t, `${WS}.do_getLastError()`, 'Actual error received from web service for getLastError call: <Unable to connect to the remote server>'),
      line(t, `${RP}.setUpdateLock()`, `${KEY} has been set to False`),
    ].join('\n');
    const errors = parseQwcLog(text).cycles[0]!.errors;
    expect(errors.map((e) => [e.kind, e.code])).toEqual([
      ['qbwc', 'QBWC1013'],
      ['web-service', null],
    ]);
    // "hresult" in lower case is not the HRESULT block; upper-case HRESULT is required, hex case varies.
    const upper = parseQwcLog(text.replace('hresult = 0x8004041d', 'HRESULT = 0x8004041d')).cycles[0]!.errors;
    expect(upper.map((e) => [e.kind, e.code])).toEqual([
      ['qbwc', 'QBWC1013'],
      ['hresult', '0x8004041D'],
      ['web-service', null],
    ]);
    expect(upper[1]!.message).toMatch(/^This application is not allowed/);
    expect(upper[2]!.message).toBe('Actual error received from web service for getLastError call: <Unable to connect to the remote server>');
  });

  it('marks a start with no unlock before the next start as interrupted', () => {
    const lines = [
      ...scheduledCycle('A', D('2026-03-04T09:00:00Z'), { unlock: false }),
      ...scheduledCycle('A', D('2026-03-04T09:30:00Z')),
    ];
    const a = parseQwcLog(lines.join('\n'), { now: D('2026-03-04T09:31:00Z') });
    expect(a.cycles.map((c) => c.verdict)).toEqual(['interrupted', 'completed']);
    expect(a.cycles[0]!.endedAt).toBeNull();
    expect(a.apps['A']).toMatchObject({ cycles: 2, lastVerdict: 'completed', medianIntervalMinutes: 30 });
  });

  it('marks an open cycle at end of file interrupted, or possibly running within the grace period', () => {
    const text = scheduledCycle('A', D('2026-03-04T09:00:00Z'), { unlock: false }).join('\n');
    expect(parseQwcLog(text, { now: D('2026-03-04T09:40:00Z') }).cycles[0]!.verdict).toBe('interrupted');
    expect(parseQwcLog(text, { now: D('2026-03-04T09:20:00Z') }).cycles[0]!.verdict).toBe('possibly-running');
    expect(parseQwcLog(text, { now: D('2026-03-04T09:20:00Z'), graceMinutes: 10 }).cycles[0]!.verdict).toBe('interrupted');
    expect(parseQwcLog(text, { now: D('2026-03-04T10:20:00Z'), graceMinutes: 120 }).cycles[0]!.verdict).toBe('possibly-running');
    expect(parseQwcLog(text, { now: new Date(Number.NaN) }).cycles[0]!.verdict).toBe('interrupted');
  });

  it('marks an open cycle interrupted when a new header block follows, and notes the restart', () => {
    const text = [...scheduledCycle('A', D('2026-03-04T09:00:00Z'), { unlock: false }), SECTION_7].join('\n');
    const a = parseQwcLog(text, { now: D('2026-03-02T16:41:00Z') });
    expect(a.restarted).toBe(true);
    expect(a.headerBlocks).toBe(1);
    expect(a.cycles.map((c) => c.verdict)).toEqual(['interrupted', 'completed', 'completed-with-errors']);
    const twice = parseQwcLog(`${SECTION_7}${SECTION_7}`);
    expect(twice.headerBlocks).toBe(2);
    expect(twice.restarted).toBe(true);
    expect(twice.cycles).toHaveLength(4);
  });

  it('suspects a stale lock when a cycle begins with UpdateLock = True', () => {
    const lines = scheduledCycle('A', D('2026-03-04T09:00:00Z'));
    lines[1] = line(D('2026-03-04T09:00:00Z'), `${RP}.getUpdateLock()`, `${KEY} = True`);
    const a = parseQwcLog(lines.join('\n'));
    expect(a.cycles[0]!.staleLockSuspected).toBe(true);
    const clean = parseQwcLog(scheduledCycle('A', D('2026-03-04T09:00:00Z')).join('\n'));
    expect(clean.cycles[0]!.staleLockSuspected).toBe(false);
  });

  it('reports the computer holding the company-file lock', () => {
    const a = parseQwcLog(scheduledCycle('A', D('2026-03-04T09:00:00Z'), { lockHolder: 'BACKOFFICE-02' }).join('\n'));
    expect(a.cycles[0]!.lockHolder).toBe('BACKOFFICE-02');
    expect(a.cycles[0]!.lockHolder).not.toBe('FRONTDESK-07');
  });

  it('keeps errors outside cycles apart', () => {
    const text = `${SECTION_7}${line(D('2026-03-02T17:00:00Z'), 'QBWebConnector.WebConnectorForm.OnClosing()', 'QBWC1020: There are scheduled jobs.')}\n`;
    const a = parseQwcLog(text);
    expect(a.errorsOutsideCycles.map((e) => e.code)).toEqual(['QBWC1020']);
    expect(a.cycles[0]!.verdict).toBe('completed');
  });
});

describe('parseQwcLog: size', () => {
  it('parses a generated log of 5,000 cycles', () => {
    const start = Date.UTC(2026, 0, 1);
    const lines: string[] = [...SECTION_7.split('\n').slice(0, 4)];
    for (let i = 0; i < 5000; i++) {
      const app = i % 2 === 0 ? 'Even App' : 'Odd App';
      const at = new Date(start + i * 15 * 60_000);
      lines.push(...scheduledCycle(app, at, { error: i % 10 === 0, unlock: i % 100 !== 99 }));
    }
    const t0 = performance.now();
    const a = parseQwcLog(lines.join('\r\n'), { now: new Date(start + 6000 * 15 * 60_000) });
    const elapsed = performance.now() - t0;
    expect(a.cycles).toHaveLength(5000);
    expect(a.cycles.filter((c) => c.verdict === 'interrupted')).toHaveLength(50);
    expect(a.cycles.filter((c) => c.verdict === 'completed-with-errors')).toHaveLength(500);
    expect(a.cycles.filter((c) => c.verdict === 'completed')).toHaveLength(4450);
    expect(a.apps['Even App']!.cycles).toBe(2500);
    expect(a.apps['Odd App']!.medianIntervalMinutes).toBe(30);
    expect(a.problems).toEqual([]);
    expect(elapsed).toBeGreaterThan(0); // timing is not asserted; see the linear design
  });
});

describe('parseQwcLog: damaged input never throws', () => {
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s;
    };
  }

  it('handles the empty string and non-strings', () => {
    const a = parseQwcLog('');
    expect(a).toMatchObject({ header: null, entries: 0, cycles: [], problems: [], lastEntryAt: null, restarted: false });
    expect(parseQwcLog(undefined as unknown as string).entries).toBe(0);
  });

  it('handles a log cut at every position', () => {
    for (let i = 0; i < SECTION_7.length; i += 7) {
      const a = parseQwcLog(SECTION_7.slice(0, i));
      expect(a.cycles.length).toBeLessThanOrEqual(2);
    }
    const mid = parseQwcLog(SECTION_7.slice(0, SECTION_7.indexOf('UpdateLock has been set to False') + 10));
    expect(mid.cycles[0]!.verdict).toBe('interrupted');
  });

  it('handles a log that starts mid-line', () => {
    const a = parseQwcLog(SECTION_7.slice(300));
    expect(a.cycles).toHaveLength(2);
    expect(a.problems.length).toBeGreaterThan(0);
    expect(parseQwcLog(SECTION_7.slice(300), { truncated: true }).problems).toEqual([]);
  });

  it('handles random bytes', () => {
    const next = rng(42);
    for (let round = 0; round < 20; round++) {
      const bytes = new Uint8Array(20_000).map(() => next() & 0xff);
      const text = new TextDecoder('utf-8').decode(bytes);
      const a = parseQwcLog(text + SECTION_7 + text);
      expect(a.cycles.length).toBeGreaterThanOrEqual(1);
      expect(a.problems.length).toBeLessThanOrEqual(101);
    }
  });

  it('handles NUL bytes (a crash leaves zeros in the file)', () => {
    const nul = '\0'.repeat(4096);
    const text = SECTION_7.replace('20260302.16:40:22', `${nul}\n${nul}20260302.16:40:22`);
    const a = parseQwcLog(text);
    expect(a.cycles.map((c) => c.verdict)).toEqual(['completed', 'completed-with-errors']);
    expect(a.problems.some((p) => p.includes('NUL'))).toBe(true);
  });

  it('handles impossible timestamps and damaged entries', () => {
    const text = [
      '20261345.99:99:99 UTC\t: Foo() : bar',
      '20260231.10:00:00 UTC\t: Foo() : 31 February',
      '20260302.10:00:00 UTC garbage without a method',
      '20260302.10:00:01',
      'QBWC1099 \uD800 \u2028 lone surrogate and a line separator',
    ].join('\n');
    const a = parseQwcLog(text);
    expect(a.entries).toBe(2);
    expect(a.problems.length).toBeGreaterThanOrEqual(4);
    expect(a.errorsOutsideCycles.map((e) => e.code)).toEqual(['QBWC1099']);
  });

  it('stays linear on a 20 MB single line and on pathological lines', () => {
    const huge = `20260302.10:00:00 UTC\t: ${'a'.repeat(20 * 1024 * 1024)}`;
    expect(parseQwcLog(huge).entries).toBe(1);
    const parens = `20260302.10:00:00 UTC\t: ${'()'.repeat(1_000_000)} x`;
    expect(parseQwcLog(parens).entries).toBe(1);
    const spaces = `20260302.10:00:00 UTC\t: X() : updateWS() for application = ${' '.repeat(100_000)}x`;
    expect(parseQwcLog(spaces).entries).toBe(1);
  });

  it('handles lone CR line ends and lines that are only a BOM', () => {
    const a = parseQwcLog(SECTION_7.replace(/\n/g, '\r'));
    expect(a.cycles).toHaveLength(2);
    expect(parseQwcLog('\uFEFF\n\uFEFF\n').problems).toEqual([]);
  });
});

describe('medianIntervalMinutes', () => {
  it('takes the median of positive gaps', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 0, 1) + m * 60_000);
    expect(medianIntervalMinutes([])).toBeNull();
    expect(medianIntervalMinutes([at(0)])).toBeNull();
    expect(medianIntervalMinutes([at(0), at(15), at(30), at(90)])).toBe(15);
    expect(medianIntervalMinutes([at(0), at(10), at(30)])).toBe(15);
    expect(medianIntervalMinutes([at(30), at(0), at(10)])).toBe(10);
  });
});

describe('readQwcLogTail', () => {
  function source(bytes: Uint8Array) {
    const calls: { offset: number; length: number }[] = [];
    const readAt = async (offset: number, length: number) => {
      calls.push({ offset, length });
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    };
    return { calls, readAt, requested: () => calls.reduce((n, c) => n + c.length, 0) };
  }

  it('reads only the last maxBytes of a 50 MB log and drops the partial first line', async () => {
    const cycle = scheduledCycle('Harborline Invoices', D('2026-03-02T14:15:00Z')).join('\r\n') + '\r\n';
    const unit = new TextEncoder().encode(cycle);
    const size = 50 * 1024 * 1024;
    const big = new Uint8Array(size);
    // Whole cycles aligned to the end of the file; the few bytes left at the start stay NUL.
    for (let off = size - unit.length; off >= 0; off -= unit.length) big.set(unit, off);
    const src = source(big);
    const maxBytes = 1024 * 1024;
    const { text, truncated } = await readQwcLogTail(size, src.readAt, { maxBytes });
    expect(truncated).toBe(true);
    expect(src.requested()).toBeLessThanOrEqual(maxBytes);
    expect(Math.min(...src.calls.map((c) => c.offset))).toBeGreaterThanOrEqual(size - maxBytes);
    expect(text.length).toBeLessThanOrEqual(maxBytes);
    expect(text.startsWith('2026')).toBe(true);
    const a = parseQwcLog(text, { truncated: true });
    expect(a.cycles.length).toBeGreaterThan(500);
    expect(a.problems).toEqual([]);
  });

  it('defaults to 4 MiB', async () => {
    const size = 50 * 1024 * 1024;
    const big = new Uint8Array(size).fill(0x41);
    const src = source(big);
    const r = await readQwcLogTail(size, src.readAt, {});
    expect(src.requested()).toBe(4 * 1024 * 1024);
    expect(r).toEqual({ text: '', truncated: true }); // one partial line only: nothing complete to keep
  });

  it('reads a small file whole and strips the BOM at offset 0', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SECTION_7)]);
    const src = source(bytes);
    const r = await readQwcLogTail(bytes.length, src.readAt, { maxBytes: 1 << 20 });
    expect(r.truncated).toBe(false);
    expect(r.text).toBe(SECTION_7);
  });

  it('keeps a BOM-like sequence that is not at offset 0', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('x\n'), 0xef, 0xbb, 0xbf, 0x41]);
    const src = source(bytes);
    const r = await readQwcLogTail(bytes.length, src.readAt, { maxBytes: bytes.length - 1 });
    expect(r.truncated).toBe(true);
    expect(r.text).toBe('\uFEFFA');
  });

  it('falls back to windows-1252 when the bytes are not UTF-8', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('Caf'), 0xe9, 0x20, 0x80, 0x20, 0x93, 0x71, 0x94]);
    const r = await readQwcLogTail(bytes.length, source(bytes).readAt, {});
    expect(r.text).toBe('Café € \u201Cq\u201D');
  });

  it('decodes UTF-8 and tolerates a character cut at the very end', () => {
    expect(decodeLogBytes(new TextEncoder().encode('в System'))).toBe('в System');
    const cut = new TextEncoder().encode('ok в');
    expect(decodeLogBytes(cut.subarray(0, cut.length - 1))).toBe('ok ');
  });

  it('copes with short reads, a file that shrank and odd sizes', async () => {
    const bytes = new TextEncoder().encode(SECTION_7);
    const short = async (offset: number, length: number) => bytes.subarray(offset, offset + Math.min(length, 100));
    expect((await readQwcLogTail(bytes.length, short, {})).text).toBe(SECTION_7);
    const shrank = async (offset: number, length: number) => bytes.subarray(offset, Math.min(offset + length, 50));
    expect((await readQwcLogTail(bytes.length, shrank, {})).text).toBe(SECTION_7.slice(0, 50));
    expect(await readQwcLogTail(0, short, {})).toEqual({ text: '', truncated: false });
    expect(await readQwcLogTail(Number.NaN, short, {})).toEqual({ text: '', truncated: false });
  });
});
