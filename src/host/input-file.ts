// Reading an input file (playbook, config, snapshot): a file that cannot be read is invalid input
// (exit 65) with the file named and why, never a stack trace.
import { readdir, readFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';

export async function readInputFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError([{ file, message: `cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
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
