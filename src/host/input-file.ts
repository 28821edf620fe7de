// Reading an input file (playbook, config, snapshot): a file that cannot be read is invalid input
// (exit 65) with the file named and why, never a stack trace.
import { readFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';

export async function readInputFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError([{ file, message: `cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
}
