import { describe, expect, it } from 'vitest';
import { HostError } from '../../../src/core/errors.js';
import { parsePowercfgAvailable, parsePowercfgRequests } from '../../../src/host/parsers/powercfg.js';
import { PATHOLOGICAL, mulberry32, randomText } from '../../helpers/fuzz.js';

const AVAILABLE = [
  'The following sleep states are available on this system:',
  '    Standby (S3)',
  '    Hibernate',
  '    Fast Startup',
  '',
  'The following sleep states are not available on this system:',
  '    Standby (S1)',
  '        The system firmware does not support this standby state.',
  '',
].join('\r\n');

const MODERN_STANDBY = [
  '',
  'The following sleep states are available on this system:',
  '    Standby (S0 Low Power Idle) Network Connected',
  '    Hibernate',
  '    Fast Startup',
  '',
  '',
  'The following sleep states are not available on this system:',
  '    Standby (S1)',
  '\tThe system firmware does not support this standby state.',
  '\tThis standby state is disabled when S0 low power idle is supported.',
  '',
  '    Standby (S2)',
  '    \tThe system firmware does not support this standby state.',
  '    Standby (S3)',
  '        This standby state is disabled when S0 low power idle is supported.   ',
  '    Hybrid Sleep',
  '        Standby (S3) is not available.',
  '        The hypervisor does not support this standby state.',
  '',
].join('\n');

describe('parsePowercfgAvailable', () => {
  it('reads the documented example', () => {
    expect(parsePowercfgAvailable(AVAILABLE)).toEqual({
      available: ['Standby (S3)', 'Hibernate', 'Fast Startup'],
      unavailable: [{ state: 'Standby (S1)', reasons: ['The system firmware does not support this standby state.'] }],
      modernStandby: false,
      problems: [],
    });
  });

  it('reads Modern Standby, TAB-indented reasons and varying blank lines', () => {
    const r = parsePowercfgAvailable(MODERN_STANDBY);
    expect(r.problems).toEqual([]);
    expect(r.modernStandby).toBe(true);
    expect(r.available).toEqual(['Standby (S0 Low Power Idle) Network Connected', 'Hibernate', 'Fast Startup']);
    expect(r.unavailable).toEqual([
      { state: 'Standby (S1)', reasons: ['The system firmware does not support this standby state.', 'This standby state is disabled when S0 low power idle is supported.'] },
      { state: 'Standby (S2)', reasons: ['The system firmware does not support this standby state.'] },
      { state: 'Standby (S3)', reasons: ['This standby state is disabled when S0 low power idle is supported.'] },
      { state: 'Hybrid Sleep', reasons: ['Standby (S3) is not available.', 'The hypervisor does not support this standby state.'] },
    ]);
  });

  it('is not Modern Standby when S0 is only among the unavailable states', () => {
    const text = AVAILABLE.replace('    Standby (S1)', '    Standby (S0 Low Power Idle)');
    expect(parsePowercfgAvailable(text).modernStandby).toBe(false);
  });

  it('keys on indentation, not words (German)', () => {
    const text = [
      'Die folgenden Standbymodi sind auf diesem System verfügbar:',
      '    Standby (S3)',
      '    Ruhezustand',
      '',
      'Die folgenden Standbymodi sind auf diesem System nicht verfügbar:',
      '    Standby (S1)',
      '        Die Systemfirmware unterstützt diesen Standbymodus nicht.',
      '    Hybrider Standbymodus',
      '        Der Hypervisor unterstützt diesen Standbymodus nicht.',
    ].join('\r\n');
    const r = parsePowercfgAvailable(text);
    expect(r.available).toEqual(['Standby (S3)', 'Ruhezustand']);
    expect(r.unavailable.map((u) => [u.state, u.reasons.length])).toEqual([['Standby (S1)', 1], ['Hybrider Standbymodus', 1]]);
    expect(r.problems).toEqual([]);
  });

  it('finds Modern Standby by its S0 token when the words are localised', () => {
    const text = 'Sur ce système, les états de veille suivants sont disponibles :\r\n    Veille (S0 Inactivité à faible consommation) Connecté au réseau\r\n';
    expect(parsePowercfgAvailable(text)).toMatchObject({ modernStandby: true, available: ['Veille (S0 Inactivité à faible consommation) Connecté au réseau'] });
  });

  it('reads an empty available section', () => {
    const text = 'Available:\r\n\r\nNot available:\r\n    Standby (S1)\r\n        no.\r\n';
    expect(parsePowercfgAvailable(text)).toMatchObject({ available: [], unavailable: [{ state: 'Standby (S1)', reasons: ['no.'] }] });
  });

  it('reads a lone section by its shape: reasons mean "not available"', () => {
    expect(parsePowercfgAvailable('Not available:\n    Standby (S1)\n        no.\n')).toMatchObject({ available: [], unavailable: [{ state: 'Standby (S1)' }] });
    expect(parsePowercfgAvailable('Available:\n    Hibernate\n')).toMatchObject({ available: ['Hibernate'], unavailable: [] });
  });

  it('reports what it cannot place', () => {
    const r = parsePowercfgAvailable('    stray\nA:\n        deep\n    Hibernate\nB:\n        reason first\n    S1\nC:\n    S9\n');
    expect(r.available).toEqual(['Hibernate']);
    expect(r.unavailable).toEqual([{ state: 'S1', reasons: [] }]);
    expect(r.problems).toHaveLength(4);
  });

  it('reports empty output', () => {
    expect(parsePowercfgAvailable('')).toEqual({ available: [], unavailable: [], modernStandby: false, problems: ['no section headings found'] });
  });

  it('never throws on random input', () => {
    const rand = mulberry32(0xa11);
    const pieces = [' ', '    ', '        ', '\t', '\r\n', '\n', 'Standby (S3)', 'S0 Low Power Idle', 'Hibernate', ':', 'é', AVAILABLE];
    for (let i = 0; i < 3000; i++) {
      const r = parsePowercfgAvailable(randomText(rand, pieces));
      expect(Array.isArray(r.available) && Array.isArray(r.unavailable)).toBe(true);
    }
  });
});

const REQUESTS = [
  'DISPLAY:',
  'None.',
  '',
  'SYSTEM:',
  '[PROCESS] \\Device\\HarddiskVolume3\\Program Files\\Example Backup\\backupagent.exe',
  'Backup in progress',
  '',
  'AWAYMODE:',
  'None.',
  '',
  'EXECUTION:',
  'None.',
  '',
  'PERFBOOST:',
  'None.',
  '',
  'ACTIVELOCKSCREEN:',
  'None.',
  '',
].join('\r\n');

describe('parsePowercfgRequests', () => {
  // Regexes that backtrack quadratically would take minutes here; linear code takes milliseconds.
  it('stays fast on huge pathological lines', () => {
    for (const t of PATHOLOGICAL) {
      parsePowercfgAvailable(t);
      parsePowercfgRequests(0, t);
    }
  }, 15_000);

  it('reads the documented example', () => {
    const r = parsePowercfgRequests(0, REQUESTS);
    expect(r.problems).toEqual([]);
    expect(r.sections.map((s) => s.name)).toEqual(['DISPLAY', 'SYSTEM', 'AWAYMODE', 'EXECUTION', 'PERFBOOST', 'ACTIVELOCKSCREEN']);
    expect(r.sections[1]?.entries).toEqual([
      { kind: 'PROCESS', target: '\\Device\\HarddiskVolume3\\Program Files\\Example Backup\\backupagent.exe', reason: 'Backup in progress' },
    ]);
    expect(r.sections.filter((s) => s.entries.length > 0)).toHaveLength(1);
  });

  it('reads several entries of every kind, with LF and trailing spaces', () => {
    const text = REQUESTS.replace('DISPLAY:\r\nNone.', [
      'DISPLAY:',
      '[DRIVER] Realtek High Definition Audio (HDAUDIO\\FUNC_01&VEN_10EC&DEV_0269\\4&2b1fb49c&0&0001)   ',
      'An audio stream is currently in use.',
      '[SERVICE] \\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe (wuauserv)',
      '[PROCESS] \\Device\\HarddiskVolume3\\Program Files\\Video: Player\\player.exe',
      'Playing video:',
      'second line',
      '[LEGACY] Legacy Kernel Caller',
    ].join('\r\n')).replace(/\r\n/g, '\n');
    const r = parsePowercfgRequests(0, text);
    expect(r.sections[0]?.entries).toEqual([
      { kind: 'DRIVER', target: 'Realtek High Definition Audio (HDAUDIO\\FUNC_01&VEN_10EC&DEV_0269\\4&2b1fb49c&0&0001)', reason: 'An audio stream is currently in use.' },
      { kind: 'SERVICE', target: '\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe (wuauserv)', reason: '' },
      { kind: 'PROCESS', target: '\\Device\\HarddiskVolume3\\Program Files\\Video: Player\\player.exe', reason: 'Playing video: second line' },
      { kind: 'OTHER', target: 'Legacy Kernel Caller', reason: '' },
    ]);
    expect(r.sections).toHaveLength(6);
  });

  it('names localised sections by their position', () => {
    const de = ['ANZEIGE:', 'Keine.', '', 'SYSTEM:', 'Keine.', '', 'ABWESENHEITSMODUS:', 'Keine.', '', 'AUSFÜHRUNG:', '[PROCESS] x.exe', 'Grund', '', 'LEISTUNGSSTEIGERUNG:', 'Keine.', '', 'AKTIVER SPERRBILDSCHIRM:', 'Keine.', ''];
    const r = parsePowercfgRequests(0, `\r\n${de.join('\r\n')}`);
    expect(r.sections.map((s) => s.name)).toEqual(['DISPLAY', 'SYSTEM', 'AWAYMODE', 'EXECUTION', 'PERFBOOST', 'ACTIVELOCKSCREEN']);
    expect(r.sections[3]?.entries).toEqual([{ kind: 'PROCESS', target: 'x.exe', reason: 'Grund' }]);
  });

  it('throws access-denied on a non-zero exit (not elevated)', () => {
    let err: unknown;
    try {
      parsePowercfgRequests(1, 'This command requires administrator privileges and must be executed from an elevated command prompt.');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).kind).toBe('access-denied');
    expect((err as HostError).message).toBe('powercfg /requests needs elevation (run as administrator or SYSTEM)');
  });

  it('reports text outside sections and empty output', () => {
    expect(parsePowercfgRequests(0, '').problems).toEqual(['no sections found']);
    const r = parsePowercfgRequests(0, `odd preamble\r\n\r\n${REQUESTS}`);
    expect(r.sections).toHaveLength(6);
    expect(r.problems).toHaveLength(1);
  });

  it('never throws on random input with exit 0', () => {
    const rand = mulberry32(0xb0b);
    const pieces = ['\r\n', '\n', '\n\n', ':', 'DISPLAY:', 'None.', '[PROCESS] ', '[', ']', 'x.exe', ' ', 'é', REQUESTS];
    for (let i = 0; i < 3000; i++) {
      const r = parsePowercfgRequests(0, randomText(rand, pieces));
      for (const s of r.sections) for (const e of s.entries) expect(['PROCESS', 'SERVICE', 'DRIVER', 'OTHER']).toContain(e.kind);
    }
  });
});
