// Shared by commands: the shipped playbooks plus --playbooks.
import { builtinPlaybookDir, loadPlaybookDirs, type LoadedPlaybook } from '../playbook/load.js';

export function loadAllPlaybooks(extraDir: unknown): Promise<LoadedPlaybook[]> {
  const dirs = [builtinPlaybookDir()];
  if (typeof extraDir === 'string' && extraDir) dirs.push(extraDir);
  return loadPlaybookDirs(dirs);
}
