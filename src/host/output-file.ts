// Files the user asked for (--output): checked before anything runs, so that a report that cannot
// be written is known before repairs change the PC; then written whole or not at all.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { OutputError } from '../core/errors.js';
import { UnsafeTargetError, unsafeTarget, writeFileSafely } from './safe-write.js';

/**
 * Why `file` cannot be written (no name; its folder is missing, not a folder, or not writable; it
 * is a folder, a link, or one of the run's input files), or undefined.
 */
export async function outputProblem(file: string, inputs: readonly { file: string; what: string }[] = []): Promise<string | undefined> {
  if (file.trim() === '') return 'no file name given';
  for (const input of inputs) if (await sameFile(file, input.file)) return `it is the ${input.what} this run reads (${input.file}): the report would overwrite it`;
  const dir = path.dirname(path.resolve(file));
  const folder = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  if (folder instanceof Error) return folder.code === 'ENOENT' ? `the folder ${dir} does not exist` : `the folder ${dir} cannot be read (${folder.code ?? folder.message})`;
  if (!folder.isDirectory()) return `${dir} is not a folder`;
  // access(W_OK) answers for this user and also for a read-only file system (EROFS), as root too.
  const writable = await access(dir, constants.W_OK).then(
    () => undefined,
    (err: NodeJS.ErrnoException) => err.code ?? err.message,
  );
  if (writable) return `the folder ${dir} is not writable (${writable})`;
  const target = await stat(file).catch(() => undefined);
  if (target?.isDirectory()) return `${file} is a folder`;
  const unsafe = await unsafeTarget(file);
  if (unsafe) return unsafe;
  return undefined;
}

/** The same path, or the same file under another name (a link, a hard link). */
async function sameFile(a: string, b: string): Promise<boolean> {
  if (path.resolve(a) === path.resolve(b)) return true;
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino && x.ino !== 0;
}

/** Throws OutputError for the first file that cannot be written. */
export async function checkOutputs(files: readonly string[], what: string, inputs: readonly { file: string; what: string }[] = []): Promise<void> {
  for (const file of files) {
    const problem = await outputProblem(file, inputs);
    if (problem) throw new OutputError(`${what} ${file || '""'}: cannot write: ${problem}`);
  }
}

/** Written whole or not at all, never through a link (safe-write.ts). Throws OutputError. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, what: string, mode?: number): Promise<void> {
  try {
    await writeFileSafely(file, data, mode);
  } catch (err) {
    if (err instanceof UnsafeTargetError) throw new OutputError(`${what} ${err.message}`);
    throw new OutputError(`${what} ${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
