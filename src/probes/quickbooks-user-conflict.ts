import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { accountName, describeProcess, withImage, sameUser } from '../host/processes.js';

export default defineProbe({
  id: 'quickbooks-user-conflict',
  description: "QuickBooks is open in another Windows user's session than the sync agent's",
  explain:
    'One company file per QuickBooks instance, and a person logged into QuickBooks under another ' +
    'QuickBooks user blocks an SDK agent until they log out. This probe finds QuickBooks processes ' +
    '(owners and sessions from `tasklist /v`) and fails when one runs under a Windows user other than ' +
    "the agent's (the configured `syncUser`, or the owner of the agent's own process).",
  params: Type.Object(
    {
      quickbooksImages: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'QuickBooks image names, e.g. ["QBW32.EXE", "QBW.EXE"]' }),
      syncUser: Type.Optional(Type.String({ description: "the agent's Windows user; empty: taken from the agent's process owner" })),
      agentImages: Type.Optional(Type.Array(Type.String(), { description: "the agent's image names, to learn its user when syncUser is empty" })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { quickbooksImages: ['QBW32.EXE'], syncUser: 'frontdesk' },
  async run(params, { facts }) {
    const { processes, ownersError } = await facts.processes();
    const qb = withImage(processes, params.quickbooksImages);
    if (qb.length === 0) return { state: 'pass', summary: 'QuickBooks is not open on this PC', evidence: ['no QuickBooks process'] };
    const evidence = qb.map(describeProcess);
    const agent = params.agentImages?.length ? withImage(processes, params.agentImages).find((p) => p.user) : undefined;
    const syncUser = params.syncUser?.trim() || agent?.user || '';
    if (agent?.user && !params.syncUser) evidence.push(`agent user taken from ${describeProcess(agent)}`);
    if (qb.some((p) => p.user === null)) {
      return {
        state: 'unknown',
        summary: 'QuickBooks is open, but who runs it could not be read',
        error: ownersError ?? "the process owner is not readable (run elevated or as SYSTEM to see other users' processes)",
        evidence,
      };
    }
    const owners = [...new Map(qb.map((p) => [accountName(p.user!), p.user!])).values()];
    if (!syncUser) {
      if (owners.length > 1) return { state: 'fail', summary: `QuickBooks is open under several Windows users: ${owners.join(', ')}`, evidence };
      return {
        state: 'warn',
        summary: `QuickBooks is open as ${owners[0]}; the sync agent's Windows user is not configured, so a conflict cannot be ruled out`,
        evidence,
      };
    }
    const others = qb.filter((p) => !sameUser(p.user, syncUser));
    if (others.length === 0) return { state: 'pass', summary: `QuickBooks is open only as the sync user ${syncUser}`, evidence };
    const who = [...new Set(others.map((p) => p.user))].join(', ');
    const sessions = [...new Set(others.map((p) => p.sessionId).filter((s) => s !== null))];
    return {
      state: 'fail',
      summary: `QuickBooks is open as ${who}${sessions.length ? ` (session ${sessions.join(', ')})` : ''}, not as the sync user ${syncUser}: the agent is blocked until that person closes QuickBooks`,
      evidence,
    };
  },
});
