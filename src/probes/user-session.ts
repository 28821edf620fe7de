import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { describeSession, sameUser } from '../host/processes.js';

export default defineProbe({
  id: 'user-session',
  description: 'An interactive user session exists (any user, or a named one); active or disconnected',
  explain:
    'Reads the interactive logons (`query user` on Windows, `who` on Linux). Passes when the user (or, ' +
    'without `user`, anyone) has an active session. A disconnected session still runs tray apps, but a ' +
    'program that needs the desktop may stall there: `disconnected` decides whether that is pass, warn or fail.',
  params: Type.Object(
    {
      user: Type.Optional(Type.String({ description: 'the Windows user that must be logged on; empty means anyone' })),
      disconnected: Type.Optional(Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail')])),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { user: 'frontdesk' },
  async run(params, { facts }) {
    const sessions = await facts.sessions();
    const wantUser = params.user?.trim() || '';
    const evidence = sessions.length ? sessions.map(describeSession) : ['no interactive logons'];
    const relevant = wantUser ? sessions.filter((s) => sameUser(s.user, wantUser)) : sessions;
    const who = wantUser || 'anyone';
    if (relevant.length === 0) {
      const others = sessions.length ? ` (logged on: ${[...new Set(sessions.map((s) => s.user))].join(', ')})` : '';
      return { state: 'fail', summary: wantUser ? `${wantUser} is not logged on${others}` : 'Nobody is logged on', evidence };
    }
    if (relevant.some((s) => s.state === 'active')) {
      return { state: 'pass', summary: wantUser ? `${wantUser} is logged on (active session)` : 'A user is logged on (active session)', evidence };
    }
    if (relevant.some((s) => s.state === 'disconnected')) {
      const state = params.disconnected ?? 'warn';
      return { state, summary: `${wantUser || 'The only logon'} is logged on, but the session is disconnected`, evidence };
    }
    return { state: 'warn', summary: `${who} is logged on, but the session state could not be read`, evidence };
  },
});
