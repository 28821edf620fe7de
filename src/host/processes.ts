// Facts about processes and the people running them that both probes (which judge them) and
// actions (which act on them) read: which processes have a given image, whether two user names
// are the same account, and how to name a process or a session in evidence and plans.
import type { ProcessInfo } from './facts.js';
import type { SessionInfo } from './parsers/types.js';

/** Image names match case-insensitively, with or without ".exe". */
export function normaliseImage(name: string): string {
  return name.trim().toLowerCase().replace(/\.exe$/, '');
}

export function matchesImage(process: { name: string }, names: readonly string[]): boolean {
  const n = normaliseImage(process.name);
  return names.some((want) => normaliseImage(want) === n);
}

const imageIndexes = new WeakMap<readonly { name: string }[], Map<string, number[]>>();

/**
 * The processes of `list` whose image is one of `names`, in list order. The index by image name
 * is built once per list (HostFacts shares one list per run), so many checks over a long process
 * list cost O(processes + matches), not O(checks × processes). The list must not change afterwards.
 */
export function withImage<P extends { name: string }>(list: readonly P[], names: readonly string[]): P[] {
  let index = imageIndexes.get(list);
  if (!index) {
    const built = new Map<string, number[]>();
    list.forEach((p, i) => {
      const key = normaliseImage(p.name);
      const at = built.get(key);
      if (at) at.push(i);
      else built.set(key, [i]);
    });
    imageIndexes.set(list, built);
    index = built;
  }
  const found = new Set<number>();
  for (const want of names) for (const i of index.get(normaliseImage(want)) ?? []) found.add(i);
  return [...found].sort((a, b) => a - b).map((i) => list[i]!);
}

/**
 * A user name's account and domain, lower-cased: "PC\\frontdesk" → pc / frontdesk. The domain is
 * null when the name does not say it: a bare name, ".\\name" (this PC, by any name), or a UPN
 * "name@corp.example" (its suffix is not the Windows domain tasklist prints).
 */
export function splitUser(user: string): { domain: string | null; account: string } {
  const t = user.trim().toLowerCase();
  const slash = t.lastIndexOf('\\');
  if (slash >= 0) {
    const domain = t.slice(0, slash);
    return { domain: domain === '' || domain === '.' ? null : domain, account: t.slice(slash + 1) };
  }
  const at = t.indexOf('@');
  return { domain: null, account: at > 0 ? t.slice(0, at) : t };
}

/** The account part of "DOMAIN\\user" or "user@domain", lower-cased, for naming users. */
export function accountName(user: string): string {
  return splitUser(user).account;
}

/** The same account: the same name, and the same domain where both names say one (PC\\frontdesk is not CORP\\frontdesk). */
export function sameUser(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const x = splitUser(a);
  const y = splitUser(b);
  return x.account === y.account && (x.domain === null || y.domain === null || x.domain === y.domain);
}

export function describeProcess(p: ProcessInfo): string {
  const parts = [`${p.name} (pid ${p.pid})`];
  if (p.user) parts.push(`as ${p.user}`);
  if (p.sessionId !== null) parts.push(`in session ${p.sessionId}${p.sessionName ? ` (${p.sessionName})` : ''}`);
  if (p.notResponding) parts.push('NOT RESPONDING');
  return parts.join(' ');
}

export function describeSession(s: SessionInfo): string {
  const name = s.sessionName ? ` ${s.sessionName}` : '';
  const id = s.id !== null ? ` session ${s.id}` : '';
  const idle = s.idleMinutes === null ? '' : s.idleMinutes === 0 ? ', not idle' : `, idle ${s.idleMinutes} min`;
  return `${s.user}:${id}${name}, ${s.state === 'unknown' ? `state "${s.stateText}"` : s.state}${idle}`;
}

/**
 * The company file QuickBooks has open, from its window title ("Harborline Supply - QuickBooks
 * Desktop Pro 2024", "... - Intuit QuickBooks Enterprise Solutions ..."); null when the title does
 * not say (N/A, no company open, a dialog in front).
 */
export function quickBooksCompany(windowTitle: string | null | undefined): string | null {
  if (!windowTitle) return null;
  const m = /^(.+?)\s+-\s+(?:Intuit\s+)?QuickBooks\b/i.exec(windowTitle.trim());
  return m ? m[1]!.trim() : null;
}
