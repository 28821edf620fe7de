// String formats used by the schemas, registered once with TypeBox so compiled checks know them.
import { FormatRegistry } from '@sinclair/typebox';
import { DURATION_FORMAT, MAX_TIMER_MS, parseDuration, TIMER_FORMAT } from './duration.js';
import { regexSafetyProblem } from './regex-safety.js';
import { timestampParser } from './timestamp.js';

export function registerFormats(): void {
  if (FormatRegistry.Has('duration')) return;
  FormatRegistry.Set('duration', (v) => parseDuration(v) !== undefined);
  FormatRegistry.Set(DURATION_FORMAT, (v) => parseDuration(v) !== undefined);
  FormatRegistry.Set(TIMER_FORMAT, (v) => (parseDuration(v) ?? Infinity) <= MAX_TIMER_MS);
  FormatRegistry.Set('regex', (v) => regexError(v) === undefined);
  FormatRegistry.Set('date-time', (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v) && realCalendarTime(v));
  FormatRegistry.Set('timestamp-format', (v) => timestampParser(v) !== undefined);
  FormatRegistry.Set('uri', (v) => /^https?:\/\/\S+$/.test(v));
}

/**
 * Date.parse rolls 30 February over into March; a time in a file must name a real day and a
 * real time of day.
 */
export function realCalendarTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 60 && !Number.isNaN(Date.parse(text));
}

/**
 * Why a pattern is not a valid regular expression, or not a safe one (nested repetition can
 * backtrack catastrophically: see regex-safety.ts), or undefined when it is both.
 */
export function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  return regexSafetyProblem(pattern);
}

registerFormats();
