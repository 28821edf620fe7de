// Reading an input file (playbook, config, snapshot): a file that cannot be read is invalid input
// (exit 65) with the file named and why, never a stack trace. Inputs are read whole, so they are
// bounded: regular files only (a FIFO would hang the run, a device never end) and at most a size
// named in the error. Logs are not read through here: they are read as tails (qwclog.ts).
import { isUtf8 } from 'node:buffer';
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
    const bytes = buf.subarray(0, got);
    // Replacing bytes that are not UTF-8 would change a name silently (a user "Jos\uFFFD" matches nobody).
    const bad = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes); // native check first: the scan only says where
    if (bad !== -1) throw new InputError([{ pos: { file, ...lineAndColumn(bytes, bad) }, message: notUtf8(bytes) }]);
    return bytes.toString('utf8');
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

function notUtf8(bytes: Uint8Array): string {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return utf16 ? 'the file is UTF-16 (Notepad\'s "Unicode"): save it as UTF-8' : 'this byte is not UTF-8 (a legacy code page such as Windows-1252?): save the file as UTF-8';
}

/** Where a byte offset is, as the 1-based line and column (in characters) an editor shows. */
function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) (line++, (start = i + 1));
  return { line, col: Buffer.from(bytes.subarray(start, offset)).toString('utf8').length + 1 };
}

/** The offset of the first byte that is not part of well-formed UTF-8, or -1. One pass. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // [length, lowest and highest allowed second byte] per lead byte (RFC 3629: no overlongs, surrogates or beyond U+10FFFF).
    const [n, lo, hi] = c >= 0xc2 && c <= 0xdf ? [2, 0x80, 0xbf] : c === 0xe0 ? [3, 0xa0, 0xbf] : c === 0xed ? [3, 0x80, 0x9f] : c >= 0xe1 && c <= 0xef ? [3, 0x80, 0xbf] : c === 0xf0 ? [4, 0x90, 0xbf] : c === 0xf4 ? [4, 0x80, 0x8f] : c >= 0xf1 && c <= 0xf3 ? [4, 0x80, 0xbf] : [0, 0, 0];
    if (n === 0 || i + n > b.length || b[i + 1]! < lo || b[i + 1]! > hi) return i;
    for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return -1;
}
