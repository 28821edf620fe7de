import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/core/errors.js';
import { HostFacts, QUERY_USER_ARGV, TASKLIST_ARGV, WHO_ARGV } from '../../src/host/facts.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import ask from '../../src/probes/ask.js';
import fileExists from '../../src/probes/file-exists.js';
import { PROBES } from '../../src/probes/index.js';
import logTimestampFresh from '../../src/probes/log-timestamp-fresh.js';
import machineAwake from '../../src/probes/machine-awake.js';
import type { Asker, ProbeContext } from '../../src/probes/probe.js';
import processRunning from '../../src/probes/process-running.js';
import quickbooksInUse from '../../src/probes/quickbooks-in-use.js';
import quickbooksUserConflict from '../../src/probes/quickbooks-user-conflict.js';
import sharedMachine from '../../src/probes/shared-machine.js';
import userSession from '../../src/probes/user-session.js';

type Command = NonNullable<Snapshot['commands']>[number];
type Proc = NonNullable<Snapshot['processes']>[number];

const CAPTURED = '2026-11-20T14:03:00Z';

function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return { syncdoctorSnapshot: 1, capturedAt: CAPTURED, platform: 'win32', hostname: 'FRONTDESK-01', uptimeSeconds: 93600, ...extra };
}

function ctx(extra: Partial<Snapshot> = {}, asker?: Asker): ProbeContext {
  const facts = new HostFacts(new SnapshotHost(snapshot(extra)));
  return { facts, signal: new AbortController().signal, ...(asker ? { asker } : {}) };
}

// `query user` laid out like the real quser (SESSIONNAME at 23, ID right-aligned to 44, ...).
const QU_HEADER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';
function quRow(marker: '>' | ' ', user: string, session: string, id: string, state: string, idle: string, logon = '11/20/2026 8:02 AM'): string {
  const left = (marker + user).padEnd(23) + session;
  return (left.padEnd(44 - id.length) + id + '  ' + state).padEnd(63 - idle.length) + idle + '  ' + logon;
}
const queryUser = (...rows: string[]): Command => ({ argv: QUERY_USER_ARGV, exitCode: 0, stdout: ['', QU_HEADER, ...rows, ''].join('\r\n'), stderr: '' });
const NOBODY: Command = { argv: QUERY_USER_ARGV, exitCode: 1, stdout: '', stderr: 'No User exists for *\r\n' };

const TL_HEADER = '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"';
interface Owned {
  pid: number;
  name: string;
  user: string; // 'N/A' for unknown
  session?: number;
  cmd?: string;
}
/** A win32 PC: the process list (ps-list) and `tasklist /v` agreeing on the same processes. */
function windowsProcesses(list: Owned[], extra: Command[] = []): Partial<Snapshot> {
  const tasklist = [
    TL_HEADER,
    ...list.map((p) => {
      const s = p.session ?? 1;
      return [p.name, String(p.pid), s === 0 ? 'Services' : s === 1 ? 'Console' : `RDP-Tcp#${s}`, String(s), '1,000 K', 'Running', p.user, '0:00:01', 'N/A']
        .map((f) => `"${f}"`)
        .join(',');
    }),
  ].join('\r\n');
  const processes: Proc[] = list.map((p) => ({ pid: p.pid, ppid: 1, name: p.name, ...(p.cmd ? { cmd: p.cmd } : {}) }));
  return { processes, commands: [{ argv: TASKLIST_ARGV, exitCode: 0, stdout: tasklist, stderr: '' }, ...extra] };
}

const FD = 'FRONTDESK-01\\frontdesk';
const BK = 'FRONTDESK-01\\bookkeeper';

async function rejection(p: Promise<unknown>): Promise<HostError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HostError);
  return err as HostError;
}

describe('probe registry', () => {
  it('lists each probe once, sorted by id, including the ones tested here', () => {
    const ids = PROBES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    for (const probe of [ask, fileExists, logTimestampFresh, machineAwake, processRunning, quickbooksInUse, quickbooksUserConflict, sharedMachine, userSession]) {
      expect(ids).toContain(probe.id);
    }
  });
});

describe('ask', () => {
  const question = 'Double-click the CISM tray icon. Are the last and next sync times shown?';
  const help = ['Find the CISM icon in the notification area.'];

  /** A fake person: records what was asked and answers. */
  function person(answer: 'yes' | 'no' | 'skip') {
    const asked: { question: string; help: readonly string[] }[] = [];
    const asker: Asker = {
      async ask(q, h) {
        asked.push({ question: q, help: h });
        return answer;
      },
    };
    return { asker, asked };
  }

  it('without an asker, skips and leaves the question as a manual step', async () => {
    const out = await ask.run({ question, help }, ctx());
    expect(out.state).toBe('skip');
    expect(out.question).toBe(question);
    expect(out.manual).toEqual([...help, question]);
    expect(out.answer).toBeUndefined();
  });

  it('passes on "yes", asking the question with its help', async () => {
    const { asker, asked } = person('yes');
    const out = await ask.run({ question, help, yesSummary: 'CISM shows its sync times' }, ctx({}, asker));
    expect(asked).toEqual([{ question, help }]);
    expect(out).toMatchObject({ state: 'pass', summary: 'CISM shows its sync times', answer: 'yes', question });
    expect(out.evidence).toEqual([`${question} — yes`]);
  });

  it('fails on "no" by default, or warns with failState warn', async () => {
    expect(await ask.run({ question }, ctx({}, person('no').asker))).toMatchObject({ state: 'fail', answer: 'no', summary: 'Technician answered "no"' });
    expect(await ask.run({ question, failState: 'warn', noSummary: 'Times not shown' }, ctx({}, person('no').asker))).toMatchObject({
      state: 'warn',
      summary: 'Times not shown',
    });
  });

  it('with passWhen no, passes on "no" and fails on "yes"', async () => {
    expect((await ask.run({ question: 'Is an error shown?', passWhen: 'no' }, ctx({}, person('no').asker))).state).toBe('pass');
    expect((await ask.run({ question: 'Is an error shown?', passWhen: 'no' }, ctx({}, person('yes').asker))).state).toBe('fail');
  });

  it('skips when the technician skips, keeping the manual step', async () => {
    const out = await ask.run({ question, help }, ctx({}, person('skip').asker));
    expect(out).toMatchObject({ state: 'skip', answer: 'skip', manual: [...help, question] });
  });
});

describe('file-exists', () => {
  const files: Snapshot['files'] = [
    { path: 'C:\\ProgramData\\Crik-IT\\CISM\\sync.log', content: 'abc', mtime: '2026-11-20T10:00:00Z' },
    { path: 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Crik-IT LLC', directory: true },
  ];
  const pc = { files, env: { ProgramData: 'C:\\ProgramData' } };

  it('passes for a file that exists, expanding %VARIABLES% and matching Windows paths loosely', async () => {
    const out = await fileExists.run({ path: '%PROGRAMDATA%/crik-it/cism/SYNC.LOG' }, ctx(pc));
    expect(out.state).toBe('pass');
    expect(out.summary).toBe('Path exists: C:\\ProgramData/crik-it/cism/SYNC.LOG');
    expect(out.evidence).toEqual(['C:\\ProgramData/crik-it/cism/SYNC.LOG: 3 bytes, modified 2026-11-20T10:00:00.000Z']);
  });

  it('fails for a path that does not exist', async () => {
    const out = await fileExists.run({ path: '%ProgramData%\\Crik-IT\\CISM\\other.log' }, ctx(pc));
    expect(out).toMatchObject({ state: 'fail', summary: 'Path not found: C:\\ProgramData\\Crik-IT\\CISM\\other.log' });
  });

  it('checks the kind: a file is not a folder, a folder is not a file', async () => {
    expect(await fileExists.run({ path: '%ProgramData%\\Crik-IT\\CISM\\sync.log', kind: 'directory' }, ctx(pc))).toMatchObject({
      state: 'fail',
      summary: 'C:\\ProgramData\\Crik-IT\\CISM\\sync.log exists but is not a folder',
    });
    expect((await fileExists.run({ path: '%ProgramData%\\Microsoft\\Windows\\Start Menu\\Programs\\Crik-IT LLC', kind: 'directory' }, ctx(pc))).state).toBe('pass');
    expect((await fileExists.run({ path: '%ProgramData%\\Microsoft\\Windows\\Start Menu\\Programs\\Crik-IT LLC', kind: 'file' }, ctx(pc))).state).toBe('fail');
  });

  it('with expect absent, passes when missing and fails when present', async () => {
    expect((await fileExists.run({ path: 'C:\\stale.lock', expect: 'absent' }, ctx(pc))).state).toBe('pass');
    expect((await fileExists.run({ path: '%ProgramData%\\Crik-IT\\CISM\\sync.log', expect: 'absent' }, ctx(pc))).state).toBe('fail');
  });
});

describe('process-running', () => {
  it('matches names case-insensitively and with or without .exe', async () => {
    const pc = windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: FD }]);
    for (const names of [['QBW32.EXE'], ['qbw32.exe'], ['qbw32'], ['QBW32'], ['QBW.EXE', 'Qbw32.Exe']]) {
      expect((await processRunning.run({ names }, ctx(pc))).state, names.join(',')).toBe('pass');
    }
    expect((await processRunning.run({ names: ['QBW'] }, ctx(pc))).state).toBe('fail');
  });

  it('fails when no process has the name', async () => {
    const out = await processRunning.run({ names: ['CISM.exe'] }, ctx(windowsProcesses([{ pid: 3020, name: 'explorer.exe', user: FD }])));
    expect(out).toMatchObject({ state: 'fail', summary: 'CISM.exe is not running', evidence: ['no process named CISM.exe'] });
  });

  it('passes when the required user owns one of them (user with or without the domain, any case)', async () => {
    const pc = windowsProcesses([
      { pid: 5200, name: 'CISM.exe', user: BK, session: 2 },
      { pid: 4120, name: 'CISM.exe', user: FD },
    ]);
    for (const user of ['frontdesk', 'FrontDesk', 'FRONTDESK-01\\frontdesk']) {
      expect(await processRunning.run({ names: ['CISM.exe'], user }, ctx(pc))).toMatchObject({ state: 'pass', summary: `CISM.exe is running as ${user}` });
    }
  });

  it('fails, saying who runs it, when the required user owns none of them', async () => {
    const out = await processRunning.run({ names: ['CISM.exe'], user: 'frontdesk' }, ctx(windowsProcesses([{ pid: 5200, name: 'CISM.exe', user: BK, session: 2 }])));
    expect(out.state).toBe('fail');
    expect(out.summary).toBe('CISM.exe is running, but as FRONTDESK-01\\bookkeeper, not as frontdesk');
    expect(out.evidence).toEqual(['CISM.exe (pid 5200) as FRONTDESK-01\\bookkeeper in session 2 (RDP-Tcp#2)']);
  });

  it('is an error, not a failure, when the owner is N/A (unknown)', async () => {
    const out = await processRunning.run({ names: ['CISM.exe'], user: 'frontdesk' }, ctx(windowsProcesses([{ pid: 5200, name: 'CISM.exe', user: 'N/A' }])));
    expect(out.state).toBe('unknown');
    expect(out.error).toMatch(/owner is not readable/);
  });

  it('is an error when tasklist is missing and a user is required; a plain name check still passes', async () => {
    const pc = { processes: [{ pid: 5200, name: 'CISM.exe' }] };
    const out = await processRunning.run({ names: ['CISM.exe'], user: 'frontdesk' }, ctx(pc));
    expect(out.state).toBe('unknown');
    expect(out.error).toMatch(/owners unknown/);
    expect(out.evidence).toContain(out.error);
    expect((await processRunning.run({ names: ['CISM.exe'] }, ctx(pc))).state).toBe('pass');
  });

  it('with expect stopped, passes when none runs and fails when one does', async () => {
    const pc = windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: FD }]);
    expect((await processRunning.run({ names: ['CISM.exe'], expect: 'stopped' }, ctx(pc))).state).toBe('pass');
    expect(await processRunning.run({ names: ['qbw32'], expect: 'stopped' }, ctx(pc))).toMatchObject({ state: 'fail', summary: 'qbw32 is running (1)' });
  });

  it('on linux, matches the owner from /etc/passwd', async () => {
    const pc: Partial<Snapshot> = {
      platform: 'linux',
      processes: [{ pid: 200, name: 'syncd', uid: 1000 }],
      files: [{ path: '/etc/passwd', content: 'root:x:0:0::/root:/bin/sh\nfrontdesk:x:1000:1000::/home/frontdesk:/bin/sh\n' }],
    };
    expect((await processRunning.run({ names: ['syncd'], user: 'frontdesk' }, ctx(pc))).state).toBe('pass');
    expect((await processRunning.run({ names: ['syncd'], user: 'root' }, ctx(pc))).state).toBe('fail');
  });
});

describe('user-session', () => {
  it('passes when anyone has an active session', async () => {
    const out = await userSession.run({}, ctx({ commands: [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', '42'))] }));
    expect(out.state).toBe('pass');
    expect(out.evidence).toEqual(['frontdesk: session 1 console, active, idle 42 min']);
  });

  it('passes when the named user has an active session (case and domain do not matter)', async () => {
    const pc = { commands: [queryUser(quRow(' ', 'bookkeeper', 'rdp-tcp#4', '2', 'Active', 'none'), quRow('>', 'FrontDesk', 'console', '1', 'Active', '.'))] };
    for (const user of ['frontdesk', 'FRONTDESK-01\\frontdesk']) {
      expect((await userSession.run({ user }, ctx(pc))).state, user).toBe('pass');
    }
  });

  it('fails when the named user is not logged on, naming who is', async () => {
    const out = await userSession.run({ user: 'frontdesk' }, ctx({ commands: [queryUser(quRow(' ', 'bookkeeper', 'rdp-tcp#4', '2', 'Active', 'none'))] }));
    expect(out).toMatchObject({ state: 'fail', summary: 'frontdesk is not logged on (logged on: bookkeeper)' });
  });

  it('fails when nobody is logged on ("No User exists for *")', async () => {
    const out = await userSession.run({}, ctx({ commands: [NOBODY] }));
    expect(out).toMatchObject({ state: 'fail', summary: 'Nobody is logged on', evidence: ['no interactive logons'] });
    expect((await userSession.run({ user: 'frontdesk' }, ctx({ commands: [NOBODY] }))).summary).toBe('frontdesk is not logged on');
  });

  it('warns by default for a disconnected session, or gives the configured state', async () => {
    const pc = { commands: [queryUser(quRow(' ', 'frontdesk', '', '1', 'Disc', '1:05'), quRow('>', 'bookkeeper', 'rdp-tcp#4', '2', 'Active', 'none'))] };
    const out = await userSession.run({ user: 'frontdesk' }, ctx(pc));
    expect(out).toMatchObject({ state: 'warn', summary: 'frontdesk is logged on, but the session is disconnected' });
    expect((await userSession.run({ user: 'frontdesk', disconnected: 'fail' }, ctx(pc))).state).toBe('fail');
    expect((await userSession.run({ user: 'frontdesk', disconnected: 'pass' }, ctx(pc))).state).toBe('pass');
    expect((await userSession.run({ user: 'frontdesk', disconnected: 'warn' }, ctx(pc))).state).toBe('warn');
  });

  it('warns when the session state word is unknown', async () => {
    const out = await userSession.run({ user: 'frontdesk' }, ctx({ commands: [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Listen', 'none'))] }));
    expect(out.state).toBe('warn');
    expect(out.summary).toMatch(/state could not be read/);
  });

  it('throws HostError (not-found) when `query user` was not recorded: could not tell', async () => {
    const err = await rejection(userSession.run({ user: 'frontdesk' }, ctx({})));
    expect(err.kind).toBe('not-found');
  });

  it('reads `who` on linux', async () => {
    const pc: Partial<Snapshot> = { platform: 'linux', commands: [{ argv: WHO_ARGV, exitCode: 0, stdout: 'frontdesk tty2 2026-11-20 08:02 (tty2)\n', stderr: '' }] };
    expect((await userSession.run({ user: 'frontdesk' }, ctx(pc))).state).toBe('pass');
    expect((await userSession.run({ user: 'bookkeeper' }, ctx(pc))).state).toBe('fail');
  });
});

describe('shared-machine', () => {
  it('passes when one user is logged on, even in several sessions', async () => {
    const pc = { commands: [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', 'none'), quRow(' ', 'FrontDesk', 'rdp-tcp#4', '2', 'Active', '5'))] };
    const out = await sharedMachine.run({}, ctx(pc));
    expect(out).toMatchObject({ state: 'pass', summary: 'Only one user is logged on (frontdesk)' });
    expect(out.evidence).toContain('1 remote desktop session(s)');
  });

  it('warns when more distinct users are logged on than allowed, naming them', async () => {
    const pc = { commands: [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', 'none'), quRow(' ', 'bookkeeper', 'rdp-tcp#4', '2', 'Active', '5'))] };
    const out = await sharedMachine.run({}, ctx(pc));
    expect(out.state).toBe('warn');
    expect(out.summary).toMatch(/^2 different users are logged on \(frontdesk, bookkeeper\)/);
    expect(await sharedMachine.run({ maxUsers: 2 }, ctx(pc))).toMatchObject({ state: 'pass', summary: 'Logged on: frontdesk, bookkeeper' });
  });

  it('passes when nobody is logged on, without claiming that a user is', async () => {
    const out = await sharedMachine.run({}, ctx({ commands: [NOBODY] }));
    expect(out.state).toBe('pass');
    expect(out.evidence).toEqual(['no interactive logons']);
    expect(out.summary).not.toMatch(/one user/i);
  });

  it('throws HostError when the logons cannot be read', async () => {
    await rejection(sharedMachine.run({}, ctx({})));
  });
});

describe('machine-awake', () => {
  it('passes with the uptime and boot time as evidence', async () => {
    const out = await machineAwake.run({}, ctx({ uptimeSeconds: 93600 }));
    expect(out).toMatchObject({ state: 'pass', summary: 'The PC is on and awake (up 1d 2h)' });
    expect(out.evidence).toEqual(['uptime 1d 2h', 'booted 2026-11-19T12:03:00.000Z']);
  });

  it('warns after a boot more recent than recentBootWithin, passes after an older one', async () => {
    const recent = await machineAwake.run({ recentBootWithin: '15m' }, ctx({ uptimeSeconds: 300 }));
    expect(recent.state).toBe('warn');
    expect(recent.summary).toMatch(/started only 5m ago/);
    expect((await machineAwake.run({ recentBootWithin: '15m' }, ctx({ uptimeSeconds: 3600 }))).state).toBe('pass');
  });
});

describe('log-timestamp-fresh', () => {
  const LOG = 'C:\\ProgramData\\Crik-IT\\CISM\\sync.log';
  const ISO_PATTERN = '^(?<ts>\\S+) INFO Sync completed';
  const log = (content: string, extra: Partial<Snapshot> = {}) =>
    ctx({ env: { ProgramData: 'C:\\ProgramData' }, files: [{ path: LOG, content, mtime: '2026-11-20T13:58:00Z' }], ...extra });
  const base = { path: '%ProgramData%\\Crik-IT\\CISM\\sync.log', pattern: ISO_PATTERN, maxAge: '1h', what: 'last CISM sync' };

  it('passes for a recent timestamp, reading the last matching line', async () => {
    const content = [
      '2026-11-20T11:00:00Z INFO Sync completed: 1 order',
      '2026-11-20T13:58:00Z INFO Sync completed: 2 orders',
      '2026-11-20T14:00:00Z INFO Sync started',
      '',
    ].join('\r\n');
    const out = await logTimestampFresh.run(base, log(content));
    expect(out).toMatchObject({ state: 'pass', summary: 'The last CISM sync was 5m ago' });
    expect(out.evidence).toEqual([`${LOG}: 2026-11-20T13:58:00Z INFO Sync completed: 2 orders`, 'last CISM sync: 2026-11-20T13:58:00.000Z (5m ago)']);
  });

  it('warns when older than warnAge, fails when older than maxAge', async () => {
    const warn = await logTimestampFresh.run({ ...base, warnAge: '15m' }, log('2026-11-20T13:30:00Z INFO Sync completed\n'));
    expect(warn).toMatchObject({ state: 'warn', summary: 'The last CISM sync was 33m ago (more than 15m)' });
    const fail = await logTimestampFresh.run({ ...base, warnAge: '15m' }, log('2026-11-20T10:57:10Z INFO Sync completed\n'));
    expect(fail).toMatchObject({ state: 'fail', summary: 'The last CISM sync was 3h 5m ago (more than 1h)' });
  });

  it('warns about a timestamp in the future (clock or time zone wrong), but tolerates a few minutes', async () => {
    const future = await logTimestampFresh.run(base, log('2026-11-20T14:30:00Z INFO Sync completed\n'));
    expect(future.state).toBe('warn');
    expect(future.summary).toMatch(/in the future/);
    expect((await logTimestampFresh.run(base, log('2026-11-20T14:05:00Z INFO Sync completed\n'))).state).toBe('pass');
  });

  it('reads a timestamp without a zone in the PC\'s local time with timezone local', async () => {
    // The PC is at UTC-5: 08:58 local is 13:58 UTC, 5 minutes before the capture.
    const pc = (content: string) => log(content, { utcOffsetMinutes: -300 });
    const params = { ...base, pattern: '^(\\S+ \\S+) INFO Sync completed', format: 'YYYY-MM-DD HH:mm:ss' };
    expect(await logTimestampFresh.run({ ...params, timezone: 'local' }, pc('2026-11-20 08:58:00 INFO Sync completed\n'))).toMatchObject({
      state: 'pass',
      summary: 'The last CISM sync was 5m ago',
    });
    // Read as UTC, the same line is 5 hours old.
    expect((await logTimestampFresh.run({ ...params, timezone: 'utc' }, pc('2026-11-20 08:58:00 INFO Sync completed\n'))).state).toBe('fail');
  });

  it('reads the token format "MM/DD/YYYY hh:mm:ss A"', async () => {
    const params = { ...base, pattern: '^\\[([^\\]]+)\\] Sync completed', format: 'MM/DD/YYYY hh:mm:ss A', timezone: 'local' as const };
    const pc = (content: string) => log(content, { utcOffsetMinutes: -300 });
    expect(await logTimestampFresh.run(params, pc('[11/20/2026 08:58:00 AM] Sync completed\r\n'))).toMatchObject({ state: 'pass', summary: 'The last CISM sync was 5m ago' });
    // 08:58 PM local the day before is 01:58 UTC today: 12h 5m old.
    expect(await logTimestampFresh.run(params, pc('[11/19/2026 08:58:00 PM] Sync completed\r\n'))).toMatchObject({ state: 'fail' });
  });

  it('skips matching lines whose timestamp does not parse and uses an earlier valid one', async () => {
    const content = ['2026-11-20T13:58:00Z INFO Sync completed', 'garbage INFO Sync completed', ''].join('\n');
    expect((await logTimestampFresh.run(base, log(content))).state).toBe('pass');
  });

  it('is an error when no line matches', async () => {
    const out = await logTimestampFresh.run(base, log('2026-11-20T13:58:00Z INFO Sync started\n2026-11-20T13:59:00Z INFO Shutting down\n'));
    expect(out.state).toBe('unknown');
    expect(out.summary).toBe(`No last CISM sync found in ${LOG}`);
    expect(out.error).toMatch(/no line matches/);
  });

  it('throws HostError not-found when the log does not exist', async () => {
    const err = await rejection(logTimestampFresh.run({ ...base, path: 'C:\\nowhere\\sync.log' }, log('')));
    expect(err.kind).toBe('not-found');
  });

  it('reads a UTF-16LE log', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('2026-11-20T13:58:00Z INFO Sync completed\r\n', 'utf16le')]);
    const c = ctx({ files: [{ path: LOG, contentBase64: bytes.toString('base64') }] });
    expect((await logTimestampFresh.run({ ...base, path: LOG }, c)).state).toBe('pass');
  });

  describe('reading only the tail', () => {
    // A long line whose end still holds a full matching line: cut by the tail, it must be skipped.
    const partial = 'x'.repeat(3000) + ' 2026-11-20T13:58:00Z INFO Sync completed';
    const pattern = '(?<ts>\\d{4}-\\d{2}-\\d{2}T\\S+) INFO Sync completed';

    it('skips the partial first line of a truncated tail', async () => {
      const content = `${partial}\n2026-11-20T14:00:00Z INFO Sync started\n`;
      const out = await logTimestampFresh.run({ ...base, pattern, tailBytes: 1024 }, log(content));
      expect(out.state).toBe('unknown');
      expect(out.summary).toBe(`No last CISM sync found in the last 1024 bytes of ${LOG}`);
    });

    it('reads the first line when the whole file fits in the tail', async () => {
      const content = `${partial}\n2026-11-20T14:00:00Z INFO Sync started\n`;
      expect((await logTimestampFresh.run({ ...base, pattern, tailBytes: 8192 }, log(content))).state).toBe('pass');
    });

    it('still finds a whole matching line after the partial one', async () => {
      const content = `${partial}\n2026-11-20T10:00:00Z INFO Sync completed\n2026-11-20T14:00:00Z INFO Sync started\n`;
      expect((await logTimestampFresh.run({ ...base, pattern, tailBytes: 1024 }, log(content))).state).toBe('fail');
    });
  });
});

describe('quickbooks-in-use', () => {
  const images = ['QBW32.EXE', 'QBW.EXE'];

  it('passes when QuickBooks is not open', async () => {
    const out = await quickbooksInUse.run({ quickbooksImages: images }, ctx(windowsProcesses([{ pid: 3020, name: 'explorer.exe', user: FD }])));
    expect(out).toMatchObject({ state: 'pass', evidence: ['no QuickBooks process'] });
  });

  it('fails when QuickBooks runs in a disconnected session: unsaved work sits there', async () => {
    const pc = windowsProcesses([{ pid: 5200, name: 'qbw32.exe', user: BK, session: 2 }], [queryUser(quRow(' ', 'bookkeeper', '', '2', 'Disc', '5'))]);
    const out = await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc));
    expect(out.state).toBe('fail');
    expect(out.evidence).toEqual(["qbw32.exe (pid 5200) as FRONTDESK-01\\bookkeeper in session 2 (RDP-Tcp#2): bookkeeper's session 2 is disconnected: unsaved work stays open in it"]);
  });

  it('fails however long the session has been idle', async () => {
    const at = (idle: string) => windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: FD }], [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', idle))]);
    for (const idle of ['none', '29', '30', '45', '1:05', '2+03:10']) {
      expect((await quickbooksInUse.run({ quickbooksImages: images }, ctx(at(idle)))).state, idle).toBe('fail');
    }
  });

  it('fails when someone is active in the QuickBooks session', async () => {
    const pc = windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: FD }], [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', 'none'))]);
    const out = await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc));
    expect(out.state).toBe('fail');
    expect(out.summary).toMatch(/^Someone has QuickBooks open on this PC/);
    expect(out.evidence?.[0]).toMatch(/frontdesk's session 1 is active, idle 0 min$/);
  });

  it('fails when any one QuickBooks instance is in use, even if another is idle', async () => {
    const pc = windowsProcesses(
      [
        { pid: 4120, name: 'QBW32.EXE', user: FD, session: 1 },
        { pid: 5200, name: 'QBW32.EXE', user: BK, session: 2 },
      ],
      [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', '90'), quRow(' ', 'bookkeeper', 'rdp-tcp#2', '2', 'Active', '3'))],
    );
    expect((await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc))).state).toBe('fail');
  });

  it('fails when the QuickBooks session matches no logon', async () => {
    const pc = windowsProcesses([{ pid: 5200, name: 'QBW32.EXE', user: BK, session: 3 }], [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', '90'))]);
    const out = await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc));
    expect(out.state).toBe('fail');
    expect(out.evidence?.[0]).toMatch(/could not be matched to a logon/);
  });

  it('fails when the idle time is unknown', async () => {
    const pc = windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: FD }], [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', '*'))]);
    expect((await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc))).state).toBe('fail');
  });

  it('does not count an SDK-started instance (-Embedding) as a person', async () => {
    const pc = windowsProcesses(
      [{ pid: 4120, name: 'QBW32.EXE', user: FD, cmd: '"C:\\Program Files (x86)\\Intuit\\QuickBooks 2024\\QBW32.EXE" -Embedding' }],
      [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', 'none'))],
    );
    expect((await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc))).state).toBe('pass');
  });

  it('does not pass when tasklist could not tell the sessions', async () => {
    const pc = { processes: [{ pid: 4120, name: 'QBW32.EXE' }], commands: [queryUser(quRow('>', 'frontdesk', 'console', '1', 'Active', '90'))] };
    // Could not tell (state error, with the cause), which a guard never takes for a pass.
    const r = await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc));
    expect(r.state).toBe('unknown');
    expect(r.error).toMatch(/tasklist/);
  });

  it('still fails when QuickBooks is open and the logons cannot be read (the sessions only explain)', async () => {
    const pc = windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: FD }]);
    const out = await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc));
    expect(out.state).toBe('fail');
    expect(out.evidence?.[0]).toMatch(/could not be matched to a logon/);
  });

  it('passes when every QuickBooks instance is SDK-started, whoever owns it', async () => {
    const pc = windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: FD, cmd: 'QBW32.EXE -Embedding' }]);
    expect((await quickbooksInUse.run({ quickbooksImages: images }, ctx(pc))).state).toBe('pass');
  });
});

describe('quickbooks-user-conflict', () => {
  const images = ['QBW32.EXE', 'QBW.EXE'];

  it('passes when QuickBooks is not open', async () => {
    const out = await quickbooksUserConflict.run({ quickbooksImages: images, syncUser: 'frontdesk' }, ctx(windowsProcesses([{ pid: 9, name: 'CISM.exe', user: FD }])));
    expect(out).toMatchObject({ state: 'pass', summary: 'QuickBooks is not open on this PC' });
  });

  it('with syncUser, passes when QuickBooks runs only as that user', async () => {
    const pc = windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: FD }]);
    expect(await quickbooksUserConflict.run({ quickbooksImages: images, syncUser: 'FrontDesk' }, ctx(pc))).toMatchObject({
      state: 'pass',
      summary: 'QuickBooks is open only as the sync user FrontDesk',
    });
  });

  it('with syncUser, fails naming the other user and session', async () => {
    const pc = windowsProcesses([
      { pid: 4120, name: 'QBW32.EXE', user: FD, session: 1 },
      { pid: 5200, name: 'QBW32.EXE', user: BK, session: 2 },
    ]);
    const out = await quickbooksUserConflict.run({ quickbooksImages: images, syncUser: 'frontdesk' }, ctx(pc));
    expect(out.state).toBe('fail');
    expect(out.summary).toMatch(/^QuickBooks is open as FRONTDESK-01\\bookkeeper \(session 2\), not as the sync user frontdesk/);
  });

  it('with agentImages, takes the sync user from the agent\'s process', async () => {
    const conflict = windowsProcesses([
      { pid: 3300, name: 'CISM.exe', user: FD },
      { pid: 5200, name: 'QBW32.EXE', user: BK, session: 2 },
    ]);
    const out = await quickbooksUserConflict.run({ quickbooksImages: images, agentImages: ['cism'] }, ctx(conflict));
    expect(out.state).toBe('fail');
    expect(out.summary).toMatch(/not as the sync user FRONTDESK-01\\frontdesk/);
    expect(out.evidence).toContain('agent user taken from CISM.exe (pid 3300) as FRONTDESK-01\\frontdesk in session 1 (Console)');

    const same = windowsProcesses([
      { pid: 3300, name: 'CISM.exe', user: FD },
      { pid: 4120, name: 'QBW32.EXE', user: FD },
    ]);
    expect((await quickbooksUserConflict.run({ quickbooksImages: images, agentImages: ['CISM.exe'] }, ctx(same))).state).toBe('pass');
  });

  it('without a configured user, warns for a single owner (even in two sessions)', async () => {
    const pc = windowsProcesses([
      { pid: 4120, name: 'QBW32.EXE', user: BK, session: 1 },
      { pid: 5200, name: 'QBW.EXE', user: 'OTHERDOMAIN\\BookKeeper', session: 2 },
    ]);
    const out = await quickbooksUserConflict.run({ quickbooksImages: images }, ctx(pc));
    expect(out.state).toBe('warn');
    expect(out.summary).toMatch(/not configured/);
  });

  it('without a configured user (and no agent process), fails for several owners', async () => {
    const pc = windowsProcesses([
      { pid: 4120, name: 'QBW32.EXE', user: FD, session: 1 },
      { pid: 5200, name: 'QBW32.EXE', user: BK, session: 2 },
    ]);
    const out = await quickbooksUserConflict.run({ quickbooksImages: images, agentImages: ['CISM.exe'] }, ctx(pc));
    expect(out).toMatchObject({ state: 'fail', summary: `QuickBooks is open under several Windows users: ${FD}, ${BK}` });
  });

  it('is an error when a QuickBooks owner is unknown', async () => {
    const na = windowsProcesses([{ pid: 4120, name: 'QBW32.EXE', user: 'N/A' }]);
    const out = await quickbooksUserConflict.run({ quickbooksImages: images, syncUser: 'frontdesk' }, ctx(na));
    expect(out.state).toBe('unknown');
    const noTasklist = await quickbooksUserConflict.run({ quickbooksImages: images, syncUser: 'frontdesk' }, ctx({ processes: [{ pid: 4120, name: 'QBW32.EXE' }] }));
    expect(noTasklist.state).toBe('unknown');
    expect(noTasklist.error).toMatch(/owners unknown/);
  });
});
