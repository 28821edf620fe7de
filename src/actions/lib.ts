// Building blocks that actions share: the command lines they run (argv: no shell, ever), starting
// a program in a user's desktop, and killing a process with its children.
import { randomBytes } from 'node:crypto';
import type { ProcessInfo } from '../host/facts.js';
import type { Host, RawProcess } from '../host/host.js';
import type { ApplyContext, ApplyResult } from './action.js';
import { matchesImage } from '../host/processes.js';

/** A one-shot interactive task starts a tray app in the user's desktop from session 0 (SYSTEM). */
export function launchInUserSessionArgv(exePath: string, user: string, taskName: string): string[][] {
  return [
    ['schtasks', '/create', '/tn', taskName, '/tr', `"${exePath}"`, '/sc', 'once', '/st', '23:59', '/ru', user, '/it', '/f'],
    ['schtasks', '/run', '/tn', taskName],
    ['schtasks', '/delete', '/tn', taskName, '/f'],
  ];
}

export function killArgv(platform: NodeJS.Platform, p: Pick<ProcessInfo, 'pid'>): string[] {
  return platform === 'win32' ? ['taskkill', '/pid', String(p.pid), '/t', '/f'] : ['kill', '-TERM', String(p.pid)];
}

/** Runs an action command; a non-zero exit or a failure to run is a failed step with the reason. */
export async function runStep(ctx: ApplyContext, argv: string[]): Promise<ApplyResult> {
  const r = await ctx.host.runAction(argv, { signal: ctx.signal, timeoutMs: 60_000 });
  if (r.notFound) return { ok: false, detail: `${argv[0]} not found` };
  if (r.exitCode === 0) return { ok: true, detail: argv.join(' ') };
  const err = Buffer.from(r.stderr).toString('utf8').trim() || Buffer.from(r.stdout).toString('utf8').trim();
  return { ok: false, detail: `${argv.join(' ')} failed (${r.failure ?? `exit ${r.exitCode}`})${err ? `: ${err.split(/\r?\n/)[0]}` : ''}` };
}

/**
 * Starts a program detached. On Windows, with a user, through a one-shot interactive scheduled task
 * so a tray agent lands in that user's desktop even from an RMM job running as SYSTEM; the task is
 * deleted on every path.
 */
export async function launch(ctx: ApplyContext, exePath: string, args: string[], user: string | undefined): Promise<ApplyResult> {
  if (ctx.host.platform === 'win32' && user) {
    const task = `syncdoctor-launch-${randomBytes(3).toString('hex')}`;
    const [create, run, del] = launchInUserSessionArgv(exePath, user, task) as [string[], string[], string[]];
    try {
      const created = await runStep(ctx, create);
      if (!created.ok) return created;
      const ran = await runStep(ctx, run);
      if (!ran.ok) return ran;
      // /run only says it attempted to start the task: the re-check tells whether the agent runs.
      return { ok: true, detail: `asked Windows to start ${exePath} in ${user}'s session (task ${task})` };
    } finally {
      await runStep(ctx, del);
    }
  }
  const pid = await ctx.host.spawnDetached([exePath, ...args]);
  return { ok: true, detail: `started ${exePath} (pid ${pid})` };
}

/** Every descendant of the given pids in a process list (children first, so a parent cannot respawn them). */
export function descendants(all: readonly RawProcess[], roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const p of all) if (p.ppid !== undefined) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out: number[] = [];
  const visit = (pid: number, depth: number) => {
    if (depth > 64) return;
    for (const c of children.get(pid) ?? []) {
      visit(c, depth + 1);
      if (!out.includes(c) && !roots.includes(c)) out.push(c);
    }
  };
  roots.forEach((r) => visit(r, 0));
  return out;
}

/**
 * Kills the processes with these image names, with their children. The list is read fresh (the
 * diagnosis's is stale), and only processes matching the names are roots.
 */
export async function killByName(ctx: ApplyContext, names: readonly string[]): Promise<ApplyResult> {
  const all = await ctx.host.listProcesses();
  const victims = all.filter((p) => matchesImage(p, names) && p.pid !== process.pid);
  if (victims.length === 0) return { ok: true, detail: `no ${names.join('/')} process was running` };
  if (ctx.host.platform === 'win32') {
    for (const v of victims) {
      const r = await runStep(ctx, killArgv('win32', v));
      if (!r.ok && (await ctx.host.isAlive(v.pid))) return r;
    }
  } else {
    const pids = [...descendants(all, victims.map((v) => v.pid)), ...victims.map((v) => v.pid)];
    for (const pid of pids) await ctx.host.signal(pid, 'SIGTERM');
    // Give them up to 5 s to exit, then force.
    for (let i = 0; i < 50 && (await anyAlive(ctx.host, pids)); i++) await sleep(100);
    for (const pid of pids) if (await ctx.host.isAlive(pid)) await ctx.host.signal(pid, 'SIGKILL');
  }
  const left = [];
  for (const v of victims) if (await ctx.host.isAlive(v.pid)) left.push(v.pid);
  if (left.length) return { ok: false, detail: `still running after kill: pid ${left.join(', ')}` };
  return { ok: true, detail: `closed ${victims.map((v) => `${v.name} (pid ${v.pid})`).join(', ')}` };
}

async function anyAlive(host: Host, pids: number[]): Promise<boolean> {
  for (const pid of pids) if (await host.isAlive(pid)) return true;
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
