#!/usr/bin/env node
// Writes schemas/*.schema.json from `syncdoctor schema <format>`: the files editors read through
// the `# yaml-language-server: $schema=` line of the playbooks. test/e2e/schemas.test.ts fails when
// they drift from the code.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
for (const format of ['playbook', 'report', 'snapshot', 'config']) {
  const text = execFileSync(process.execPath, [path.join(root, 'bin', 'syncdoctor.js'), 'schema', format], { encoding: 'utf8' });
  writeFileSync(path.join(root, 'schemas', `${format}.schema.json`), text);
}
