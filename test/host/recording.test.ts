// The recording host keeps every fact read, byte for byte, and the written snapshot replays them:
// record through a host, write YAML or JSON, parse it back, and the replay host answers the same.
import fc from 'fast-check';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/core/errors.js';
import { HostFacts } from '../../src/host/facts.js';
import type { CommandResult, FileStat, Host, NetResult, RawProcess, RunOptions } from '../../src/host/host.js';
import { LiveHost, TASKLIST_BRIEF_ARGV } from '../../src/host/live.js';
import { RecordingHost } from '../../src/host/recording.js';
import { parseSnapshot, SnapshotHost } from '../../src/host/snapshot.js';
import { stringifySnapshot } from '../../src/host/snapshot-write.js';

/** A host made of plain data, so the test says exactly which bytes go in. */
class DataHost implements Host {
  readonly source = 'live' as const;
  readonly platform: NodeJS.Platform = 'win32';
  commands = new Map<string, Partial<CommandResult>>();
  files = new Map<string, { bytes: Uint8Array; mtime: Date } | NodeJS.ErrnoException>();
  envs: Record<string, string> = {};
  hostname() {
    return 'PC-1';
  }
  now() {
    return new Date('2026-11-20T14:03:00.123Z');
  }
  utcOffsetMinutes() {
    return -300;
  }
  async uptimeSeconds() {
    return 4242;
  }
  async listProcesses(): Promise<RawProcess[]> {
    return [{ pid: 4, ppid: 0, name: 'System' }, { pid: 100, name: 'Agent.exe' }];
  }
  async run(argv: readonly string[], _options?: RunOptions): Promise<CommandResult> {
    const c = this.commands.get(argv.join(' '));
    const empty = new Uint8Array(0);
    if (!c) return { argv: [...argv], exitCode: null, stdout: empty, stderr: empty, notFound: true, timedOut: false };
    return { argv: [...argv], exitCode: 0, stdout: empty, stderr: empty, notFound: false, timedOut: false, ...c };
  }
  async stat(path: string): Promise<FileStat | undefined> {
    const f = this.files.get(path);
    if (!f) return undefined;
    if (f instanceof Error) throw f;
    return { path, size: f.bytes.length, mtime: f.mtime, isDirectory: false };
  }
  async readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
    const f = this.files.get(path);
    if (!f || f instanceof Error) throw new Error('no');
    return f.bytes.subarray(offset, offset + length);
  }
  env(name: string) {
    return this.envs[name];
  }
  async connect(target: string): Promise<NetResult> {
    return target.startsWith('up') ? 'ok' : 'refused';
  }
  async runAction(): Promise<CommandResult> {
    throw new Error('no changes');
  }
  async spawnDetached(): Promise<number> {
    throw new Error('no changes');
  }
  async signal(): Promise<boolean> {
    return false;
  }
  async isAlive(): Promise<boolean> {
    return false;
  }
}

/** Records, writes, parses back: the replay host. */
async function replayOf(rec: RecordingHost, json = false): Promise<{ host: SnapshotHost; text: string }> {
  const text = stringifySnapshot(await rec.toSnapshot(), { json });
  return { host: new SnapshotHost(parseSnapshot(json ? 'pc.json' : 'pc.yaml', text)), text };
}

const eaccess = Object.assign(new Error('EACCES: denied'), { code: 'EACCES' });

describe('RecordingHost', () => {
  it('keeps command bytes exactly: CRLF and NUL escaped, non-UTF-8 as base64', async () => {
    const inner = new DataHost();
    const outputs: Record<string, Uint8Array> = {
      'query user': Buffer.from(' USERNAME  ID\r\n>frontdesk 1\r\n'),
      'who': Buffer.from('a\0b\n'),
      'qwinsta': Buffer.from([0x8f, 0xae, 0xab, 0xec, 0x0d, 0x0a]), // cp866 "Поль\r\n": not UTF-8
      'bom': Buffer.from('\ufeffwith bom\n'),
      'utf16': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]),
      'plain': Buffer.from('line 1\nline 2\n'),
    };
    for (const [k, v] of Object.entries(outputs)) inner.commands.set(k, { stdout: v, stderr: Buffer.from('warn\r\n'), exitCode: 1 });
    inner.commands.set('hung', { exitCode: null, timedOut: true, failure: 'timed out after 15000 ms' });
    const rec = new RecordingHost(inner);
    for (const k of [...Object.keys(outputs), 'hung', 'missing']) await rec.run(k.split(' '));
    for (const json of [false, true]) {
      const { host, text } = await replayOf(rec, json);
      for (const [k, v] of Object.entries(outputs)) {
        const r = await host.run(k.split(' '));
        expect(Buffer.from(r.stdout), k).toEqual(Buffer.from(v));
        expect(Buffer.from(r.stderr).toString()).toBe('warn\r\n');
        expect(r.exitCode).toBe(1);
      }
      expect(await host.run(['hung'])).toMatchObject({ exitCode: null, timedOut: true, failure: 'timed out after 15000 ms' });
      expect((await host.run(['missing'])).notFound).toBe(true);
      if (!json) {
        expect(text).toContain('stdout: " USERNAME  ID\\r\\n>frontdesk 1\\r\\n"');
        expect(text).toContain('stdout: "a\\0b\\n"');
        expect(text).toContain(`stdoutBase64: ${Buffer.from(outputs.qwinsta!).toString('base64')}`);
        expect(text).toContain('stdout: "\\uFEFFwith bom\\n"');
        expect(text).toMatch(/stdout: \|\n\s+line 1\n\s+line 2\n/);
      }
    }
  });

  it('any bytes survive the YAML round trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 100 }).map((s) => new Uint8Array(Buffer.from(s))),
          fc.array(fc.constantFrom('a', ' ', '\n', '\r', '\t', '\0', '#', ':', '-', '"', "'", '|', 'é', '\u2028', '\ufeff', '\x1b', '\x7f'), { maxLength: 60 }).map((a) => new Uint8Array(Buffer.from(a.join('')))),
        ),
        async (bytes) => {
          const inner = new DataHost();
          inner.commands.set('x', { stdout: bytes });
          inner.files.set('C:\\f.txt', { bytes, mtime: new Date('2026-01-01T00:00:00Z') });
          const rec = new RecordingHost(inner);
          await rec.run(['x']);
          await rec.stat('C:\\f.txt');
          await rec.readAt('C:\\f.txt', 0, bytes.length);
          const { host } = await replayOf(rec);
          expect(Buffer.from((await host.run(['x'])).stdout)).toEqual(Buffer.from(bytes));
          expect(Buffer.from(await host.readAt('C:\\f.txt', 0, bytes.length))).toEqual(Buffer.from(bytes));
          expect((await host.stat('C:\\f.txt'))!.size).toBe(bytes.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a tail read stores the tail, and replay gives the same size and bytes', async () => {
    const inner = new DataHost();
    const big = Buffer.alloc(10_000, 'x');
    big.write('\nlast line\n', 10_000 - 11);
    inner.files.set('C:\\big.log', { bytes: big, mtime: new Date('2026-11-20T13:00:00Z') });
    const rec = new RecordingHost(inner);
    const live = await new HostFacts(rec).readTail('C:\\big.log', 100);
    const { host } = await replayOf(rec);
    const snap = (await rec.toSnapshot()).files!.find((f) => f.path === 'C:\\big.log')!;
    expect(snap).toMatchObject({ contentOffset: 9_900, mtime: '2026-11-20T13:00:00.000Z' });
    expect(snap.content).toHaveLength(100);
    const replayed = await new HostFacts(host).readTail('C:\\big.log', 100);
    expect(replayed).toEqual(live);
    await expect(host.readAt('C:\\big.log', 0, 10)).rejects.toThrow(/not in this snapshot/);
  });

  it('a file looked up but not read keeps its size; errors replay as the same errors', async () => {
    const inner = new DataHost();
    inner.files.set('C:\\seen.txt', { bytes: Buffer.alloc(5000), mtime: new Date('2026-11-20T13:00:00Z') });
    inner.files.set('C:\\locked.txt', eaccess);
    const rec = new RecordingHost(inner);
    await rec.stat('C:\\seen.txt');
    await expect(rec.stat('C:\\locked.txt')).rejects.toThrow();
    await rec.stat('C:\\absent.txt');
    const { host } = await replayOf(rec);
    expect(await host.stat('C:\\seen.txt')).toMatchObject({ size: 5000, isDirectory: false });
    expect(await host.stat('C:\\absent.txt')).toBeUndefined();
    await expect(new HostFacts(host).stat('C:\\locked.txt')).rejects.toMatchObject({ kind: 'access-denied' });
    expect((await rec.toSnapshot()).files!.map((f) => f.path)).toEqual(['C:\\seen.txt', 'C:\\locked.txt']);
  });

  it('records the clock (frozen), host basics, environment lookups and network answers', async () => {
    const inner = new DataHost();
    inner.envs = { ProgramData: 'C:\\ProgramData' };
    const rec = new RecordingHost(inner);
    const t = rec.now();
    expect(rec.now()).toEqual(t);
    expect(rec.env('ProgramData')).toBe('C:\\ProgramData');
    expect(rec.env('NOPE')).toBeUndefined();
    expect(await rec.connect('up.example:443', 100)).toBe('ok');
    expect(await rec.connect('down.example:443', 100)).toBe('refused');
    await rec.listProcesses();
    const snap = await rec.toSnapshot({ settings: { cism: { windowsUser: 'frontdesk' } }, note: 'n' });
    expect(snap).toMatchObject({
      capturedAt: '2026-11-20T14:03:00.123Z',
      platform: 'win32',
      hostname: 'PC-1',
      uptimeSeconds: 4242,
      utcOffsetMinutes: -300,
      note: 'n',
      env: { ProgramData: 'C:\\ProgramData' },
      network: [{ target: 'up.example:443', result: 'ok' }, { target: 'down.example:443', result: 'refused' }],
      processes: [{ pid: 4, ppid: 0, name: 'System' }, { pid: 100, name: 'Agent.exe' }],
      settings: { cism: { windowsUser: 'frontdesk' } },
    });
    const { host } = await replayOf(rec);
    expect(host.now()).toEqual(t);
    expect(await host.connect('down.example:443')).toBe('refused');
  });

  it('records real network answers (loopback only)', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const open = (server.address() as net.AddressInfo).port;
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    try {
      const rec = new RecordingHost(new LiveHost());
      expect(await rec.connect(`127.0.0.1:${open}`, 2000)).toBe('ok');
      expect(await rec.connect(`127.0.0.1:${closed}`, 2000)).toBe('refused');
      const { host } = await replayOf(rec);
      expect(await host.connect(`127.0.0.1:${open}`)).toBe('ok');
      expect(await host.connect(`127.0.0.1:${closed}`)).toBe('refused');
    } finally {
      server.close();
    }
  });

  it('never changes the machine', async () => {
    const rec = new RecordingHost(new DataHost());
    await expect(rec.runAction()).rejects.toBeInstanceOf(HostError);
    await expect(rec.spawnDetached()).rejects.toBeInstanceOf(HostError);
  });
});

describe('LiveHost process list on Windows: tasklist, never the vendored fastlist', () => {
  /** ps-list would run a fastlist.exe from beside its module, a folder a standard user may write. */
  class WindowsHost extends LiveHost {
    override readonly platform: NodeJS.Platform = 'win32';
    ran: string[][] = [];
    protected override async psList(): Promise<RawProcess[]> {
      throw new Error('ps-list (and its vendored fastlist.exe) must not run on Windows');
    }
    override async run(argv: readonly string[]): Promise<CommandResult> {
      this.ran.push([...argv]);
      const stdout = Buffer.from('"System Idle Process","0","Services","0","8 K"\r\n"QBW32.EXE","4120","Console","1","412,880 K"\r\n');
      return { argv: [...argv], exitCode: 0, stdout, stderr: new Uint8Array(0), notFound: false, timedOut: false };
    }
  }

  it('reads tasklist /fo csv /nh', async () => {
    const host = new WindowsHost();
    expect(await host.listProcesses()).toEqual([
      { pid: 0, name: 'System Idle Process' },
      { pid: 4120, name: 'QBW32.EXE' },
    ]);
    expect(host.ran).toEqual([TASKLIST_BRIEF_ARGV]);
  });
});

describe('systemProgramPath: a bare Windows program name is the system\'s own', () => {
  it.each([
    ['tasklist', { SystemRoot: 'C:\\Windows' }, 'C:\\Windows\\System32\\tasklist.exe'],
    ['query', { SystemRoot: 'D:\\WINNT\\' }, 'D:\\WINNT\\System32\\query.exe'],
    ['schtasks.exe', {}, 'C:\\Windows\\System32\\schtasks.exe'],
    ['tasklist', { SystemRoot: '.\\planted', windir: 'C:\\Windows' }, 'C:\\Windows\\System32\\tasklist.exe'],
    ['tasklist', { SystemRoot: 'C:\\Windows" & calc' }, 'C:\\Windows\\System32\\tasklist.exe'],
    ['C:\\Program Files\\Agent\\agent.exe', {}, 'C:\\Program Files\\Agent\\agent.exe'],
  ])('%s with %j → %s', async (name, env, expected) => {
    const { systemProgramPath } = await import('../../src/host/system-program.js');
    expect(systemProgramPath(name, 'win32', env)).toBe(expected);
  });

  it('elsewhere, names are left to the platform', async () => {
    const { systemProgramPath } = await import('../../src/host/system-program.js');
    expect(systemProgramPath('who', 'linux', {})).toBe('who');
  });
});
