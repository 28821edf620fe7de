// Measuring commands for the benchmark: wall time (high resolution, from this process), CPU time
// and peak memory of the child (GNU time, when the machine has it), medians after a warm-up, with
// the baseline interleaved in the same rounds so that a noisy machine slows both alike.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p) && /GNU/i.test(spawnSync(p, ['--version'], { encoding: 'utf8' }).stderr + spawnSync(p, ['--version'], { encoding: 'utf8' }).stdout));

export const hasGnuTime = Boolean(GNU_TIME);

/** Runs `node ...args` once: wall ms, CPU ms (user+sys) and peak RSS in MiB (null without GNU time). */
export function runOnce(args, { cwd, env, timeoutMs = 120_000 } = {}) {
  const out = GNU_TIME ? path.join(os.tmpdir(), `syncdoctor-bench-time-${process.pid}.txt`) : undefined;
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', out, process.execPath, ...args]] : [process.execPath, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let cpuMs = null;
  let rssMiB = null;
  if (out && existsSync(out)) {
    const m = /([\d.]+)\s+([\d.]+)\s+(\d+)\s*$/.exec(readFileSync(out, 'utf8'));
    if (m) {
      cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
      rssMiB = Number(m[3]) / 1024;
    }
    rmSync(out, { force: true });
  }
  if (r.error) throw new Error(`${args.join(' ')}: ${r.error.message}`);
  return { wallMs, cpuMs, rssMiB, exitCode: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

export function median(xs) {
  const v = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function mean(xs) {
  const v = xs.filter((x) => x !== null && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/**
 * Runs every spec ({ name, args, cwd?, env?, expectExit? }) `warmup` times, then `runs` rounds,
 * each round running every spec once, in order. Returns per spec: samples and medians.
 */
export function rounds(specs, { warmup = 2, runs = 11, onRound } = {}) {
  const samples = new Map(specs.map((s) => [s.name, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const s of specs) {
      const r = runOnce(s.args, s);
      if (s.expectExit !== undefined && ![].concat(s.expectExit).includes(r.exitCode)) {
        throw new Error(`${s.name}: exit ${r.exitCode}, expected ${s.expectExit}\n${r.stderr.slice(0, 2000)}`);
      }
      if (i >= warmup) samples.get(s.name).push(r);
    }
    onRound?.(i + 1, warmup + runs);
  }
  const result = {};
  for (const s of specs) {
    const xs = samples.get(s.name);
    result[s.name] = {
      runs: xs.length,
      wallMs: median(xs.map((x) => x.wallMs)),
      cpuMs: median(xs.map((x) => x.cpuMs)),
      cpuMeanMs: mean(xs.map((x) => x.cpuMs)),
      rssMiB: median(xs.map((x) => x.rssMiB)),
      last: xs[xs.length - 1],
    };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Where the time goes: a CPU profile of a run, attributed to modules

/**
 * Profiles `node --cpu-prof <script> ...args` and attributes the samples' time to source modules.
 * The script must be a bundle built without minification (esbuild keeps a `// path` comment before
 * each module), so that a line of the bundle tells its module. Returns [group, ms] sorted.
 */
export function profileByModule(script, args, { cwd, env } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'syncdoctor-bench-prof-'));
  try {
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, script, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    if (r.error) throw r.error;
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written: ${r.stderr}`);
    const prof = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const text = readFileSync(script, 'latin1');
    // A bundle from scripts/build.mjs carries the CLI as text after its launcher and compiles it
    // under a name of its own (src/cli/launcher.ts): its lines are the profile's lines.
    const cli = embeddedCli(text);
    const moduleAt = moduleIndex(cli ?? text);
    const self = new Map();
    prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
    const groups = new Map();
    let total = 0;
    for (const node of prof.nodes) {
      const us = self.get(node.id) ?? 0;
      if (!us) continue;
      total += us;
      const g = groupOf(node.callFrame, script, moduleAt, cli !== undefined);
      groups.set(g, (groups.get(g) ?? 0) + us);
    }
    return { totalMs: total / 1000, groups: [...groups].map(([g, us]) => [g, us / 1000]).sort((a, b) => b[1] - a[1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CLI text inside a bundle, as the launcher reads it; undefined for a plain bundle. */
function embeddedCli(text) {
  const at = text.indexOf('\n//@cli\n');
  return at < 0 || !text.includes('\n//@syncdoctor-payload\n') ? undefined : text.slice(at + 9).replaceAll('\n//', '\n');
}

/** Line number (0-based) → module path, from esbuild's `// path` comments. */
function moduleIndex(text) {
  const starts = [];
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    const m = /^\/\/ ((?:node_modules|src)\/\S+)$/.exec(l);
    if (m) starts.push([i, m[1]]);
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = 'bundle runtime';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function groupOf(frame, script, moduleAt, embedded) {
  const url = frame.url || '';
  if (!url) {
    if (frame.functionName === '(garbage collector)') return 'garbage collection';
    if (frame.functionName === '(idle)') return 'idle (waiting for I/O or children)';
    if (frame.functionName === '(program)') return 'V8/node native (parsing, compiling)';
    return 'native';
  }
  if (url === 'node:vm') return 'node: vm (compiling the CLI, from the code cache if used)';
  if (url.startsWith('node:')) {
    if (/modules|loader|translators/.test(url)) return 'node: module loading and compiling';
    if (/bootstrap|pre_execution|realm|main/.test(url)) return 'node: bootstrap';
    return 'node: built-in modules';
  }
  // In a bundle from scripts/build.mjs the launcher names what it compiles "... (embedded <what>)".
  const compiledAs = / \(embedded (\S+)\)$/.exec(url)?.[1];
  if (compiledAs && compiledAs !== 'CLI') return `package ${compiledAs}`;
  const inScript = url.endsWith(path.basename(script));
  if (embedded && inScript) return 'launcher (src/cli/launcher.ts)';
  if (embedded ? compiledAs === 'CLI' : inScript) {
    const mod = moduleAt(frame.lineNumber);
    const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(mod);
    if (pkg) return `package ${pkg[1]}`;
    const src = /^src\/([^/]+)\/(?:parsers\/)?([^/]+)\.ts$/.exec(mod);
    return src ? `src/${src[1]}/${src[2]}` : mod;
  }
  return url.replace(/^file:\/\/.*?\/(dist|bin|src|node_modules)\//, '$1/');
}
