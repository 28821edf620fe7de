import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { accountName, describeSession } from '../host/processes.js';

export default defineProbe({
  id: 'shared-machine',
  description: 'The PC is not one that several users log into at once (terminal server, shared remote PC)',
  explain:
    'Counts the distinct users with interactive logons (`query user`). More than `maxUsers` means other ' +
    "people log into this PC, which CISM's vendor says it must not be on: their QuickBooks sessions " +
    'block the agent.',
  params: Type.Object(
    {
      maxUsers: Type.Optional(Type.Integer({ minimum: 1, description: 'how many distinct users may be logged on (default 1)' })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: {},
  async run(params, { facts }) {
    const sessions = await facts.sessions();
    const users = [...new Set(sessions.map((s) => accountName(s.user)))];
    const max = params.maxUsers ?? 1;
    const evidence = sessions.length ? sessions.map(describeSession) : ['no interactive logons'];
    const remote = sessions.filter((s) => /^rdp/i.test(s.sessionName)).length;
    if (remote) evidence.push(`${remote} remote desktop session(s)`);
    if (users.length > max) {
      return { state: 'warn', summary: `${users.length} different users are logged on (${users.join(', ')}): the sync agent should be on a PC that others do not log into`, evidence };
    }
    return { state: 'pass', summary: users.length === 0 ? 'Nobody is logged on now' : users.length === 1 ? `Only one user is logged on (${users[0]})` : `Logged on: ${users.join(', ')}`, evidence };
  },
});
