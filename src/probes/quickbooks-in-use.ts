import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { describeProcess, withImage } from '../host/processes.js';

export default defineProbe({
  id: 'quickbooks-in-use',
  description: 'Nobody is working in QuickBooks on this PC (the guard for closing QuickBooks)',
  explain:
    'Killing QuickBooks while a person works in it loses their work. This passes only when no QuickBooks ' +
    'process runs in a session whose user is active and idle for less than `idleMinutes` (sessions from ' +
    '`query user`, joined to QuickBooks processes by session id from `tasklist /v`). An instance started by ' +
    'the SDK (`-Embedding` on its command line) is not a person. When ownership or idle time cannot be ' +
    'read, it does not pass: it errs on the side of the person.',
  params: Type.Object(
    {
      quickbooksImages: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'QuickBooks image names' }),
      idleMinutes: Type.Optional(Type.Integer({ minimum: 1, description: 'idle longer than this in an active session counts as not working (default 30)' })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { quickbooksImages: ['QBW32.EXE'] },
  async run(params, { facts }) {
    const { processes, ownersError } = await facts.processes();
    const qb = withImage(processes, params.quickbooksImages);
    if (qb.length === 0) return { state: 'pass', summary: 'QuickBooks is not open: nobody is working in it', evidence: ['no QuickBooks process'] };
    // Sessions come from tasklist: without them nobody can be ruled out (and this guard never passes).
    if (ownersError) return { state: 'unknown', summary: 'QuickBooks is open, but in whose session could not be read', error: ownersError, evidence: qb.map(describeProcess) };
    const sessions = await facts.sessions();
    const idleLimit = params.idleMinutes ?? 30;
    const evidence: string[] = [];
    const busy: string[] = [];
    for (const p of qb) {
      if (p.cmd && /(^|\s)[-/]Embedding\b/i.test(p.cmd)) {
        evidence.push(`${describeProcess(p)}: started by the SDK (-Embedding), not a person`);
        continue;
      }
      const s = p.sessionId === null ? undefined : sessions.find((x) => x.id === p.sessionId);
      if (!s) {
        busy.push(`${describeProcess(p)}: its session could not be matched to a logon`);
        continue;
      }
      if (s.state === 'disconnected') {
        evidence.push(`${describeProcess(p)}: session ${s.id} of ${s.user} is disconnected`);
      } else if (s.state === 'active' && s.idleMinutes !== null && s.idleMinutes >= idleLimit) {
        evidence.push(`${describeProcess(p)}: ${s.user} has been idle ${s.idleMinutes} min`);
      } else {
        const idle = s.idleMinutes === null ? 'idle time unknown' : `idle ${s.idleMinutes} min`;
        busy.push(`${describeProcess(p)}: ${s.user}'s session is ${s.state}, ${idle}`);
      }
    }
    if (busy.length) return { state: 'fail', summary: 'Someone may be working in QuickBooks on this PC', evidence: [...busy, ...evidence] };
    return { state: 'pass', summary: 'QuickBooks is open, but nobody is working in it (disconnected, idle or SDK-started)', evidence };
  },
});
