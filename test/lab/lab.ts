// The Windows lab for tests (set up by `node scripts/lab.mjs setup`): runs the real bundle on the
// official Windows node.exe under Wine, and talks to the stand-in Windows commands (recorded replies
// in, the command lines they received out). Processes of the lab's own Wine prefix are the only
// ones its tests start, and `stopLabProcesses` ends only those.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli.js';

export interface Lab {
  ready: boolean;
  why: string;
  node: string;
  prefix: string;
  bin: string;
  env: Record<string, string>;
}

/** The same hash scripts/lab.mjs records when it builds the stand-ins. */
function standInSourcesHash(): string {
  const dir = path.join(ROOT, 'test', 'lab', 'stand-ins');
  const h = createHash('sha256');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) h.update(f).update(readFileSync(path.join(dir, f)));
  return h.digest('hex');
}

export function readLab(): Lab {
  const file = path.join(ROOT, '.lab', 'ready.json');
  const none = { node: '', prefix: '', bin: '', env: {} };
  if (!existsSync(file)) return { ready: false, why: 'is not set up (node scripts/lab.mjs setup; needs wine64 and gcc-mingw-w64-x86-64-win32)', ...none };
  const info = JSON.parse(readFileSync(file, 'utf8')) as Omit<Lab, 'ready' | 'why'> & { sources: string };
  if (!existsSync(info.node)) return { ready: false, why: `is incomplete (${info.node} is missing)`, ...none };
  if (info.sources !== standInSourcesHash()) return { ready: false, why: "is out of date (the stand-ins' sources changed): node scripts/lab.mjs setup", ...none };
  return { ready: true, why: '', ...info };
}

/** The Windows path Wine gives a Linux path (its Z: drive is /). */
export const winPath = (p: string) => `Z:${p.replace(/\//g, '\\')}`;

/** C:\ of the lab's prefix, as a Linux path. */
export const driveC = (lab: Lab, ...parts: string[]) => path.join(lab.prefix, 'drive_c', ...parts);

export interface WinResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the real syncdoctor bundle on Windows Node under Wine. Output goes through files (a pipe can fail with EBADF under Wine). */
export function syncdoctorOnWindows(lab: Lab, args: string[], env: Record<string, string> = {}, where: { script?: string; cwd?: string } = {}): Promise<WinResult> {
  const dir = path.join(lab.prefix, 'drive_c', 'lab', 'runs');
  mkdirSync(dir, { recursive: true });
  const tag = randomBytes(4).toString('hex');
  const out = path.join(dir, `${tag}.out`);
  const err = path.join(dir, `${tag}.err`);
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'exec wine "$@" > "$OUT" 2> "$ERR" < /dev/null', 'sh', lab.node, where.script ?? winPath(path.join(ROOT, 'bin', 'syncdoctor.js')), ...args], {
      env: { ...process.env, ...lab.env, NO_COLOR: '1', OUT: out, ERR: err, ...env },
      stdio: 'ignore',
      ...(where.cwd ? { cwd: where.cwd } : {}),
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
      resolve({ exitCode: code ?? -1, stdout: read(out), stderr: read(err) });
      rmSync(out, { force: true });
      rmSync(err, { force: true });
    });
  });
}

/** Records what a stand-in prints for exactly these arguments (bytes as given). */
export function reply(lab: Lab, command: string, args: string, out: string | Uint8Array, code = 0, err?: string | Uint8Array, codePage?: number): void {
  const dir = driveC(lab, 'lab', 'replies', command);
  mkdirSync(dir, { recursive: true });
  let i = 0;
  while (existsSync(path.join(dir, `${i}.args`))) i++;
  writeFileSync(path.join(dir, `${i}.out`), out);
  if (err !== undefined) writeFileSync(path.join(dir, `${i}.err`), err);
  if (codePage !== undefined) writeFileSync(path.join(dir, `${i}.cp`), String(codePage));
  writeFileSync(path.join(dir, `${i}.code`), String(code));
  writeFileSync(path.join(dir, `${i}.args`), args); // last: a reply is complete once its .args exists
}

/** whoami /groups as a standard (Medium) or an elevated (System) token shows its mandatory label. */
const WHOAMI = (label: string, sid: string) => `"Mandatory Label\\${label} Mandatory Level","Label","${sid}","Mandatory group, Enabled by default, Enabled"\r\n`;

/**
 * Forgets every recorded reply and every logged command line. The PC then answers `whoami` as a
 * standard user (so inputs are not judged by their ACLs), or as SYSTEM with `elevated`.
 */
export function resetStandIns(lab: Lab, options: { elevated?: boolean } = {}): void {
  for (const d of ['replies', 'log', 'tasks', 'owners.txt']) rmSync(driveC(lab, 'lab', d), { recursive: true, force: true });
  reply(lab, 'whoami', '/groups /fo csv /nh', options.elevated ? WHOAMI('System', 'S-1-16-16384') : WHOAMI('Medium', 'S-1-16-8192'));
}

/** Records the security descriptor icacls saves for a path (UTF-16 with a BOM, as icacls writes it). */
export function acl(lab: Lab, winPathOf: string, sddl: string): void {
  const name = winPathOf.slice(winPathOf.lastIndexOf('\\') + 1) || winPathOf;
  reply(lab, 'icacls', winPathOf, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${name}\r\n${sddl}\r\n`, 'utf16le')]));
}

/**
 * Makes the programs started from a folder (a Windows path ending in \\) another user's, in another
 * session, as the tasklist stand-in shows them; every other process stays the Wine user's in session 1.
 */
export function ownedBy(lab: Lab, winFolder: string, user: string, sessionName: string, session: number): void {
  const file = driveC(lab, 'lab', 'owners.txt');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, `${before}${winFolder}\t${user}\t${sessionName}\t${session}\r\n`);
}

/** The processes the tasklist stand-in lists (as `tasklist /v /fo csv /nh` prints them): image, pid and owner. */
export function labProcesses(lab: Lab): { image: string; pid: number; user: string; session: number }[] {
  const r = spawnSync('wine', ['C:\\windows\\system32\\tasklist.exe', '/v', '/fo', 'csv', '/nh'], { env: { ...process.env, ...lab.env }, encoding: 'utf8' });
  return r.stdout
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.slice(1, -1).split('","'))
    .map((f) => ({ image: f[0]!, pid: Number(f[1]), user: f[6]!, session: Number(f[3]) }));
}

/** How a system program's command line starts when syncdoctor runs it: by absolute path (Wine's %SystemRoot% is C:\windows). */
export const sys = (name: string) => `C:\\windows\\System32\\${name}.exe`;

/** The command lines a stand-in received, in order. */
export function received(lab: Lab, command: string): string[] {
  const file = driveC(lab, 'lab', 'log', `${command}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** A stand-in agent under a unique name in a folder whose name has a space: C:\lab\sync agents\NAME.exe. */
export function makeAgent(lab: Lab, silent = false): { name: string; exe: string; winExe: string; log: string; winLog: string } {
  const name = `sdagent-${randomBytes(3).toString('hex')}`;
  const dir = driveC(lab, 'lab', 'sync agents');
  mkdirSync(dir, { recursive: true });
  const exe = path.join(dir, `${name}.exe`);
  copyFileSync(path.join(lab.bin, silent ? 'lab-agent-silent.exe' : 'lab-agent.exe'), exe);
  return { name, exe, winExe: `C:\\lab\\sync agents\\${name}.exe`, log: exe.replace(/\.exe$/, '.log'), winLog: `C:\\lab\\sync agents\\${name}.log` };
}

/** Starts a Windows program of the lab (it keeps running until ended). */
export function startWindowsProgram(lab: Lab, winExe: string): void {
  const child = spawn('wine', [winExe], { env: { ...process.env, ...lab.env }, stdio: 'ignore', detached: true });
  child.unref();
}

/** Ends every process of the lab's Wine prefix: only ever the programs its tests started. */
export function stopLabProcesses(lab: Lab): void {
  spawnSync('wineserver', ['-k'], { env: { ...process.env, ...lab.env }, stdio: 'ignore' });
  spawnSync('wineserver', ['-w'], { env: { ...process.env, ...lab.env }, stdio: 'ignore', timeout: 30_000 });
}

/** Sets the OEM code page the PC reports (what syncdoctor decodes pipes with); returns a function that restores it. */
export function setOemCodePage(lab: Lab, codePage: number): () => void {
  const key = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage';
  const env = { ...process.env, ...lab.env };
  const before = spawnSync('wine', ['reg', 'query', key, '/v', 'OEMCP'], { env, encoding: 'latin1' }).stdout;
  const old = /OEMCP\s+REG_SZ\s+(\d+)/.exec(before)?.[1] ?? '437';
  spawnSync('wine', ['reg', 'add', key, '/v', 'OEMCP', '/t', 'REG_SZ', '/d', String(codePage), '/f'], { env, stdio: 'ignore' });
  return () => {
    spawnSync('wine', ['reg', 'add', key, '/v', 'OEMCP', '/t', 'REG_SZ', '/d', old, '/f'], { env, stdio: 'ignore' });
  };
}
