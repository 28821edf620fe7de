// Shared by the Web Connector probes (qwc-*.ts): which apps to look at, and what a logged error means.
import { classifyQuickBooksError, type QbErrorInfo } from '../knowledge/quickbooks-errors.js';
import type { QwcCycle, QwcError, QwcLogAnalysis } from '../host/parsers/qwclog.js';
import { formatDuration } from '../core/duration.js';
import { Type } from '@sinclair/typebox';
import type { HostFacts } from '../host/facts.js';

/** Parameters every Web Connector probe takes. */
export const QWC_PARAMS = {
  logPath: Type.String({ minLength: 1, description: 'the QWCLog.txt path (%VARIABLES% expanded)' }),
  apps: Type.Optional(Type.Array(Type.String(), { description: 'application names (AppName) to check; empty: every app in the log' })),
};

/** The analysed log, the clock, and the apps to report on. */
export async function readQwc(facts: HostFacts, params: { logPath: string; apps?: string[] }) {
  const path = facts.expandEnv(params.logPath);
  const log = await facts.qwcLog(path);
  return { path, log, now: facts.now(), apps: appsToCheck(log, params.apps) };
}

/** The apps to report on: the configured ones, else every app the log names. */
export function appsToCheck(log: QwcLogAnalysis, wanted: readonly string[] | undefined): string[] {
  const named = (wanted ?? []).map((a) => a.trim()).filter(Boolean);
  if (named.length) return named;
  return Object.keys(log.apps).sort();
}

/** A log whose last entry is this far after the PC's clock says the clock, not the log, is off. */
const CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * A warning when the log's last entry is later than the PC's clock (a clock or time zone changed):
 * the ages of cycles cannot be told, so neither "on schedule" nor "still running" is (log-timestamp-fresh says the same).
 */
export function logAheadOfClock(log: QwcLogAnalysis, now: Date, path: string): { state: 'warn'; summary: string; evidence: string[] } | undefined {
  if (!log.lastEntryAt || log.lastEntryAt.getTime() - now.getTime() <= CLOCK_TOLERANCE_MS) return undefined;
  return {
    state: 'warn',
    summary: `The Web Connector log's last entry (${log.lastEntryAt.toISOString()}) is after the PC's clock (${now.toISOString()}): check the PC clock and time zone; how old its cycles are cannot be told`,
    evidence: [`${path}: last entry ${log.lastEntryAt.toISOString()}, PC clock ${now.toISOString()}`],
  };
}

export function lastCycleOf(log: QwcLogAnalysis, app: string): QwcCycle | undefined {
  for (let i = log.cycles.length - 1; i >= 0; i--) if (log.cycles[i]!.app?.toLowerCase() === app.toLowerCase()) return log.cycles[i];
  return undefined;
}

export function ago(now: Date, at: Date): string {
  return `${formatDuration(now.getTime() - at.getTime())} ago`;
}

export interface ExplainedError {
  error: QwcError;
  info: QbErrorInfo | null;
  label: string;
}

/** What a logged error means: QWCLog is a QuickBooks context, so its codes are trusted. */
export function explainError(error: QwcError): ExplainedError {
  if (error.kind === 'web-service') {
    return { error, info: null, label: `the web service failed: ${error.message ?? 'no detail'}` };
  }
  const c = classifyQuickBooksError({ code: error.code, message: [error.message, error.detail].filter(Boolean).join('\n'), context: 'quickbooks' });
  // A QBWC code that wraps QuickBooks' own error (QBWC1013 ...) is explained by the inner error.
  const info = c.embedded ?? c.info;
  const label = info ? `${error.code ?? info.code}${c.embedded ? ` (${c.embedded.code})` : ''}: ${info.meaning}` : c.label;
  return { error, info, label };
}

/** The advice for the most telling error: its fix steps from the knowledge base. */
export function adviceFor(explained: ExplainedError[]): { title: string; steps: string[] } | undefined {
  const withFix = [...explained].reverse().find((e) => e.info && e.info.fix.length);
  if (withFix?.info) return { title: `Fix ${withFix.info.code}: ${firstSentence(withFix.info.meaning)}`, steps: [...withFix.info.fix] };
  const web = [...explained].reverse().find((e) => e.error.kind === 'web-service');
  if (web) {
    return {
      title: 'The web service failed: check the connection to the application',
      steps: ['Test from this PC that the AppURL in the log opens in a browser.', 'If it does not, check the network, proxy and TLS inspection; otherwise escalate to the vendor with the log excerpt.'],
    };
  }
  return undefined;
}

function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return (m ? m[1]! : text).replace(/\.$/, '');
}


/**
 * When a repair can show in the log: the next Auto-Run of the slowest app (its configured interval,
 * else the spacing of its scheduled starts in the log), plus a minute for the cycle to finish.
 */
export function nextAutoRun(log: QwcLogAnalysis, apps: readonly string[], configuredMinutes?: number): { withinMs: number; what: string } | undefined {
  let minutes = 0;
  let fromLog = false;
  for (const app of apps) {
    const summary = Object.entries(log.apps).find(([name]) => name.toLowerCase() === app.toLowerCase())?.[1];
    const m = configuredMinutes ?? summary?.medianIntervalMinutes ?? undefined;
    if (m && m > minutes) {
      minutes = m;
      fromLog = configuredMinutes === undefined;
    }
  }
  if (!minutes) return undefined;
  return { withinMs: (minutes + 1) * 60_000, what: `the Web Connector's next Auto-Run cycle (every ${minutes} min${fromLog ? ', from the spacing of its runs in the log' : ''})` };
}
