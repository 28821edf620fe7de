import { Type } from '@sinclair/typebox';
import { DURATION_FORMAT, DURATION_HINT, DURATION_PATTERN, parseDuration } from '../core/duration.js';
import { defineProbe } from './probe.js';
import { adviceFor, ago, explainError, QWC_PARAMS, type ExplainedError } from './lib-qwc.js';

export default defineProbe({
  id: 'qwc-errors',
  description: 'Recent Web Connector and QuickBooks errors in QWCLog.txt, explained in plain words with their fix',
  explain:
    'Collects QBWC10xx codes, QuickBooks SDK HRESULTs (with their "Message:" line) and web-service errors ' +
    'from the end of QWCLog.txt within `within` (default 24h). QWCLog is a QuickBooks context, so codes are ' +
    "trusted and matched on code plus QuickBooks' own message text. Fails when an application's most " +
    'recent cycle carried errors, warns when only earlier cycles did; the fix of the latest error comes ' +
    'first among the next steps (e.g. a modal dialog: turn off QuickBooks pop-up messages for each sync user).',
  params: Type.Object(
    {
      logPath: QWC_PARAMS.logPath,
      within: Type.Optional(Type.String({ pattern: DURATION_PATTERN, format: DURATION_FORMAT, description: DURATION_HINT })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { logPath: 'C:\\ProgramData\\Intuit\\QBWebConnector\\log\\QWCLog.txt' },
  async run(params, { facts }) {
    const path = facts.expandEnv(params.logPath);
    const log = await facts.qwcLog(path);
    const now = facts.now();
    const since = now.getTime() - (parseDuration(params.within ?? '24h') ?? 86_400_000);
    const latestCycle = new Map<string, (typeof log.cycles)[number]>();
    for (const c of log.cycles) latestCycle.set((c.app ?? '').toLowerCase(), c);
    const latest = new Set(latestCycle.values());

    const recent: ExplainedError[] = [];
    let inLatest = 0;
    for (const c of log.cycles) {
      for (const e of c.errors) {
        if (e.at.getTime() < since) continue;
        recent.push(explainError(e));
        if (latest.has(c)) inLatest++;
      }
    }
    for (const e of log.errorsOutsideCycles) if (e.at.getTime() >= since) recent.push(explainError(e));
    if (recent.length === 0) return { state: 'pass', summary: `No errors in the Web Connector log in the last ${params.within ?? '24h'}`, evidence: [`${path}: ${log.cycles.length} cycles read`] };

    // One line per distinct error, newest first, with how often it occurred.
    const byLabel = new Map<string, { count: number; last: Date }>();
    for (const r of recent) {
      const k = r.label;
      const prev = byLabel.get(k);
      byLabel.set(k, { count: (prev?.count ?? 0) + 1, last: prev && prev.last > r.error.at ? prev.last : r.error.at });
    }
    const evidence = [...byLabel].sort((a, b) => b[1].last.getTime() - a[1].last.getTime()).map(([label, v]) => `${v.count}× ${label} (last ${ago(now, v.last)})`);
    const newest = recent.reduce((a, b) => (b.error.at > a.error.at ? b : a));
    const advice = adviceFor([newest]) ?? adviceFor(recent);
    const summary = `${newest.label} (${ago(now, newest.error.at)})`;
    const state = inLatest > 0 ? 'fail' : 'warn';
    return { state, summary, evidence, ...(advice ? { advice } : {}) };
  },
});
