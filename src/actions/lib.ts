// Building blocks that actions share: the command lines they run (argv: no shell, ever), starting
// a program in a user's desktop, and killing a process with its children.
import { randomBytes } from 'node:crypto';
import type { ProcessInfo } from '../host/facts.js';
import type { Host, RawProcess } from '../host/host.js';
import type { ApplyContext, ApplyResult } from './action.js';
import { describeProcess, matchesImage, sameUser, splitUser, withImage } from '../host/processes.js';
import type { HostFacts } from '../host/facts.js';
import { isPowerProgram, programBase } from '../host/power.js';

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
export async function launch(ctx: ApplyContext, exePath: string, args: string[], user: string | undefined, images: readonly string[]): Promise<ApplyResult> {
  const refused = launchRefusal(exePath, images);
  if (refused) return { ok: false, detail: `refused: ${refused}` };
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

/**
 * Why a program cannot be started as `user` here, or undefined: off Windows a program starts as
 * syncdoctor's own user, so only when that is the agent's (root never starts another user's program).
 */
export function startsAsAnotherUser(facts: HostFacts, user: string): string | undefined {
  if (facts.platform === 'win32') return undefined;
  const me = facts.host.runsAs?.() ?? null;
  return me && sameUser(me, user) ? undefined : `the agent would be started as ${me ?? 'an unknown user'}, not as ${user}: start it as ${user} by hand`;
}

/**
 * Why a program may not be started as the agent, or undefined: a repair starts only the agent's own
 * program, its file name one of the agent's image names, and never one that restarts or stops the
 * machine (a program path is data: a config could say `shutdown`).
 */
export function launchRefusal(program: string, images: readonly string[]): string | undefined {
  if (isPowerProgram(program)) return `${program} restarts or stops the machine; it is never started as an agent`;
  if (!images.length) return "the agent's image names are not configured, so the program cannot be checked to be the agent's";
  const base = programBase(program);
  if (!images.some((i) => programBase(i) === base)) return `${program} is not the agent's program (its file name is none of ${images.join(', ')})`;
  return undefined;
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
 * Kills these processes (the caller chose them: see selectOwnProcesses), children first: on POSIX
 * only the children with the same owner; on Windows taskkill /t ends the whole tree, whoever owns a
 * child (an agent's children are its own in practice). `closedSome`: it failed, after closing some.
 */
export async function killProcesses(ctx: ApplyContext, victims: readonly ProcessInfo[]): Promise<ApplyResult & { closedSome?: boolean }> {
  if (victims.length === 0) return { ok: true, detail: 'none of its processes was running' };
  const failures: string[] = [];
  if (ctx.host.platform === 'win32') {
    // Every one is tried: stopping at the first refusal would leave the ones before it closed and
    // the caller unable to tell which (it relaunches the agent if it closed it).
    for (const v of victims) {
      const r = await runStep(ctx, killArgv('win32', v));
      if (!r.ok && (await ctx.host.isAlive(v.pid))) failures.push(r.detail);
    }
  } else {
    const { processes } = await ctx.facts.processes();
    const owner = new Map(processes.map((p) => [p.pid, p.user]));
    const raw = processes.map((p) => ({ pid: p.pid, name: p.name, ...(p.ppid !== null ? { ppid: p.ppid } : {}) }));
    // A child that another user runs (a setuid helper) is not ours to end.
    const children = descendants(raw, victims.map((v) => v.pid)).filter((pid) => victims.some((v) => owner.get(pid) === v.user));
    const pids = [...children, ...victims.map((v) => v.pid)];
    for (const pid of pids) await ctx.host.signal(pid, 'SIGTERM');
    // Give them up to 5 s to exit, then force.
    for (let i = 0; i < 50 && (await anyAlive(ctx.host, pids)); i++) await sleep(100);
    for (const pid of pids) if (await ctx.host.isAlive(pid)) await ctx.host.signal(pid, 'SIGKILL');
  }
  const left: ProcessInfo[] = [];
  for (const v of victims) if (await ctx.host.isAlive(v.pid)) left.push(v);
  const closed = victims.filter((v) => !left.includes(v));
  const named = (list: readonly ProcessInfo[]) => list.map((v) => `${v.name} (pid ${v.pid})`).join(', ');
  if (left.length) {
    const parts = [`still running after kill: ${named(left)}${failures.length ? ` (${failures[0]})` : ''}`, ...(closed.length ? [`closed ${named(closed)}`] : [])];
    return { ok: false, detail: parts.join('; '), closedSome: closed.length > 0 };
  }
  return { ok: true, detail: `closed ${named(victims)}` };
}

async function anyAlive(host: Host, pids: number[]): Promise<boolean> {
  for (const pid of pids) if (await host.isAlive(pid)) return true;
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The processes an action may touch, and the ones it must not. */
export interface OwnProcesses {
  /** The sync user's, in one of the sync user's sessions (Windows): the only targets. */
  mine: ProcessInfo[];
  /** Another user's, or in another session: never touched; a person asks their owner. */
  others: ProcessInfo[];
  /** Whose, or in which session, cannot be told: the action refuses. */
  unknown: ProcessInfo[];
  /** The user was named without a domain and two accounts of that name run these images. */
  ambiguous?: string[];
}

/**
 * Which processes with these images are the sync user's: image AND owner AND (on Windows) a
 * session of that user. `userSessions` is null when the sessions could not be read. On Linux and
 * macOS the owner is the boundary (there is no desktop session per process to compare).
 */
export function selectOwnProcesses(processes: readonly ProcessInfo[], images: readonly string[], user: string, platform: NodeJS.Platform, userSessions: readonly number[] | null): OwnProcesses {
  const out: OwnProcesses = { mine: [], others: [], unknown: [] };
  for (const p of withImage(processes, images)) {
    if (p.pid === process.pid) continue;
    if (p.user === null) out.unknown.push(p);
    else if (!sameUser(p.user, user)) out.others.push(p);
    else if (platform !== 'win32') out.mine.push(p);
    else if (p.sessionId === null || userSessions === null) out.unknown.push(p);
    else if (userSessions.includes(p.sessionId)) out.mine.push(p);
    else out.others.push(p);
  }
  // "frontdesk" with PC\frontdesk's and CORP\frontdesk's processes: which is the agent's cannot be told.
  const accounts = [...new Map(out.mine.map((p) => [p.user!.toLowerCase(), p.user!])).values()];
  if (splitUser(user).domain === null && new Set(accounts.map((a) => splitUser(a).domain)).size > 1) {
    return { mine: [], others: out.others, unknown: [...out.unknown, ...out.mine], ambiguous: accounts };
  }
  return out;
}

/** The sync user's processes with these images, read from `facts` (owners and, on Windows, sessions). */
export async function ownProcesses(facts: HostFacts, images: readonly string[], user: string): Promise<OwnProcesses & { why: string | null }> {
  const { processes, ownersError } = await facts.processes();
  let sessions: number[] | null = null;
  let why = ownersError;
  if (facts.platform === 'win32') {
    try {
      sessions = (await facts.sessions()).filter((s) => sameUser(s.user, user) && s.id !== null).map((s) => s.id!);
    } catch (err) {
      why = `the logged-on sessions could not be read: ${(err as Error).message}`;
    }
  }
  const sel = selectOwnProcesses(processes, images, user, facts.platform, sessions);
  if (sel.ambiguous) why = `two accounts are named ${user} (${sel.ambiguous.join(', ')}): set the user as DOMAIN\\name`;
  return { ...sel, why };
}

/** "CISM.exe (pid 3804) as PC\\frontdesk in session 1": whose each process is, for plans and refusals. */
export function describeAll(list: readonly ProcessInfo[]): string {
  return list.map(describeProcess).join('; ');
}
