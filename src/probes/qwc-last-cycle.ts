import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { adviceFor, ago, explainError, lastCycleOf, logAheadOfClock, nextAutoRun, QWC_PARAMS, readQwc } from './lib-qwc.js';
import { withImage } from '../host/processes.js';

export default defineProbe({
  id: 'qwc-last-cycle',
  description: "The Web Connector's last cycle per application completed (not cut off, no errors)",
  explain:
    'Analyses the end of QWCLog.txt (at most 4 MB, whatever its size): groups entries into cycles from a ' +
    'scheduled or manual start to "UpdateLock has been set to False". Per application, the last cycle is ' +
    'completed, completed with errors, or interrupted (no unlock: typically a QuickBooks pop-up, a crash, ' +
    'sleep or a logoff). A cycle younger than 30 minutes while the Web Connector runs is "still running". ' +
    'A company-file lock held by another computer means a second PC runs the same app.',
  params: Type.Object(
    {
      logPath: QWC_PARAMS.logPath,
      apps: QWC_PARAMS.apps,
      qbwcImages: Type.Optional(Type.Array(Type.String(), { description: "the Web Connector's image names, to tell a running cycle from a cut-off one" })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { logPath: 'C:\\ProgramData\\Intuit\\QBWebConnector\\log\\QWCLog.txt', qbwcImages: ['QBWebConnector.exe'] },
  async run(params, { facts }) {
    const { path, log, now, apps } = await readQwc(facts, params);
    const ahead = logAheadOfClock(log, now, path);
    if (ahead) return ahead;
    if (apps.length === 0) {
      return { state: 'fail', summary: 'The Web Connector log records no update cycle', evidence: [`${path}: ${log.entries} entries, ${log.size} bytes`] };
    }
    const qbwcRunning = params.qbwcImages?.length
      ? withImage((await facts.processes({ owners: false })).processes, params.qbwcImages).length > 0
      : undefined;
    const host = facts.host.hostname().toLowerCase();
    const evidence: string[] = [];
    const problems: string[] = [];
    const warnings: string[] = [];
    const explained = [];
    for (const app of apps) {
      const c = lastCycleOf(log, app);
      if (!c) {
        problems.push(`no cycle for "${app}" in the log`);
        continue;
      }
      const when = `${c.kind} cycle started ${c.startedAt.toISOString()} (${ago(now, c.startedAt)})`;
      if (c.lockHolder && c.lockHolder.toLowerCase() !== host) {
        warnings.push(`the company file lock of "${app}" is held by another computer, ${c.lockHolder}: a second PC runs the same Web Connector app`);
      }
      if (c.staleLockSuspected) warnings.push(`"${app}": the cycle began with UpdateLock already True (a stale lock from an earlier cut-off cycle)`);
      const verdict = c.verdict === 'possibly-running' && qbwcRunning === false ? 'interrupted' : c.verdict;
      switch (verdict) {
        case 'completed':
          evidence.push(`"${app}": last ${when} completed at ${c.endedAt?.toISOString()}`);
          break;
        case 'possibly-running':
          evidence.push(`"${app}": ${when} is still running (last entry ${ago(now, c.lastSeenAt)})`);
          break;
        case 'completed-with-errors': {
          const ex = c.errors.map(explainError);
          explained.push(...ex);
          problems.push(`"${app}": last ${when} ended with ${ex.length} error${ex.length === 1 ? '' : 's'}: ${ex.map((e) => e.label).join('; ')}`);
          break;
        }
        default: {
          const ex = c.errors.map(explainError);
          explained.push(...ex);
          problems.push(
            `"${app}": last ${when} was cut off after ${c.lastSeenAt.toISOString()} (no unlock): typical of a QuickBooks pop-up, a crash, sleep or a logoff${ex.length ? `; errors: ${ex.map((e) => e.label).join('; ')}` : ''}`,
          );
        }
      }
    }
    const version = log.header?.version ? [`Web Connector ${log.header.version} (from the log's header)`] : [];
    const all = [...problems, ...warnings, ...evidence, ...version];
    const advice = adviceFor(explained);
    const next = nextAutoRun(log, apps);
    if (problems.length) return { state: 'fail', summary: problems[0]!, evidence: all, ...(advice ? { advice } : {}), ...(next ? { nextEvidence: next } : {}) };
    if (warnings.length) return { state: 'warn', summary: warnings[0]!, evidence: all, ...(next ? { nextEvidence: next } : {}) };
    return { state: 'pass', summary: apps.length === 1 ? evidence[0]! : `The last cycle of each of ${apps.length} apps completed`, evidence: all };
  },
});
