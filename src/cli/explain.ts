// `syncdoctor explain <id>`: a playbook, a check (agent.check or a unique check id), a probe or an
// action, rendered from the same metadata the engine uses.
import { UsageError } from '../core/errors.js';
import { getAction } from '../actions/index.js';
import { getProbe } from '../probes/index.js';
import type { LoadedPlaybook } from '../playbook/load.js';
import { loadAllPlaybooks } from './load-playbooks.js';

export async function explainCommand(id: string, opts: Record<string, unknown>): Promise<number> {
  const code = await explainErrorCode(id);
  if (code) {
    process.stdout.write(`${code.trimEnd()}\n`);
    return 0;
  }
  const playbooks = await loadAllPlaybooks(opts.playbooks, opts.allowOverride);
  const text = explainPlaybookThing(id, playbooks) ?? explainProbeOrAction(id);
  if (!text) {
    throw new UsageError(
      `nothing is called "${id}"; try an error code (0x80040408, QBWC1013), a playbook id, agent.check id, probe or action from \`syncdoctor list\``,
    );
  }
  process.stdout.write(`${text.trimEnd()}\n`);
  return 0;
}

/** A QuickBooks SDK HRESULT or Web Connector code, from the knowledge base. */
export async function explainErrorCode(id: string): Promise<string | undefined> {
  const { lookupCode, normaliseCode, QBXMLRP2_PSEUDO_CODE } = await import('../knowledge/quickbooks-errors.js');
  const code = id.trim().toUpperCase() === QBXMLRP2_PSEUDO_CODE ? QBXMLRP2_PSEUDO_CODE : normaliseCode(id);
  const info = code ? lookupCode(code) : undefined;
  if (!info) {
    if (code && /^(0x|QBWC)/i.test(code)) {
      return `${code}: not a code syncdoctor knows.\n\nA 0x8004xxxx number is shared by every COM library: trust it as a QuickBooks error only in a QuickBooks context (QWCLog.txt, qbsdklog.txt, an agent log naming QuickBooks).`;
    }
    return undefined;
  }
  const source = { intuit: 'Intuit documentation', 'third-party': "QuickBooks' own wording, relayed by several integrations", comment: 'third-party comment (wording not QuickBooks\')', unverified: 'unverified' }[info.confidence];
  const lines = [`${info.code}${info.kind === 'qbwc' ? ' (QuickBooks Web Connector)' : ' (QuickBooks SDK)'}`];
  if (info.message) lines.push(`Message: "${info.message}"`);
  lines.push('', `What it means: ${info.meaning}`);
  if (info.causes.length) lines.push('', 'Likely causes:', ...info.causes.map((c) => `  - ${c}`));
  if (info.fix.length) lines.push('', 'Fix:', ...info.fix.map((f, i) => `  ${i + 1}. ${f}`));
  if (info.escalateTo) lines.push('', `Escalate to: ${info.escalateTo === 'vendor' ? 'the integrator / sync vendor' : 'Intuit'}`);
  if (info.related?.length) lines.push('', `Related: ${info.related.join(', ')}`);
  lines.push('', `Source: ${source}.`);
  if (info.kind === 'hresult') lines.push('Trust this meaning only when the code comes from a QuickBooks context (QWCLog.txt, qbsdklog.txt, an agent log naming QuickBooks).');
  return lines.join('\n');
}

function explainPlaybookThing(id: string, playbooks: LoadedPlaybook[]): string | undefined {
  const pb = playbooks.find((p) => p.spec.id === id);
  if (pb) {
    const s = pb.spec;
    const lines = [`${s.name} (${s.id}) — ${s.vendor}`, ''];
    if (s.description) lines.push(s.description, '');
    lines.push('Checks, in order:');
    s.checks.forEach((c, i) => lines.push(`  ${i + 1}. ${c.title} [${c.id}]`));
    const vars = Object.entries(s.vars ?? {});
    if (vars.length) {
      lines.push('', 'Variables (--config or --set ' + s.id + '.NAME=VALUE):');
      for (const [name, v] of vars) lines.push(`  ${name} = ${JSON.stringify(v.default)}${v.source ? ` [${v.source}]` : ''}: ${v.description}`);
    }
    for (const d of s.docs ?? []) lines.push('', `Vendor guidance: ${d.title} <${d.url}>`);
    return lines.join('\n');
  }
  const [agentId, checkId] = id.includes('.') ? id.split('.', 2) : [undefined, id];
  const hits = playbooks.flatMap((p) => (agentId && p.spec.id !== agentId ? [] : p.spec.checks.filter((c) => c.id === checkId).map((c) => ({ p, c }))));
  if (hits.length !== 1) return undefined;
  const { p, c } = hits[0]!;
  const lines = [`${c.title} [${p.spec.id}.${c.id}] — ${c.severity ?? 'critical'}`, ''];
  if (c.why) lines.push(c.why, '');
  lines.push(`Probe: ${c.probe} — ${getProbe(c.probe)?.description ?? ''}`);
  if (c.needs?.length) lines.push(`Needs: ${c.needs.join(', ')}`);
  if (c.otherwise) lines.push(`When ${c.requiresVars?.join(', ')} are not set: ${c.otherwise.probe}`);
  if (c.remediate?.length) {
    lines.push('', 'Remediation ladder:');
    c.remediate.forEach((r, i) => {
      const rem = p.spec.remediations?.[r];
      if (!rem) return;
      lines.push(`  ${i + 1}. ${rem.title} [${rem.risk}]`);
      for (const m of rem.manual ?? []) lines.push(`     - ${m}`);
    });
  }
  return lines.join('\n');
}

function explainProbeOrAction(id: string): string | undefined {
  const probe = getProbe(id);
  if (probe) {
    const example = Object.keys(probe.example as object).length ? `\n    with: ${JSON.stringify(probe.example)}` : '';
    return `probe ${probe.id}: ${probe.description}\n\n${probe.explain}\n\nParameters: ${paramList(probe.params)}\n\nExample (a check in a playbook):\n  - id: my-check\n    title: ...\n    probe: ${probe.id}${example}`;
  }
  const action = getAction(id);
  if (action) return `action ${action.id} [${action.risk}]: ${action.description}\n\n${action.explain}\n\nParameters: ${paramList(action.params)}`;
  return undefined;
}

function paramList(params: unknown): string {
  const schema = params as { properties?: Record<string, { description?: string }>; required?: string[] };
  const props = Object.entries(schema.properties ?? {});
  if (!props.length) return 'none';
  return '\n' + props.map(([k, v]) => `  ${k}${schema.required?.includes(k) ? '' : ' (optional)'}: ${v.description ?? ''}`).join('\n');
}
