// Reading an input file (playbook, config, snapshot): a file that cannot be read is invalid input
// (exit 65) with the file named and why, never a stack trace. Inputs are read whole, so they are
// bounded: regular files only (a FIFO would hang the run, a device never end) and at most a size
// named in the error. Logs are not read through here: they are read as tails (qwclog.ts).
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { InputError } from '../core/errors.js';

const MiB = 1024 * 1024;
/** Generous limits: the largest real snapshot seen is a few MB (log tails are capped at 4 MB each). */
export const MAX_INPUT_BYTES: Readonly<Record<'playbook' | 'config' | 'snapshot', number>> = { playbook: 16 * MiB, config: 16 * MiB, snapshot: 64 * MiB };

export async function readInputFile(file: string, what: 'playbook' | 'config' | 'snapshot'): Promise<string> {
  const max = MAX_INPUT_BYTES[what];
  const fail = (message: string) => new InputError([{ file, message: `cannot read ${what}: ${message}` }]);
  let fh;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw fail((err as NodeJS.ErrnoException).code ?? String(err));
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw fail(`not a regular file (${st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe' : 'a device or socket'})`);
    if (st.size > max) throw fail(`${st.size} bytes is more than a ${what} may be (${max / MiB} MiB)`);
    // Read at most one byte past the limit: a file that grows while it is read is still bounded.
    const buf = Buffer.alloc(Math.min(st.size, max) + 1);
    let got = 0;
    for (let n = -1; n !== 0 && got < buf.length; got += n) n = (await fh.read(buf, got, buf.length - got, got)).bytesRead;
    if (got > max) throw fail(`more than a ${what} may be (${max / MiB} MiB)`);
    return buf.subarray(0, got).toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fail((err as NodeJS.ErrnoException).code ?? String(err));
  } finally {
    await fh.close();
  }
}

/** The YAML files of an input folder (e.g. --playbooks DIR), sorted by name; unreadable is exit 65. */
export async function listYamlFiles(dir: string, what: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    throw new InputError([{ file: dir, message: `cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
}
