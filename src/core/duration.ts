// Durations in playbooks and on the command line: "90s", "45m", "2h", "1d", "1h30m", or a bare
// number of seconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** What Node's timers hold (2^31-1 ms, about 24 days 20 hours): a longer setTimeout fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** The longest duration anything means here (100 years); beyond it a number is a typo. */
export const MAX_DURATION_MS = 100 * 365 * 86_400_000;

/** Milliseconds, or undefined when the text is not a duration (or is longer than 100 years). */
export function parseDuration(text: string | number): number | undefined {
  const ms = parseUnbounded(text);
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined;
}

function parseUnbounded(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!DURATION.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(PART)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}

/**
 * The same rule as a JSON Schema pattern (not `format: duration`, which JSON Schema tools read as
 * ISO 8601 "PT45M").
 */
export const DURATION_PATTERN = '^(?:\\d+(?:\\.\\d+)?|(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+)$';

export const DURATION_HINT = 'a duration (up to 100 years) such as "90s", "45m", "2h", "1d" or "1h30m"';
export const TIMER_HINT = 'a duration up to 24d (what a timer holds), such as "90s", "45m" or "2h"';

/** A duration parameter: the pattern for editors, the format (up to 100 years) for the loader. */
export const DURATION_FORMAT = 'duration-text';
/** A duration that arms a timer: up to MAX_TIMER_MS. */
export const TIMER_FORMAT = 'timer-duration';

/** "2h 5m", "45s", "3d 4h": short, for evidence lines. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const neg = ms < 0;
  let s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m && d === 0) parts.push(`${m}m`);
  if (parts.length === 0) parts.push(`${s}s`);
  return (neg ? '-' : '') + parts.join(' ');
}
