// Every file syncdoctor writes (reports, snapshots, summaries, the audit log, the repair lock) goes
// through here. Run as root or SYSTEM, a write must never follow a link another user planted:
// temporary files get unpredictable names and are created exclusively, opens refuse links where the
// platform can (O_NOFOLLOW), a target that is a link or not a regular file is refused, and what
// holds names and commands (audit log, lock, snapshots) is readable by its owner only.
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Owner read/write only (ignored on Windows, where the folder's ACL decides). */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** O_NOFOLLOW where the platform has it (Linux, macOS); 0 on Windows. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export class UnsafeTargetError extends Error {
  override name = 'UnsafeTargetError';
}

/** Why this path may not be written to: it is a link, or exists and is not a regular file; else undefined. */
export async function unsafeTarget(file: string): Promise<string | undefined> {
  const st = await lstat(file).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : err));
  if (st === null) return undefined;
  if (st instanceof Error) return `it cannot be examined (${st.code ?? st.message})`;
  if (st.isSymbolicLink()) return 'it is a link (syncdoctor never writes through a link)';
  if (!st.isFile()) return 'it is not a regular file';
  return undefined;
}

/**
 * Writes a file whole or not at all: an exclusively created temporary file with an unpredictable
 * name in the same folder, renamed over the target (a rename replaces a link; it never writes
 * through one). Throws UnsafeTargetError when the target is a link or not a regular file.
 */
export async function writeFileSafely(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const unsafe = await unsafeTarget(file);
  if (unsafe) throw new UnsafeTargetError(`${file}: ${unsafe}`);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/** Appends one line (one write with O_APPEND: concurrent writers never interleave within a line). */
export async function appendLineSafely(file: string, line: string, mode = PRIVATE_FILE): Promise<void> {
  // Windows has no O_NOFOLLOW: look first (the folder's ACL is what keeps others out there).
  if (!NOFOLLOW) {
    const unsafe = await unsafeTarget(file);
    if (unsafe) throw new UnsafeTargetError(`${file}: ${unsafe}`);
  }
  const fh = await open(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, mode).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ELOOP' ? new UnsafeTargetError(`${file}: it is a link (syncdoctor never writes through a link)`) : err;
  });
  try {
    // A FIFO or a device planted under the name would hang or divert the log.
    const st = await fh.stat();
    if (!st.isFile()) throw new UnsafeTargetError(`${file}: it is not a regular file`);
    // A line cut by a crash must not swallow this one: start on a line of its own.
    const last = Buffer.alloc(1);
    const cut = st.size > 0 && (await fh.read(last, 0, 1, st.size - 1)).bytesRead === 1 && last[0] !== 0x0a;
    await fh.write(`${cut ? '\n' : ''}${line}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Creates a file that must not exist yet (a lock); false when it exists. Never follows a link. */
export async function createExclusive(file: string, data: string, mode = PRIVATE_FILE): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
  return true;
}

/**
 * Creates a file that must not exist yet, with its whole content at once: written to a private
 * temporary file and hard-linked into place (link fails if the name exists), so no other process
 * ever sees it empty or half written. Where hard links are not supported, an exclusive create.
 */
export async function createExclusiveWhole(file: string, data: string, mode = PRIVATE_FILE): Promise<boolean> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  if (!(await createExclusive(tmp, data, mode))) return createExclusive(file, data, mode);
  try {
    await link(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') return createExclusive(file, data, mode);
    throw err;
  } finally {
    await rm(tmp, { force: true }).catch(() => {});
  }
}

/**
 * Creates syncdoctor's own folder (and its parents) readable by its owner only; an existing one is
 * left as it is. On Windows, a folder it creates while elevated is restricted to SYSTEM and
 * Administrators (by SID), since under %ProgramData% it would otherwise let users add files.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  if (created && process.platform === 'win32') {
    const { restrictToAdministrators } = await import('./trust.js');
    await restrictToAdministrators(created);
  }
}
