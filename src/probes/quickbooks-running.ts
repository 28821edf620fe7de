import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';
import { accountName, describeProcess, quickBooksCompany, withImage } from '../host/processes.js';

export default defineProbe({
  id: 'quickbooks-running',
  description: 'QuickBooks: is it running, as which Windows user and in which session, responding or hung, one instance or two',
  explain:
    'Lists the QuickBooks processes with their owner, session and status (`tasklist /v`). "Not Responding" ' +
    'hints at a hung UI or a dialog waiting for a click. A second QuickBooks instance under the syncing ' +
    'user breaks SDK access (one company file per instance). With `expect: running` a closed QuickBooks ' +
    'fails; with `expect: any` (e.g. the Web Connector may start QuickBooks itself) it is only reported.',
  params: Type.Object(
    {
      quickbooksImages: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'QuickBooks image names, e.g. ["QBW32.EXE", "QBW.EXE"]' }),
      user: Type.Optional(Type.String({ description: "the sync's Windows user; empty: any" })),
      expect: Type.Optional(Type.Union([Type.Literal('running'), Type.Literal('any')])),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { quickbooksImages: ['QBW32.EXE'], user: 'frontdesk', expect: 'running' },
  async run(params, { facts }) {
    const { processes, ownersError } = await facts.processes();
    const qb = withImage(processes, params.quickbooksImages);
    if (qb.length === 0) {
      return params.expect === 'running'
        ? { state: 'fail', summary: 'QuickBooks is not running', evidence: ['no QuickBooks process'] }
        : { state: 'pass', summary: 'QuickBooks is not open now (the sync may start it itself)', evidence: ['no QuickBooks process'] };
    }
    // The window title names the company file open in each: the file the sync needs, or another.
    const evidence = qb.map((p) => {
      const company = quickBooksCompany(p.windowTitle);
      return company ? `${describeProcess(p)}, company file "${company}" open` : describeProcess(p);
    });
    if (ownersError) {
      // Status and owners come from tasklist: without them, a hung or doubled QuickBooks cannot be ruled out.
      return { state: 'unknown', summary: 'QuickBooks is running, but whether it responds, and as whom, could not be read', error: ownersError, evidence };
    }
    const hung = qb.filter((p) => p.notResponding);
    if (hung.length) {
      return {
        state: 'fail',
        summary: `QuickBooks is not responding (${hung.map(describeProcess).join('; ')}): a hung window or a dialog waits for a click`,
        evidence,
        advice: { title: 'Clear the QuickBooks window', steps: ["Look at QuickBooks in that user's desktop and answer or close any dialog.", 'If it stays hung, save what can be saved and close QuickBooks; the sync reopens it.'] },
      };
    }
    // A status tasklist did not give (a word of another language, "Unknown") or a process tasklist
    // did not list is not "responding"; nor is an owner it could not say ("doubled" needs owners).
    const unread = qb.filter((p) => p.notResponding === null || p.user === null);
    if (unread.length) {
      return { state: 'unknown', summary: `QuickBooks is running, but whether it responds, or as whom, could not be read for ${unread.map(describeProcess).join('; ')}`, error: 'status or owner not read', evidence };
    }
    const user = params.user?.trim();
    const perUser = new Map<string, number>();
    for (const p of qb) if (p.user) perUser.set(accountName(p.user), (perUser.get(accountName(p.user)) ?? 0) + 1);
    const doubled = [...perUser].filter(([u, n]) => n > 1 && (!user || u === accountName(user)));
    if (doubled.length) {
      return {
        state: 'warn',
        summary: `${doubled[0]![1]} QuickBooks instances run as ${doubled[0]![0]}: a second instance under the syncing user blocks SDK access`,
        evidence,
        advice: { title: 'Leave one QuickBooks instance', steps: ['Ask the user to save their work and close the extra QuickBooks window.', 'Open QuickBooks only once, on the company file the sync uses.'] },
      };
    }
    return { state: 'pass', summary: `QuickBooks is running: ${[...new Set(qb.map((p) => p.user ?? 'owner unknown'))].join(', ')}`, evidence };
  },
});
