// Shared by commands: the shipped playbooks plus --playbooks. A folder's playbook with the id of a
// shipped one would silently change what a vendor's checks and repairs do: refused unless
// --allow-override says that is meant.
import { UsageError } from '../core/errors.js';
import { loadBuiltinPlaybooks, loadPlaybookDirs, type LoadedPlaybook } from '../playbook/load.js';

export async function loadAllPlaybooks(extraDir: unknown, allowOverride: unknown = false, untrusted: string[] = []): Promise<LoadedPlaybook[]> {
  const byId = new Map((await loadBuiltinPlaybooks()).map((pb) => [pb.spec.id, pb]));
  if (typeof extraDir === 'string' && extraDir) {
    // Run as root, a folder (or playbook) another user can change is not taken: its repairs would run as root.
    const { untrustedWhenElevated } = await import('../host/trust.js');
    const folder = await untrustedWhenElevated(extraDir);
    if (folder) {
      untrusted.push(`--playbooks ${extraDir} was skipped: ${folder}`);
      return [...byId.values()];
    }
    for (const pb of await loadPlaybookDirs([extraDir])) {
      const file = await untrustedWhenElevated(pb.file);
      if (file) {
        untrusted.push(`playbook ${pb.file} was skipped: ${file}`);
        continue;
      }
      if (byId.has(pb.spec.id) && allowOverride !== true) {
        throw new UsageError(`--playbooks ${extraDir}: ${pb.file} has the id "${pb.spec.id}" of a shipped playbook; add --allow-override to replace the shipped one`);
      }
      byId.set(pb.spec.id, pb);
    }
  }
  return [...byId.values()];
}
