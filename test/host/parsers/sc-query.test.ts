import { describe, expect, it } from 'vitest';
import { HostError } from '../../../src/core/errors.js';
import { parseScQuery } from '../../../src/host/parsers/sc-query.js';
import { PATHOLOGICAL, mulberry32 } from '../../helpers/fuzz.js';

const EXAMPLE = [
  '',
  'SERVICE_NAME: QBCFMonitorService',
  '        TYPE               : 10  WIN32_OWN_PROCESS',
  '        STATE              : 4  RUNNING',
  '                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)',
  '        WIN32_EXIT_CODE    : 0  (0x0)',
  '        SERVICE_EXIT_CODE  : 0  (0x0)',
  '        CHECKPOINT         : 0x0',
  '        WAIT_HINT          : 0x0',
  '',
].join('\r\n');

const QUERYEX_STOPPED = [
  '',
  'SERVICE_NAME       : QuickBooksDB34   ',
  '        TYPE               : 10  WIN32_OWN_PROCESS  ',
  '        STATE              : 1  STOPPED ',
  '        WIN32_EXIT_CODE    : 1077  (0x435)',
  '        SERVICE_EXIT_CODE  : 0  (0x0)',
  '        CHECKPOINT         : 0x0',
  '        WAIT_HINT          : 0x0',
  '        PID                : 0',
  '        FLAGS              :',
  '',
].join('\n');

const NOT_INSTALLED = '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n';

function thrown(fn: () => unknown): HostError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('parseScQuery', () => {
  // Regexes that backtrack quadratically would take minutes here; linear code takes milliseconds.
  it('stays fast on huge pathological lines', () => {
    for (const t of PATHOLOGICAL) {
      try {
        parseScQuery(0, t);
      } catch (e) {
        expect(e).toBeInstanceOf(HostError);
      }
    }
  }, 15_000);

  it('reads the documented example', () => {
    expect(parseScQuery(0, EXAMPLE)).toEqual({
      installed: true, name: 'QBCFMonitorService', state: 4, stateName: 'running', pid: null, win32ExitCode: 0, serviceExitCode: 0, problems: [],
    });
  });

  it('reads the padded SERVICE_NAME       : header, queryex PID and LF/trailing spaces', () => {
    expect(parseScQuery(0, QUERYEX_STOPPED)).toEqual({
      installed: true, name: 'QuickBooksDB34', state: 1, stateName: 'stopped', pid: 0, win32ExitCode: 1077, serviceExitCode: 0, problems: [],
    });
    const running = QUERYEX_STOPPED.replace('1  STOPPED', '4  RUNNING').replace('PID                : 0', 'PID                : 5120');
    expect(parseScQuery(0, running)).toMatchObject({ state: 4, stateName: 'running', pid: 5120 });
  });

  it.each([
    [1, 'stopped'],
    [2, 'start-pending'],
    [3, 'stop-pending'],
    [4, 'running'],
    [5, 'continue-pending'],
    [6, 'pause-pending'],
    [7, 'paused'],
    [8, null],
    [0, null],
  ])('uses the STATE number %i, not the word', (n, name) => {
    const r = parseScQuery(0, EXAMPLE.replace('4  RUNNING', `${n}  WHATEVER`));
    expect(r.state).toBe(n);
    expect(r.stateName).toBe(name);
  });

  it('falls back on position when labels are localised', () => {
    const text = [
      '',
      'DIENSTNAME: QBCFMonitorService',
      '        TYP                : 10  WIN32_OWN_PROCESS',
      '        STATUS             : 3  WIRD_BEENDET',
      '                                (NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)',
      '        WIN32-BEENDIGUNGSCODE: 0  (0x0)',
      '',
    ].join('\r\n');
    expect(parseScQuery(0, text)).toMatchObject({ installed: true, name: 'QBCFMonitorService', state: 3, stateName: 'stop-pending', win32ExitCode: 0 });
  });

  it('reads only the first service of an enumeration', () => {
    const second = EXAMPLE.replace('QBCFMonitorService', 'Other').replace('4  RUNNING', '1  STOPPED');
    const text = EXAMPLE.replace('SERVICE_NAME: QBCFMonitorService', 'SERVICE_NAME: QBCFMonitorService\r\nDISPLAY_NAME: QuickBooks Data Monitor: CF') + second;
    expect(parseScQuery(0, text)).toMatchObject({ name: 'QBCFMonitorService', state: 4 });
  });

  it('reports not installed for exit 1060 or FAILED 1060', () => {
    const absent = { installed: false, name: null, state: null, stateName: null, pid: null, win32ExitCode: null, serviceExitCode: null, problems: [] };
    expect(parseScQuery(1060, NOT_INSTALLED)).toEqual(absent);
    expect(parseScQuery(1060, '')).toEqual(absent);
    expect(parseScQuery(0, NOT_INSTALLED)).toEqual(absent);
    // The word FAILED is localised; the [SC] prefix and the number are not.
    expect(parseScQuery(1, '[SC] OpenService FEHLER 1060:\r\n\r\nDer angegebene Dienst ist kein installierter Dienst.\r\n')).toEqual(absent);
  });

  it('throws access-denied for exit 5 or FAILED 5', () => {
    expect(thrown(() => parseScQuery(5, '[SC] OpenService FAILED 5:\r\n\r\nAccess is denied.\r\n')).kind).toBe('access-denied');
    expect(thrown(() => parseScQuery(5, '')).kind).toBe('access-denied');
    expect(thrown(() => parseScQuery(1, '[SC] OpenSCManager FAILED 5:\r\n\r\nAccess is denied.\r\n')).kind).toBe('access-denied');
  });

  it('throws failed for other errors', () => {
    expect(thrown(() => parseScQuery(1639, '[SC] OpenService FAILED 1639:\r\n')).kind).toBe('failed');
    expect(thrown(() => parseScQuery(9009, '')).kind).toBe('failed');
    expect(thrown(() => parseScQuery(0, '[SC] QueryServiceStatus FAILED 6:\r\n\r\nThe handle is invalid.')).kind).toBe('failed');
  });

  it('returns nulls and a problem for exit 0 without a state', () => {
    expect(parseScQuery(0, '')).toEqual({ installed: true, name: null, state: null, stateName: null, pid: null, win32ExitCode: null, serviceExitCode: null, problems: ['no STATE number found'] });
  });

  it('never throws on random input except the documented HostErrors', () => {
    const rand = mulberry32(0x5c);
    const pieces = [' ', '        ', '\r\n', '\n', ':', 'SERVICE_NAME', 'STATE', 'PID', 'WIN32_EXIT_CODE', '(', ')', '4', '1060', '5', 'FAILED ', '[SC]', '0x0', 'é', EXAMPLE];
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const n = Math.floor(rand() * 30);
      for (let k = 0; k < n; k++) text += rand() < 0.75 ? (pieces[Math.floor(rand() * pieces.length)] ?? '') : String.fromCharCode(Math.floor(rand() * 0x250));
      try {
        const r = parseScQuery(0, text);
        expect(r.state === null || Number.isSafeInteger(r.state)).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(HostError); // text that reads as an [SC] FAILED line
        expect(text).toMatch(/FAILED|\[SC\]/i);
      }
    }
  });
});

describe('the service-specific exit code behind ERROR_SERVICE_SPECIFIC_ERROR (1066)', () => {
  const stopped = (win32: string, service: string, label = 'SERVICE_EXIT_CODE') =>
    ['', 'SERVICE_NAME: ExamplePosSync', '        TYPE               : 10  WIN32_OWN_PROCESS', '        STATE              : 1  STOPPED', `        WIN32_EXIT_CODE    : ${win32}`, `        ${label.padEnd(19)}: ${service}`, '        CHECKPOINT         : 0x0', ''].join('\r\n');

  it('reads SERVICE_EXIT_CODE', () => {
    expect(parseScQuery(0, stopped('1066  (0x42a)', '3  (0x3)'))).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 3 });
  });

  it('by its place after WIN32_EXIT_CODE when the label is localised', () => {
    expect(parseScQuery(0, stopped('1066  (0x42a)', '1053  (0x41d)', 'DIENST_BEENDIGUNGSCODE'))).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 1053 });
  });

  it('is reported with the service state, instead of the generic 1066', async () => {
    const { readServiceState } = await import('../../../src/host/service-state.js');
    const state = await readServiceState(async () => ({ exitCode: 0, stdout: stopped('1066  (0x42a)', '3  (0x3)'), stderr: '' }), 'win32', 'ExamplePosSync');
    expect(state.seen).toBe('sc query ExamplePosSync: STATE 1 (stopped), last exit: a service-specific error, code 3 (0x3)');
  });
});
