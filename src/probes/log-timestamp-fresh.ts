import { Type } from '@sinclair/typebox';
import { DURATION_FORMAT, DURATION_HINT, DURATION_PATTERN, formatDuration, parseDuration } from '../core/duration.js';
import { HostError } from '../core/errors.js';
import { compileUserRegex } from '../core/regex-safety.js';
import { TIMESTAMP_FORMAT_HINT, timestampParser } from '../core/timestamp.js';
import { defineProbe } from './probe.js';

const DEFAULT_TAIL_BYTES = 256 * 1024;
/** Lines longer than this are cut before matching, so no playbook regex meets a huge line. */
const MAX_LINE = 4096;

export default defineProbe({
  id: 'log-timestamp-fresh',
  description: 'The newest line of a log that matches a pattern carries a recent timestamp',
  explain:
    'Reads only the tail of the log (default 256 KB), so a 1 GB log costs the same as a 1 KB one. ' +
    'Finds the last line matching `pattern`; the timestamp is its named group `ts` (or group 1), read ' +
    'with `format`, in UTC unless the timestamp carries its own offset or `timezone: local` asks for the ' +
    'host\'s time zone. Older than `maxAge` fails, older ' +
    'than `warnAge` warns. A missing log or no matching line cannot tell anything: state error.',
  params: Type.Object(
    {
      path: Type.String({ minLength: 1, description: 'the log file path (%VARIABLES% expanded)' }),
      pattern: Type.String({ minLength: 1, format: 'regex', description: 'a regular expression with a group (named ts, or the first) around the timestamp' }),
      format: Type.Optional(Type.String({ format: 'timestamp-format', description: TIMESTAMP_FORMAT_HINT })),
      timezone: Type.Optional(Type.Union([Type.Literal('utc'), Type.Literal('local')])),
      maxAge: Type.String({ pattern: DURATION_PATTERN, format: DURATION_FORMAT, description: DURATION_HINT }),
      warnAge: Type.Optional(Type.String({ pattern: DURATION_PATTERN, format: DURATION_FORMAT, description: DURATION_HINT })),
      tailBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, description: 'how many bytes at the end of the file to read (1024 to 67108864)' })),
      what: Type.Optional(Type.String({ description: 'what the timestamp means, for the summary, e.g. "last sync"' })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { path: 'C:\\ProgramData\\Agent\\sync.log', pattern: '^(?<ts>\\S+) sync ok', maxAge: '1h' },
  async run(params, { facts }) {
    const path = facts.expandEnv(params.path);
    const what = params.what ?? 'last matching log line';
    const tail = await facts.readTail(path, params.tailBytes ?? DEFAULT_TAIL_BYTES);
    const text = await facts.decode(tail.bytes);
    // Checked at load for nested repetition; run with V8's backtrack limit on lines cut to MAX_LINE.
    const re = compileUserRegex(params.pattern);
    const parser = timestampParser(params.format ?? 'iso');
    if (!parser) throw new HostError(`invalid timestamp format: ${params.format}`);
    const offset = params.timezone === 'local' ? facts.host.utcOffsetMinutes() : 0;

    const lines = text.split(/\r?\n/);
    // A truncated read starts mid-line: skip that partial first line.
    const first = tail.truncated ? 1 : 0;
    for (let i = lines.length - 1; i >= first; i--) {
      const line = lines[i]!.slice(0, MAX_LINE);
      const m = re.exec(line);
      if (!m) continue;
      const raw = m.groups?.ts ?? m[1] ?? m[0];
      const at = parser.parse(raw, offset);
      if (at === undefined) continue;
      return judge(at, raw, line);
    }
    const scope = tail.truncated ? `in the last ${tail.bytes.length} bytes of ${path}` : `in ${path}`;
    return {
      state: 'unknown',
      summary: `No ${what} found ${scope}`,
      error: `no line matches /${params.pattern}/ with a timestamp in format ${params.format ?? 'iso'}`,
      evidence: [`${path}: ${tail.size} bytes, modified ${tail.stat.mtime.toISOString()}`],
    };

    function judge(at: number, raw: string, line: string) {
      const age = facts.now().getTime() - at;
      const evidence = [`${path}: ${line.trim().slice(0, 200)}`, `${what}: ${new Date(at).toISOString()} (${formatDuration(age)} ago)`];
      const lastSeenAt = new Date(at).toISOString();
      const maxAge = parseDuration(params.maxAge)!;
      const warnAge = params.warnAge ? parseDuration(params.warnAge) : undefined;
      if (age < -5 * 60_000) {
        return { state: 'warn' as const, summary: `The ${what} (${raw}) is in the future: check the PC clock and time zone`, evidence };
      }
      if (age > maxAge) return { state: 'fail' as const, summary: `The ${what} was ${formatDuration(age)} ago (more than ${params.maxAge})`, evidence, lastSeenAt };
      if (warnAge !== undefined && age > warnAge) {
        return { state: 'warn' as const, summary: `The ${what} was ${formatDuration(age)} ago (more than ${params.warnAge})`, evidence, lastSeenAt };
      }
      return { state: 'pass' as const, summary: `The ${what} was ${formatDuration(Math.max(0, age))} ago`, evidence, lastSeenAt };
    }
  },
});
