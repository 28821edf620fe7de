// Facts about the host, each gathered at most once per run and shared by every probe: the
// process list with owners, interactive sessions, command results, file tails. Windows facts come
// from native commands parsed by src/host/parsers; Linux and macOS use their own equivalents.
import { HostError } from '../core/errors.js';
import { cellWidthFor, decodeCodePage, decodeSimple } from './decode.js';
import type { CommandResult, FileStat, Host, NetResult } from './host.js';
import { parseQueryUserResult } from './parsers/query-user.js';
import { parseRegQuery } from './parsers/reg-query.js';
import { parseTasklistCsv } from './parsers/tasklist.js';
import { normaliseImage } from './processes.js';
import type { SessionInfo } from './parsers/types.js';
import { parseQwcLog, readQwcLogTail, type QwcLogAnalysis } from './parsers/qwclog.js';
import { parseWho } from './parsers/who.js';
import { readServiceState, type ServiceState } from './service-state.js';
import { readMachineIdentity, type MachineIdentity } from './machine.js';

export interface ProcessInfo {
  pid: number;
  ppid: number | null;
  name: string;
  /** DOMAIN\user on Windows, a user name on Linux; null when the platform did not tell. */
  user: string | null;
  sessionId: number | null;
  sessionName: string | null;
  notResponding: boolean | null;
  windowTitle: string | null;
  cmd: string | null;
}

export interface ProcessList {
  processes: ProcessInfo[];
  /** Why owners are unknown (e.g. tasklist failed); null when they were read. */
  ownersError: string | null;
}

const QWC_TAIL_BYTES = 4 * 1024 * 1024;

export const TASKLIST_ARGV = ['tasklist', '/v', '/fo', 'csv'];
export const QUERY_USER_ARGV = ['query', 'user'];
export const WHO_ARGV = ['who'];
export const OEMCP_ARGV = ['reg', 'query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage', '/v', 'OEMCP'];

export interface FactsOptions {
  /** The run's deadline: aborts commands still running. */
  signal?: AbortSignal;
  commandTimeoutMs?: number;
}

export class HostFacts {
  private readonly memo = new Map<string, Promise<unknown>>();
  /** One line per fact read, for the report's "host facts". */
  readonly readLog: string[] = [];

  constructor(
    readonly host: Host,
    private readonly options: FactsOptions = {},
  ) {}

  get platform(): NodeJS.Platform {
    return this.host.platform;
  }

  now(): Date {
    return this.host.now();
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
    }
    return p;
  }

  /** Runs a command once per run (same argv → same shared result). */
  run(argv: readonly string[]): Promise<CommandResult> {
    // JSON, not a join: argv built from settings may hold any character, and two argvs must never share a result.
    return this.once(`run\0${JSON.stringify(argv)}`, async () => {
      const failed = (failure: string): CommandResult => ({ argv: [...argv], exitCode: null, stdout: new Uint8Array(0), stderr: new Uint8Array(0), notFound: false, timedOut: false, failure });
      // No OS passes a NUL inside an argument (Node throws); a value from a config may hold one.
      const r = argv.some((a) => a.includes('\0'))
        ? failed('an argument contains a NUL character')
        : await this.host
            .run(argv, {
              ...(this.options.signal ? { signal: this.options.signal } : {}),
              ...(this.options.commandTimeoutMs ? { timeoutMs: this.options.commandTimeoutMs } : {}),
            })
            .catch((err: unknown) => failed((err as Error)?.message ?? String(err)));
      this.readLog.push(`ran ${argv.join(' ')}: ${describeResult(r)}`);
      return r;
    });
  }

  /** Runs a command and decodes its stdout/stderr; throws HostError when it could not run. */
  async runText(argv: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string; stdoutCodePage: number | undefined }> {
    const r = await this.run(argv);
    if (r.notFound) throw new HostError(`command not found: ${argv[0]}`, 'not-found');
    if (r.timedOut) throw new HostError(`${argv.join(' ')} ${r.failure ?? 'timed out'}`, 'timeout');
    if (r.exitCode === null) throw new HostError(`${argv.join(' ')} did not run: ${r.failure ?? 'unknown reason'}`, r.failure === 'cancelled' ? 'aborted' : 'failed');
    const simple = decodeSimple(r.stdout);
    const stdoutCodePage = simple === undefined ? await this.oemCodePage() : undefined;
    return { exitCode: r.exitCode, stdout: simple ?? (await decodeCodePage(r.stdout, stdoutCodePage)), stderr: await this.decode(r.stderr), stdoutCodePage };
  }

  /** Bytes → text with the host's own code page where the bytes are not UTF-8. */
  async decode(bytes: Uint8Array): Promise<string> {
    const simple = decodeSimple(bytes);
    if (simple !== undefined) return simple;
    return decodeCodePage(bytes, await this.oemCodePage());
  }

  /** The Windows OEM code page (what pipes carry), read once from the registry. */
  oemCodePage(): Promise<number | undefined> {
    return this.once('oemcp', async () => {
      if (this.platform !== 'win32') return undefined;
      const r = await this.run(OEMCP_ARGV);
      if (r.exitCode !== 0) return undefined;
      const text = decodeSimple(r.stdout) ?? '';
      const reg = parseRegQuery(0, text, '');
      const v = reg.values.find((x) => x.name.toUpperCase() === 'OEMCP');
      const n = v ? Number.parseInt(v.data, 10) : NaN;
      return Number.isFinite(n) ? n : undefined;
    });
  }

  uptimeSeconds(): Promise<number> {
    return this.once('uptime', async () => {
      const s = await this.host.uptimeSeconds().catch((err: unknown) => {
        throw hostError('the uptime could not be read', err);
      });
      this.readLog.push(`uptime ${Math.round(s)} s`);
      return s;
    });
  }

  /**
   * The process list. With `owners`, also who runs each process and in which session (on Windows
   * that costs a `tasklist /v`, seconds on a busy terminal server), so ask only when it matters.
   */
  processes(options: { owners?: boolean } = { owners: true }): Promise<ProcessList> {
    if (!options.owners) return this.processList();
    return this.once('processes+owners', async () => {
      const { processes } = await this.processList();
      const copy = processes.map((p) => ({ ...p }));
      if (this.platform === 'win32') return this.addWindowsOwners(copy);
      return { processes: copy, ownersError: null };
    });
  }

  private processList(): Promise<ProcessList> {
    return this.once('processes', async () => {
      const raw = await this.host.listProcesses().catch((err: unknown) => {
        throw hostError('the process list could not be read', err);
      });
      // A real list always holds at least syncdoctor itself: an empty one was not read, whatever
      // the lister says, and must not answer "the agent is not running".
      if (raw.length === 0) throw new HostError('the process list could not be read: it came back empty (it always holds syncdoctor itself)', 'unparseable');
      this.readLog.push(`process list: ${raw.length} processes`);
      const base: ProcessInfo[] = raw.map((p) => ({
        pid: p.pid,
        ppid: p.ppid ?? null,
        name: p.name,
        user: null,
        sessionId: null,
        sessionName: null,
        notResponding: null,
        windowTitle: null,
        cmd: p.cmd ?? null,
      }));
      // ps-list gives uids on Linux and macOS: owners come free there.
      if (this.platform === 'win32') return { processes: base, ownersError: 'owners not read' };
      return this.addPosixOwners(base, raw.map((p) => p.uid));
    });
  }

  private async addWindowsOwners(list: ProcessInfo[]): Promise<ProcessList> {
    try {
      const { stdout, exitCode } = await this.runText(TASKLIST_ARGV);
      if (exitCode !== 0) throw new HostError(`tasklist exited with ${exitCode}`);
      const { rows, problems } = parseTasklistCsv(stdout);
      // Output that is not tasklist's (damaged, or another program's) tells nothing about owners.
      if (rows.length === 0 && list.length > 0) {
        throw new HostError(`tasklist printed no process row${problems.length ? ` (${problems[0]})` : ''}`, 'unparseable');
      }
      const byPid = new Map(rows.map((r) => [r.pid, r]));
      for (const p of list) {
        const t = byPid.get(p.pid);
        // The two lists are read moments apart: a pid reused in between belongs to another program,
        // and its owner is not this process's (the owner stays unknown, so no action targets it).
        if (!t || normaliseImage(t.image) !== normaliseImage(p.name)) continue;
        p.user = t.user;
        p.sessionId = t.sessionId;
        p.sessionName = t.sessionName;
        p.notResponding = t.notResponding;
        p.windowTitle = t.windowTitle;
      }
      // tasklist may list processes ps-list missed (they raced); keep ps-list as the list.
      return { processes: list, ownersError: null };
    } catch (err) {
      return { processes: list, ownersError: `owners unknown: ${(err as Error).message}` };
    }
  }

  private async addPosixOwners(list: ProcessInfo[], uids: (number | undefined)[]): Promise<ProcessList> {
    const names = await this.passwdNames();
    list.forEach((p, i) => {
      const uid = uids[i];
      if (uid !== undefined) p.user = names.get(uid) ?? `uid ${uid}`;
    });
    return { processes: list, ownersError: null };
  }

  private passwdNames(): Promise<Map<number, string>> {
    return this.once('passwd', async () => {
      const map = new Map<number, string>();
      const text = await this.readText('/etc/passwd', 1024 * 1024).catch(() => '');
      for (const line of text.split('\n')) {
        const f = line.split(':');
        if (f.length >= 3 && f[0] && /^\d+$/.test(f[2]!)) map.set(Number(f[2]), f[0]);
      }
      return map;
    });
  }

  /** Interactive logons: `query user` on Windows, `who` elsewhere. Throws HostError when unknown. */
  sessions(): Promise<SessionInfo[]> {
    return this.once('sessions', async () => {
      if (this.platform === 'win32') {
        let result;
        let exitCode: number;
        try {
          const r = await this.runText(QUERY_USER_ARGV);
          exitCode = r.exitCode;
          // In a double-byte code page a column is a byte: a Japanese name takes two per character.
          result = parseQueryUserResult(r.exitCode, r.stdout, r.stderr, cellWidthFor(r.stdoutCodePage));
        } catch (err) {
          // Home editions have no query.exe: every edition has explorer.exe in each logon.
          if (err instanceof HostError && err.kind === 'not-found') return this.logonsFromExplorer(err);
          throw err;
        }
        const { sessions, problems } = result;
        // quser answers "nobody" with exit 1; exit 0 without a single session row is unreadable output.
        if (exitCode === 0 && sessions.length === 0) {
          throw new HostError(`could not read the output of query user: exit 0 but no session row${problems[0] ? ` (${problems[0]})` : ''}`, 'unparseable');
        }
        // A verdict never rests on the rows that happened to parse: one unreadable row, and who is
        // logged on could not be told (the missing row may be the person a guard is about).
        if (problems.length) {
          throw new HostError(`could not read every row of query user (${sessions.length} read, ${problems.length} not: ${problems[0]})`, 'unparseable');
        }
        return sessions;
      }
      const { exitCode, stdout, stderr } = await this.runText(WHO_ARGV);
      if (exitCode !== 0) throw new HostError(`who exited with ${exitCode}: ${stderr.trim()}`);
      const { rows, problems } = parseWho(stdout);
      return readableSessions('who', rows, problems);
    });
  }

  /**
   * Logons read from the owners and sessions of explorer.exe in `tasklist /v`, for a Windows without
   * query.exe. It knows no session state (active or disconnected) nor idle time: those are unknown,
   * so a guard that needs them does not pass.
   */
  private async logonsFromExplorer(queryError: HostError): Promise<SessionInfo[]> {
    const either = (why: string) => new HostError(`${queryError.message}; and the owners of explorer.exe could not be read either (${why})`, 'not-found');
    const { processes, ownersError } = await this.processes().catch((err: unknown) => {
      throw either(err instanceof Error ? err.message : String(err));
    });
    if (ownersError) throw either(ownersError);
    const seen = new Set<string>();
    const sessions: SessionInfo[] = [];
    for (const p of processes) {
      if (p.name.toLowerCase() !== 'explorer.exe' || !p.user || p.sessionId === null) continue;
      const user = p.user.includes('\\') ? p.user.slice(p.user.lastIndexOf('\\') + 1) : p.user;
      const key = `${user.toLowerCase()}\u0000${p.sessionId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sessions.push({ user, sessionName: p.sessionName ?? '', id: p.sessionId, state: 'unknown', stateText: 'not known (from explorer.exe)', idleMinutes: null, logonTime: '', current: false });
    }
    this.readLog.push(`interactive logons: ${queryError.message}; read from the owners of explorer.exe instead (${sessions.length}, session state unknown)`);
    return sessions;
  }

  /** This machine's id and operating system, read once per run; unknown parts are null. */
  machine(): Promise<MachineIdentity> {
    return this.once('machine', () => readMachineIdentity(this.platform, { runText: (argv) => this.runText(argv), readText: (p, max) => this.readText(p, max) }));
  }

  /** A service's state (sc query / systemctl show), read once per run; throws HostError when unknown. */
  serviceState(name: string): Promise<ServiceState> {
    return readServiceState((argv) => this.runText(argv), this.platform, name);
  }

  /** %NAME% → the host's environment (Windows style; names unknown to the host stay as they are). */
  expandEnv(text: string): string {
    return text.replace(/%([A-Za-z_][A-Za-z0-9_()]*)%/g, (whole, name: string) => this.host.env(name) ?? whole);
  }

  /** TCP reachability of "host:port", tried once per run (same target and timeout → shared answer). */
  connect(target: string, timeoutMs: number): Promise<NetResult> {
    return this.once(`connect\0${timeoutMs}\0${target}`, async () => {
      const r = await this.host.connect(target, timeoutMs, this.options.signal);
      this.readLog.push(`TCP connect to ${target}: ${r}`);
      return r;
    });
  }

  stat(path: string): Promise<FileStat | undefined> {
    return this.once(`stat\0${path}`, async () => {
      try {
        const st = await this.host.stat(path);
        this.readLog.push(`looked for ${path}: ${st ? (st.isDirectory ? 'folder found' : `${st.size} bytes`) : 'not found'}`);
        return st;
      } catch (err) {
        throw fileError(path, err);
      }
    });
  }

  /** The last `maxBytes` of a file (all of it when smaller), as bytes; cost is bounded by maxBytes. */
  readTail(path: string, maxBytes: number): Promise<{ bytes: Uint8Array; size: number; truncated: boolean; stat: FileStat }> {
    return this.once(`tail\0${maxBytes}\0${path}`, async () => {
      const st = await this.stat(path);
      if (!st) throw new HostError(`file not found: ${path}`, 'not-found');
      const offset = Math.max(0, st.size - maxBytes);
      try {
        const bytes = await this.host.readAt(path, offset, Math.min(maxBytes, st.size));
        this.readLog.push(`read ${bytes.length} of ${st.size} bytes at the end of ${path}`);
        return { bytes, size: st.size, truncated: offset > 0, stat: st };
      } catch (err) {
        throw fileError(path, err);
      }
    });
  }

  /**
   * The Web Connector log, analysed once per run from at most its last `maxBytes` (default 4 MiB),
   * so a 1 GB log costs the same as a small one.
   */
  qwcLog(path: string, maxBytes = QWC_TAIL_BYTES): Promise<QwcLogAnalysis & { size: number; truncated: boolean; mtime: Date }> {
    return this.once(`qwclog\0${maxBytes}\0${path}`, async () => {
      const st = await this.stat(path);
      if (!st) throw new HostError(`Web Connector log not found: ${path}`, 'not-found');
      if (st.isDirectory) throw new HostError(`${path} is a folder, not a log file`);
      try {
        const { text, truncated } = await readQwcLogTail(st.size, (offset, length) => this.host.readAt(path, offset, length), { maxBytes });
        this.readLog.push(`analysed the last ${Math.min(st.size, maxBytes)} of ${st.size} bytes of ${path}`);
        const log = parseQwcLog(text, { now: this.now(), truncated });
        // Text with neither an entry nor a header is not a Web Connector log (or is damaged beyond
        // reading, e.g. NULs after a crash): that is "could not tell", not "no cycles".
        if (log.entries === 0 && log.headerBlocks === 0 && text.trim() !== '') {
          throw new HostError(
            `${path}: no Web Connector log entry could be read in ${truncated ? `its last ${maxBytes} bytes` : `its ${st.size} bytes`}${log.problems[0] ? ` (${log.problems[0]})` : ''}`,
            'unparseable',
          );
        }
        return { ...log, size: st.size, truncated, mtime: st.mtime };
      } catch (err) {
        if (err instanceof HostError) throw err;
        throw fileError(path, err);
      }
    });
  }

  async readText(path: string, maxBytes: number): Promise<string> {
    const { bytes } = await this.readTail(path, maxBytes);
    return this.decode(bytes);
  }
}

/** Sessions from a parser: none read while some lines could not be read means unreadable output. */
function readableSessions(command: string, sessions: SessionInfo[], problems: string[]): SessionInfo[] {
  if (sessions.length === 0 && problems.length > 0) {
    throw new HostError(`could not read the output of ${command}: ${problems[0]}`, 'unparseable');
  }
  return sessions;
}

/** A host call that threw: keep a HostError as it is, else say what could not be read and why. */
function hostError(what: string, err: unknown): HostError {
  if (err instanceof HostError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const kind = code === 'EACCES' || code === 'EPERM' ? 'access-denied' : code === 'ENOENT' ? 'not-found' : 'failed';
  return new HostError(`${what}: ${(err as Error)?.message ?? String(err)}`, kind);
}

function fileError(path: string, err: unknown): HostError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return new HostError(`access denied: ${path}`, 'access-denied');
  if (code === 'ENOENT') return new HostError(`file not found: ${path}`, 'not-found');
  return new HostError(`cannot read ${path}: ${code ?? (err as Error).message}`);
}

function describeResult(r: CommandResult): string {
  if (r.notFound) return 'not found';
  if (r.timedOut) return r.failure ?? 'timed out';
  if (r.exitCode === null) return r.failure ?? 'did not run';
  return `exit ${r.exitCode}, ${r.stdout.length} bytes`;
}
