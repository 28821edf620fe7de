// End-to-end tests run the real binary, which runs the single-file bundle: build it when it is
// missing or older than what goes into it (npm test builds first, so this only matters for
// `npx vitest`). Type checking stays with tsc in `npm test`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { untrustedWhenRootSync } from '../../src/host/posix-trust.js';

function newest(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(p)) t = Math.max(t, newest(path.join(p, e)));
  return t;
}

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  let built = 0;
  try {
    built = statSync(path.join(root, 'dist', 'syncdoctor.mjs')).mtimeMs;
  } catch {
    built = 0;
  }
  const inputs = ['src', 'playbooks', path.join('scripts', 'build.mjs'), 'package-lock.json'].map((p) => newest(path.join(root, p)));
  if (built < Math.max(...inputs)) {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  }
  // Run as root, syncdoctor trusts a --playbooks folder or config only if no other user can change
  // it: from a checkout another user owns, the tests that pass the fixtures would all see exit 3.
  const distrust = untrustedWhenRootSync(path.join(root, 'test', 'fixtures', 'playbooks'));
  if (distrust) {
    throw new Error(`the tests run as root, but syncdoctor would not trust this checkout as root (${distrust}): run them as the checkout's owner, or from a root-owned clone (CI's)`);
  }
  // Say it plainly when the Windows lab's tests will not run (test/lab/windows.test.ts skips them).
  if (!existsSync(path.join(root, '.lab', 'ready.json'))) {
    process.stdout.write('\nWindows lab: NOT RUN here (set it up with `node scripts/lab.mjs setup`; see docs/windows-lab.md)\n\n');
  }
}
