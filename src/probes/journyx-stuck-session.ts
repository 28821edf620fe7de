import { Type } from '@sinclair/typebox';
import { HostError } from '../core/errors.js';
import { parseJournyxSessions, type JournyxSession, type JournyxSessionTable } from '../host/parsers/journyx-sessions.js';
import { plural } from './lib.js';
import { defineProbe, type ProbeOutcome } from './probe.js';

/** A session table is a few KB; anything far larger is not one (and its header would be cut off). */
const MAX_BYTES = 2 * 1024 * 1024;

// Journyx, "How to clear an unfinished sync session", steps 1–4: reaching the "Total Syncs" list.
const OPEN_CONSOLE = [
  'In a browser, log in to Journyx with an administrator account that is NOT the (accountlink)admin account.',
  'In the address bar, replace "sysadm.pyc" with "mspConsole.pyc?" and open it (capitalisation matters).',
  'Click "Show sync registrations and data".',
  'Pick the sync project ("bucket") of this accounting file: usually there is only one; otherwise the File ID with the latest "Last Updated".',
  'Click the number under "Total Syncs". Do NOT tick the bucket\'s own checkbox: that deletes the whole sync history and makes Accountlink re-sync everything.',
];
const HAND_OVER = [
  'Select the whole table, header row included, and copy it (Ctrl+C).',
  'Save it in a text file (or export the table as CSV) and run syncdoctor again with --set journyx.historyFile=FILE.',
];
const CRITERIA = [
  'A session is safe to delete only if all three hold: 0 "Total Records Synched"; status "in progress"; it is the most recent entry (with several sync types: the most recent of its type).',
  'A session that carries records must never be deleted without Journyx support: its records would be sent again and duplicated in QuickBooks.',
];
const NEVER_BUCKET = 'Never tick the bucket\'s own checkbox: that deletes the whole sync history and makes Accountlink re-sync everything.';
const QUESTION = 'Is a sync session stuck "in progress" in the Journyx sync console\'s "Total Syncs" list?';
const PASTE_PROMPT = 'Paste the "Total Syncs" table from the Journyx sync console (header row included), or leave it empty to skip';

export default defineProbe({
  id: 'journyx-stuck-session',
  description: 'Journyx Accountlink: names the one stuck sync session that is safe to delete, from the sync console\'s session table',
  explain:
    'Reads the "Total Syncs" table of the Journyx sync console (mspConsole.pyc), from `historyFile` or pasted by the ' +
    'technician; unattended and without a file it is skipped with the steps to get the table. It applies Journyx\'s three ' +
    'conditions for deleting an unfinished session: 0 "Total Records Synched", status "in progress", and the most recent ' +
    'entry (per sync type when the table has types). It fails naming the one session that meets all three, with the ' +
    'deletion steps; refuses any in-progress session that carries records (contact Journyx support); passes when none is ' +
    'in progress; errors when the table cannot be read or a condition cannot be told. It never deletes anything.',
  params: Type.Object(
    {
      historyFile: Type.Optional(
        Type.String({
          description: 'a text or CSV file with the "Total Syncs" table copied from the Journyx sync console (%VARIABLES% expanded); empty: ask the technician to paste it, or skip',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { historyFile: 'C:\\Users\\frontdesk\\total-syncs.txt' },
  async run(params, { facts, asker }) {
    const file = params.historyFile?.trim() ?? '';
    let text: string;
    let source: string;
    if (file) {
      const path = facts.expandEnv(file);
      try {
        const st = await facts.stat(path);
        if (!st || st.isDirectory) throw new HostError(`file not found: ${path}`, 'not-found');
        if (st.size > MAX_BYTES) {
          return unreadable(`${path} is ${st.size} bytes: too large to be a session table (at most ${MAX_BYTES})`, [`session table file: ${path}`]);
        }
        text = await facts.readText(path, MAX_BYTES);
        source = `session table from ${path} (${st.size} bytes, saved ${st.mtime.toISOString()})`;
      } catch (err) {
        if (!(err instanceof HostError)) throw err;
        return {
          state: 'unknown',
          summary: `Could not read the session table: ${err.message}`,
          error: err.message,
          evidence: [`historyFile: ${path}`],
          advice: { title: 'Save the "Total Syncs" table from the Journyx sync console to that file', steps: [...OPEN_CONSOLE, ...HAND_OVER] },
        };
      }
    } else if (asker?.input) {
      const pasted = await asker.input(PASTE_PROMPT, [...OPEN_CONSOLE, HAND_OVER[0]!]);
      if (pasted === undefined || pasted.trim() === '') {
        return { state: 'skip', summary: 'The technician did not paste the session table', question: QUESTION, answer: 'skip', manual: [...OPEN_CONSOLE, ...CRITERIA] };
      }
      text = pasted;
      source = `session table pasted by the technician (${plural(pasted.split(/\r?\n/).filter((l) => l.trim()).length, 'line')})`;
    } else {
      return {
        state: 'skip',
        summary: 'Needs the session table from the Journyx sync console (not set: historyFile; nobody to paste it in an unattended run)',
        question: QUESTION,
        manual: [...OPEN_CONSOLE, ...HAND_OVER, ...CRITERIA],
      };
    }
    return judge(parseJournyxSessions(text), source);
  },
});

function unreadable(cause: string, evidence: string[]): ProbeOutcome {
  return {
    state: 'unknown',
    summary: `Could not read the session table: ${cause}`,
    error: cause,
    evidence,
    advice: { title: 'Copy the "Total Syncs" table again, header row included', steps: [...OPEN_CONSOLE, ...HAND_OVER] },
  };
}

type Recency = { latest: JournyxSession } | { unknown: string };

/** The most recent session of a group; unknown when the dates cannot say (never guessed from row order). */
function mostRecent(group: JournyxSession[], table: JournyxSessionTable): Recency {
  if (group.length === 1) return { latest: group[0]! };
  if (table.columns?.when === null) return { unknown: 'the table has no date or time column, so the most recent entry cannot be told' };
  const pick = (key: 'at' | 'atIfDayFirst'): Recency => {
    const bad = group.find((s) => s[key] === null);
    if (bad) return { unknown: `the date on line ${bad.line} (${JSON.stringify(bad.when ?? '')}) cannot be read` };
    // A loop, not Math.max(...): a pasted table may hold more rows than a call takes arguments.
    const top = group.reduce((max, s) => Math.max(max, s[key]!), -Infinity);
    const at = group.filter((s) => s[key] === top);
    if (at.length > 1) return { unknown: `lines ${at.map((s) => s.line).join(' and ')} share the latest time` };
    return { latest: at[0]! };
  };
  const a = pick('at');
  if (table.dateOrder !== 'ambiguous' || !('latest' in a)) return a;
  const b = pick('atIfDayFirst');
  if ('latest' in b && b.latest === a.latest) return a;
  return { unknown: 'the dates could be month-first or day-first, and the most recent entry depends on which' };
}

function label(s: JournyxSession): string {
  return s.id ? `session ${s.id}` : `the entry on line ${s.line}${s.when ? ` (${s.when})` : ''}`;
}

/** What a technician looks for in the list: id or time, type, status and records, under their own headers. */
function details(s: JournyxSession, table: JournyxSessionTable): string {
  const cols = table.columns!;
  const parts = [label(s)];
  if (s.type) parts.push(`${cols.headers[cols.type!]} ${s.type}`);
  if (s.when && s.id) parts.push(`${cols.headers[cols.when!]} ${s.when}`);
  parts.push(`status "${s.status}"`);
  parts.push(`${cols.headers[cols.records]} ${s.recordsText === '' ? '(blank)' : s.recordsText}`);
  return parts.join(', ');
}

function describe(s: JournyxSession, table: JournyxSessionTable): string {
  return `line ${s.line}: ${details(s, table)}`;
}

function groupKey(s: JournyxSession): string {
  return (s.type ?? '').trim().toLowerCase();
}

function judge(table: JournyxSessionTable, source: string): ProbeOutcome {
  const evidence = [source];
  const problemLines = (max: number) => [
    ...table.problems.slice(0, max).map((p) => `not read: ${p}`),
    ...(table.problems.length > max ? [`not read: ${table.problems.length - max} more lines`] : []),
  ];
  const cols = table.columns;
  if (!cols) return unreadable('no header row with a records column ("Total Records Synched") and a status column', [...evidence, ...problemLines(5)]);
  const named = (role: string, i: number | null) => (i === null ? `${role}: none` : `${role}: "${cols.headers[i]}"`);
  evidence.push(
    `${plural(table.sessions.length, 'session')} read (${table.format}); columns ${[named('records', cols.records), named('status', cols.status), named('time', cols.when), named('type', cols.type), named('id', cols.id)].join(', ')}`,
  );
  evidence.push(...problemLines(5));
  if (table.sessions.length === 0) {
    return unreadable('the table has a header row but no session rows', evidence);
  }
  // A row that could not be read could be the stuck session, or a more recent one than those read.
  if (table.unreadRows > 0) {
    return unreadable(`${plural(table.unreadRows, 'line')} under the header could not be read as sessions (see "not read"): the stuck session could be among them`, evidence);
  }

  const groups = new Map<string, JournyxSession[]>();
  for (const s of table.sessions) groups.set(groupKey(s), [...(groups.get(groupKey(s)) ?? []), s]);
  const recency = new Map([...groups].map(([k, g]) => [k, mostRecent(g, table)]));
  const typed = cols.type !== null && groups.size > 1;
  const ofType = (s: JournyxSession) => (typed ? ` of type ${s.type || '(blank)'}` : '');

  const safe: JournyxSession[] = [];
  const refused: JournyxSession[] = [];
  const older: JournyxSession[] = [];
  const unsure: { s: JournyxSession; why: string }[] = [];
  for (const s of table.sessions.filter((x) => x.inProgress)) {
    evidence.push(describe(s, table));
    const r = recency.get(groupKey(s))!;
    if (s.records !== null && s.records > 0) refused.push(s);
    else if (s.records === null) unsure.push({ s, why: `its "${cols.headers[cols.records]}" value ${JSON.stringify(s.recordsText)} is not a number` });
    else if ('unknown' in r) unsure.push({ s, why: r.unknown });
    else if (r.latest === s) safe.push(s);
    else older.push(s);
  }
  for (const [k, r] of recency) {
    if ('latest' in r && !r.latest.inProgress) evidence.push(`most recent entry${typed ? ` of type ${groups.get(k)![0]!.type || '(blank)'}` : ''}: ${describe(r.latest, table)}`);
  }
  for (const u of unsure) evidence.push(`cannot tell for ${label(u.s)}: ${u.why}`);

  if (safe.length === 0 && refused.length === 0 && unsure.length === 0 && older.length === 0) {
    return { state: 'pass', summary: `No sync session is stuck: none of the ${plural(table.sessions.length, 'session')} is "in progress"`, evidence };
  }

  const refuseSteps = refused.map(
    (s) =>
      `Do NOT delete ${label(s)}: it is "in progress" but carries ${plural(s.records!, 'record')}. Deleting it would unsync them, so Accountlink would send them again and duplicate them in QuickBooks. Contact Journyx support about it.`,
  );
  const refuseSummary = refused.map((s) => `${label(s)}${ofType(s)} is "in progress" but carries ${plural(s.records!, 'record')}: do not delete it; contact Journyx support`);

  if (safe.length) {
    const which = safe.map((s) => `${label(s)}${ofType(s)}`);
    const summary =
      safe.length === 1
        ? `Sync session stuck: ${which[0]} is "in progress" with 0 records and is the most recent entry${typed ? ' of its type' : ''}: it is the one session safe to delete`
        : `${safe.length} sync sessions are stuck, one per sync type, each "in progress" with 0 records and the most recent of its type: ${which.join(', ')}; delete them one at a time`;
    const tick =
      safe.length === 1
        ? `Tick only that run (${label(safe[0]!)}).`
        : `Tick only one of these runs (${safe.map(label).join(', ')}); after it is deleted, repeat these steps for the next one.`;
    return {
      state: 'fail',
      summary: [summary, ...refuseSummary].join('. '),
      evidence,
      advice: {
        risk: 'irreversible',
        title: `Delete only the stuck ${safe.length === 1 ? `session ${safe[0]!.id ?? `on line ${safe[0]!.line}`}` : 'sessions'} in the Journyx sync console`,
        steps: [
          'Open the "Total Syncs" list of this accounting file\'s bucket in the Journyx sync console (mspConsole.pyc?; see "Find the stuck session in the Journyx sync console" below).',
          `Find ${safe.map((s) => details(s, table)).join('; and ')}. ${safe.length === 1 ? 'It meets' : 'Each meets'} all three of Journyx's conditions: 0 "Total Records Synched", status "in progress", the most recent entry${typed ? ' of its sync type' : ''}.`,
          'Make sure nobody is syncing with Accountlink right now: a sync that is still running also shows "in progress".',
          tick,
          NEVER_BUCKET,
          ...refuseSteps,
          'At the bottom, click "Delete session(s) and unsync record(s)", confirm the single pop-up, and wait for the confirmation message.',
          'On the desktop, close and reopen Accountlink and sync again. If it fails, contact Journyx support.',
        ],
      },
    };
  }

  if (refused.length) {
    return {
      state: 'fail',
      summary: `Sync session stuck, but not safe to delete: ${refuseSummary.join('. ')}`,
      evidence,
      advice: {
        title: `Do not delete ${refused.map(label).join(' or ')}: contact Journyx support`,
        steps: [
          ...refuseSteps,
          'Send Journyx support this report (the session, its status and its record count) and follow their instructions; delete nothing before they say so.',
          NEVER_BUCKET,
        ],
      },
    };
  }

  if (unsure.length) {
    const u = unsure[0]!;
    return {
      state: 'unknown',
      summary: `Could not tell whether ${label(u.s)}${ofType(u.s)} is safe to delete: ${u.why}`,
      error: unsure.map((x) => `${label(x.s)}: ${x.why}`).join('; '),
      evidence,
      advice: {
        risk: 'irreversible',
        title: 'Check the stuck session against Journyx\'s three conditions by eye',
        steps: [...OPEN_CONSOLE, ...CRITERIA, 'If one session meets all three, tick only that run, click "Delete session(s) and unsync record(s)" and confirm; otherwise contact Journyx support.'],
      },
    };
  }

  // Only older entries still say "in progress": later syncs ran, so nothing is blocked by them.
  return {
    state: 'warn',
    summary: `${older.map((s) => `${label(s)}${ofType(s)}`).join(', ')} still ${older.length === 1 ? 'says' : 'say'} "in progress" but ${older.length === 1 ? 'is not' : 'are not'} the most recent entry: not safe to delete by Journyx's conditions`,
    evidence,
    advice: {
      title: 'Leave the older session alone; contact Journyx support if syncing fails',
      steps: [
        `Do not delete ${older.map(label).join(' or ')}: Journyx's conditions allow deleting only the most recent entry${typed ? ' of its sync type' : ''}.`,
        'If Accountlink still fails to sync, contact Journyx support with this report.',
      ],
    },
  };
}
