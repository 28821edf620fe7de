import { describe, expect, it } from 'vitest';
import { HostFacts } from '../../src/host/facts.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import probe from '../../src/probes/journyx-stuck-session.js';
import { getProbe } from '../../src/probes/index.js';
import type { Asker, ProbeContext } from '../../src/probes/probe.js';

type File = NonNullable<Snapshot['files']>[number];

const FILE = 'C:\\Users\\bookkeeper\\Desktop\\total-syncs.txt';

function ctx(files: File[] = [], asker?: Asker): ProbeContext {
  const snapshot: Snapshot = {
    syncdoctorSnapshot: 1,
    capturedAt: '2026-11-20T14:03:00Z',
    platform: 'win32',
    hostname: 'ACCT-PC02',
    uptimeSeconds: 93600,
    env: { USERPROFILE: 'C:\\Users\\bookkeeper' },
    files,
  };
  const facts = new HostFacts(new SnapshotHost(snapshot));
  return { facts, signal: new AbortController().signal, ...(asker ? { asker } : {}) };
}

const HEADER = ['Session ID', 'Sync Type', 'Start Time', 'Status', 'Total Records Synched'];
const table = (...rows: string[][]) => [HEADER, ...rows].map((r) => r.join('\t')).join('\r\n') + '\r\n';
const row = (id: string, type: string, when: string, status: string, records: string) => [id, type, when, status, records];

/** Runs the probe on a session table saved as the history file. */
const onFile = (text: string) => probe.run({ historyFile: FILE }, ctx([{ path: FILE, content: text }]));

const DONE_1 = row('1036', 'Time', '11/13/2026 4:41 PM', 'Completed', '214');
const DONE_2 = row('1037', 'Time', '11/16/2026 4:45 PM', 'Completed', '12');
const STUCK = row('1039', 'Time', '11/19/2026 4:52 PM', 'In Progress', '0');

describe('journyx-stuck-session', () => {
  it('is registered under its file name', () => {
    expect(getProbe('journyx-stuck-session')).toBe(probe);
  });

  it('names the one session that meets all three conditions, with the deletion steps', async () => {
    const o = await onFile(table(DONE_1, DONE_2, STUCK));
    expect(o.state).toBe('fail');
    expect(o.summary).toMatch(/session 1039 is "in progress" with 0 records and is the most recent entry: it is the one session safe to delete/);
    expect(o.evidence).toContain('line 4: session 1039, Sync Type Time, Start Time 11/19/2026 4:52 PM, status "In Progress", Total Records Synched 0');
    expect(o.advice?.title).toBe('Delete only the stuck session 1039 in the Journyx sync console');
    const steps = o.advice!.steps.join('\n');
    expect(steps).toMatch(/Tick only that run \(session 1039\)/);
    expect(steps).toMatch(/Never tick the bucket's own checkbox/);
    expect(steps).toMatch(/click "Delete session\(s\) and unsync record\(s\)", confirm the single pop-up/);
    expect(steps).toMatch(/close and reopen Accountlink and sync again/);
    // The order of the article: tick, then delete, then reopen.
    const at = (re: RegExp) => o.advice!.steps.findIndex((s) => re.test(s));
    expect(at(/Tick only/)).toBeLessThan(at(/Delete session/));
    expect(at(/Delete session/)).toBeLessThan(at(/reopen Accountlink/));
  });

  it('condition 1 violated: refuses a session that carries records and sends to Journyx support', async () => {
    const o = await onFile(table(DONE_1, row('1039', 'Time', '11/19/2026 4:52 PM', 'In Progress', '37')));
    expect(o.state).toBe('fail');
    expect(o.summary).toMatch(/not safe to delete: session 1039 is "in progress" but carries 37 records: do not delete it; contact Journyx support/);
    expect(o.advice?.title).toBe('Do not delete session 1039: contact Journyx support');
    const steps = o.advice!.steps.join('\n');
    expect(steps).toMatch(/Do NOT delete session 1039/);
    expect(steps).toMatch(/duplicate them in QuickBooks/);
    expect(steps).not.toMatch(/Tick only/);
    expect(steps).not.toMatch(/click "Delete session/);
  });

  it('condition 2 violated: nothing in progress passes', async () => {
    const o = await onFile(table(DONE_1, DONE_2, row('1039', 'Time', '11/19/2026 4:52 PM', 'Failed', '0')));
    expect(o.state).toBe('pass');
    expect(o.summary).toBe('No sync session is stuck: none of the 3 sessions is "in progress"');
    expect(o.advice).toBeUndefined();
  });

  it.each([
    ['a row with more cells than the header', [...STUCK, 'extra', 'extra2']],
    ['a row whose status cell is blank', row('1039', 'Time', '11/19/2026 4:52 PM', '', '0')],
  ])('a line under the header that cannot be read as a session (%s): could not tell, never a pass (was: pass)', async (_name, unread) => {
    const o = await onFile(table(DONE_1, unread));
    expect(o.state).toBe('unknown');
    expect(o.summary).toBe('Could not read the session table: 1 line under the header could not be read as sessions (see "not read"): the stuck session could be among them');
    expect((o.evidence ?? []).some((e) => e.startsWith('not read: line 3:'))).toBe(true);
  });

  it('a row that cannot be read also blocks naming a session as safe to delete (it could be more recent)', async () => {
    const o = await onFile(table(DONE_1, STUCK, [...row('1040', 'Time', '11/20/2026 8:30 AM', 'In Progress', '0'), 'x', 'y']));
    expect(o.state).toBe('unknown');
    expect(o.advice?.steps.join('\n') ?? '').not.toMatch(/Tick only/);
  });

  it('condition 3 violated: an older in-progress entry is not named for deletion (warn)', async () => {
    const o = await onFile(table(DONE_1, STUCK, row('1040', 'Time', '11/20/2026 8:30 AM', 'Completed', '5')));
    expect(o.state).toBe('warn');
    expect(o.summary).toMatch(/session 1039 still says "in progress" but is not the most recent entry: not safe to delete/);
    expect(o.advice?.steps.join('\n')).toMatch(/Do not delete session 1039/);
    expect(o.advice?.steps.join('\n')).not.toMatch(/Tick only/);
  });

  it('with several sync types, judges "most recent" per type', async () => {
    const laterExpense = row('1040', 'Expense', '11/19/2026 4:58 PM', 'Completed', '9');
    const o = await onFile(table(DONE_1, row('1038', 'Expense', '11/13/2026 4:45 PM', 'Completed', '12'), STUCK, laterExpense));
    expect(o.state).toBe('fail');
    expect(o.summary).toMatch(/session 1039 of type Time is "in progress" with 0 records and is the most recent entry of its type: it is the one session safe to delete/);
    expect(o.evidence?.join('\n')).toMatch(/most recent entry of type Expense: line 5: session 1040/);
    expect(o.advice?.steps.join('\n')).toMatch(/the most recent entry of its sync type/);

    // Without a type column the same rows are one history, and the Expense run is more recent.
    const untyped = [
      ['Session ID', 'Start Time', 'Status', 'Total Records Synched'],
      ['1036', '11/13/2026 4:41 PM', 'Completed', '214'],
      ['1039', '11/19/2026 4:52 PM', 'In Progress', '0'],
      ['1040', '11/19/2026 4:58 PM', 'Completed', '9'],
    ];
    const u = await onFile(untyped.map((r) => r.join('\t')).join('\n'));
    expect(u.state).toBe('warn');
  });

  it('names a stuck session in each type separately, one at a time', async () => {
    const o = await onFile(table(DONE_1, STUCK, row('1041', 'Expense', '11/19/2026 5:10 PM', 'In Progress', '0')));
    expect(o.state).toBe('fail');
    expect(o.summary).toMatch(/2 sync sessions are stuck, one per sync type.*session 1039 of type Time, session 1041 of type Expense; delete them one at a time/);
    expect(o.advice?.steps.join('\n')).toMatch(/Tick only one of these runs \(session 1039, session 1041\)/);
  });

  it('names the safe session and refuses the one with records when both occur', async () => {
    const o = await onFile(table(DONE_1, STUCK, row('1041', 'Expense', '11/19/2026 5:10 PM', 'In Progress', '12')));
    expect(o.state).toBe('fail');
    expect(o.summary).toMatch(/session 1039 of type Time .* safe to delete/);
    expect(o.summary).toMatch(/session 1041 of type Expense is "in progress" but carries 12 records: do not delete it; contact Journyx support/);
    const steps = o.advice!.steps;
    expect(steps.some((s) => /^Do NOT delete session 1041/.test(s))).toBe(true);
    // The warning comes before the delete button.
    expect(steps.findIndex((s) => /^Do NOT delete/.test(s))).toBeLessThan(steps.findIndex((s) => /Delete session\(s\)/.test(s)));
  });

  it('cannot tell (error) when recency or the record count cannot be read, and never guesses from row order', async () => {
    const noDates = [
      ['Session', 'Status', 'Records Synched'],
      ['1', 'Completed', '4'],
      ['2', 'In Progress', '0'],
    ];
    const a = await onFile(noDates.map((r) => r.join('\t')).join('\n'));
    expect(a.state).toBe('unknown');
    expect(a.summary).toMatch(/Could not tell whether session 2 is safe to delete: the table has no date or time column/);
    expect(a.advice?.steps.join('\n')).toMatch(/only if all three hold/);

    const badDate = await onFile(table(row('1036', 'Time', 'last week', 'Completed', '4'), STUCK));
    expect(badDate.state).toBe('unknown');
    expect(badDate.error).toMatch(/the date on line 2 \("last week"\) cannot be read/);

    const blankRecords = await onFile(table(DONE_1, row('1039', 'Time', '11/19/2026 4:52 PM', 'In Progress', '')));
    expect(blankRecords.state).toBe('unknown');
    expect(blankRecords.summary).toMatch(/is not a number/);

    // 03/04 vs 04/03: which is later depends on the day/month order.
    const ambiguous = await onFile(table(row('1', 'Time', '03/04/2026 9:00', 'Completed', '4'), row('2', 'Time', '04/03/2026 9:00', 'In Progress', '0')));
    expect(ambiguous.state).toBe('unknown');
    expect(ambiguous.summary).toMatch(/month-first or day-first/);
  });

  it('a single session needs no dates to be the most recent', async () => {
    const o = await onFile('Status,Total Records Synched\nIn Progress,0\n');
    expect(o.state).toBe('fail');
    expect(o.summary).toMatch(/the entry on line 2 is "in progress" with 0 records/);
  });

  it('errors with the guided steps when the table cannot be read', async () => {
    const garbage = await onFile('Sessions\r\nnothing useful here\r\n');
    expect(garbage.state).toBe('unknown');
    expect(garbage.summary).toMatch(/Could not read the session table: no header row/);
    expect(garbage.advice?.title).toMatch(/Copy the "Total Syncs" table again/);
    expect(garbage.advice?.steps.join('\n')).toMatch(/mspConsole\.pyc\?/);

    const headerOnly = await onFile(`${HEADER.join('\t')}\r\n`);
    expect(headerOnly.state).toBe('unknown');
    expect(headerOnly.summary).toMatch(/a header row but no session rows/);
  });

  it('reads the file with %VARIABLES% expanded; a missing file is an error, not a pass', async () => {
    const c = ctx([{ path: FILE, content: table(DONE_1, STUCK) }]);
    const o = await probe.run({ historyFile: '%USERPROFILE%\\Desktop\\total-syncs.txt' }, c);
    expect(o.state).toBe('fail');
    expect(o.evidence?.[0]).toMatch(/^session table from C:\\Users\\bookkeeper\\Desktop\\total-syncs\.txt \(\d+ bytes/);

    const missing = await probe.run({ historyFile: '%USERPROFILE%\\nope.txt' }, ctx());
    expect(missing.state).toBe('unknown');
    expect(missing.error).toBe('file not found: C:\\Users\\bookkeeper\\nope.txt');
    expect(missing.advice?.steps.join('\n')).toMatch(/Total Syncs/);
  });

  it('without a file, asks a person to paste the table (asker.input)', async () => {
    const asked: string[] = [];
    const asker: Asker = {
      ask: async () => 'skip',
      input: async (question, help) => {
        asked.push(question, ...help);
        return table(DONE_1, row('1039', 'Time', '11/19/2026 4:52 PM', 'In Progress', '37'));
      },
    };
    const o = await probe.run({ historyFile: '' }, ctx([], asker));
    expect(asked[0]).toMatch(/Paste the "Total Syncs" table/);
    expect(asked.join('\n')).toMatch(/mspConsole\.pyc\?/);
    expect(o.state).toBe('fail');
    expect(o.summary).toMatch(/carries 37 records/);
    expect(o.evidence?.[0]).toBe('session table pasted by the technician (3 lines)');
  });

  it('a person who pastes nothing skips the check, with the steps', async () => {
    const asker: Asker = { ask: async () => 'skip', input: async () => undefined };
    const o = await probe.run({}, ctx([], asker));
    expect(o.state).toBe('skip');
    expect(o.answer).toBe('skip');
    expect(o.manual?.join('\n')).toMatch(/Show sync registrations and data/);
  });

  it('unattended (no asker, or one that cannot take text) without a file: skip with the guided steps', async () => {
    for (const c of [ctx(), ctx([], { ask: async () => 'yes' })]) {
      const o = await probe.run({}, c);
      expect(o.state).toBe('skip');
      expect(o.question).toMatch(/stuck "in progress"/);
      const manual = o.manual!.join('\n');
      expect(manual).toMatch(/NOT the \(accountlink\)admin account/);
      expect(manual).toMatch(/replace "sysadm\.pyc" with "mspConsole\.pyc\?"/);
      expect(manual).toMatch(/Show sync registrations and data/);
      expect(manual).toMatch(/Click the number under "Total Syncs"\. Do NOT tick the bucket's own checkbox/);
      expect(manual).toMatch(/--set journyx\.historyFile=FILE/);
    }
  });

  it('never touches anything but the history file', async () => {
    const c = ctx([{ path: FILE, content: table(DONE_1, STUCK) }]);
    await probe.run({ historyFile: FILE }, c);
    expect(c.facts.readLog.every((l) => l.includes(FILE))).toBe(true);
    expect(c.facts.readLog.some((l) => l.startsWith('ran '))).toBe(false);
  });
});
