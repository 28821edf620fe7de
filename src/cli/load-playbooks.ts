// Shared by commands: the shipped playbooks plus --playbooks (which override them by id).
import { loadBuiltinPlaybooks, loadPlaybookDirs, type LoadedPlaybook } from '../playbook/load.js';

export async function loadAllPlaybooks(extraDir: unknown): Promise<LoadedPlaybook[]> {
  const byId = new Map((await loadBuiltinPlaybooks()).map((pb) => [pb.spec.id, pb]));
  if (typeof extraDir === 'string' && extraDir) for (const pb of await loadPlaybookDirs([extraDir])) byId.set(pb.spec.id, pb);
  return [...byId.values()];
}
