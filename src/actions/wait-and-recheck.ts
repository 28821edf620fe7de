import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN, TIMER_FORMAT, TIMER_HINT, formatDuration, parseDuration } from '../core/duration.js';
import { defineAction } from './action.js';
import { waitOrAbort } from '../core/wait.js';

// A check id's shape (as in playbook/schema.ts; actions sit beside the playbook layer, not under it).
const CHECK_ID = '^[a-z][a-z0-9-]*$';

export default defineAction({
  id: 'wait-and-recheck',
  description: 'Wait, re-running a check at intervals until it passes or time runs out (e.g. a sync backlog clearing)',
  explain:
    'Changes nothing on the PC. Some faults clear by themselves once the cause is gone: after an outage an ' +
    'agent needs minutes to upload its backlog. This step re-runs the check `check` (an id in the same ' +
    'playbook) every `every` for up to `within`, showing progress, and succeeds as soon as it passes; if ' +
    'time runs out, the next step of the ladder follows.',
  risk: 'safe',
  refersToCheck: true,
  params: Type.Object(
    {
      check: Type.String({ pattern: CHECK_ID, description: 'the id of a check in the same playbook' }),
      every: Type.String({ pattern: DURATION_PATTERN, format: TIMER_FORMAT, description: TIMER_HINT }),
      within: Type.String({ pattern: DURATION_PATTERN, format: TIMER_FORMAT, description: TIMER_HINT }),
    },
    { additionalProperties: false },
  ),
  async plan(params) {
    const every = parseDuration(params.every);
    const within = parseDuration(params.within);
    if (every === undefined || within === undefined || every <= 0) {
      return { steps: [], commands: [], blocked: `"every" and "within" must be durations, every above zero (got ${params.every}, ${params.within})` };
    }
    if (every > within) return { steps: [], commands: [], blocked: `"every" (${params.every}) is longer than "within" (${params.within})` };
    return {
      steps: [`re-run check ${params.check} every ${formatDuration(every)} for up to ${formatDuration(within)}, showing progress`],
      commands: [],
    };
  },
  async apply(params, ctx) {
    const every = parseDuration(params.every) ?? 60_000;
    const within = parseDuration(params.within) ?? 900_000;
    const started = Date.now();
    for (let round = 1; ; round++) {
      const r = await ctx.recheck(params.check);
      const elapsed = Date.now() - started;
      ctx.progress(`[${formatDuration(elapsed)} of ${formatDuration(within)}] ${params.check}: ${r.state} — ${r.summary}`);
      if (r.state === 'pass') return { ok: true, detail: `${params.check} passed after ${formatDuration(elapsed)} (${round} checks)` };
      if (elapsed + every > within || ctx.signal.aborted) {
        return { ok: false, detail: `${params.check} still ${r.state} after ${formatDuration(elapsed)}: ${r.summary}` };
      }
      await waitOrAbort(every, ctx.signal);
    }
  },
});
