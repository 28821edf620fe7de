import { Type } from '@sinclair/typebox';
import { defineAction } from './action.js';
import type { HostFacts } from '../host/facts.js';
import { withImage } from '../host/processes.js';
import { describeAll, launch, launchInUserSessionArgv, launchRefusal, ownProcesses, startsAsAnotherUser } from './lib.js';

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
    const start = await whatToStart(params, facts);
    if ('blocked' in start) return { steps: [], commands: [], blocked: start.blocked };
    if (start.running) return { steps: [], commands: [] };
    if (facts.platform === 'win32') {
      const commands = launchInUserSessionArgv(start.path, start.user!, 'syncdoctor-launch-<random>');
      return { steps: [`start ${start.path} in ${start.user}'s desktop session`], commands };
    }
    return { steps: [`start ${start.path} detached`], commands: [[start.path, ...(params.args ?? [])]] };
  },
  async apply(params, ctx) {
    // Decided again from fresh facts: the diagnosis's process list is stale by now.
    const start = await whatToStart(params, ctx.facts);
    if ('blocked' in start) return { ok: false, detail: `refused: ${start.blocked}` };
    if (start.running) return { ok: true, detail: 'already running' };
    return launch(ctx, start.path, params.args ?? [], start.user, params.image ?? []);
  },
});

/**
 * What starting the agent means here: already running as its user (nothing to do), a start of
 * `path` as `user`, or why it must not be done. Someone else's program of the same name is not the
 * agent running, and not a reason to start a second one either: a person looks.
 */
async function whatToStart(
  params: { path: string; user?: string; image?: string[] },
  facts: HostFacts,
): Promise<{ blocked: string } | { running: true } | { running: false; path: string; user: string | undefined }> {
  const path = facts.expandEnv(params.path.trim());
  if (!path) return { blocked: 'the program path is not configured' };
  const refused = launchRefusal(path, params.image ?? []);
  if (refused) return { blocked: refused };
  const user = params.user?.trim() || undefined;
  if (facts.platform === 'win32' && !user) return { blocked: "the agent's Windows user is not configured" };
  const otherUser = user ? startsAsAnotherUser(facts, user) : undefined;
  if (otherUser) return { blocked: otherUser };
  const images = params.image ?? [];
  if (images.length) {
    if (!user) {
      const { processes } = await facts.processes({ owners: false });
      if (withImage(processes, images).length) return { running: true };
    } else {
      const sel = await ownProcesses(facts, images, user);
      if (sel.mine.length) return { running: true };
      if (sel.unknown.length) return { blocked: `whose ${describeAll(sel.unknown)} is, or in which session, cannot be told${sel.why ? ` (${sel.why})` : ''}: a person looks before a second one is started` };
      if (sel.others.length) return { blocked: `${describeAll(sel.others)} runs, but not as ${user} in their session: a person looks before a second one is started` };
    }
  }
  return { running: false, path, user };
}
