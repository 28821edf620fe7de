// Trust only what an administrator controls. Run as root or SYSTEM, syncdoctor takes settings and
// playbooks only from files that no other user can change: the file and every folder above it.
// The decisions are pure functions (over lstat facts on POSIX in posix-trust.ts, over an SDDL
// security descriptor on Windows here, by SID since account names are localised); the I/O that
// gathers them is at the bottom.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { foldersAbove, untrustedWhenRootSync } from './posix-trust.js';
import { runCommand } from './run-command.js';
import { systemProgramPath } from './system-program.js';

/** SIDs that only an administrator controls: SYSTEM, Administrators, TrustedInstaller. */
const ADMIN_SIDS = new Set(['SY', 'BA', 'S-1-5-18', 'S-1-5-32-544', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464']);
/** ACEs for these never apply to an existing object (CREATOR OWNER is a template for new children). */
const TEMPLATE_SIDS = new Set(['CO', 'CG', 'S-1-3-0', 'S-1-3-1']);

/** The access rights in an ACE, as a mask (SDDL letters or a hex number). */
const RIGHTS: Record<string, number> = {
  GA: 0x10000000, GR: 0x80000000, GW: 0x40000000, GX: 0x20000000,
  FA: 0x1f01ff, FR: 0x120089, FW: 0x120116, FX: 0x1200a0,
  SD: 0x10000, RC: 0x20000, WD: 0x40000, WO: 0x80000,
  CC: 0x1, DC: 0x2, LC: 0x4, SW: 0x8, RP: 0x10, WP: 0x20, DT: 0x40, LO: 0x80, CR: 0x100,
  KA: 0xf003f, KR: 0x20019, KW: 0x20006, KX: 0x20019,
};
/** On the file or folder itself: change its data, add files to it (a folder), delete it or its children, or its permissions. */
const WRITE_TARGET = 0x2 | 0x4 | 0x40 | 0x10000 | 0x40000 | 0x80000 | 0x10000000 | 0x40000000;
/** On a folder above it: remove or rename what is in it or itself, or change its permissions (adding new files there is harmless). */
const WRITE_PARENT = 0x40 | 0x10000 | 0x40000 | 0x80000 | 0x10000000;
/** A drive's root cannot be renamed: DELETE on it is harmless (Authenticated Users hold it on C:\ by default). */
const WRITE_ROOT = WRITE_PARENT & ~0x10000;

function rightsMask(text: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text, 16);
  let mask = 0;
  for (let i = 0; i < text.length; i += 2) {
    const r = RIGHTS[text.slice(i, i + 2).toUpperCase()];
    if (r === undefined) return undefined;
    mask |= r;
  }
  return mask;
}

/**
 * Why a file or folder whose security descriptor (SDDL, as `icacls PATH /save` writes it) this is
 * may be changed by someone who is not an administrator, or undefined. `parent`: a folder above the
 * file, where only removing, renaming or re-permissioning counts; `root`: a drive's root folder.
 */
export function sddlTrustProblem(sddl: string, kind: 'target' | 'parent' | 'root' = 'target'): string | undefined {
  const parent = kind !== 'target';
  const owner = /O:([A-Z]{2}|S-[\d-]+)/.exec(sddl)?.[1];
  if (!owner) return 'its owner could not be read';
  if (!ADMIN_SIDS.has(owner)) return `it is owned by ${owner}, not SYSTEM or Administrators`;
  if (/D:NO_ACCESS_CONTROL/.test(sddl)) return 'it has no access control (everyone may change it)';
  const dacl = /D:([A-Z]*)((?:\([^)]*\))*)/.exec(sddl);
  if (!dacl) return 'its permissions could not be read';
  const danger = kind === 'root' ? WRITE_ROOT : parent ? WRITE_PARENT : WRITE_TARGET;
  for (const ace of dacl[2]!.matchAll(/\(([^)]*)\)/g)) {
    const [type, flags = '', rights = '', , , sid = ''] = ace[1]!.split(';');
    if (type !== 'A' && type !== 'OA') continue; // deny ACEs and audits never grant
    if (flags.includes('IO')) continue; // inherit-only: for children, not this object
    if (ADMIN_SIDS.has(sid) || TEMPLATE_SIDS.has(sid)) continue;
    const mask = rightsMask(rights);
    if (mask === undefined) return `an access right "${rights}" for ${sid} could not be read`;
    if ((mask & danger) !== 0) return `${sid} may ${parent ? 'remove or rename what it holds' : 'change it'} (${rights})`;
  }
  return undefined;
}

/** Whether this Windows process is elevated: its token holds the High or System mandatory label. */
export async function windowsElevated(run: (argv: string[]) => Promise<{ exitCode: number | null; stdout: Uint8Array }>): Promise<boolean> {
  const r = await run(['whoami', '/groups', '/fo', 'csv', '/nh']).catch(() => undefined);
  // Could not tell: judge as if elevated (the stricter rule; an administrator's files pass it).
  if (!r || r.exitCode !== 0) return true;
  const text = new TextDecoder('latin1').decode(r.stdout);
  return /S-1-16-(12288|16384)\b/.test(text);
}

/** The SDDL line of what `icacls PATH /save FILE` wrote (UTF-16: the path's name, then its descriptor). */
export function sddlFromIcaclsSave(bytes: Uint8Array): string | undefined {
  const text = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe ? new TextDecoder('utf-16le').decode(bytes.subarray(2)) : new TextDecoder('utf-16le').decode(bytes);
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => /^(O:|G:|D:)/.test(l));
}

/** The folders above a Windows path, up to its drive's root (C:\a\b.yaml → C:\a, C:\). */
export function windowsAncestors(file: string): string[] {
  return foldersAbove(path.win32.resolve(file), path.win32);
}

/**
 * Why, on Windows, this file is not to be trusted, or undefined: the file and every folder above
 * it are judged from their ACLs (icacls /save), by SID.
 */
export async function untrustedOnWindows(
  file: string,
  run: (argv: string[]) => Promise<{ exitCode: number | null; stdout: Uint8Array }>,
  saveTo: () => Promise<{ file: string; read(): Promise<Uint8Array>; dispose(): Promise<void> }>,
): Promise<string | undefined> {
  const chain = [path.win32.resolve(file), ...windowsAncestors(file)];
  for (const [i, p] of chain.entries()) {
    const out = await saveTo();
    try {
      const r = await run(['icacls', p, '/save', out.file, '/c']);
      const sddl = r.exitCode === 0 ? sddlFromIcaclsSave(await out.read()) : undefined;
      if (!sddl) return `the permissions of ${p} could not be read (icacls exit ${r.exitCode})`;
      const problem = sddlTrustProblem(sddl, i === 0 ? 'target' : i === chain.length - 1 ? 'root' : 'parent');
      if (problem) return `${p}: ${problem}`;
    } finally {
      await out.dispose();
    }
  }
  return undefined;
}

/** A Windows system program, by its absolute path. */
const runSystem = (argv: string[]) => runCommand(argv, { executable: systemProgramPath(argv[0]!, 'win32', process.env), timeoutMs: 15_000 });

let elevated: Promise<boolean> | undefined;
/** Asked once per run: a config, each playbook and the audit folder all need the answer, and whoami costs a process start. */
const elevatedOnce = (): Promise<boolean> => (elevated ??= windowsElevated(runSystem));

/** Why, run elevated (root, or an elevated Windows), this input must not be used; undefined when it may. */
export async function untrustedWhenElevated(file: string): Promise<string | undefined> {
  if (process.platform !== 'win32') return untrustedWhenRootSync(file);
  if (!(await elevatedOnce())) return undefined;
  const saveTo = async () => {
    // A fresh unpredictable name in this process's temp folder, removed after reading.
    const f = path.win32.join(os.tmpdir(), `syncdoctor-acl-${randomBytes(8).toString('hex')}.txt`);
    return { file: f, read: () => readFile(f), dispose: () => rm(f, { force: true }) };
  };
  return untrustedOnWindows(file, runSystem, saveTo);
}

/** `icacls DIR /inheritance:r /grant:r` SYSTEM and Administrators only (by SID), when elevated; a failure leaves it to the trust check. */
export async function restrictToAdministrators(dir: string): Promise<void> {
  if (!(await elevatedOnce())) return;
  await runSystem(['icacls', dir, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F']);
}
