import { Type } from '@sinclair/typebox';
import { DURATION_FORMAT, DURATION_HINT, DURATION_PATTERN, parseDuration } from '../core/duration.js';
import { defineAction } from './action.js';
import { runStep } from './lib.js';

/** `delay` "0" restarts now; anything else gives logged-on users that long to save their work. */
export function rebootArgv(platform: NodeJS.Platform, params: { delay?: string; message?: string }): { argv: string[]; seconds: number } {
  const seconds = Math.round((parseDuration(params.delay ?? '15m') ?? 900_000) / 1000);
  const message = params.message ?? 'Restart by IT to repair the accounting sync. Please save your work.';
  const argv =
    platform === 'win32'
      ? ['shutdown', '/r', '/t', String(seconds), '/c', message]
      : ['shutdown', '-r', seconds === 0 ? 'now' : `+${Math.max(1, Math.ceil(seconds / 60))}`, message];
  return { argv, seconds };
}

export function cancelRebootArgv(platform: NodeJS.Platform): string[] {
  return platform === 'win32' ? ['shutdown', '/a'] : ['shutdown', '-c'];
}

export default defineAction({
  id: 'reboot',
  description: 'Schedule a restart with a delay and a message to logged-on users (cancellable)',
  explain:
    'Schedules a restart (`shutdown /r /t N /c "message"` on Windows). Any delay implies that running ' +
    'programs close without asking when it fires, so unsaved work is lost: a reboot needs an explicit ' +
    '--allow reboot or a person\'s yes. `shutdown /a` cancels it during the countdown.',
  risk: 'reboot',
  params: Type.Object(
    {
      delay: Type.Optional(Type.String({ pattern: DURATION_PATTERN, format: DURATION_FORMAT, description: DURATION_HINT })),
      message: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  ),
  async plan(params, { facts }) {
    const { argv, seconds } = rebootArgv(facts.platform, params);
    return { steps: [`restart the PC in ${Math.round(seconds / 60)} min, warning logged-on users`], commands: [argv] };
  },
  async apply(params, ctx) {
    const { argv, seconds } = rebootArgv(ctx.host.platform, params);
    const r = await runStep(ctx, argv);
    if (!r.ok) {
      // 1190: a shutdown is already scheduled (by someone else): the PC restarts anyway.
      if (/exit 1190\b/.test(r.detail)) return { ok: true, detail: 'a restart was already scheduled on this PC', rebootPending: true };
      return r;
    }
    return { ok: true, detail: `restart scheduled in ${Math.round(seconds / 60)} min (cancel with ${cancelRebootArgv(ctx.host.platform).join(' ')})`, rebootPending: true, restartInMs: seconds * 1000 };
  },
});
