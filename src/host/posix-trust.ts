// Whether a file that root reads is root's alone, by the rules sudo applies to its own files.
// Kept apart from trust.ts (Windows ACLs, process starts) because the bundle's launcher uses it
// before the CLI is compiled, to judge the code cache: it must stay small and synchronous.
// A handful of lstat calls is cheap enough to do synchronously on every start.
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** What lstat says of one path: the file itself first, then each folder above it. */
export interface PathFacts {
  path: string;
  uid: number;
  gid: number;
  mode: number;
  isLink: boolean;
  isDir: boolean;
}

/**
 * Why a path that root reads is not root's alone (sudo's rules for its own files): the file must
 * not be a link; it and every folder above it must be owned by root, not writable by others, and
 * writable by a group only when that group is root's. A sticky folder (such as /tmp) above it is
 * fine: nobody else may rename or remove what root put there.
 */
export function posixTrustProblem(chain: readonly PathFacts[]): string | undefined {
  for (const [i, p] of chain.entries()) {
    const isTarget = i === 0;
    if (p.isLink && (isTarget || p.uid !== 0)) return `${p.path} is a link${isTarget ? '' : ` owned by uid ${p.uid}`}`;
    if (p.isLink) continue; // a root-owned link in a root-controlled folder: its target's folders are checked too
    if (p.uid !== 0) return `${p.path} is owned by uid ${p.uid}, not root`;
    const sticky = !isTarget && p.isDir && (p.mode & 0o1000) !== 0;
    if ((p.mode & 0o002) !== 0 && !sticky) return `${p.path} is writable by every user`;
    if ((p.mode & 0o020) !== 0 && p.gid !== 0 && !sticky) return `${p.path} is writable by group ${p.gid}`;
  }
  return undefined;
}

/** The folders above an absolute path, up to its root (/a/b.yaml → /a, /; C:\\a\\b.yaml → C:\\a, C:\\ with path.win32). */
export function foldersAbove(abs: string, api: Pick<typeof path, 'dirname'> = path): string[] {
  const out: string[] = [];
  for (let p = abs, d = api.dirname(p); d !== p; p = d, d = api.dirname(d)) out.push(d);
  return out;
}

/** lstat facts for a file and each folder above it (of the path as given and of its real location). */
export function posixPathChain(file: string): PathFacts[] {
  const facts = (p: string): PathFacts => {
    const s = lstatSync(p);
    return { path: p, uid: s.uid, gid: s.gid, mode: s.mode, isLink: s.isSymbolicLink(), isDir: s.isDirectory() };
  };
  const abs = path.resolve(file);
  const chain = [facts(abs)];
  const seen = new Set<string>();
  for (const d of [...foldersAbove(abs), ...foldersAbove(path.join(realpathSync(path.dirname(abs)), path.basename(abs)))]) {
    if (seen.has(d)) continue;
    seen.add(d);
    chain.push(facts(d));
  }
  return chain;
}

/** Why, run as root, this file is not to be trusted (another user could change it), or undefined; a missing file is not judged. */
export function untrustedWhenRootSync(file: string): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  let chain: PathFacts[];
  try {
    chain = posixPathChain(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? undefined : `it could not be examined (${code ?? (err as Error).message})`;
  }
  return posixTrustProblem(chain);
}
