import { Type } from '@sinclair/typebox';
import { defineAction } from './action.js';
import { launch, launchInUserSessionArgv, launchRefusal } from './lib.js';
import { matchesImage } from '../host/processes.js';

export default defineAction({
  id: 'start-process',
  description: "Start a program detached (on Windows in the logged-on user's desktop session)",
  explain:
    'Starts the agent if it is not already running. On Windows a tray agent must run in its user\'s ' +
    'desktop, not in session 0 where RMM jobs run as SYSTEM, so it goes through a one-shot scheduled task ' +
    'with /it for that user (created, run, deleted). Elsewhere it spawns the program detached.',
  risk: 'safe',
  settleMs: 15_000,
  settleWhat: 'the program is up',
  params: Type.Object(
    {
      // No double quote: no Windows path holds one, and schtasks /tr wraps the path in quotes.
      path: Type.String({ pattern: '^[^"]*$', description: 'the full path of the program (no double quotes); empty means not configured' }),
      args: Type.Optional(Type.Array(Type.String())),
      user: Type.Optional(Type.String({ description: 'the Windows user whose desktop it starts in' })),
      image: Type.Optional(Type.Array(Type.String(), { description: 'image names that mean it is already running' })),
    },
    { additionalProperties: false },
  ),
  async plan(params, { facts }) {
    if (!params.path.trim()) return { steps: [], commands: [], blocked: 'the program path is not configured' };
    const refused = launchRefusal(facts.expandEnv(params.path.trim()), params.image ?? []);
    if (refused) return { steps: [], commands: [], blocked: refused };
    if (params.image?.length) {
      const { processes } = await facts.processes({ owners: false });
      if (processes.some((p) => matchesImage(p, params.image!))) return { steps: [], commands: [] };
    }
    if (facts.platform === 'win32') {
      const user = params.user?.trim();
      if (!user) return { steps: [], commands: [], blocked: "the agent's Windows user is not configured" };
      const commands = launchInUserSessionArgv(params.path, user, 'syncdoctor-launch-<random>');
      return { steps: [`start ${params.path} in ${user}'s desktop session`], commands };
    }
    return { steps: [`start ${params.path} detached`], commands: [[params.path, ...(params.args ?? [])]] };
  },
  async apply(params, ctx) {
    const path = ctx.facts.expandEnv(params.path.trim());
    if (!path) return { ok: false, detail: 'the program path is not configured' };
    if (params.image?.length && (await ctx.host.listProcesses()).some((p) => matchesImage(p, params.image!))) {
      return { ok: true, detail: 'already running' };
    }
    return launch(ctx, path, params.args ?? [], params.user?.trim() || undefined, params.image ?? []);
  },
});
