import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/core/errors.js';
import { HostFacts, OEMCP_ARGV, QUERY_USER_ARGV, TASKLIST_ARGV, WHO_ARGV } from '../../src/host/facts.js';
import type { CommandResult, FileStat, Host, NetResult, RawProcess, RunOptions } from '../../src/host/host.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';

type Command = NonNullable<Snapshot['commands']>[number];

function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    syncdoctorSnapshot: 1,
    capturedAt: '2026-11-20T14:03:00Z',
    platform: 'win32',
    hostname: 'FRONTDESK-01',
    uptimeSeconds: 93600,
    ...extra,
  };
}

const factsOf = (extra: Partial<Snapshot> = {}) => new HostFacts(new SnapshotHost(snapshot(extra)));

const b64 = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64');

/** A real host (the snapshot host) with a counter of what it was asked. */
class CountingHost implements Host {
  readonly source = 'snapshot' as const;
  readonly runs = new Map<string, number>();
  listCalls = 0;
  uptimeCalls = 0;
  constructor(private readonly inner: SnapshotHost) {}
  get platform() {
    return this.inner.platform;
  }
  hostname(): string {
    return this.inner.hostname();
  }
  now(): Date {
    return this.inner.now();
  }
  utcOffsetMinutes(): number {
    return this.inner.utcOffsetMinutes();
  }
  uptimeSeconds(): Promise<number> {
    this.uptimeCalls++;
    return this.inner.uptimeSeconds();
  }
  listProcesses(): Promise<RawProcess[]> {
    this.listCalls++;
    return this.inner.listProcesses();
  }
  async run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    const key = argv.join(' ');
    this.runs.set(key, (this.runs.get(key) ?? 0) + 1);
    // Let other callers ask while this one is still running.
    await new Promise((r) => setTimeout(r, 10));
    return this.inner.run(argv, options);
  }
  stat(path: string): Promise<FileStat | undefined> {
    return this.inner.stat(path);
  }
  readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
    return this.inner.readAt(path, offset, length);
  }
  env(name: string): string | undefined {
    return this.inner.env(name);
  }
  connect(target: string, timeoutMs: number, signal?: AbortSignal): Promise<NetResult> {
    return (this.inner as Host).connect(target, timeoutMs, signal);
  }
  runAction(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    return this.inner.runAction(argv, options);
  }
  spawnDetached(argv: readonly string[]): Promise<number> {
    return this.inner.spawnDetached(argv);
  }
  signal(pid: number, signal: NodeJS.Signals): Promise<boolean> {
    return this.inner.signal(pid, signal);
  }
  isAlive(pid: number): Promise<boolean> {
    return this.inner.isAlive(pid);
  }
}

// `query user` laid out like the real quser (SESSIONNAME at 23, ID right-aligned to 44, ...).
const QU_HEADER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';
function quRow(marker: '>' | ' ', user: string, session: string, id: string, state: string, idle: string, logon: string): string {
  const left = (marker + user).padEnd(23) + session;
  return (left.padEnd(44 - id.length) + id + '  ' + state).padEnd(63 - idle.length) + idle + '  ' + logon;
}

const TL_HEADER = '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"';
function tlRow(image: string, pid: number, session: string, sessionId: number, user: string, status = 'Running', title = 'N/A'): string {
  return [image, String(pid), session, String(sessionId), '10,000 K', status, user, '0:00:01', title].map((f) => `"${f}"`).join(',');
}

const ok = (argv: string[], stdout: string, extra: Partial<Command> = {}): Command => ({ argv, exitCode: 0, stdout, stderr: '', ...extra });

const regOemcp = (cp: number) =>
  ok(OEMCP_ARGV, `\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage\r\n    OEMCP    REG_SZ    ${cp}\r\n\r\n`);

describe('HostFacts: each fact once per run', () => {
  it('runs a command once even when many ask for it at the same time', async () => {
    const host = new CountingHost(new SnapshotHost(snapshot({ commands: [ok(QUERY_USER_ARGV, [QU_HEADER, quRow('>', 'frontdesk', 'console', '1', 'Active', 'none', '11/20/2026 8:02 AM')].join('\r\n'))] })));
    const facts = new HostFacts(host);
    const results = await Promise.all([
      facts.run(QUERY_USER_ARGV),
      facts.run(['query', 'user']),
      facts.runText(QUERY_USER_ARGV),
      facts.sessions(),
      facts.sessions(),
    ]);
    expect(host.runs.get('query user')).toBe(1);
    expect(results[0]).toBe(results[1]);
    expect(await facts.sessions()).toHaveLength(1);
    await facts.run(QUERY_USER_ARGV);
    expect(host.runs.get('query user')).toBe(1);
  });

  it('keeps different argv apart', async () => {
    const host = new CountingHost(new SnapshotHost(snapshot({ commands: [ok(['sc', 'query', 'A'], 'a'), ok(['sc', 'query', 'B'], 'b')] })));
    const facts = new HostFacts(host);
    const [a, b] = await Promise.all([facts.runText(['sc', 'query', 'A']), facts.runText(['sc', 'query', 'B'])]);
    expect([a.stdout, b.stdout]).toEqual(['a', 'b']);
    expect(host.runs.get('sc query A')).toBe(1);
    expect(host.runs.get('sc query B')).toBe(1);
  });

  it('reads the process list, tasklist and uptime once for concurrent callers', async () => {
    const host = new CountingHost(
      new SnapshotHost(
        snapshot({
          processes: [{ pid: 4120, name: 'QBW32.EXE' }],
          commands: [ok(TASKLIST_ARGV, [TL_HEADER, tlRow('QBW32.EXE', 4120, 'Console', 1, 'FRONTDESK-01\\frontdesk')].join('\r\n'))],
        }),
      ),
    );
    const facts = new HostFacts(host);
    const [a, b] = await Promise.all([facts.processes(), facts.processes(), facts.uptimeSeconds(), facts.uptimeSeconds()]);
    expect(a).toBe(b);
    expect(host.listCalls).toBe(1);
    expect(host.uptimeCalls).toBe(1);
    expect(host.runs.get(TASKLIST_ARGV.join(' '))).toBe(1);
  });

  it('reads the OEM code page once, however many outputs it decodes', async () => {
    const host = new CountingHost(new SnapshotHost(snapshot({ commands: [regOemcp(866)] })));
    const facts = new HostFacts(host);
    const cp866 = iconv.encode('ПОЛЬЗОВАТЕЛЬ', 'cp866');
    await Promise.all([facts.decode(cp866), facts.decode(cp866), facts.decode(cp866)]);
    await facts.decode(cp866);
    expect(host.runs.get(OEMCP_ARGV.join(' '))).toBe(1);
  });
});

describe('HostFacts.runText', () => {
  it('decodes a finished command', async () => {
    const facts = factsOf({ commands: [ok(['sc', 'query', 'CISM'], 'STATE : 4 RUNNING\r\n', { exitCode: 3, stderr: 'warn' })] });
    expect(await facts.runText(['sc', 'query', 'CISM'])).toEqual({ exitCode: 3, stdout: 'STATE : 4 RUNNING\r\n', stderr: 'warn' });
  });

  it('throws HostError when the command could not run', async () => {
    const facts = factsOf({
      commands: [
        { argv: ['slow'], exitCode: null, timedOut: true },
        { argv: ['gone'], exitCode: null, notFound: true },
      ],
    });
    await expect(facts.runText(['missing'])).rejects.toMatchObject({ name: 'HostError', kind: 'not-found' });
    await expect(facts.runText(['gone'])).rejects.toMatchObject({ name: 'HostError', kind: 'not-found' });
    await expect(facts.runText(['slow'])).rejects.toMatchObject({ name: 'HostError', kind: 'timeout' });
  });
});

describe('HostFacts.processes', () => {
  const TASKLIST = [
    TL_HEADER,
    tlRow('System', 4, 'Services', 0, 'N/A', 'Unknown'),
    tlRow('QBW32.EXE', 4120, 'Console', 1, 'FRONTDESK-01\\frontdesk', 'Not Responding', 'Harborline Supply - QuickBooks'),
    tlRow('QBW32.EXE', 5200, 'RDP-Tcp#4', 2, 'FRONTDESK-01\\Book Keeper'),
    tlRow('raced.exe', 9999, 'Console', 1, 'FRONTDESK-01\\frontdesk'),
  ].join('\r\n');
  const PROCESSES = [
    { pid: 4, ppid: 0, name: 'System' },
    { pid: 4120, ppid: 3020, name: 'QBW32.EXE' },
    { pid: 5200, name: 'QBW32.EXE' },
    { pid: 7000, ppid: 1, name: 'new.exe' },
  ];

  it('on win32, joins tasklist owners and sessions to the process list by pid', async () => {
    const { processes, ownersError } = await factsOf({ processes: PROCESSES, commands: [ok(TASKLIST_ARGV, TASKLIST)] }).processes();
    expect(ownersError).toBeNull();
    expect(processes).toEqual([
      { pid: 4, ppid: 0, name: 'System', user: null, sessionId: 0, sessionName: 'Services', notResponding: null, windowTitle: null, cmd: null },
      {
        pid: 4120,
        ppid: 3020,
        name: 'QBW32.EXE',
        user: 'FRONTDESK-01\\frontdesk',
        sessionId: 1,
        sessionName: 'Console',
        notResponding: true,
        windowTitle: 'Harborline Supply - QuickBooks',
        cmd: null,
      },
      { pid: 5200, ppid: null, name: 'QBW32.EXE', user: 'FRONTDESK-01\\Book Keeper', sessionId: 2, sessionName: 'RDP-Tcp#4', notResponding: false, windowTitle: null, cmd: null },
      // Started after tasklist ran: listed, owner unknown. (tasklist's raced.exe is not added.)
      { pid: 7000, ppid: 1, name: 'new.exe', user: null, sessionId: null, sessionName: null, notResponding: null, windowTitle: null, cmd: null },
    ]);
  });

  it("on win32, a pid reused between the two lists (another program in tasklist) gets no owner: it is not that program's (was: CISM.exe took WINWORD.EXE's owner)", async () => {
    const tasklist = [TL_HEADER, tlRow('WINWORD.EXE', 4000, 'Console', 1, 'FRONTDESK-01\\frontdesk')].join('\r\n');
    const { processes } = await factsOf({ processes: [{ pid: 4000, ppid: 1, name: 'CISM.exe' }], commands: [ok(TASKLIST_ARGV, tasklist)] }).processes();
    expect(processes).toEqual([{ pid: 4000, ppid: 1, name: 'CISM.exe', user: null, sessionId: null, sessionName: null, notResponding: null, windowTitle: null, cmd: null }]);
  });

  it('on win32 without tasklist, still returns the list, with owners unknown and why', async () => {
    const { processes, ownersError } = await factsOf({ processes: PROCESSES }).processes();
    expect(processes.map((p) => p.pid)).toEqual([4, 4120, 5200, 7000]);
    expect(processes.every((p) => p.user === null && p.sessionId === null)).toBe(true);
    expect(ownersError).toMatch(/owners unknown: .*not found.*tasklist/);
  });

  it('on win32 when tasklist fails, still returns the list, with owners unknown and why', async () => {
    const { processes, ownersError } = await factsOf({
      processes: PROCESSES,
      commands: [{ argv: TASKLIST_ARGV, exitCode: 1, stdout: '', stderr: 'ERROR: Access denied' }],
    }).processes();
    expect(processes).toHaveLength(4);
    expect(processes.every((p) => p.user === null)).toBe(true);
    expect(ownersError).toMatch(/owners unknown: .*exited with 1/);
  });

  it('on win32 when tasklist times out, still returns the list, with owners unknown', async () => {
    const { processes, ownersError } = await factsOf({ processes: PROCESSES, commands: [{ argv: TASKLIST_ARGV, exitCode: null, timedOut: true }] }).processes();
    expect(processes).toHaveLength(4);
    expect(ownersError).toMatch(/owners unknown/);
  });

  it('on linux, names owners from the snapshot\'s /etc/passwd (uid N when unknown)', async () => {
    const facts = factsOf({
      platform: 'linux',
      processes: [
        { pid: 1, name: 'systemd', uid: 0, cmd: '/sbin/init' },
        { pid: 200, name: 'syncd', uid: 1000, cmd: '/usr/bin/syncd --daemon' },
        { pid: 300, name: 'odd', uid: 4242 },
        { pid: 400, name: 'kthreadd' },
      ],
      files: [{ path: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\n# comment\nbroken line\nfrontdesk:x:1000:1000:Front Desk:/home/frontdesk:/bin/bash\n' }],
    });
    const { processes, ownersError } = await facts.processes();
    expect(ownersError).toBeNull();
    expect(processes.map((p) => [p.pid, p.user, p.cmd])).toEqual([
      [1, 'root', '/sbin/init'],
      [200, 'frontdesk', '/usr/bin/syncd --daemon'],
      [300, 'uid 4242', null],
      [400, null, null],
    ]);
  });

  it('on linux without /etc/passwd, gives owners as uid N', async () => {
    const { processes } = await factsOf({ platform: 'linux', processes: [{ pid: 200, name: 'syncd', uid: 1000 }] }).processes();
    expect(processes[0]?.user).toBe('uid 1000');
  });
});

describe('HostFacts.sessions', () => {
  it('on win32, reads `query user`', async () => {
    const stdout = [
      '',
      QU_HEADER,
      quRow('>', 'frontdesk', 'console', '1', 'Active', 'none', '11/20/2026 8:02 AM'),
      quRow(' ', 'Book Keeper', '', '3', 'Disc', '1:05', '11/19/2026 5:10 PM'),
      '',
    ].join('\r\n');
    const sessions = await factsOf({ commands: [ok(QUERY_USER_ARGV, stdout)] }).sessions();
    expect(sessions).toEqual([
      { user: 'frontdesk', sessionName: 'console', id: 1, state: 'active', stateText: 'Active', idleMinutes: 0, logonTime: '11/20/2026 8:02 AM', current: true },
      { user: 'Book Keeper', sessionName: '', id: 3, state: 'disconnected', stateText: 'Disc', idleMinutes: 65, logonTime: '11/19/2026 5:10 PM', current: false },
    ]);
  });

  it('on win32, exit 1 with "No User exists for *" means nobody is logged on', async () => {
    const facts = factsOf({ commands: [{ argv: QUERY_USER_ARGV, exitCode: 1, stdout: '', stderr: 'No User exists for *\r\n' }] });
    expect(await facts.sessions()).toEqual([]);
  });

  describe('a Windows without query.exe (Home editions): logons from the owners of explorer.exe', () => {
    const explorers = [TL_HEADER, tlRow('explorer.exe', 3020, 'Console', 1, 'FRONTDESK-01\\frontdesk'), tlRow('explorer.exe', 6100, 'RDP-Tcp#4', 2, 'FRONTDESK-01\\Book Keeper'), tlRow('explorer.exe', 6120, 'RDP-Tcp#4', 2, 'FRONTDESK-01\\Book Keeper')].join('\r\n');
    const procs = [{ pid: 3020, name: 'explorer.exe' }, { pid: 6100, name: 'explorer.exe' }, { pid: 6120, name: 'explorer.exe' }];
    const expected = [
      { user: 'frontdesk', sessionName: 'Console', id: 1, state: 'unknown', stateText: 'not known (from explorer.exe)', idleMinutes: null, logonTime: '', current: false },
      { user: 'Book Keeper', sessionName: 'RDP-Tcp#4', id: 2, state: 'unknown', stateText: 'not known (from explorer.exe)', idleMinutes: null, logonTime: '', current: false },
    ];

    it('started directly, query is not found', async () => {
      const facts = factsOf({ processes: procs, commands: [{ argv: QUERY_USER_ARGV, exitCode: null, notFound: true }, ok(TASKLIST_ARGV, explorers)] });
      expect(await facts.sessions()).toEqual(expected);
      expect(facts.readLog.join('\n')).toMatch(/read from the owners of explorer\.exe instead \(2, session state unknown\)/);
    });

    it('through a wrapper shell, "not recognized" with exit 1 and an empty stdout is not "nobody is logged on"', async () => {
      const notRecognized = "'query' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n";
      const facts = factsOf({ processes: procs, commands: [{ argv: QUERY_USER_ARGV, exitCode: 1, stdout: '', stderr: notRecognized }, ok(TASKLIST_ARGV, explorers)] });
      expect(await facts.sessions()).toEqual(expected);
    });

    it('when the owners cannot be read either, it could not tell (never nobody)', async () => {
      const facts = factsOf({ processes: procs, commands: [{ argv: QUERY_USER_ARGV, exitCode: null, notFound: true }, { argv: TASKLIST_ARGV, exitCode: 1, stdout: '', stderr: 'ERROR: Access denied' }] });
      const err = await facts.sessions().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostError);
      expect((err as HostError).message).toMatch(/owners of explorer\.exe could not be read either/);
    });
  });

  it('on win32, another failure of `query user` is a HostError', async () => {
    const facts = factsOf({ commands: [{ argv: QUERY_USER_ARGV, exitCode: 5, stdout: '', stderr: 'Error 0x00000005 enumerating sessionnames\r\n' }] });
    const err = await facts.sessions().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).message).toMatch(/exited with 5: Error 0x00000005/);
  });

  it('on win32, an unrecorded `query user` is a HostError of kind not-found', async () => {
    const err = await factsOf({}).sessions().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).kind).toBe('not-found');
  });

  it('on linux, reads `who`', async () => {
    const facts = factsOf({
      platform: 'linux',
      commands: [ok(WHO_ARGV, 'frontdesk tty2         2026-11-20 08:02 (tty2)\nbookkeeper pts/0      2026-11-20 09:41 (10.0.0.8)\n')],
    });
    const sessions = await facts.sessions();
    expect(sessions.map((s) => [s.user, s.sessionName, s.state, s.logonTime])).toEqual([
      ['frontdesk', 'tty2', 'active', '2026-11-20 08:02'],
      ['bookkeeper', 'pts/0', 'active', '2026-11-20 09:41'],
    ]);
  });

  it('on linux, an unrecorded `who` is a HostError of kind not-found, and a failing one a HostError', async () => {
    const missing = await factsOf({ platform: 'linux' }).sessions().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(HostError);
    expect((missing as HostError).kind).toBe('not-found');
    const failing = await factsOf({ platform: 'linux', commands: [{ argv: WHO_ARGV, exitCode: 1, stdout: '', stderr: 'who: cannot open utmp' }] })
      .sessions()
      .catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(HostError);
    expect((failing as HostError).message).toMatch(/cannot open utmp/);
  });
});

describe('HostFacts.decode', () => {
  it('decodes UTF-8 and strips its byte-order mark', async () => {
    const facts = factsOf();
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Müller\r\n', 'utf8')]);
    expect(await facts.decode(bytes)).toBe('Müller\r\n');
    expect(await facts.decode(Buffer.from('plain', 'utf8'))).toBe('plain');
  });

  it('decodes UTF-16LE with its byte-order mark', async () => {
    const facts = factsOf();
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Журнал\r\nline 2', 'utf16le')]);
    expect(await facts.decode(bytes)).toBe('Журнал\r\nline 2');
  });

  it('decodes OEM bytes with the code page recorded in the registry (cp866: a Russian `query user`)', async () => {
    const facts = factsOf({ commands: [regOemcp(866)] });
    const header = ' ПОЛЬЗОВАТЕЛЬ          СЕАНС              ID  СТАТУС  БЕЗДЕЙСТВ.  ВРЕМЯ ВХОДА';
    const bytes = iconv.encode(header, 'cp866');
    expect(await facts.oemCodePage()).toBe(866);
    expect(await facts.decode(bytes)).toBe(header);
  });

  it('reads Cyrillic user names from a cp866 `query user`', async () => {
    const header = ' ПОЛЬЗОВАТЕЛЬ          СЕАНС              ID  СТАТУС  БЕЗДЕЙСТВ.  ВРЕМЯ ВХОДА';
    const text = ['', header, quRow('>', 'Бухгалтер', 'console', '1', 'Активно', 'нет', '20.11.2026 8:02'), ''].join('\r\n');
    const facts = factsOf({ commands: [regOemcp(866), { argv: QUERY_USER_ARGV, exitCode: 0, stdoutBase64: b64(iconv.encode(text, 'cp866')), stderr: '' }] });
    const [s, ...rest] = await facts.sessions();
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ user: 'Бухгалтер', sessionName: 'console', id: 1, stateText: 'Активно', current: true });
  });

  it('falls back to windows-1252 when the code page is unknown', async () => {
    const bytes = Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]); // "Müller" in windows-1252
    expect(await factsOf().decode(bytes)).toBe('Müller'); // no OEMCP recorded
    expect(await factsOf({ platform: 'linux' }).decode(bytes)).toBe('Müller');
  });
});

describe('HostFacts.expandEnv', () => {
  it('expands %NAME% from the host environment (case-insensitively on win32), leaving unknown names alone', () => {
    const facts = factsOf({ env: { ProgramData: 'C:\\ProgramData', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', USERNAME: 'frontdesk' } });
    expect(facts.expandEnv('%ProgramData%\\Crik-IT\\CISM\\sync.log')).toBe('C:\\ProgramData\\Crik-IT\\CISM\\sync.log');
    expect(facts.expandEnv('%PROGRAMDATA%\\a and %programdata%\\b')).toBe('C:\\ProgramData\\a and C:\\ProgramData\\b');
    expect(facts.expandEnv('%ProgramFiles(x86)%\\Intuit')).toBe('C:\\Program Files (x86)\\Intuit');
    expect(facts.expandEnv('C:\\Users\\%username%\\%NOSUCH%\\100%')).toBe('C:\\Users\\frontdesk\\%NOSUCH%\\100%');
    expect(facts.expandEnv('no variables')).toBe('no variables');
  });
});

describe('HostFacts.readTail', () => {
  const content = 'line one\nline two\nline three\n'; // 29 bytes

  it('returns only the last maxBytes and says it was truncated', async () => {
    const facts = factsOf({ files: [{ path: 'C:\\sync.log', content, mtime: '2026-11-20T13:00:00Z' }] });
    const tail = await facts.readTail('C:\\sync.log', 11);
    expect(new TextDecoder().decode(tail.bytes)).toBe('line three\n');
    expect(tail.size).toBe(29);
    expect(tail.truncated).toBe(true);
    expect(tail.stat).toMatchObject({ size: 29, isDirectory: false, mtime: new Date('2026-11-20T13:00:00Z') });
  });

  it('returns the whole file, not truncated, when it fits', async () => {
    const facts = factsOf({ files: [{ path: 'C:\\sync.log', content }] });
    for (const max of [29, 1000]) {
      const tail = await facts.readTail('C:\\sync.log', max);
      expect(new TextDecoder().decode(tail.bytes)).toBe(content);
      expect(tail.truncated).toBe(false);
    }
  });

  it('throws HostError not-found for a missing file', async () => {
    const err = await factsOf().readTail('C:\\missing.log', 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).kind).toBe('not-found');
  });

  it('readText decodes the tail', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Sync completed', 'utf16le')]);
    const facts = factsOf({ files: [{ path: 'C:\\u16.log', contentBase64: b64(bytes) }] });
    expect(await facts.readText('C:\\u16.log', 1024)).toBe('Sync completed');
  });
});

describe('quickBooksCompany: the company file from QuickBooks\' window title', () => {
  it.each([
    ['Harborline Supply - QuickBooks Desktop Pro 2024', 'Harborline Supply'],
    ['Smith & Sons, LLC - Intuit QuickBooks Enterprise Solutions: Manufacturing and Wholesale 23.0', 'Smith & Sons, LLC'],
    ['Müller GmbH - QuickBooks Premier Accountant Edition 2023', 'Müller GmbH'],
    ['N/A', null],
    ['QuickBooks Desktop Pro 2024', null],
    ['', null],
    [null, null],
  ])('%s → %s', async (title, company) => {
    const { quickBooksCompany } = await import('../../src/host/processes.js');
    expect(quickBooksCompany(title)).toBe(company);
  });
});
