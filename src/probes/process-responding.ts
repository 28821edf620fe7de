import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { describeProcess, sameUser, withImage } from '../host/processes.js';

export default defineProbe({
  id: 'process-responding',
  description: "A running agent's window is responding (not hung), optionally only its user's instances",
  explain:
    'Reads the Status column of `tasklist /v` for the named images: "Not Responding" means Windows ' +
    'sent the program\'s window a message it did not answer for five seconds, so a tray agent that shows ' +
    'it is hung and syncs nothing until it is closed and restarted. "Running" passes. Any other status ' +
    '("Unknown", which tasklist prints for a process without a window or in another session, or a ' +
    'localised word) cannot say either way: the check is then could-not-tell, never a pass. With `user`, ' +
    'only that user\'s instances are read. When none runs there is nothing to judge (skip): whether it ' +
    'runs is process-running\'s question.',
  params: Type.Object(
    {
      names: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'image names of the agent, e.g. ["QBWebConnector.exe"]' }),
      user: Type.Optional(Type.String({ description: 'only instances owned by this Windows user; empty means any user' })),
    },
    { additionalProperties: false },
  ),
  platforms: ['win32'],
  example: { names: ['Agent.exe'], user: 'frontdesk' },
  async run(params, { facts }) {
    const label = params.names.join(' or ');
    if (facts.platform !== 'win32') {
      return { state: 'unknown', summary: `Could not tell whether ${label} responds: that is read from tasklist on Windows only`, error: `unsupported platform ${facts.platform}` };
    }
    const { processes, ownersError } = await facts.processes();
    const evidenceOf = (list: typeof processes) => list.map(describeProcess);
    // Status and owners both come from tasklist /v: without it nothing can be said.
    if (ownersError) return { state: 'unknown', summary: `Could not tell whether ${label} responds`, error: ownersError, evidence: evidenceOf(withImage(processes, params.names)) };
    const user = params.user?.trim();
    const mine = withImage(processes, params.names).filter((p) => !user || sameUser(p.user, user));
    if (mine.length === 0) return { state: 'skip', summary: `${label} is not running${user ? ` as ${user}` : ''}: nothing to judge` };
    const evidence = evidenceOf(mine);
    const hung = mine.filter((p) => p.notResponding === true);
    if (hung.length) {
      return { state: 'fail', summary: `${label} is not responding (${hung.map((p) => `pid ${p.pid}`).join(', ')}): it is hung and syncs nothing`, evidence };
    }
    const unknown = mine.filter((p) => p.notResponding === null);
    if (unknown.length) {
      return {
        state: 'unknown',
        summary: `Could not tell whether ${label} responds`,
        error: `tasklist gave no Running or Not Responding status for pid ${unknown.map((p) => p.pid).join(', ')} (no window, another session, or a localised word)`,
        evidence,
      };
    }
    return { state: 'pass', summary: `${label} is responding`, evidence };
  },
});
