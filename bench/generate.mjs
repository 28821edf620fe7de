// Fixture generators for the benchmark (scripts/bench.mjs): an all-agents Windows snapshot built
// from the playbooks, Web Connector logs of any size, and the scale workload (N processes, M
// playbooks of K checks). Output follows the real shapes the parser tests use (quser columns,
// tasklist CSV, sc and powercfg blocks, QWCLog lines with a TAB after UTC).
import { closeSync, openSync, readdirSync, readFileSync, writeSync, ftruncateSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export const WINDOWS_ENV = {
  ProgramData: 'C:\\ProgramData',
  ProgramFiles: 'C:\\Program Files',
  'ProgramFiles(x86)': 'C:\\Program Files (x86)',
  SystemRoot: 'C:\\Windows',
  USERPROFILE: 'C:\\Users\\frontdesk',
  APPDATA: 'C:\\Users\\frontdesk\\AppData\\Roaming',
  LOCALAPPDATA: 'C:\\Users\\frontdesk\\AppData\\Local',
};

const HOSTNAME = 'BENCH-PC01';
const USER = 'frontdesk';

// ---------------------------------------------------------------------------------------------
// Windows command output

const QU_HEADER = ' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME';

/** `query user` laid out like the real quser (SESSIONNAME at 23, ID right-aligned to 44). */
export function queryUserOutput(user = USER) {
  const left = ('>' + user).padEnd(23) + 'console';
  const row = (left.padEnd(43) + '1' + '  ' + 'Active').padEnd(59) + 'none' + '  ' + '11/19/2026 8:02 AM';
  return ['', QU_HEADER, row, ''].join('\r\n');
}

const TL_HEADER = '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"';

/** `tasklist /v /fo csv` for the given processes ({pid, name, user?, session?}). */
export function tasklistOutput(processes, hostname = HOSTNAME) {
  const rows = processes.map((p) => {
    const session = p.session ?? (p.user ? 1 : 0);
    const owner = p.user ? `${hostname}\\${p.user}` : session === 0 ? 'NT AUTHORITY\\SYSTEM' : 'N/A';
    return [p.name, String(p.pid), session === 0 ? 'Services' : 'Console', String(session), '12,345 K', p.user ? 'Running' : 'Unknown', owner, '0:00:01', p.user ? p.name.replace(/\.exe$/i, '') : 'N/A']
      .map((f) => `"${f}"`)
      .join(',');
  });
  return [TL_HEADER, ...rows, ''].join('\r\n');
}

export function scQueryOutput(name, state = 4) {
  const words = { 1: 'STOPPED', 4: 'RUNNING' };
  return [
    '',
    `SERVICE_NAME: ${name}`,
    '        TYPE               : 10  WIN32_OWN_PROCESS  ',
    `        STATE              : ${state}  ${words[state] ?? 'RUNNING'}  `,
    '                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)',
    '        WIN32_EXIT_CODE    : 0  (0x0)',
    '        SERVICE_EXIT_CODE  : 0  (0x0)',
    '        CHECKPOINT         : 0x0',
    '        WAIT_HINT          : 0x0',
    '',
  ].join('\r\n');
}

const POWERCFG_A = [
  'The following sleep states are available on this system:',
  '    Standby (S3)',
  '    Hibernate',
  '    Fast Startup',
  '',
  'The following sleep states are not available on this system:',
  '    Standby (S1)',
  '        The system firmware does not support this standby state.',
  '',
].join('\r\n');

function powercfgQuery(alias, guid, label, ac, dc) {
  return [
    'Power Scheme GUID: 381b4222-f694-41f0-9685-ff5bb260df2e  (Balanced)',
    '  Subgroup GUID: 238c9fa8-0aad-41ed-83f4-97be242c8f20  (Sleep)',
    '    GUID Alias: SUB_SLEEP',
    `    Power Setting GUID: ${guid}  (${label})`,
    `      GUID Alias: ${alias}`,
    '      Minimum Possible Setting: 0x00000000',
    '      Maximum Possible Setting: 0xffffffff',
    '      Possible Settings increment: 0x00000001',
    '      Possible Settings units: Seconds',
    `    Current AC Power Setting Index: 0x${ac.toString(16).padStart(8, '0')}`,
    `    Current DC Power Setting Index: 0x${dc.toString(16).padStart(8, '0')}`,
    '',
    '',
  ].join('\r\n');
}

/** The commands every Windows snapshot here records: who is logged on, owners, sleep settings. */
export function windowsCommands(processes, user = USER) {
  const ok = (argv, stdout) => ({ argv, exitCode: 0, stdout, stderr: '' });
  return [
    ok(['query', 'user'], queryUserOutput(user)),
    ok(['tasklist', '/v', '/fo', 'csv'], tasklistOutput(processes)),
    ok(['powercfg', '/a'], POWERCFG_A),
    ok(['powercfg', '/query', 'SCHEME_CURRENT', 'SUB_SLEEP', 'STANDBYIDLE'], powercfgQuery('STANDBYIDLE', '29f6c1db-86da-48c5-9fdb-f2b67b1f44da', 'Sleep after', 0, 900)),
    ok(['powercfg', '/query', 'SCHEME_CURRENT', 'SUB_SLEEP', 'HIBERNATEIDLE'], powercfgQuery('HIBERNATEIDLE', '9d7815a6-7ee4-497e-8888-515a05f02364', 'Hibernate after', 0, 0)),
    { argv: ['powercfg', '/requests'], exitCode: 1, stdout: '', stderr: 'You do not have permission to enable or disable device wake.\r\n' },
  ];
}

// ---------------------------------------------------------------------------------------------
// QWCLog.txt

const pad = (n, w = 2) => String(n).padStart(w, '0');
const qwcTime = (d) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}.${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function qwcHeader(at) {
  const h = at.getUTCHours() % 12 || 12;
  return [
    `Log file initialized at ${DAYS[at.getUTCDay()]}, ${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()}, ${at.getUTCFullYear()} - ${h}:${pad(at.getUTCMinutes())} ${at.getUTCHours() < 12 ? 'AM' : 'PM'} UTC`,
    'Timestamp format used: YYYYMMDD.HH:MM:SS UTC',
    'QBWebConnector 2.3 has been initialized with its logging status to level = DEBUG.',
    'Please restart QBWebConnector for any change in log level to take effect. Use file menu to clear log.',
    '',
  ].join('\r\n');
}

/** One completed scheduled cycle of `app` starting at `at` (about 2 KB, 15 entries). */
export function qwcCycle(at, app = 'Harborline Invoices', host = HOSTNAME) {
  const t = (s) => qwcTime(new Date(at.getTime() + s * 1000));
  const e = (s, method, msg) => `${t(s)} UTC\t: ${method} : ${msg}`;
  const R = 'QBWebConnector.RegistryManager';
  const S = 'QBWebConnector.SOAPWebService';
  return [
    e(0, 'UpdateThisScheduledApp()', `Performing SCHEDULED UPDATE for application = ${app}`),
    e(0, `${R}.getUpdateLock()`, 'HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock = FALSE'),
    e(0, `${R}.setUpdateLock()`, 'HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to True'),
    e(0, `${R}.setUpdateLock()`, '********************* Update session locked *********************'),
    e(0, `${S}.instantiateWebService()`, 'Initiated connection to the following application.'),
    e(0, `${S}.instantiateWebService()`, `AppName: ${app}`),
    e(0, `${S}.instantiateWebService()`, 'AppURL: https://qb.harborline.example/wc'),
    e(1, `${S}.do_serverVersion()`, '*** Calling serverVersion().'),
    e(1, `${S}.do_authenticate()`, `Authenticating to application '${app}', username = 'hl-sync'`),
    e(2, `${S}.do_authenticate()`, 'Received from authenticate() following parameter:<authRet[0]="6c1d0e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"><authRet[1]=""><authRet[2]=""><authRet[3]="">'),
    e(3, 'QBWebConnector.CompanyFileLock.getLock()', `Got Lock = LOCKED:${host}:639080397031234567`),
    e(4, `${S}.ProcessRequestXML()`, 'Processing request #1'),
    e(4, `${S}.ProcessRequestXML()`, 'Sending request to QuickBooks.'),
    e(6, `${S}.do_receiveResponseXML()`, 'response = XML dump follows: -'),
    '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><InvoiceQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">......',
    e(9, 'QBWebConnector.CompanyFileLock.unsetLock()', 'Company file has been unlocked for ownerID = <{6F1D367C-A820-45CA-8BA2-C5BA9788BCFB}>'),
    e(9, `${S}.DisconnectFromQB()`, 'Session ended and connection closed'),
    e(10, `${S}.do_closeConnection()`, 'Response received from application = Done'),
    e(10, `${R}.setUpdateLock()`, 'HKEY_CURRENT_USER\\Software\\Intuit\\QBWebConnector\\UpdateLock has been set to False'),
    e(10, `${R}.setUpdateLock()`, '********************* Update session unlocked *********************'),
    '',
  ].join('\r\n');
}

/** A small healthy log: the header and `cycles` scheduled cycles every 30 minutes, the last ending before `now`. */
export function smallQwcLog(now, cycles = 1, app = 'Harborline Invoices', host = HOSTNAME) {
  const last = now.getTime() - 18 * 60_000;
  let text = qwcHeader(new Date(last - cycles * 30 * 60_000));
  for (let i = cycles - 1; i >= 0; i--) text += qwcCycle(new Date(last - i * 30 * 60_000), app, host);
  return text;
}

/** A healthy log of about 1 KB: the header and one short scheduled cycle that completed. */
export function tinyQwcLog(now, app = 'Harborline Invoices', host = HOSTNAME) {
  const at = new Date(now.getTime() - 18 * 60_000);
  const t = (s) => qwcTime(new Date(at.getTime() + s * 1000));
  const e = (s, method, msg) => `${t(s)} UTC\t: ${method} : ${msg}`;
  return (
    qwcHeader(new Date(at.getTime() - 3600_000)) +
    [
      e(0, 'UpdateThisScheduledApp()', `Performing SCHEDULED UPDATE for application = ${app}`),
      e(0, 'QBWebConnector.RegistryManager.setUpdateLock()', 'UpdateLock has been set to True'),
      e(3, 'QBWebConnector.CompanyFileLock.getLock()', `Got Lock = LOCKED:${host}:639080397031234567`),
      e(10, 'QBWebConnector.SOAPWebService.do_closeConnection()', 'Response received from application = Done'),
      e(10, 'QBWebConnector.RegistryManager.setUpdateLock()', 'UpdateLock has been set to False'),
      '',
    ].join('\r\n')
  );
}

/**
 * Writes a Web Connector log of exactly `size` bytes whose last `tailBytes` are real scheduled
 * cycles every 30 minutes, the newest 18 minutes before `now`, and whose start is the header. The
 * part in between is a sparse hole (reads as NUL bytes, costs no disk): syncdoctor reads only the
 * last 4 MiB of the log, and the file's size is what a 1 GB log looks like to it.
 */
export function writeQwcLog(file, { size, now, tailBytes = 64 * 1024 * 1024, app = 'Harborline Invoices', host = HOSTNAME }) {
  const sample = qwcCycle(new Date(0), app, host);
  const tail = Math.min(tailBytes, size - 1024);
  const count = Math.floor(tail / Buffer.byteLength(sample));
  const last = now.getTime() - 18 * 60_000;
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, size);
    writeSync(fd, qwcHeader(new Date(last - (count + 1) * 30 * 60_000)), 0);
    // The hole ends in a line break, so the first cycle starts a line.
    let pos = size - count * Buffer.byteLength(sample) - 2;
    writeSync(fd, '\r\n', pos);
    pos += 2;
    const chunk = [];
    let chunkBytes = 0;
    for (let i = count - 1; i >= 0; i--) {
      const c = qwcCycle(new Date(last - i * 30 * 60_000), app, host);
      chunk.push(c);
      chunkBytes += c.length;
      if (chunkBytes >= 4 * 1024 * 1024 || i === 0) {
        const buf = Buffer.from(chunk.join(''), 'latin1');
        writeSync(fd, buf, 0, buf.length, pos);
        pos += buf.length;
        chunk.length = 0;
        chunkBytes = 0;
      }
    }
    if (pos !== size) ftruncateSync(fd, pos); // cycle lengths vary by a byte or two with the date
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// The all-agents snapshot, from the playbooks

const REF = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const isUnset = (v) => v === undefined || (Array.isArray(v) ? v.every((x) => !String(x).trim()) : !String(v).trim());
const expandEnv = (text, env) => text.replace(/%([A-Za-z_][A-Za-z0-9_()]*)%/g, (all, name) => {
  const k = Object.keys(env).find((x) => x.toLowerCase() === name.toLowerCase());
  return k ? env[k] : all;
});

function interpolate(value, vars) {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(value);
    if (whole) return vars[whole[1]] ?? value;
    return value.replace(REF, (all, n) => (vars[n] === undefined ? all : Array.isArray(vars[n]) ? vars[n].join(', ') : vars[n]));
  }
  if (Array.isArray(value)) return value.flatMap((v) => { const r = interpolate(v, vars); return typeof v === 'string' && /^\$\{\w+\}$/.test(v) && Array.isArray(r) ? r : [r]; });
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  return value;
}

/** A value for a site variable a detect call needs, shaped by where the call uses it. */
function siteValue(pb, name, probe, param, kind, isList) {
  const base = pb.id.replace(/[^a-z0-9]+/g, '');
  const vendor = String(pb.vendor ?? pb.id).replace(/[^A-Za-z0-9 ]+/g, '').trim().split(/\s+/)[0] || base;
  let v;
  if (probe === 'process-running') v = `${base}-agent.exe`;
  else if (probe === 'service-running') v = `${base}sync`;
  else if (probe === 'file-exists' && kind === 'directory') v = `C:\\Program Files (x86)\\${vendor}\\${pb.id}`;
  else if (probe === 'file-exists') v = `C:\\Program Files (x86)\\${vendor}\\${pb.id}\\${base}-agent.exe`;
  else v = `${pb.id}-${name}`;
  return isList ? [v] : v;
}

/**
 * A Windows PC on which every playbook in `playbooksDir` detects its agent: site variables the
 * detect calls need are set in `settings`, and each detect call finds its process, file, folder or
 * service. The sync user is logged on, owns the agents, and the PC never sleeps on AC power.
 */
export function allAgentsSnapshot(playbooksDir, capturedAt = new Date('2026-11-20T14:03:00Z')) {
  const names = readdirSync(playbooksDir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  const processes = [
    { pid: 4, ppid: 0, name: 'System' },
    { pid: 688, ppid: 580, name: 'winlogon.exe', session: 1 },
    { pid: 3020, ppid: 2990, name: 'explorer.exe', user: USER },
  ];
  const files = [];
  const commands = [];
  const settings = {};
  const ids = [];
  let pid = 4000;
  for (const n of names) {
    const pb = parseYaml(readFileSync(path.join(playbooksDir, n), 'utf8'));
    ids.push(pb.id);
    const declared = pb.vars ?? {};
    const vars = Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, v.default]));
    const set = {};
    for (const call of pb.detect ?? []) {
      const refs = new Set([...(call.requiresVars ?? []), ...[...JSON.stringify(call.with ?? {}).matchAll(REF)].map((m) => m[1])]);
      for (const name of refs) {
        if (!(name in declared) || !isUnset(vars[name])) continue;
        const param = Object.entries(call.with ?? {}).find(([, v]) => JSON.stringify(v).includes(`\${${name}}`))?.[0];
        vars[name] = set[name] = siteValue(pb, name, call.probe, param, call.with?.kind, Array.isArray(declared[name].default));
      }
    }
    if ('windowsUser' in declared && isUnset(vars.windowsUser)) vars.windowsUser = set.windowsUser = USER;
    if (Object.keys(set).length) settings[pb.id] = set;
    for (const call of pb.detect ?? []) {
      const w = interpolate(call.with ?? {}, vars);
      if (call.probe === 'process-running') {
        for (const image of [].concat(w.names ?? [])) {
          if (!processes.some((p) => p.name.toLowerCase() === String(image).toLowerCase())) processes.push({ pid: (pid += 4), ppid: 3020, name: String(image), user: USER });
        }
      } else if (call.probe === 'file-exists') {
        const p = expandEnv(String(w.path), WINDOWS_ENV);
        if (files.some((f) => f.path.toLowerCase() === p.toLowerCase())) continue;
        if (w.kind === 'directory') files.push({ path: p, directory: true, mtime: capturedAt.toISOString() });
        else if (/qwclog\.txt$/i.test(p)) files.push({ path: p, mtime: new Date(capturedAt.getTime() - 18 * 60_000).toISOString(), content: smallQwcLog(capturedAt, 8) });
        else files.push({ path: p, mtime: capturedAt.toISOString(), content: `${pb.id} program file (bench fixture)\r\n` });
      } else if (call.probe === 'service-running') {
        commands.push({ argv: ['sc', 'query', String(w.name)], exitCode: 0, stdout: scQueryOutput(String(w.name)), stderr: '' });
      } else {
        throw new Error(`${n}: the bench cannot yet make a "${call.probe}" detect call pass; teach bench/generate.mjs`);
      }
    }
  }
  const snapshot = {
    syncdoctorSnapshot: 1,
    capturedAt: capturedAt.toISOString(),
    platform: 'win32',
    hostname: HOSTNAME,
    uptimeSeconds: 93600,
    utcOffsetMinutes: -300,
    note: `Benchmark fixture generated by bench/generate.mjs from playbooks/ (${ids.join(', ')}): every agent is detected.`,
    settings,
    env: WINDOWS_ENV,
    processes: processes.map(({ pid, ppid, name }) => ({ pid, ppid, name })),
    commands: [...windowsCommands(processes), ...commands],
    files,
  };
  return { snapshot, ids };
}

export function toYaml(value) {
  return stringifyYaml(value, { lineWidth: 0 });
}

// ---------------------------------------------------------------------------------------------
// Scale: N processes and M playbooks of K checks

const SCALE_CHECKS = [
  '  - id: pc-awake\n    title: The PC is awake\n    probe: machine-awake',
  '  - id: user-logged-on\n    title: The sync user is logged on\n    probe: user-session\n    with: { user: "${windowsUser}", disconnected: warn }\n    remediate: [log-on]',
  '  - id: not-shared\n    title: Nobody else is logged on\n    severity: warning\n    probe: shared-machine',
  '  - id: agent-running\n    title: The agent runs as the sync user\n    needs: [user-logged-on]\n    probe: process-running\n    with: { names: "${processNames}", user: "${windowsUser}" }\n    remediate: [start-agent]',
  '  - id: service-running\n    title: The sync service runs\n    probe: service-running\n    with: { name: "${serviceName}" }',
  '  - id: installed\n    title: The install folder exists\n    probe: file-exists\n    with: { path: "${installFolder}", kind: directory }',
  '  - id: log-fresh\n    title: The agent synced recently\n    probe: log-timestamp-fresh\n    with: { path: "${logPath}", pattern: \'^(?<ts>\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z) .*sync (?:ok|done)\', maxAge: 1h, what: last sync }',
  '  - id: quickbooks-state\n    title: QuickBooks responds\n    severity: warning\n    probe: quickbooks-running\n    with: { quickbooksImages: [QBW32.EXE, QBW.EXE], user: "${windowsUser}", expect: any }',
  '  - id: quickbooks-conflict\n    title: QuickBooks is not held by another user\n    probe: quickbooks-user-conflict\n    with: { quickbooksImages: [QBW32.EXE, QBW.EXE], syncUser: "${windowsUser}", agentImages: "${processNames}" }',
  '  - id: nobody-in-quickbooks\n    title: Nobody works in QuickBooks\n    guard: true\n    probe: quickbooks-in-use\n    with: { quickbooksImages: [QBW32.EXE, QBW.EXE] }',
];

function scalePlaybook(k, checks) {
  const id = `scale-agent-${k}`;
  return `# Generated by bench/generate.mjs (scale workload): playbook ${k}.
id: ${id}
name: Scale agent ${k}
vendor: Bench
detect:
  - probe: process-running
    with: { names: "\${processNames}" }
vars:
  processNames: { default: [${id}.exe], description: the agent's image }
  windowsUser: { default: ${USER}, description: the sync user }
  serviceName: { default: ScaleAgent${k}, description: the agent's service }
  installFolder: { default: 'C:\\Program Files\\Scale\\${id}', description: where it is installed }
  logPath: { default: 'C:\\ProgramData\\Scale\\${id}\\sync.log', description: its log }
checks:
${SCALE_CHECKS.slice(0, checks).join('\n\n')}
remediations:
  log-on:
    title: Log on as the sync user
    risk: safe
    manual: [Log on to Windows as the sync user.]
  start-agent:
    title: Start the agent
    risk: safe
    manual: [Start the agent from its shortcut.]
`;
}

const SYSTEM_IMAGES = ['svchost.exe', 'RuntimeBroker.exe', 'conhost.exe', 'chrome.exe', 'dllhost.exe', 'SearchHost.exe', 'OneDrive.exe', 'msedge.exe'];

/**
 * The scale workload at `scale` (1, 10, 100): 100×scale processes (owners in tasklist), and
 * scale/2 playbooks of 10 checks (at 1×: one playbook of 5 checks). Written into `dir`:
 * snapshot.yaml, snapshot.json (the same snapshot) and playbooks/. QuickBooks runs as the sync user.
 */
export function writeScaleFixture(dir, scale, capturedAt = new Date('2026-11-20T14:03:00Z')) {
  const playbooks = Math.max(1, Math.floor(scale / 2));
  const checks = scale === 1 ? 5 : 10;
  const nProcesses = 100 * scale;
  const processes = [
    { pid: 4, ppid: 0, name: 'System' },
    { pid: 3020, ppid: 2990, name: 'explorer.exe', user: USER },
    { pid: 3100, ppid: 3020, name: 'QBW32.EXE', user: USER },
  ];
  for (let k = 0; k < playbooks; k++) processes.push({ pid: 5000 + 4 * k, ppid: 3020, name: `scale-agent-${k}.exe`, user: USER });
  for (let i = processes.length; i < nProcesses; i++) {
    processes.push({ pid: 10_000 + 4 * i, ppid: 4, name: SYSTEM_IMAGES[i % SYSTEM_IMAGES.length], ...(i % 3 === 0 ? { user: USER } : {}) });
  }
  const commands = windowsCommands(processes);
  const files = [];
  const lastSync = new Date(capturedAt.getTime() - 10 * 60_000);
  for (let k = 0; k < playbooks; k++) {
    commands.push({ argv: ['sc', 'query', `ScaleAgent${k}`], exitCode: 0, stdout: scQueryOutput(`ScaleAgent${k}`), stderr: '' });
    files.push({ path: `C:\\Program Files\\Scale\\scale-agent-${k}`, directory: true });
    const lines = [];
    for (let j = 20; j >= 0; j--) lines.push(`${new Date(lastSync.getTime() - j * 15 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')} INFO scale-agent-${k} sync ok: ${j} records`);
    files.push({ path: `C:\\ProgramData\\Scale\\scale-agent-${k}\\sync.log`, mtime: lastSync.toISOString(), content: lines.join('\r\n') + '\r\n' });
  }
  const snapshot = {
    syncdoctorSnapshot: 1,
    capturedAt: capturedAt.toISOString(),
    platform: 'win32',
    hostname: HOSTNAME,
    uptimeSeconds: 93600,
    note: `Scale workload ${scale}x: ${nProcesses} processes, ${playbooks} playbooks of ${checks} checks (bench/generate.mjs).`,
    env: WINDOWS_ENV,
    processes: processes.map(({ pid, ppid, name }) => ({ pid, ppid, name })),
    commands,
    files,
  };
  mkdirSync(path.join(dir, 'playbooks'), { recursive: true });
  writeFileSync(path.join(dir, 'snapshot.yaml'), toYaml(snapshot));
  writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify(snapshot));
  for (let k = 0; k < playbooks; k++) writeFileSync(path.join(dir, 'playbooks', `scale-agent-${k}.yaml`), scalePlaybook(k, checks));
  return { processes: nProcesses, playbooks, checks: playbooks * checks };
}

/**
 * A fleet of JSON reports for `summarize`: `pcs` PCs over `days` days (one report per PC and day,
 * in folder day0, day1, ...), each a copy of one of the real `templates` (reports of the example
 * snapshots) with its own site (one of 20), MachineGuid, host name and capture time. Compact JSON,
 * as an RMM stores a script's output. Returns the folders and the total bytes written.
 */
export function writeFleetReports(dir, { pcs, days, templates }) {
  const dirs = [];
  let bytes = 0;
  for (let d = 0; d < days; d++) {
    const dayDir = path.join(dir, `day${d}`);
    mkdirSync(dayDir, { recursive: true });
    dirs.push(dayDir);
    const at = new Date(Date.UTC(2026, 10, 1 + d, 6)).toISOString();
    for (let i = 0; i < pcs; i++) {
      const r = structuredClone(templates[(i + d) % templates.length]);
      r.host.site = `Customer ${String(i % 20).padStart(2, '0')}`;
      // A PC keeps its MachineGuid from day to day.
      r.host.machineId = `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
      r.host.hostname = `PC-${String(i).padStart(6, '0')}`;
      r.host.capturedAt = at;
      r.startedAt = at;
      const text = JSON.stringify(r);
      bytes += text.length;
      writeFileSync(path.join(dayDir, `${r.host.hostname}.json`), text);
    }
  }
  return { dirs, bytes };
}
