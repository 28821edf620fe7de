// `syncdoctor validate`: lints playbooks (schema, references, cycles, regexes, durations, probe and
// action parameters with the variables' defaults). Problems as file:line:col; exit 65 if any.
import { InputError, formatProblem, type InputProblem } from '../core/errors.js';
import { loadBuiltinPlaybooks, loadPlaybookFile, type LoadedPlaybook } from '../playbook/load.js';
import { EXIT_INPUT } from './exit-codes.js';

export async function validateCommand(files: string[]): Promise<number> {
  const problems: InputProblem[] = [];
  const ok: LoadedPlaybook[] = [];
  if (files.length === 0) {
    try {
      ok.push(...(await loadBuiltinPlaybooks()));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
    }
  }
  for (const file of files) {
    try {
      ok.push(await loadPlaybookFile(file));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
    }
  }
  const seen = new Map<string, string>();
  for (const pb of ok) {
    const other = seen.get(pb.spec.id);
    if (other) problems.push({ pos: pb.src.pos(['id']), message: `playbook id "${pb.spec.id}" is also used by ${other}` });
    else seen.set(pb.spec.id, pb.file);
    process.stdout.write(`ok  ${pb.file} (${pb.spec.id}: ${pb.spec.checks.length} checks)\n`);
  }
  for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
  if (problems.length) {
    process.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} found\n`);
    return EXIT_INPUT;
  }
  return 0;
}
