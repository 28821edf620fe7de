import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { timestampParser } from '../../src/core/timestamp.js';
import { TOOL_NAME, VERSION } from '../../src/core/version.js';

describe('parseDuration', () => {
  it('reads units and combinations into milliseconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('45m')).toBe(2_700_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1d2h3m4s5ms')).toBe(86_400_000 + 7_200_000 + 180_000 + 4_000 + 5);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration(' 15m ')).toBe(900_000);
  });

  it('reads a bare number as seconds', () => {
    expect(parseDuration('120')).toBe(120_000);
    expect(parseDuration('0.5')).toBe(500);
    expect(parseDuration(30)).toBe(30_000);
    expect(parseDuration(0)).toBe(0);
  });

  it('rejects what is not a duration', () => {
    for (const bad of ['', ' ', 'abc', '5x', '-5s', '5 m', 'h', '1h 30m', '30 minutes', '1.h', 'ms']) {
      expect(parseDuration(bad), JSON.stringify(bad)).toBeUndefined();
    }
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('gives short human durations', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(90_000)).toBe('1m');
    expect(formatDuration(125 * 60_000)).toBe('2h 5m');
    expect(formatDuration(2 * 3_600_000)).toBe('2h');
    expect(formatDuration((3 * 24 + 4) * 3_600_000 + 25 * 60_000)).toBe('3d 4h');
    expect(formatDuration(86_400_000)).toBe('1d');
  });

  it('rounds to whole seconds', () => {
    expect(formatDuration(1_499)).toBe('1s');
    expect(formatDuration(59_600)).toBe('1m');
  });

  it('marks negative durations and unknown values', () => {
    expect(formatDuration(-5 * 60_000)).toBe('-5m');
    expect(formatDuration(Number.NaN)).toBe('unknown');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('unknown');
  });

  it('round-trips with parseDuration for whole units', () => {
    for (const d of ['45s', '5m', '2h', '3d']) expect(formatDuration(parseDuration(d)!)).toBe(d);
  });
});

describe('timestampParser', () => {
  const utc = (iso: string) => Date.parse(iso);

  describe('iso', () => {
    const iso = timestampParser('iso')!;

    it('reads a time with a zone as that zone, ignoring the host offset', () => {
      expect(iso.parse('2026-11-20T13:58:00Z', -300)).toBe(utc('2026-11-20T13:58:00Z'));
      expect(iso.parse('2026-11-20T13:58:00+02:00', -300)).toBe(utc('2026-11-20T11:58:00Z'));
      expect(iso.parse('2026-11-20 13:58:00-05:00', 120)).toBe(utc('2026-11-20T18:58:00Z'));
    });

    it('reads a time without a zone in the host offset', () => {
      expect(iso.parse('2026-11-20T08:58:00', -300)).toBe(utc('2026-11-20T13:58:00Z'));
      expect(iso.parse('2026-11-20 08:58:00', -300)).toBe(utc('2026-11-20T13:58:00Z'));
      expect(iso.parse('2026-11-20 15:58', 120)).toBe(utc('2026-11-20T13:58:00Z'));
      expect(iso.parse('2026-11-20T13:58:00.250', 0)).toBe(utc('2026-11-20T13:58:00.250Z'));
      expect(iso.parse('  2026-11-20T13:58:00  ', 0)).toBe(utc('2026-11-20T13:58:00Z'));
    });

    it('rejects what is not an ISO time', () => {
      for (const bad of ['', '2026-11-20', '11/20/2026 13:58', 'yesterday', '20261120.13:58:00', '2026-13-01T00:00:00Z', '2026-11-20T25:00:00Z']) {
        expect(iso.parse(bad, 0), bad).toBeUndefined();
      }
    });

    it('rejects a day the month does not have', () => {
      expect(iso.parse('2026-02-30T10:00:00Z', 0)).toBeUndefined();
      expect(iso.parse('2026-04-31 10:00:00', 0)).toBeUndefined();
    });
  });

  describe('qwclog', () => {
    const qwc = timestampParser('qwclog')!;

    it("reads the Web Connector's YYYYMMDD.HH:MM:SS in the host offset", () => {
      expect(qwc.parse('20261120.13:58:07', 0)).toBe(utc('2026-11-20T13:58:07Z'));
      expect(qwc.parse('20261120.08:58:07', -300)).toBe(utc('2026-11-20T13:58:07Z'));
      expect(qwc.parse('20261120.13:58:07 I\t4120\tQBWebConnector...', 0)).toBe(utc('2026-11-20T13:58:07Z'));
    });

    it('rejects other shapes and impossible dates', () => {
      expect(qwc.parse('2026-11-20T13:58:07Z', 0)).toBeUndefined();
      expect(qwc.parse('20261120 13:58:07', 0)).toBeUndefined();
      expect(qwc.parse('20260230.10:00:00', 0)).toBeUndefined();
    });
  });

  describe('token formats', () => {
    it('reads "MM/DD/YYYY hh:mm:ss A" with the 12 AM / 12 PM edge cases', () => {
      const p = timestampParser('MM/DD/YYYY hh:mm:ss A')!;
      expect(p.parse('11/20/2026 12:00:00 AM', 0)).toBe(utc('2026-11-20T00:00:00Z'));
      expect(p.parse('11/20/2026 12:05:30 AM', 0)).toBe(utc('2026-11-20T00:05:30Z'));
      expect(p.parse('11/20/2026 12:00:00 PM', 0)).toBe(utc('2026-11-20T12:00:00Z'));
      expect(p.parse('11/20/2026 12:59:59 PM', 0)).toBe(utc('2026-11-20T12:59:59Z'));
      expect(p.parse('11/20/2026 01:00:00 AM', 0)).toBe(utc('2026-11-20T01:00:00Z'));
      expect(p.parse('11/20/2026 01:00:00 PM', 0)).toBe(utc('2026-11-20T13:00:00Z'));
      expect(p.parse('11/20/2026 11:59:59 pm', 0)).toBe(utc('2026-11-20T23:59:59Z'));
      expect(p.parse('11/20/2026 08:58:00 AM', -300)).toBe(utc('2026-11-20T13:58:00Z'));
    });

    it('reads one-digit tokens and 24-hour formats', () => {
      const short = timestampParser('M/D/YYYY h:mm A')!;
      expect(short.parse('3/2/2026 8:05 AM', 0)).toBe(utc('2026-03-02T08:05:00Z'));
      expect(short.parse('12/31/2026 12:05 PM trailing text', 0)).toBe(utc('2026-12-31T12:05:00Z'));
      const de = timestampParser('DD.MM.YYYY HH:mm:ss')!;
      expect(de.parse('20.11.2026 23:15:00', 60)).toBe(utc('2026-11-20T22:15:00Z'));
      const dashed = timestampParser('YYYY-MM-DD HH:mm:ss')!;
      expect(dashed.parse('2026-11-20 00:00:00', 0)).toBe(utc('2026-11-20T00:00:00Z'));
    });

    it('treats format punctuation literally', () => {
      const p = timestampParser('YYYY.MM.DD HH:mm')!;
      expect(p.parse('2026.11.20 13:58', 0)).toBe(utc('2026-11-20T13:58:00Z'));
      expect(p.parse('2026x11x20 13:58', 0)).toBeUndefined();
    });

    it('rejects dates and times that do not exist', () => {
      const p = timestampParser('MM/DD/YYYY HH:mm:ss')!;
      expect(p.parse('02/30/2026 10:00:00', 0)).toBeUndefined();
      expect(p.parse('02/29/2026 10:00:00', 0)).toBeUndefined(); // 2026 is not a leap year
      expect(p.parse('02/29/2028 10:00:00', 0)).toBe(utc('2028-02-29T10:00:00Z'));
      expect(p.parse('13/01/2026 10:00:00', 0)).toBeUndefined();
      expect(p.parse('00/10/2026 10:00:00', 0)).toBeUndefined();
      expect(p.parse('11/20/2026 24:00:00', 0)).toBeUndefined();
      expect(p.parse('11/20/2026 13:00:00 PM', 0)).toBe(utc('2026-11-20T13:00:00Z')); // trailing text is allowed
      const ampm = timestampParser('MM/DD/YYYY hh:mm:ss A')!;
      expect(ampm.parse('11/20/2026 13:00:00 PM', 0)).toBeUndefined();
    });

    it('rejects minutes and seconds out of range (not rolled into the next hour)', () => {
      const p = timestampParser('MM/DD/YYYY HH:mm:ss')!;
      expect(p.parse('11/20/2026 10:59:59', 0)).toBe(utc('2026-11-20T10:59:59Z'));
      expect(p.parse('11/20/2026 10:61:00', 0)).toBeUndefined();
      expect(p.parse('11/20/2026 10:00:75', 0)).toBeUndefined();
    });

    it('rejects text that does not have the shape', () => {
      const p = timestampParser('MM/DD/YYYY hh:mm:ss A')!;
      expect(p.parse('', 0)).toBeUndefined();
      expect(p.parse('2026-11-20T13:58:00Z', 0)).toBeUndefined();
      expect(p.parse('11/20/26 01:00:00 PM', 0)).toBeUndefined();
      expect(p.parse('11/20/2026 01:00:00', 0)).toBeUndefined(); // no AM/PM
    });
  });

  it('returns undefined for a format without a year, month and day', () => {
    for (const bad of ['', 'HH:mm:ss', 'garbage', 'YYYY-MM', 'MM/DD hh:mm', 'DD.MM.YY']) {
      expect(timestampParser(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

describe('version', () => {
  it("VERSION equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect(VERSION).toBe(pkg.version);
    expect(TOOL_NAME).toBe(pkg.name);
  });
});
