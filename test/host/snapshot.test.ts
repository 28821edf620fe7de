import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadSnapshot, parseSnapshot, SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';

const CAPTURED = '2026-11-20T14:03:00Z';

/** A minimal valid snapshot, one fact per line so positions are easy to count. */
const BASE = [
  'syncdoctorSnapshot: 1', // 1
  `capturedAt: "${CAPTURED}"`, // 2
  'platform: win32', // 3
  'hostname: FRONTDESK-01', // 4
  'uptimeSeconds: 93600', // 5
].join('\n') + '\n';

function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return { syncdoctorSnapshot: 1, capturedAt: CAPTURED, platform: 'win32', hostname: 'FRONTDESK-01', uptimeSeconds: 93600, ...extra };
}

/** The InputError parseSnapshot throws for `text` (fails the test when it does not throw one). */
function inputError(text: string, file = 'pc.yaml'): InputError {
  try {
    parseSnapshot(file, text);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('parseSnapshot accepted invalid input');
}

function messages(text: string): string[] {
  return inputError(text).problems.map((p) => (p.pos ? `${p.pos.file}:${p.pos.line}:${p.pos.col}: ${p.message}` : p.message));
}

const decoder = new TextDecoder();
const text = (b: Uint8Array) => decoder.decode(b);

describe('parseSnapshot', () => {
  it('accepts the minimal snapshot and returns its values', () => {
    expect(parseSnapshot('pc.yaml', BASE)).toEqual(snapshot());
  });

  it('accepts JSON (a YAML subset)', () => {
    expect(parseSnapshot('pc.json', JSON.stringify(snapshot({ env: { ProgramData: 'C:\\ProgramData' } }), null, 2))).toEqual(
      snapshot({ env: { ProgramData: 'C:\\ProgramData' } }),
    );
  });

  it('reports a value of the wrong type at its position, with what was expected and what was found', () => {
    const err = inputError(BASE.replace('uptimeSeconds: 93600', 'uptimeSeconds: lots'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.pos).toEqual({ file: 'pc.yaml', line: 5, col: 16 });
    expect(err.message).toBe('pc.yaml:5:16: uptimeSeconds: expected a number of seconds from 0 to 3155760000 (a century), got "lots"');
  });

  it('reports an unknown key at the key, listing the keys it allows', () => {
    const [msg, ...rest] = messages(BASE + 'hostnme: FRONTDESK-02\n');
    expect(rest).toEqual([]);
    expect(msg).toMatch(/^pc\.yaml:6:1: unknown key "hostnme"; expected one of: syncdoctorSnapshot, capturedAt, platform, hostname, /);
  });

  it('reports an unknown key inside a recorded command at that key', () => {
    const text = BASE + ['commands:', '  - argv: [query, user]', '    exitCode: 0', '    stdot: ""'].join('\n') + '\n';
    expect(messages(text)).toEqual([expect.stringMatching(/^pc\.yaml:9:5: unknown key "stdot"; expected one of: argv, exitCode, stdout, /)]);
  });

  it('reports a capturedAt that is not a time', () => {
    expect(messages(BASE.replace(CAPTURED, 'yesterday'))).toEqual([
      'pc.yaml:2:13: capturedAt: expected an ISO 8601 time such as "2026-11-20T14:03:00Z", got "yesterday"',
    ]);
  });

  it('rejects a capturedAt on a day the month does not have (not silently moved to March)', () => {
    const err = inputError(BASE.replace(CAPTURED, '2026-02-30T14:03:00Z'));
    expect(err.problems[0]!.pos).toEqual({ file: 'pc.yaml', line: 2, col: 13 });
    expect(err.problems[0]!.message).toMatch(/^capturedAt: expected an ISO 8601 time/);
  });

  it('names an entry of a list by its index, as processes[0].pid', () => {
    const text = BASE + ['processes:', '  - { pid: x, name: QBW32.EXE }'].join('\n') + '\n';
    expect(messages(text)).toEqual(['pc.yaml:7:12: processes[0].pid: expected a whole number ≥ 0, got "x"']);
  });

  it('reports a file mtime that is not a time, naming the file entry and what is expected', () => {
    const text = BASE + ['files:', "  - path: 'C:\\sync.log'", '    mtime: "2026-11-20"'].join('\n') + '\n';
    const err = inputError(text);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.pos).toEqual({ file: 'pc.yaml', line: 8, col: 12 });
    // The value is a string: the message must say it is not an ISO 8601 time (not "expected a string").
    expect(err.problems[0]!.message).toMatch(/^files\[0\]\.mtime: expected an ISO 8601 time/);
  });

  it('reports base64 that is not base64, for file contents and command output', () => {
    const text =
      BASE +
      ['files:', '  - path: a.log', '    contentBase64: "not base64!"', 'commands:', '  - argv: [who]', '    exitCode: 0', '    stderrBase64: "%%%"'].join('\n') +
      '\n';
    expect(messages(text)).toEqual([
      'pc.yaml:8:20: files[0].contentBase64: expected base64 text',
      'pc.yaml:12:19: commands[0].stderrBase64: expected base64 text',
    ]);
  });

  it('refuses both content and contentBase64 for one file', () => {
    const text = BASE + ['files:', '  - path: a.log', '    content: x', '    contentBase64: eA=='].join('\n') + '\n';
    expect(messages(text)).toEqual(['pc.yaml:7:5: files[0]: give content or contentBase64, not both']);
  });

  it('refuses both stdout and stdoutBase64 for one command', () => {
    const text = BASE + ['commands:', '  - argv: [who]', '    exitCode: 0', '    stdout: x', '    stdoutBase64: eA=='].join('\n') + '\n';
    expect(messages(text)).toEqual(['pc.yaml:7:5: commands[0]: give stdout or stdoutBase64, not both']);
  });

  it('reports a YAML syntax error with its position', () => {
    const [msg, ...rest] = messages(BASE + 'commands: [query, user\n');
    expect(rest).toEqual([]);
    expect(msg).toMatch(/^pc\.yaml:7:1: invalid YAML: /);
  });

  it('reports a duplicated key as invalid YAML at the second one', () => {
    expect(messages(BASE + 'hostname: AGAIN\n')).toEqual([expect.stringMatching(/^pc\.yaml:6:1: invalid YAML: .*unique/)]);
  });

  it('reports a missing required key by name', () => {
    const msgs = messages(BASE.replace('hostname: FRONTDESK-01\n', ''));
    expect(msgs[0]).toBe('pc.yaml:1:1: missing required key "hostname"');
  });

  it('reports every problem at once, each with its own position', () => {
    const text = BASE.replace(CAPTURED, 'soon').replace('uptimeSeconds: 93600', 'uptimeSeconds: -1') + 'extra: 1\n';
    const err = inputError(text);
    const where = err.problems.map((p) => `${p.pos?.line}:${p.pos?.col}`);
    expect(where).toEqual(expect.arrayContaining(['2:13', '5:16', '6:1']));
    expect(err.message.split('\n').every((l) => l.startsWith('pc.yaml:'))).toBe(true);
  });

  it('keeps escaped CRLF and NUL in double-quoted output exactly', async () => {
    const text = BASE + ['commands:', '  - argv: [query, user]', '    exitCode: 0', '    stdout: "a\\r\\nb\\0c\\r\\n"'].join('\n') + '\n';
    const host = new SnapshotHost(parseSnapshot('pc.yaml', text));
    const r = await host.run(['query', 'user']);
    expect([...r.stdout]).toEqual([0x61, 0x0d, 0x0a, 0x62, 0x00, 0x63, 0x0d, 0x0a]);
  });
});

describe('loadSnapshot', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'syncdoctor-snapshot-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a missing file as invalid input naming the file', async () => {
    const file = path.join(dir, 'missing.yaml');
    const err = await loadSnapshot(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([{ file, message: 'cannot read snapshot: ENOENT' }]);
    expect((err as InputError).message).toBe(`${file}: cannot read snapshot: ENOENT`);
  });

  it('loads a file into a host that remembers where it came from', async () => {
    const file = path.join(dir, 'pc.yaml');
    await writeFile(file, BASE);
    const host = await loadSnapshot(file);
    expect(host).toBeInstanceOf(SnapshotHost);
    expect(host.origin).toBe(file);
    expect(host.hostname()).toBe('FRONTDESK-01');
  });

  it('reports problems in a file with that file name', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, BASE.replace('platform: win32', 'platform: ""'));
    const err = await loadSnapshot(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(new RegExp(`^${file.replace(/[\\.]/g, '\\$&')}:3:11: platform: `));
  });
});

describe('SnapshotHost replay', () => {
  it('replays a recorded command by its exact argv', async () => {
    const host = new SnapshotHost(snapshot({ commands: [{ argv: ['sc', 'query', 'CISM'], exitCode: 1060, stdout: 'not installed\r\n', stderr: '' }] }));
    const r = await host.run(['sc', 'query', 'CISM']);
    expect(r).toMatchObject({ argv: ['sc', 'query', 'CISM'], exitCode: 1060, notFound: false, timedOut: false });
    expect(text(r.stdout)).toBe('not installed\r\n');
    expect(r.stderr).toHaveLength(0);
  });

  it('treats an unrecorded command (or other arguments) as not found', async () => {
    const host = new SnapshotHost(snapshot({ commands: [{ argv: ['sc', 'query', 'CISM'], exitCode: 0, stdout: 'x' }] }));
    for (const argv of [['powercfg', '/a'], ['sc', 'query'], ['sc', 'query', 'CISM', 'extra']]) {
      const r = await host.run(argv);
      expect(r).toMatchObject({ argv, exitCode: null, notFound: true, timedOut: false });
      expect(r.stdout).toHaveLength(0);
    }
  });

  it('replays a command recorded as not found or timed out', async () => {
    const host = new SnapshotHost(
      snapshot({
        commands: [
          { argv: ['quser'], exitCode: null, notFound: true },
          { argv: ['tasklist', '/v'], exitCode: null, timedOut: true },
        ],
      }),
    );
    expect(await host.run(['quser'])).toMatchObject({ notFound: true, exitCode: null });
    expect(await host.run(['tasklist', '/v'])).toMatchObject({ notFound: false, timedOut: true, exitCode: null });
  });

  it('keeps stdoutBase64 / stderrBase64 bytes exactly (CRLF, NUL, bytes that are not UTF-8)', async () => {
    const out = Uint8Array.from([0x0d, 0x0a, 0x00, 0xff, 0xfe, 0x41, 0x8f, 0x0d, 0x0a]);
    const err = Uint8Array.from([0x00, 0x00, 0x0a]);
    const host = new SnapshotHost(
      snapshot({
        commands: [{ argv: ['query', 'user'], exitCode: 0, stdoutBase64: Buffer.from(out).toString('base64'), stderrBase64: Buffer.from(err).toString('base64') }],
      }),
    );
    const r = await host.run(['query', 'user']);
    expect([...r.stdout]).toEqual([...out]);
    expect([...r.stderr]).toEqual([...err]);
  });

  it('keeps contentBase64 file bytes exactly, and reads them at an offset', async () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0x00, 0x62]);
    const host = new SnapshotHost(snapshot({ files: [{ path: 'C:\\log.txt', contentBase64: Buffer.from(bytes).toString('base64') }] }));
    expect((await host.stat('C:\\log.txt'))?.size).toBe(8);
    expect([...(await host.readAt('C:\\log.txt', 0, 100))]).toEqual([...bytes]);
    expect([...(await host.readAt('C:\\log.txt', 4, 3))]).toEqual([0x0d, 0x0a, 0x00]);
  });

  it('treats an unrecorded file as absent', async () => {
    const host = new SnapshotHost(snapshot({ files: [{ path: 'C:\\a.log', content: 'x' }] }));
    expect(await host.stat('C:\\b.log')).toBeUndefined();
    await expect(host.readAt('C:\\b.log', 0, 10)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gives a file its recorded mtime, or the capture time when none was recorded', async () => {
    const host = new SnapshotHost(
      snapshot({ files: [{ path: 'C:\\a.log', content: 'abc', mtime: '2026-11-20T13:58:00Z' }, { path: 'C:\\b.log', content: 'héllo' }] }),
    );
    expect(await host.stat('C:\\a.log')).toEqual({ path: 'C:\\a.log', size: 3, mtime: new Date('2026-11-20T13:58:00Z'), isDirectory: false });
    expect(await host.stat('C:\\b.log')).toEqual({ path: 'C:\\b.log', size: 6, mtime: new Date(CAPTURED), isDirectory: false });
  });

  it('replays a recorded folder, which cannot be read as a file', async () => {
    const host = new SnapshotHost(snapshot({ files: [{ path: 'C:\\ProgramData\\Crik-IT', directory: true }] }));
    expect((await host.stat('C:\\ProgramData\\Crik-IT'))?.isDirectory).toBe(true);
    await expect(host.readAt('C:\\ProgramData\\Crik-IT', 0, 10)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('matches win32 paths case-insensitively, with / or \\, and with a trailing separator', async () => {
    const host = new SnapshotHost(snapshot({ files: [{ path: 'C:\\ProgramData\\Intuit\\QBWebConnector\\log\\QWCLog.txt', content: 'hello' }] }));
    for (const p of [
      'c:\\programdata\\intuit\\qbwebconnector\\log\\qwclog.txt',
      'C:/ProgramData/Intuit/QBWebConnector/log/QWCLog.txt',
      'C:\\PROGRAMDATA/Intuit\\QBWEBCONNECTOR/log\\QWCLOG.TXT',
    ]) {
      expect((await host.stat(p))?.size, p).toBe(5);
      expect(text(await host.readAt(p, 0, 5)), p).toBe('hello');
    }
    const dirs = new SnapshotHost(snapshot({ files: [{ path: 'C:/ProgramData/Crik-IT/', directory: true }] }));
    expect((await dirs.stat('c:\\programdata\\crik-it'))?.isDirectory).toBe(true);
  });

  it('matches POSIX paths exactly (case-sensitive)', async () => {
    const host = new SnapshotHost(snapshot({ platform: 'linux', files: [{ path: '/var/log/Sync.log', content: 'x' }] }));
    expect(await host.stat('/var/log/Sync.log')).toBeDefined();
    expect(await host.stat('/var/log/sync.log')).toBeUndefined();
  });

  it('reads environment variables case-insensitively on win32 only', () => {
    const env = { ProgramData: 'C:\\ProgramData', HOME: '/home/me' };
    const win = new SnapshotHost(snapshot({ env }));
    expect(win.env('ProgramData')).toBe('C:\\ProgramData');
    expect(win.env('PROGRAMDATA')).toBe('C:\\ProgramData');
    expect(win.env('programdata')).toBe('C:\\ProgramData');
    expect(win.env('APPDATA')).toBeUndefined();
    const linux = new SnapshotHost(snapshot({ platform: 'linux', env }));
    expect(linux.env('HOME')).toBe('/home/me');
    expect(linux.env('home')).toBeUndefined();
    expect(linux.env('PROGRAMDATA')).toBeUndefined();
  });

  it('replays network results; an unrecorded target cannot be told', async () => {
    const host = new SnapshotHost(
      snapshot({
        network: [
          { target: 'sync.example.invalid:443', result: 'ok' },
          { target: 'db.example.invalid:1433', result: 'refused' },
          { target: 'nowhere.invalid:80', result: 'dns-error' },
        ],
      }),
    );
    expect(await host.connect('sync.example.invalid:443')).toBe('ok');
    expect(await host.connect('db.example.invalid:1433')).toBe('refused');
    expect(await host.connect('nowhere.invalid:80')).toBe('dns-error');
    expect(await host.connect('SYNC.Example.invalid:443')).toBe('ok'); // host names ignore case
    await expect(host.connect('other.example.invalid:443')).rejects.toThrow(/was not checked when this snapshot was captured/);
  });

  it('uses the capture time as its clock and reports the recorded facts', async () => {
    const host = new SnapshotHost(snapshot({ processes: [{ pid: 4120, ppid: 812, name: 'QBW32.EXE' }] }));
    expect(host.source).toBe('snapshot');
    expect(host.platform).toBe('win32');
    expect(host.now().toISOString()).toBe('2026-11-20T14:03:00.000Z');
    host.now().setFullYear(2000); // a copy: the replay clock does not move
    expect(host.now().toISOString()).toBe('2026-11-20T14:03:00.000Z');
    expect(host.hostname()).toBe('FRONTDESK-01');
    expect(await host.uptimeSeconds()).toBe(93600);
    expect(await host.listProcesses()).toEqual([{ pid: 4120, ppid: 812, name: 'QBW32.EXE' }]);
  });

  it('has a UTC offset of 0 unless one was recorded', () => {
    expect(new SnapshotHost(snapshot()).utcOffsetMinutes()).toBe(0);
    expect(new SnapshotHost(snapshot({ utcOffsetMinutes: -300 })).utcOffsetMinutes()).toBe(-300);
    expect(new SnapshotHost(parseSnapshot('pc.yaml', BASE + 'utcOffsetMinutes: 180\n')).utcOffsetMinutes()).toBe(180);
  });

  describe('a command recorded as hanging', () => {
    const hanging = () => new SnapshotHost(snapshot({ commands: [{ argv: ['powercfg', '/requests'], exitCode: null, hang: true }] }));
    const pendingAfter = async (p: Promise<unknown>, ms: number) => {
      const marker = Symbol('pending');
      return (await Promise.race([p, new Promise((r) => setTimeout(() => r(marker), ms))])) === marker;
    };

    it('returns only when its timeout passes, as timed out', async () => {
      const t0 = Date.now();
      const p = hanging().run(['powercfg', '/requests'], { timeoutMs: 150 });
      expect(await pendingAfter(p, 50)).toBe(true);
      const r = await p;
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
      expect(r).toMatchObject({ exitCode: null, notFound: false, timedOut: true, failure: 'timed out after 150 ms' });
    });

    it('returns when the signal aborts, long before its timeout', async () => {
      const ctl = new AbortController();
      const t0 = Date.now();
      const p = hanging().run(['powercfg', '/requests'], { timeoutMs: 10_000, signal: ctl.signal });
      expect(await pendingAfter(p, 50)).toBe(true);
      ctl.abort();
      const r = await p;
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(r).toMatchObject({ exitCode: null, timedOut: true, failure: 'cancelled' });
    });

    it('returns at once when the signal was already aborted', async () => {
      const ctl = new AbortController();
      ctl.abort();
      const t0 = Date.now();
      const r = await hanging().run(['powercfg', '/requests'], { timeoutMs: 3_000, signal: ctl.signal });
      expect(Date.now() - t0).toBeLessThan(1_000);
      expect(r).toMatchObject({ exitCode: null, failure: 'cancelled' });
    });
  });
});
