// `syncdoctor list`: playbooks, probes and actions, rendered from their metadata.
import { ACTIONS } from '../actions/index.js';
import { PARSERS } from '../host/parsers/index.js';
import { PROBES } from '../probes/index.js';
import { loadAllPlaybooks } from './load-playbooks.js';

export async function listCommand(opts: Record<string, unknown>): Promise<number> {
  const playbooks = await loadAllPlaybooks(opts.playbooks, opts.allowOverride);
  const agents = playbooks
    .map((p) => ({ id: p.spec.id, name: p.spec.name, vendor: p.spec.vendor, checks: p.spec.checks.length, file: p.file }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const probes = PROBES.map((p) => ({ id: p.id, description: p.description }));
  const actions = ACTIONS.map((a) => ({ id: a.id, risk: a.risk, description: a.description }));
  const parsers = PARSERS.map((p) => ({ id: p.id, reads: p.reads }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ playbooks: agents, probes, actions, parsers }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...[...agents, ...probes, ...actions].map((x) => x.id.length)) + 2;
  const out: string[] = ['Playbooks (agents):'];
  for (const a of agents) out.push(`  ${a.id.padEnd(width)}${a.name} — ${a.vendor} (${a.checks} checks)`);
  out.push('', 'Probes:');
  for (const p of probes) out.push(`  ${p.id.padEnd(width)}${p.description}`);
  out.push('', 'Actions:');
  for (const a of actions) out.push(`  ${a.id.padEnd(width)}[${a.risk}] ${a.description}`);
  out.push('', 'Native output it reads (parsers):');
  for (const p of parsers) out.push(`  ${p.id.padEnd(width)}${p.reads}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
