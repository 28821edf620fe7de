import { Type } from '@sinclair/typebox';
import { DURATION_HINT, parseDuration } from '../core/duration.js';
import { defineAction } from './action.js';

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
      delay: Type.Optional(Type.String({ format: 'duration', description: DURATION_HINT })),
      message: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  ),
  async plan(params, { facts }) {
    const seconds = Math.round((parseDuration(params.delay ?? '15m') ?? 900_000) / 1000);
    const message = params.message ?? 'Restart by IT to repair the accounting sync. Please save your work.';
    const argv =
      facts.platform === 'win32'
        ? ['shutdown', '/r', '/t', String(seconds), '/c', message]
        : ['shutdown', '-r', `+${Math.max(1, Math.ceil(seconds / 60))}`, message];
    return { steps: [`restart the PC in ${Math.round(seconds / 60)} min, warning logged-on users`], commands: [argv] };
  },
});
