import { Type } from '@sinclair/typebox';
import { DURATION_FORMAT, DURATION_HINT, DURATION_PATTERN, formatDuration, parseDuration } from '../core/duration.js';
import { defineProbe } from './probe.js';
import { ago, logAheadOfClock, nextAutoRun, QWC_PARAMS, readQwc } from './lib-qwc.js';

export default defineProbe({
  id: 'qwc-schedule',
  description: 'Web Connector Auto-Run cycles happen on schedule (per application)',
  explain:
    'No log line states the schedule: the interval lives in the app\'s .qwc file. So the interval is the ' +
    'configured `intervalMinutes`, else the median spacing of the app\'s scheduled starts in the log. The ' +
    'check fails when the last scheduled (Auto-Run) start is older than `missedCycles` intervals (or than ' +
    '`maxAge` when the interval cannot be told), or when the log holds no scheduled start at all.',
  params: Type.Object(
    {
      logPath: QWC_PARAMS.logPath,
      apps: QWC_PARAMS.apps,
      intervalMinutes: Type.Optional(Type.String({ pattern: '^(\\d+)?$', description: "the app's RunEveryNMinutes, or empty to infer it from the log" })),
      missedCycles: Type.Optional(Type.Integer({ minimum: 1, description: 'how many missed cycles fail the check (default 3)' })),
      maxAge: Type.Optional(Type.String({ pattern: DURATION_PATTERN, format: DURATION_FORMAT, description: DURATION_HINT })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { logPath: 'C:\\ProgramData\\Intuit\\QBWebConnector\\log\\QWCLog.txt', intervalMinutes: '15' },
  async run(params, { facts }) {
    const { path, log, now, apps } = await readQwc(facts, params);
    const ahead = logAheadOfClock(log, now, path);
    if (ahead) return ahead;
    const missed = params.missedCycles ?? 3;
    const configured = params.intervalMinutes ? Number(params.intervalMinutes) : undefined;
    const fallbackMs = parseDuration(params.maxAge ?? '2h')!;
    if (apps.length === 0) return { state: 'fail', summary: 'The Web Connector log records no update cycle: no Auto-Run has happened since it was created or cleared', evidence: [`${path}: ${log.entries} entries`] };

    const failures: string[] = [];
    const evidence: string[] = [];
    let latest: Date | undefined; // the newest Auto-Run of any app: what a later run judges a fix by
    for (const app of apps) {
      const summary = Object.entries(log.apps).find(([name]) => name.toLowerCase() === app.toLowerCase())?.[1];
      const starts = summary?.scheduledStarts ?? [];
      const last = starts[starts.length - 1];
      if (!last) {
        const manual = summary?.starts.length ? ` (only manual "Update Selected" runs, the last ${ago(now, summary.starts[summary.starts.length - 1]!)})` : '';
        failures.push(`"${app}": no scheduled (Auto-Run) cycle in the log${manual}: Auto-Run may be off or the Web Connector was not running`);
        continue;
      }
      if (!latest || last > latest) latest = last;
      const interval = configured ?? summary?.medianIntervalMinutes ?? undefined;
      const limitMs = interval ? interval * missed * 60_000 : fallbackMs;
      const age = now.getTime() - last.getTime();
      const cadence = interval ? `runs every ${interval} min${configured ? '' : ' (from the log\'s spacing)'}` : 'interval unknown';
      const line = `"${app}": last Auto-Run ${last.toISOString()} (${ago(now, last)}); ${cadence}`;
      evidence.push(line);
      if (age > limitMs) {
        const n = interval ? ` (about ${Math.floor(age / (interval * 60_000))} cycles missed)` : '';
        failures.push(`"${app}": the last Auto-Run cycle was ${formatDuration(age)} ago${n}; it ${cadence}`);
      }
    }
    if (failures.length) {
      const next = nextAutoRun(log, apps, configured);
      return { state: 'fail', summary: failures[0]!, evidence: [...failures, ...evidence], ...(next ? { nextEvidence: next } : {}), ...(latest ? { lastSeenAt: latest.toISOString() } : {}) };
    }
    return { state: 'pass', summary: apps.length === 1 ? evidence[0]! : `Auto-Run is on schedule for ${apps.length} apps`, evidence, ...(latest ? { lastSeenAt: latest.toISOString() } : {}) };
  },
});
