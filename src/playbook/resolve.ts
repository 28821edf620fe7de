// Site settings → a playbook ready to run: variables from defaults ← settings (config file or a
// snapshot's recorded settings) ← --set, interpolated into every probe and action call and
// checked against their parameter schemas.
import type { TSchema } from '@sinclair/typebox';
import { InputError, UsageError, type InputProblem } from '../core/errors.js';
import { schemaProblems } from '../core/yaml-source.js';
import { getAction } from '../actions/index.js';
import { getProbe } from '../probes/index.js';
import type { ProbeDef } from '../probes/probe.js';
import type { ActionDef } from '../actions/action.js';
import { paramCheck, type LoadedPlaybook } from './load.js';
import type { CheckSpec, PlaybookSpec, RemediationSpec, VarValueT } from './schema.js';
import { interpolate, isUnset, referencedVars, unsetVarsIn, valueAt } from './vars.js';
import { DURATION_HINT, parseDuration } from '../core/duration.js';

/** Per-agent variable values, e.g. { cism: { windowsUser: "frontdesk" } }. */
export type Settings = Record<string, Record<string, VarValueT>>;

export interface SettingsLayer {
  settings: Settings;
  /** Where they came from, for messages: "--set", "site.yaml", "snapshot pc.yaml". */
  origin: string;
  /** Unknown agents or variables: usage errors for --set, input errors for files. */
  kind: 'usage' | 'input';
}

export interface ResolvedCall {
  probe: ProbeDef;
  params: unknown;
  /** Site variables this call needs that are not set: it cannot run until they are. */
  unconfigured?: string[];
}

export interface ResolvedCheck {
  spec: CheckSpec;
  call: ResolvedCall;
  /** Set when `otherwise` replaced the probe because these variables are not set. */
  unsetVars: string[];
  /** Variables the call that runs refers to and that are not set (the probe sees them empty). */
  unsetReferenced: string[];
}

export interface ResolvedRemediation {
  id: string;
  spec: RemediationSpec;
  action?: ActionDef;
  params: unknown;
  /** Site variables the action needs that are not set: only its manual steps apply. */
  unconfigured?: string[];
  /** The playbook's evidence window (`evidence.within`), when set and its variable has a value. */
  evidenceMs?: number;
}

export interface ResolvedPlaybook {
  spec: PlaybookSpec;
  file: string;
  vars: Record<string, VarValueT>;
  detect: ResolvedCall[];
  checks: ResolvedCheck[];
  remediations: Map<string, ResolvedRemediation>;
}

/** Parses `agent.var=value` (a comma-separated value fills a list variable). */
export function parseSetOption(text: string): { agent: string; name: string; value: string } {
  const m = /^([a-z][a-z0-9-]*)\.([A-Za-z][A-Za-z0-9_]*)=(.*)$/s.exec(text);
  if (!m) throw new UsageError(`--set ${text}: expected agent.variable=value, e.g. --set cism.windowsUser=frontdesk`);
  return { agent: m[1]!, name: m[2]!, value: m[3]! };
}

export function resolvePlaybook(pb: LoadedPlaybook, layers: SettingsLayer[]): ResolvedPlaybook {
  const { spec, src } = pb;
  const declared = spec.vars ?? {};
  const vars: Record<string, VarValueT> = Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, v.default]));
  const overridden = new Map<string, string>();
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer.settings[spec.id] ?? {})) {
      // Own keys only: "toString" or "constructor" are not variables of any playbook.
      const decl = Object.hasOwn(declared, name) ? declared[name] : undefined;
      if (!decl) {
        const msg = `${layer.origin}: ${spec.id} has no variable "${name}"; expected one of: ${Object.keys(declared).join(', ') || 'none'}`;
        throw layer.kind === 'usage' ? new UsageError(msg) : new InputError([{ file: layer.origin, message: msg }]);
      }
      vars[name] = Array.isArray(decl.default) && typeof value === 'string' ? splitList(value) : value;
      overridden.set(name, layer.origin);
    }
  }

  const problems: InputProblem[] = [];
  const unset = new Set(Object.keys(vars).filter((v) => isUnset(vars[v])));
  // A value built from a site variable that is not set yet is not a playbook mistake: the call is
  // "not configured" (the check reports it), unless the value came out wrong for another reason.
  const validate = (schema: TSchema, raw: unknown, params: unknown, path: (string | number)[]): string[] | undefined => {
    const found = schemaProblems(paramCheck(schema), params, src, path, 'with');
    const needsVars = new Set<string>();
    const real = found.filter((f) => {
      const missing = unsetVarsIn(valueAt(raw, f.path ?? []), unset);
      missing.forEach((m) => needsVars.add(m));
      return missing.length === 0;
    });
    problems.push(...withOrigin(real, raw, overridden));
    return needsVars.size ? [...needsVars].map((v) => `${spec.id}.${v}`) : undefined;
  };
  const call = (probeId: string, raw: unknown, path: (string | number)[]): ResolvedCall => {
    const probe = getProbe(probeId)!;
    const params = interpolate(raw ?? {}, vars);
    const unconfigured = validate(probe.params as TSchema, raw, params, path);
    return { probe, params, ...(unconfigured ? { unconfigured } : {}) };
  };

  // An evidence window from a variable that is not set is no window (the step is verified at once).
  const evidenceWindow = (raw: string, path: (string | number)[]): number | undefined => {
    const value = interpolate(raw, vars);
    if (typeof value !== 'string' || value === '' || unsetVarsIn(raw, unset).length) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined) problems.push(...withOrigin([{ file: src.file, pos: src.pos(path), message: `evidence.within "${value}": expected ${DURATION_HINT}` }], raw, overridden));
    return ms;
  };

  const detect = spec.detect.flatMap((d, i) =>
    (d.requiresVars ?? []).some((v) => isUnset(vars[v])) ? [] : [call(d.probe, d.with, ['detect', i, 'with'])],
  );
  const checks = spec.checks.map((c, i): ResolvedCheck => {
    const unsetVars = (c.requiresVars ?? []).filter((v) => isUnset(vars[v]));
    const unsetIn = (raw: unknown) => [...referencedVars(raw)].filter((v) => unset.has(v));
    if (unsetVars.length && c.otherwise) {
      return { spec: c, unsetVars, unsetReferenced: unsetIn(c.otherwise.with), call: call(c.otherwise.probe, c.otherwise.with, ['checks', i, 'otherwise', 'with']) };
    }
    return { spec: c, unsetVars: [], unsetReferenced: unsetIn(c.with), call: call(c.probe, c.with, ['checks', i, 'with']) };
  });
  const remediations = new Map<string, ResolvedRemediation>();
  for (const [id, r] of Object.entries(spec.remediations ?? {})) {
    const action = r.action ? getAction(r.action) : undefined;
    const params = interpolate(r.with ?? {}, vars);
    const unconfigured = action ? validate(action.params as TSchema, r.with, params, ['remediations', id, 'with']) : undefined;
    const evidenceMs = r.evidence ? evidenceWindow(r.evidence.within, ['remediations', id, 'evidence', 'within']) : undefined;
    remediations.set(id, { id, spec: r, ...(action ? { action } : {}), params, ...(unconfigured ? { unconfigured } : {}), ...(evidenceMs !== undefined ? { evidenceMs } : {}) });
  }
  if (problems.length) throw new InputError(problems);
  return { spec, file: pb.file, vars, detect, checks, remediations };
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Says which setting a bad value came from, when it came from one. */
function withOrigin(problems: InputProblem[], raw: unknown, overridden: Map<string, string>): InputProblem[] {
  if (!problems.length || !overridden.size) return problems;
  const text = JSON.stringify(raw ?? {});
  const from = [...overridden].filter(([name]) => text.includes(`\${${name}}`)).map(([name, origin]) => `${name} from ${origin}`);
  if (!from.length) return problems;
  return problems.map((p) => ({ ...p, message: `${p.message} (variables set: ${from.join(', ')})` }));
}
