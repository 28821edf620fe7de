import { Type } from '@sinclair/typebox';
import { defineAction } from './action.js';
import { killArgv, killByName, launch, launchInUserSessionArgv } from './lib.js';
import { describeProcess, matchesImage } from '../host/processes.js';

export default defineAction({
  id: 'kill-and-relaunch',
  description: "Close QuickBooks and the agent, then relaunch the agent (CISM's \"Kill QBW\")",
  explain:
    'Force-closes the named processes with their children (QuickBooks and the agent), then starts the ' +
    'agent again so it reconnects and resumes syncing. Unsaved QuickBooks work is lost: remediations ' +
    'using it must be guarded by "nobody is working in QuickBooks on this PC".',
  risk: 'disruptive',
  settleMs: 15_000,
  params: Type.Object(
    {
      kill: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'image names to close' }),
      relaunch: Type.Optional(Type.String({ pattern: '^[^"]*$', description: 'the program to start afterwards (no double quotes); empty: the agent relaunches itself' })),
      args: Type.Optional(Type.Array(Type.String(), { description: 'arguments for the relaunched program' })),
      user: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
  async plan(params, { facts }) {
    const { processes } = await facts.processes();
    const victims = processes.filter((p) => matchesImage(p, params.kill));
    const steps = victims.map((p) => `close ${describeProcess(p)}`);
    const commands = victims.map((p) => killArgv(facts.platform, p));
    const relaunch = params.relaunch?.trim();
    if (relaunch) {
      steps.push(`start ${relaunch}`);
      if (facts.platform === 'win32' && params.user) commands.push(...launchInUserSessionArgv(relaunch, params.user, 'syncdoctor-launch-<random>'));
      else commands.push([relaunch, ...(params.args ?? [])]);
    }
    return { steps, commands };
  },
  async apply(params, ctx) {
    const killed = await killByName(ctx, params.kill);
    if (!killed.ok) return killed;
    const relaunch = ctx.facts.expandEnv(params.relaunch?.trim() ?? '');
    if (!relaunch) return { ok: true, detail: `${killed.detail}; the agent relaunches itself` };
    const started = await launch(ctx, relaunch, params.args ?? [], params.user?.trim() || undefined);
    return { ok: started.ok, detail: `${killed.detail}; ${started.detail}` };
  },
});
