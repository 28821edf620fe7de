// Fault injection at the host layer, for every probe in the registry: a command that is missing,
// refused, timed out, silent, printing garbage or never returning; a file that is missing,
// unreadable, empty, garbage or on a share that never answers; a process list, uptime or network
// that fails. Each gives state `error` with the cause (or the fail/pass/skip the probe documents
// for that case, listed below with why), the other checks still complete, and the exit code is 3
// (2 where a check failed). Driven through the engine, and once through the real binary.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/core/errors.js';
import type { CheckResult, Report } from '../../src/core/report.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { HostFacts } from '../../src/host/facts.js';
import type { CommandResult, FileStat, NetResult, RawProcess, RunOptions } from '../../src/host/host.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { resolvePlaybook } from '../../src/playbook/resolve.js';
import { getProbe, PROBES } from '../../src/probes/index.js';
import { syncdoctor } from '../helpers/cli.js';

// ---------------------------------------------------------------------------------------------
// A healthy Windows PC on which every probe below passes, and faults to break it with

const QU = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\r\n>frontdesk             console             1  Active      1:05   11/20/2026 8:02 AM\r\n';
const TL = [
  '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"',
  '"explorer.exe","3020","Console","1","98,112 K","Running","PC-1\\frontdesk","0:01:40","N/A"',
  '"Agent.exe","4100","Console","1","12,000 K","Running","PC-1\\frontdesk","0:00:05","Agent"',
  '"QBW32.EXE","4200","Console","1","412,880 K","Running","PC-1\\frontdesk","0:03:00","QuickBooks"',
  '"QBWebConnector.exe","4300","Console","1","72,400 K","Running","PC-1\\frontdesk","0:00:55","QuickBooks Web Connector"',
  '',
].join('\r\n');
const SC = '\r\nSERVICE_NAME: AgentSvc\r\n        TYPE               : 10  WIN32_OWN_PROCESS\r\n        STATE              : 4  RUNNING\r\n                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)\r\n        WIN32_EXIT_CODE    : 0  (0x0)\r\n        SERVICE_EXIT_CODE  : 0  (0x0)\r\n';
const POWERCFG_A = 'The following sleep states are available on this system:\r\n    Standby (S3)\r\n\r\nThe following sleep states are not available on this system:\r\n    Standby (S1)\r\n        The system firmware does not support this standby state.\r\n';
const powercfgQuery = (ac: number) =>
  `Power Setting GUID: 29f6c1db-86da-48c5-9fdb-f2b67b1f44da  (Sleep after)\r\n      Minimum Possible Setting: 0x00000000\r\n      Maximum Possible Setting: 0xffffffff\r\n      Possible Settings increment: 0x00000001\r\n    Current AC Power Setting Index: 0x${ac.toString(16).padStart(8, '0')}\r\n    Current DC Power Setting Index: 0x00000384\r\n`;
const QWCLOG = [
  'Log file initialized at Friday, November 20, 2026 - 8:00 AM UTC',
  'Timestamp format used: YYYYMMDD.HH:MM:SS UTC',
  '20261120.13:30:00 UTC\t: UpdateThisScheduledApp() : Performing SCHEDULED UPDATE for application = Harborline',
  '20261120.13:30:00 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : UpdateLock has been set to True',
  '20261120.13:30:09 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : UpdateLock has been set to False',
  '20261120.13:45:00 UTC\t: UpdateThisScheduledApp() : Performing SCHEDULED UPDATE for application = Harborline',
  '20261120.13:45:00 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : UpdateLock has been set to True',
  '20261120.13:45:09 UTC\t: QBWebConnector.RegistryManager.setUpdateLock() : UpdateLock has been set to False',
  '',
].join('\r\n');
const JOURNYX = 'Session\tSync Type\tStatus\tTotal Records Synched\tStarted\r\n1040\tTime\tcomplete\t12\t11/20/2026 08:00\r\n';

const PATHS = {
  log: 'C:\\ProgramData\\Agent\\sync.log',
  qwclog: 'C:\\ProgramData\\Intuit\\QBWebConnector\\log\\QWCLog.txt',
  folder: 'C:\\Program Files\\Agent',
  table: 'C:\\Users\\frontdesk\\total-syncs.txt',
  /** Read by the control check and detection only: never broken. */
  control: 'C:\\Control',
};

function healthy(): Snapshot {
  const ok = (argv: string[], stdout: string) => ({ argv, exitCode: 0, stdout, stderr: '' });
  return {
    syncdoctorSnapshot: 1,
    capturedAt: '2026-11-20T14:03:00Z',
    platform: 'win32',
    hostname: 'PC-1',
    uptimeSeconds: 93600,
    processes: [
      { pid: 3020, ppid: 1, name: 'explorer.exe' },
      { pid: 4100, ppid: 3020, name: 'Agent.exe' },
      // Opened by the Web Connector through the SDK, not by a person: nobody is working in it.
      { pid: 4200, ppid: 3020, name: 'QBW32.EXE', cmd: '"C:\\Program Files (x86)\\Intuit\\QuickBooks 2024\\QBW32.EXE" -Embedding' },
      { pid: 4300, ppid: 3020, name: 'QBWebConnector.exe' },
    ],
    commands: [
      ok(['query', 'user'], QU),
      ok(['tasklist', '/v', '/fo', 'csv'], TL),
      ok(['sc', 'query', 'AgentSvc'], SC),
      ok(['powercfg', '/a'], POWERCFG_A),
      ok(['powercfg', '/query', 'SCHEME_CURRENT', 'SUB_SLEEP', 'STANDBYIDLE'], powercfgQuery(0)),
      ok(['powercfg', '/query', 'SCHEME_CURRENT', 'SUB_SLEEP', 'HIBERNATEIDLE'], powercfgQuery(0)),
      { argv: ['powercfg', '/requests'], exitCode: 1, stdout: '', stderr: 'needs elevation' },
    ],
    files: [
      { path: PATHS.log, mtime: '2026-11-20T14:00:00Z', content: '2026-11-20T13:55:00Z sync ok\r\n' },
      { path: PATHS.qwclog, mtime: '2026-11-20T13:45:09Z', content: QWCLOG },
      { path: PATHS.folder, directory: true },
      { path: PATHS.table, content: JOURNYX },
      { path: PATHS.control, directory: true },
    ],
    network: [{ target: 'sync.example.com:443', result: 'ok' }],
  };
}

type CommandFault = 'missing' | 'denied' | 'exit5' | 'timeout' | 'empty' | 'garbage' | 'hang';
type FileFault = 'missing' | 'denied' | 'empty' | 'garbage' | 'hang';
type ProcessFault = 'denied' | 'hang' | 'empty';
type UptimeFault = 'denied' | 'hang';
type ConnectFault = NetResult | 'throws' | 'hang';

/** Which fact a fault breaks: a command by its whole command line (each powercfg query on its own), a file by path, or a host call. */
type Site = { command: string } | { file: string } | { processes: true } | { uptime: true } | { connect: true };
type Fault = CommandFault | FileFault | ProcessFault | UptimeFault | ConnectFault;

const GARBAGE = Buffer.from('\u0000\u00ff\u00fe garbage \u001b[31m ;;; {{{ ]]] \r\n\r\n\u0007 ::: ,,,,, "" \r\n'.repeat(20), 'latin1');
const empty = new Uint8Array(0);
const never = <T>(): Promise<T> => new Promise<T>(() => {});
function hangUntil<T>(signal: AbortSignal | undefined, value: T): Promise<T> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(value), { once: true }));
}
const eacces = (what: string) => Object.assign(new Error(`EACCES: permission denied, ${what}`), { code: 'EACCES' });

/** The healthy snapshot host, with one fact broken. */
class FaultHost extends SnapshotHost {
  constructor(
    private readonly site: Site,
    private readonly fault: Fault,
  ) {
    super(healthy());
  }

  override async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    if (!('command' in this.site) || argv.join(' ') !== this.site.command) return super.run(argv, options);
    const base = { argv: [...argv], stdout: empty, stderr: empty, notFound: false, timedOut: false };
    switch (this.fault as CommandFault) {
      case 'missing':
        return { ...base, exitCode: null, notFound: true };
      case 'denied': // the program could not be started (EACCES), as LiveHost reports it
        return { ...base, exitCode: null, failure: 'permission denied' };
      case 'exit5': // the program ran and refused: Windows' ERROR_ACCESS_DENIED
        return { ...base, exitCode: 5, stderr: Buffer.from('Access is denied.\r\n') };
      case 'timeout':
        return { ...base, exitCode: null, timedOut: true, failure: 'timed out after 15000 ms' };
      case 'empty':
        return { ...base, exitCode: 0 };
      case 'garbage':
        return { ...base, exitCode: 0, stdout: GARBAGE };
      case 'hang':
        return hangUntil(options.signal, { ...base, exitCode: null, timedOut: true, failure: 'cancelled' });
    }
  }

  override async stat(p: string): Promise<FileStat | undefined> {
    if (!('file' in this.site) || p !== this.site.file) return super.stat(p);
    switch (this.fault as FileFault) {
      case 'missing':
        return undefined;
      case 'denied':
        throw eacces(`stat '${p}'`);
      case 'hang':
        return never();
      case 'empty':
        return { path: p, size: 0, mtime: new Date('2026-11-20T14:00:00Z'), isDirectory: false };
      case 'garbage':
        return { path: p, size: GARBAGE.length, mtime: new Date('2026-11-20T14:00:00Z'), isDirectory: false };
    }
  }

  override async readAt(p: string, offset: number, length: number): Promise<Uint8Array> {
    if (!('file' in this.site) || p !== this.site.file) return super.readAt(p, offset, length);
    if (this.fault === 'garbage') return GARBAGE.subarray(offset, offset + length);
    if (this.fault === 'empty') return empty;
    throw eacces(`open '${p}'`);
  }

  override async listProcesses(): Promise<RawProcess[]> {
    if (!('processes' in this.site)) return super.listProcesses();
    if (this.fault === 'hang') return never();
    if (this.fault === 'empty') return [];
    throw eacces('spawn fastlist.exe');
  }

  override async uptimeSeconds(): Promise<number> {
    if (!('uptime' in this.site)) return super.uptimeSeconds();
    if (this.fault === 'hang') return never();
    throw eacces('GetTickCount64');
  }

  override async connect(...args: Parameters<SnapshotHost['connect']>): Promise<NetResult> {
    if (!('connect' in this.site)) return super.connect(...args);
    if (this.fault === 'hang') return never();
    if (this.fault === 'throws') throw new HostError('the network stack refused the socket', 'failed');
    return this.fault as NetResult;
  }
}

// ---------------------------------------------------------------------------------------------
// Each probe, from the registry: run with its own `example` on the healthy PC, the facts it read
// there are the sites to break, and every fault of a site's kind is injected in turn. A new probe
// needs no line here; only an answer other than `error` to a fault is written down, with why.

const FAULTS_BY_SITE: Record<string, Fault[]> = {
  command: ['missing', 'denied', 'exit5', 'timeout', 'empty', 'garbage', 'hang'],
  file: ['missing', 'denied', 'empty', 'garbage', 'hang'],
  processes: ['denied', 'hang', 'empty'],
  uptime: ['denied', 'hang'],
  connect: ['refused', 'timeout', 'dns-error', 'throws', 'hang'],
};

type Answer = { state: 'pass' | 'fail' | 'warn' | 'skip'; why: string };

/** Documented answers other than `error`, by probe and `site fault`, with why. */
const DOCUMENTED: Record<string, Record<string, Answer>> = {
  'file-exists': {
    [`file:${PATHS.folder} missing`]: { state: 'fail', why: 'a missing path is the answer it checks for' },
    [`file:${PATHS.folder} empty`]: { state: 'pass', why: 'it checks existence only; an empty file exists' },
    [`file:${PATHS.folder} garbage`]: { state: 'pass', why: 'it checks existence only' },
  },
  'network-reachable': {
    'connect:true refused': { state: 'fail', why: 'an answered refusal is the finding (server or port down)' },
    'connect:true timeout': { state: 'fail', why: 'no answer within the timeout is the finding (internet or firewall)' },
    'connect:true dns-error': { state: 'fail', why: 'a name that does not resolve is the finding (DNS)' },
  },
  'qwc-errors': { [`file:${PATHS.qwclog} empty`]: { state: 'pass', why: 'an empty log holds no error' } },
  'qwc-last-cycle': { [`file:${PATHS.qwclog} empty`]: { state: 'fail', why: 'an empty log records no update cycle: none ran since it was cleared' } },
  'qwc-schedule': { [`file:${PATHS.qwclog} empty`]: { state: 'fail', why: 'an empty log records no Auto-Run cycle' } },
  // What keeps the PC awake now is evidence only (unelevated, Windows refuses it): it never decides.
  'sleep-settings': Object.fromEntries(
    (['missing', 'denied', 'exit5', 'timeout', 'empty', 'garbage'] as const).map((f) => [`command:powercfg /requests ${f}`, { state: 'pass', why: 'powercfg /requests is evidence only, and needs elevation' } as Answer]),
  ),
  // Without query.exe (Home editions) logons come from the owners of explorer.exe in tasklist /v.
  'shared-machine': { 'command:query user missing': { state: 'pass', why: 'counting the users logged on needs no session state: explorer.exe owners tell it' } },
  'user-session': { 'command:query user missing': { state: 'warn', why: 'explorer.exe shows the user is logged on; its session state is unknown, a warning, never OK' } },
};

/** The healthy PC, noting which facts were read (commands by command line, files by path, host calls). */
class ReadingHost extends SnapshotHost {
  readonly read = new Map<string, Site>();
  constructor() {
    super(healthy());
  }
  private note(site: Site): void {
    this.read.set(JSON.stringify(site), site);
  }
  override async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    this.note({ command: argv.join(' ') });
    return super.run(argv, options);
  }
  override async stat(p: string): Promise<FileStat | undefined> {
    if (p !== PATHS.control) this.note({ file: p });
    return super.stat(p);
  }
  override async listProcesses(): Promise<RawProcess[]> {
    this.note({ processes: true });
    return super.listProcesses();
  }
  override async uptimeSeconds(): Promise<number> {
    this.note({ uptime: true });
    return super.uptimeSeconds();
  }
  override async connect(...args: Parameters<SnapshotHost['connect']>): Promise<NetResult> {
    this.note({ connect: true });
    return super.connect(...args);
  }
}

const siteKind = (site: Site) => Object.keys(site)[0]!;
const key = (site: Site, fault: Fault) => `${Object.entries(site)[0]!.join(':')} ${fault}`;

/** The probe called alone on the healthy PC (no engine, so no host basics): its answer, and the facts it read. */
async function healthyRun(id: string): Promise<{ state: string; summary: string; sites: Site[] }> {
  const host = new ReadingHost();
  const probe = getProbe(id)!;
  const signal = new AbortController();
  try {
    const r = await probe.run(probe.example as never, { facts: new HostFacts(host, { signal: signal.signal }), signal: signal.signal });
    return { state: r.state, summary: r.summary, sites: [...host.read.values()] };
  } finally {
    signal.abort();
  }
}

/** What the cause of an `error` must mention, by fault. */
const CAUSE: Record<string, RegExp> = {
  missing: /not found|not exist|no such/i,
  denied: /denied|permission|EACCES/i,
  exit5: /denied|exited with 5|exit 5/i,
  timeout: /timed out|timeout/i,
  hang: /timed out|deadline/i,
  empty: /no |empty|could not read|unreadable|0 bytes|not a/i,
  garbage: /could not read|no .*(row|entry|state|line|table|header)|not a|unreadable|unrecognised|could not/i,
  throws: /refused the socket/,
};

/** The probe under test, a control check on facts no fault touches, and optionally a failing check. */
function playbook(probe: string, withFailing: boolean): string {
  const w = getProbe(probe)!.example as Record<string, unknown>;
  const failing = withFailing ? '\n  - id: failing\n    title: Something else fails\n    probe: file-exists\n    with: { path: "C:\\\\Not there" }' : '';
  return `id: faults
name: Faults
vendor: Test
detect:
  - probe: file-exists
    with: { path: "C:\\\\Control" }
checks:
  - id: target
    title: Target
    probe: ${probe}
    timeout: 1s
${Object.keys(w).length ? `    with: ${JSON.stringify(w)}\n` : ''}  - id: control
    title: Control
    probe: file-exists
    with: { path: "C:\\\\Control" }${failing}
`;
}

async function diagnose(probe: string, site: Site, fault: Fault, withFailing = false): Promise<{ report: Report; target: CheckResult; ms: number }> {
  const pb = resolvePlaybook(parsePlaybook(`${probe}.yaml`, playbook(probe, withFailing)), []);
  const deadline = new AbortController();
  const t0 = Date.now();
  try {
    const report = await runDiagnosis({ facts: new HostFacts(new FaultHost(site, fault), { signal: deadline.signal, commandTimeoutMs: 5000 }), playbooks: [pb], named: ['faults'], deadline: deadline.signal, deadlineMs: 20_000 });
    return { report, target: report.agents[0]!.checks.find((c) => c.id === 'target')!, ms: Date.now() - t0 };
  } finally {
    deadline.abort();
  }
}

describe('fault injection at the host layer, every probe in the registry', () => {
  it('the documented answers name registered probes', () => {
    expect(Object.keys(DOCUMENTED).filter((id) => !getProbe(id))).toEqual([]);
  });

  for (const { id: probe } of PROBES) {
    it(`${probe}: healthy with its example; every fault of what it read gives error with its cause, or the documented answer; the run completes`, async () => {
      const healthy = await healthyRun(probe);
      // A probe that reads nothing (a question for a person) is left for a person when unattended.
      expect(`${healthy.state}: ${healthy.summary}`).toMatch(healthy.sites.length ? /^pass: / : /^skip: /);
      const documented = DOCUMENTED[probe] ?? {};
      const injected = new Set<string>();
      const wrong: string[] = [];
      await Promise.all(
        healthy.sites.flatMap((site) =>
          FAULTS_BY_SITE[siteKind(site)]!.map(async (fault) => {
            const k = key(site, fault);
            injected.add(k);
            const doc = documented[k];
            const { report, target, ms } = await diagnose(probe, site, fault);
            const control = report.agents[0]!.checks.find((c) => c.id === 'control')!;
            const expected = doc?.state ?? 'unknown';
            if (target.state !== expected) wrong.push(`${k}: ${target.state} (expected ${expected}): ${target.summary}`);
            if (expected === 'unknown' && !(CAUSE[fault] ?? /./).test(`${target.error} ${target.summary}`)) wrong.push(`${k}: the cause does not say what happened: ${target.error}`);
            if (control.state !== 'pass') wrong.push(`${k}: the other check did not complete: ${control.state} ${control.summary}`);
            const code = target.state === 'unknown' ? 3 : target.state === 'fail' ? 2 : target.state === 'warn' ? 1 : 0;
            if (report.exitCode !== code) wrong.push(`${k}: exit code ${report.exitCode}, expected ${code}`);
            if (ms > 8000) wrong.push(`${k}: took ${ms} ms`);
            // With another check failing, the run is critical whatever this one says.
            if (expected === 'unknown') {
              const both = await diagnose(probe, site, fault, true);
              if (both.report.exitCode !== 2) wrong.push(`${k}: with a failing check, exit ${both.report.exitCode} (expected 2)`);
            }
          }),
        ),
      );
      // A documented answer for a fault never injected is stale (the probe no longer reads that fact).
      for (const k of Object.keys(documented)) if (!injected.has(k)) wrong.push(`${k}: documented but not a fact the probe reads`);
      expect(wrong).toEqual([]);
    }, 60_000);
  }
});

describe('many checks at once', () => {
  it('forty checks waiting on one hung command: each times out on its own, no listener-leak warning, bounded time', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const checks = Array.from({ length: 40 }, (_, i) => `  - { id: c${i}, title: Check ${i}, probe: user-session, timeout: 1s }`).join('\n');
      const pb = resolvePlaybook(parsePlaybook('many.yaml', `id: many\nname: Many\nvendor: Test\ndetect: [{ probe: machine-awake }]\nchecks:\n${checks}\n`), []);
      const deadline = new AbortController();
      const t0 = Date.now();
      try {
        const report = await runDiagnosis({ facts: new HostFacts(new FaultHost({ command: 'query user' }, 'hang'), { signal: deadline.signal }), playbooks: [pb], named: ['many'], deadline: deadline.signal });
        expect(report.agents[0]!.checks.map((c) => c.state)).toEqual(Array(40).fill('unknown'));
        expect(report.exitCode).toBe(3);
      } finally {
        deadline.abort();
      }
      expect(Date.now() - t0).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 50));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('fault injection through the real binary', () => {
  it('a hung query user, a missing tasklist, a refused sc, garbage from powercfg and a missing log: exit 3 within the deadline; 2 with a failed check', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-faults-'));
    const snap = healthy();
    snap.commands = [
      { argv: ['query', 'user'], exitCode: null, hang: true },
      { argv: ['sc', 'query', 'AgentSvc'], exitCode: 5, stdout: '[SC] OpenService FAILED 5:\r\n\r\nAccess is denied.\r\n\r\n', stderr: '' },
      { argv: ['powercfg', '/a'], exitCode: 0, stdoutBase64: GARBAGE.toString('base64') },
      { argv: ['powercfg', '/query', 'SCHEME_CURRENT', 'SUB_SLEEP', 'STANDBYIDLE'], exitCode: 0, stdoutBase64: GARBAGE.toString('base64') },
      { argv: ['powercfg', '/query', 'SCHEME_CURRENT', 'SUB_SLEEP', 'HIBERNATEIDLE'], exitCode: 0, stdoutBase64: GARBAGE.toString('base64') },
    ];
    snap.files = snap.files!.filter((f) => f.path !== PATHS.qwclog);
    await writeFile(path.join(dir, 'pc.json'), JSON.stringify(snap, null, 2));
    const checks = (failing: boolean) => `id: faulty
name: Faulty PC
vendor: Test
detect:
  - probe: machine-awake
checks:
  - { id: logged-on, title: Someone is logged on, probe: user-session, timeout: 2s }
  - { id: owner, title: The agent runs as frontdesk, probe: process-running, with: { names: [Agent.exe], user: frontdesk } }
  - { id: service, title: The service runs, probe: service-running, with: { name: AgentSvc } }
  - { id: sleep, title: The PC stays awake, probe: sleep-settings }
  - { id: log, title: The Web Connector ran, probe: qwc-last-cycle, with: { logPath: '${PATHS.qwclog}' } }
  - { id: awake, title: The PC is on, probe: machine-awake }
${failing ? '  - { id: failing, title: Something else fails, probe: process-running, with: { names: [NotThere.exe] } }\n' : ''}`;
    const pbDir = path.join(dir, 'playbooks');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(pbDir);
    await writeFile(path.join(pbDir, 'faulty.yaml'), checks(false));
    const args = ['check', 'faulty', '--snapshot', path.join(dir, 'pc.json'), '--playbooks', pbDir, '--json', '--timeout', '20'];
    const t0 = Date.now();
    const r = await syncdoctor(args, { timeoutMs: 30_000 });
    const elapsed = Date.now() - t0;
    expect(r.exitCode, r.stderr).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    const state = Object.fromEntries(report.agents[0]!.checks.map((c) => [c.id, [c.state, c.error ?? '']]));
    expect(state['logged-on']).toEqual(['unknown', expect.stringMatching(/timed out/)]);
    expect(state.owner).toEqual(['unknown', expect.stringMatching(/tasklist/)]);
    expect(state.service).toEqual(['unknown', expect.stringMatching(/access denied/i)]);
    expect(state.sleep).toEqual(['unknown', expect.stringMatching(/could not read/)]);
    expect(state.log).toEqual(['unknown', expect.stringMatching(/not found/)]);
    expect(state.awake![0]).toBe('pass');
    expect(elapsed).toBeLessThan(15_000);

    await writeFile(path.join(pbDir, 'faulty.yaml'), checks(true));
    const r2 = await syncdoctor(args, { timeoutMs: 30_000 });
    expect(r2.exitCode, r2.stderr).toBe(2);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
