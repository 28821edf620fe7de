import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { describeProcess, withImage, sameUser } from '../host/processes.js';

export default defineProbe({
  id: 'process-running',
  description: 'A process is running (by image name), optionally as a given Windows user',
  explain:
    'Looks for the named images in the process list. Names match case-insensitively, with or without ".exe". ' +
    'With `user`, only processes owned by that user count (DOMAIN\\user or user; owners come from ' +
    '`tasklist /v` on Windows and /proc on Linux). With `expect: stopped` it passes when none runs.',
  params: Type.Object(
    {
      names: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'a list of image names such as ["QBW32.EXE", "QBW.EXE"]' }),
      user: Type.Optional(Type.String({ description: 'the Windows user that must own it; empty means any user' })),
      expect: Type.Optional(Type.Union([Type.Literal('running'), Type.Literal('stopped')])),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { names: ['Agent.exe'], user: 'frontdesk' },
  async run(params, { facts }) {
    const wantUser = params.user?.trim() || '';
    const { processes, ownersError } = await facts.processes({ owners: Boolean(wantUser) });
    const matching = withImage(processes, params.names);
    const label = params.names.join(' or ');
    const evidence = matching.map(describeProcess);
    if (ownersError && wantUser) evidence.push(ownersError);

    if (params.expect === 'stopped') {
      return matching.length === 0
        ? { state: 'pass', summary: `${label} is not running`, evidence }
        : { state: 'fail', summary: `${label} is running (${matching.length})`, evidence };
    }
    if (matching.length === 0) return { state: 'fail', summary: `${label} is not running`, evidence: [`no process named ${label}`] };
    if (!wantUser) return { state: 'pass', summary: `${label} is running`, evidence };

    const mine = matching.filter((p) => sameUser(p.user, wantUser));
    if (mine.length) return { state: 'pass', summary: `${label} is running as ${wantUser}`, evidence };
    const unknownOwner = matching.filter((p) => p.user === null);
    if (unknownOwner.length) {
      return {
        state: 'unknown',
        summary: `${label} is running, but its owner could not be read`,
        error: ownersError ?? 'the process owner is not readable (run elevated or as SYSTEM to see other users\' processes)',
        evidence,
      };
    }
    const others = [...new Set(matching.map((p) => p.user))].join(', ');
    return { state: 'fail', summary: `${label} is running, but as ${others}, not as ${wantUser}`, evidence };
  },
});
