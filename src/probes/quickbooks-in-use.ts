import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { describeProcess, withImage } from '../host/processes.js';

export default defineProbe({
  id: 'quickbooks-in-use',
  description: 'Nobody is working in QuickBooks on this PC (the guard for closing QuickBooks)',
  explain:
    'Killing QuickBooks while a person has it open loses their unsaved work. This passes only when every ' +
    'QuickBooks process was started by the SDK (`-Embedding` on its command line: the sync opened it, not a ' +
    'person), or none runs. A QuickBooks a person opened counts as someone working whatever the state of ' +
    'their session: active, idle for hours, or disconnected (a disconnected session is exactly where ' +
    'unsaved work sits). Sessions come from `query user`, joined to QuickBooks processes by session id ' +
    'from `tasklist /v`. When ownership cannot be read, it does not pass: it errs on the side of the person.',
  params: Type.Object(
    {
      quickbooksImages: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'QuickBooks image names' }),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { quickbooksImages: ['QBW32.EXE'] },
  async run(params, { facts }) {
    const { processes, ownersError } = await facts.processes();
    const qb = withImage(processes, params.quickbooksImages);
    if (qb.length === 0) return { state: 'pass', summary: 'QuickBooks is not open: nobody is working in it', evidence: ['no QuickBooks process'] };
    // Command lines and sessions come from the owner-reading list: without it nobody can be ruled out.
    if (ownersError) return { state: 'unknown', summary: 'QuickBooks is open, but in whose session could not be read', error: ownersError, evidence: qb.map(describeProcess) };
    const evidence: string[] = [];
    const people: string[] = [];
    const byPerson = qb.filter((p) => {
      if (p.cmd && /(^|\s)[-/]Embedding\b/i.test(p.cmd)) {
        evidence.push(`${describeProcess(p)}: started by the SDK (-Embedding), not a person`);
        return false;
      }
      return true;
    });
    if (byPerson.length === 0) return { state: 'pass', summary: 'QuickBooks is open only for the sync (SDK-started): nobody is working in it', evidence };
    // Only for the reader: which sessions, and in what state. The verdict does not rest on it.
    const sessions = await facts.sessions().catch(() => []);
    for (const p of byPerson) {
      const s = p.sessionId === null ? undefined : sessions.find((x) => x.id === p.sessionId);
      const where = !s
        ? 'its session could not be matched to a logon'
        : s.state === 'disconnected'
          ? `${s.user}'s session ${s.id} is disconnected: unsaved work stays open in it`
          : `${s.user}'s session ${s.id} is ${s.state}, ${s.idleMinutes === null ? 'idle time unknown' : `idle ${s.idleMinutes} min`}`;
      people.push(`${describeProcess(p)}: ${where}`);
    }
    return { state: 'fail', summary: 'Someone has QuickBooks open on this PC (active, idle or disconnected: their unsaved work would be lost)', evidence: [...people, ...evidence] };
  },
});
