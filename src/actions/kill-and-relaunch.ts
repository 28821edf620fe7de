import { Type } from '@sinclair/typebox';
import { describeProcess } from '../host/processes.js';
import type { HostFacts } from '../host/facts.js';
import { defineAction, type ActionPlan } from './action.js';
import { describeAll, killArgv, killProcesses, launch, launchInUserSessionArgv, launchRefusal, ownProcesses, startsAsAnotherUser, type OwnProcesses } from './lib.js';

/**
 * Why the action cannot be done here, or undefined: no user to scope it to, processes whose owner
 * or session cannot be told, or a relaunch this platform cannot make as that user.
 */
function refusal(sel: OwnProcesses & { why: string | null }, user: string, relaunch: string, images: readonly string[], facts: HostFacts): string | undefined {
  if (!user) return "the agent's user is not configured: which processes are the agent's cannot be told";
  // An agent closed from outside does not reopen by itself (CISM's own "Kill QBW" link does; a kill does not).
  if (!relaunch) return 'the program to start again is not configured: closing the agent would leave it stopped';
  // What is relaunched must be one of the programs it closed: the agent's own, never free text.
  const notTheAgent = launchRefusal(relaunch, images);
  if (notTheAgent) return notTheAgent;
  if (sel.unknown.length) return `whose process ${describeAll(sel.unknown)} is, or in which session, cannot be told${sel.why ? ` (${sel.why})` : ''}: nothing is closed`;
  return startsAsAnotherUser(facts, user);
}

/** The sync user's processes and the others, read from `facts`, and why the action must not run (if so). */
async function choose(params: { kill: string[]; relaunch?: string; user?: string }, facts: HostFacts) {
  const user = params.user?.trim() ?? '';
  const relaunch = facts.expandEnv(params.relaunch?.trim() ?? '');
  const sel = user ? await ownProcesses(facts, params.kill, user) : { mine: [], others: [], unknown: [], why: null };
  return { user, relaunch, sel, refused: refusal(sel, user, relaunch, params.kill, facts) };
}

export default defineAction({
  id: 'kill-and-relaunch',
  description: "Close the sync user's QuickBooks and agent, then relaunch the agent (CISM's \"Kill QBW\")",
  explain:
    'Force-closes the named processes that are the sync user\'s (image AND owner AND, on Windows, one of ' +
    'that user\'s sessions), with their children, then starts the agent again so it reconnects and resumes ' +
    'syncing. Another user\'s processes are never closed: the plan names them as a person\'s step. It ' +
    'refuses when the user is not configured or when whose a matching process is cannot be read. Unsaved ' +
    'QuickBooks work is lost: remediations using it must be guarded by "nobody is working in QuickBooks on this PC".',
  risk: 'disruptive',
  settleMs: 15_000,
  settleWhat: 'the program is up',
  relaunchesAgent: true,
  params: Type.Object(
    {
      kill: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'image names to close' }),
      relaunch: Type.Optional(Type.String({ pattern: '^[^"]*$', description: 'the program to start afterwards (no double quotes); empty or missing: the step cannot be done (a closed agent does not reopen by itself)' })),
      args: Type.Optional(Type.Array(Type.String(), { description: 'arguments for the relaunched program' })),
      user: Type.Optional(Type.String({ description: 'the sync user: only this user\'s processes are closed, and the agent is started in their session' })),
    },
    { additionalProperties: false },
  ),
  async plan(params, { facts }): Promise<ActionPlan> {
    const { user, relaunch, sel, refused } = await choose(params, facts);
    if (refused) return { steps: [], commands: [], blocked: refused };
    const steps = sel.mine.map((p) => `close ${describeProcess(p)}`);
    const commands = sel.mine.map((p) => killArgv(facts.platform, p));
    for (const p of sel.others) steps.push(`leave ${describeProcess(p)} alone: not ${user}'s (a person asks its user to close it)`);
    steps.push(`start ${relaunch}${facts.platform === 'win32' ? ` in ${user}'s desktop session` : ''}`);
    if (facts.platform === 'win32') commands.push(...launchInUserSessionArgv(relaunch, user, 'syncdoctor-launch-<random>'));
    else commands.push([relaunch, ...(params.args ?? [])]);
    return { steps, commands };
  },
  async apply(params, ctx) {
    // Chosen again from a fresh process list: the diagnosis's is stale by now.
    const { user, relaunch, sel, refused } = await choose(params, ctx.facts);
    if (refused) return { ok: false, detail: `refused: ${refused}` };
    const killed = await killProcesses(ctx, sel.mine);
    if (!killed.ok) {
      // Some closed and some did not: start the agent again anyway rather than leave it stopped.
      if (!killed.closedSome) return killed;
      const started = await launch(ctx, relaunch, params.args ?? [], ctx.host.platform === 'win32' ? user : undefined, params.kill);
      return { ok: false, detail: `${killed.detail}; ${started.detail}` };
    }
    const left = sel.others.length ? `; left alone (not ${user}'s): ${describeAll(sel.others)}` : '';
    const started = await launch(ctx, relaunch, params.args ?? [], ctx.host.platform === 'win32' ? user : undefined, params.kill);
    return { ok: started.ok, detail: `${killed.detail}${left}; ${started.detail}` };
  },
});
