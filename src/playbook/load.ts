// Loads playbooks: YAML with positions → schema → references (probes, actions, needs, guards,
// remediations, variables), cycles, and each probe's and action's parameters. Every mistake is an
// InputProblem with file:line:col and what was expected.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { InputError, type InputProblem } from '../core/errors.js';
import { parseYamlSource, schemaCheck, schemaProblems, YamlSource, type PathSeg, type SchemaCheck } from '../core/yaml-source.js';
import { ACTIONS, getAction } from '../actions/index.js';
import { getProbe, PROBES } from '../probes/index.js';
import { EMBEDDED_PLAYBOOKS } from './builtin.js';
import { PlaybookSchema, type PlaybookSpec, type VarValueT } from './schema.js';
import { interpolate, isUnset, madeOfUnsetVars, referencedVars, valueAt } from './vars.js';
import { RISK_ORDER } from '../core/report.js';
import { DURATION_HINT, parseDuration } from '../core/duration.js';
import { listYamlFiles, readInputFile } from '../host/input-file.js';

export interface LoadedPlaybook {
  spec: PlaybookSpec;
  src: YamlSource;
  file: string;
}

let playbookCheck: SchemaCheck | undefined;
const paramChecks = new Map<TSchema, SchemaCheck>();

export function paramCheck(schema: TSchema): SchemaCheck {
  let c = paramChecks.get(schema);
  if (!c) {
    c = schemaCheck(schema);
    paramChecks.set(schema, c);
  }
  return c;
}

/** The playbooks shipped with syncdoctor (playbooks/ at the package root). */
export function builtinPlaybookDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'playbooks');
}

export async function loadPlaybookFile(file: string): Promise<LoadedPlaybook> {
  return parsePlaybook(file, await readInputFile(file, 'playbook'));
}

/** `parsed`, when given, is the text already parsed (the bundle's embedded playbooks): no YAML parse. */
export function parsePlaybook(file: string, text: string, parsed?: unknown): LoadedPlaybook {
  const src = parsed === undefined ? parseYamlSource(file, text) : new YamlSource(file, text, undefined, parsed);
  const value = src.toJS();
  playbookCheck ??= schemaCheck(PlaybookSchema);
  const problems = schemaProblems(playbookCheck, value, src, [], 'playbook');
  if (problems.length) throw new InputError(problems);
  const spec = value as PlaybookSpec;
  const semantic = semanticProblems(spec, src);
  if (semantic.length) throw new InputError(semantic);
  return { spec, src, file };
}

/**
 * The shipped playbooks: embedded in the single-file bundle (named "builtin:playbooks/<file>"),
 * read from playbooks/ when running from the source tree.
 */
export async function loadBuiltinPlaybooks(): Promise<LoadedPlaybook[]> {
  if (!EMBEDDED_PLAYBOOKS) return loadPlaybookDirs([builtinPlaybookDir()]);
  const byId = new Map<string, LoadedPlaybook>();
  const problems: InputProblem[] = [];
  for (const { name, text, value } of EMBEDDED_PLAYBOOKS) {
    try {
      const pb = parsePlaybook(`builtin:playbooks/${name}`, text, value);
      byId.set(pb.spec.id, pb);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length) throw new InputError(problems);
  return [...byId.values()];
}

/** All playbooks in the given directories; a later directory overrides an earlier one by id. */
export async function loadPlaybookDirs(dirs: string[]): Promise<LoadedPlaybook[]> {
  const byId = new Map<string, LoadedPlaybook>();
  const problems: InputProblem[] = [];
  for (const dir of dirs) {
    const names = await listYamlFiles(dir, 'playbook folder');
    const loaded = await Promise.all(
      names.map((n) =>
        loadPlaybookFile(path.join(dir, n)).catch((err: unknown) => {
          if (err instanceof InputError) problems.push(...err.problems);
          else throw err;
          return undefined;
        }),
      ),
    );
    for (const pb of loaded) if (pb) byId.set(pb.spec.id, pb);
  }
  if (problems.length) throw new InputError(problems);
  return [...byId.values()];
}

function semanticProblems(pb: PlaybookSpec, src: YamlSource): InputProblem[] {
  const problems: InputProblem[] = [];
  const add = (p: PathSeg[], message: string, key = false) => problems.push({ pos: src.pos(p, key), message });
  const vars = pb.vars ?? {};
  const remediations = pb.remediations ?? {};
  const checkIds = new Map<string, number>();

  pb.checks.forEach((c, i) => {
    if (checkIds.has(c.id)) add(['checks', i, 'id'], `duplicate check id "${c.id}" (also checks[${checkIds.get(c.id)}])`);
    else checkIds.set(c.id, i);
  });

  const knownProbe = (id: string, p: PathSeg[]) => {
    if (!getProbe(id)) add(p, `unknown probe "${id}"; expected one of: ${PROBES.map((x) => x.id).join(', ')}`);
  };
  const knownVars = (value: unknown, p: PathSeg[]) => {
    for (const name of referencedVars(value)) {
      if (!(name in vars)) add(p, `unknown variable "\${${name}}"; declared: ${Object.keys(vars).join(', ') || 'none'}`);
    }
  };

  pb.detect.forEach((d, i) => {
    knownProbe(d.probe, ['detect', i, 'probe']);
    knownVars(d.with, ['detect', i, 'with']);
    d.requiresVars?.forEach((v, j) => {
      if (!(v in vars)) add(['detect', i, 'requiresVars', j], `unknown variable "${v}"; declared: ${Object.keys(vars).join(', ') || 'none'}`);
    });
  });

  pb.checks.forEach((c, i) => {
    knownProbe(c.probe, ['checks', i, 'probe']);
    knownVars(c.with, ['checks', i, 'with']);
    c.causedBy?.forEach((n, j) => {
      if (!checkIds.has(n)) add(['checks', i, 'causedBy', j], `causedBy names an unknown check "${n}"; expected one of: ${[...checkIds.keys()].join(', ')}`);
      else if (n === c.id) add(['checks', i, 'causedBy', j], 'a check cannot cause itself');
      else if (pb.checks[checkIds.get(n)!]?.guard) add(['checks', i, 'causedBy', j], `"${n}" is a guard (a safety condition), not a cause`);
    });
    c.needs?.forEach((n, j) => {
      if (!checkIds.has(n)) add(['checks', i, 'needs', j], `needs an unknown check "${n}"; expected one of: ${[...checkIds.keys()].join(', ')}`);
      else if (n === c.id) add(['checks', i, 'needs', j], `check "${c.id}" cannot need itself`);
      // A guard is not counted in the verdict: a check skipped because a guard failed would vanish from it.
      else if (pb.checks[checkIds.get(n)!]?.guard && !c.guard) add(['checks', i, 'needs', j], `"${n}" is a guard (a condition for repairs, not counted in the verdict): a check cannot need it, or its failure would hide this check; make "${n}" an ordinary check`);
    });
    c.remediate?.forEach((r, j) => {
      if (!(r in remediations)) add(['checks', i, 'remediate', j], `unknown remediation "${r}"; expected one of: ${Object.keys(remediations).join(', ') || 'none declared'}`);
    });
    c.requiresVars?.forEach((v, j) => {
      if (!(v in vars)) add(['checks', i, 'requiresVars', j], `unknown variable "${v}"; declared: ${Object.keys(vars).join(', ') || 'none'}`);
    });
    if (c.requiresVars?.length && !c.otherwise) add(['checks', i, 'requiresVars'], 'requiresVars needs an `otherwise` probe for when they are not set', true);
    if (c.otherwise) {
      knownProbe(c.otherwise.probe, ['checks', i, 'otherwise', 'probe']);
      knownVars(c.otherwise.with, ['checks', i, 'otherwise', 'with']);
    }
  });

  for (const [id, r] of Object.entries(remediations)) {
    if (r.action && !getAction(r.action)) {
      add(['remediations', id, 'action'], `unknown action "${r.action}"; expected one of: ${ACTIONS.map((a) => a.id).join(', ')}`);
    }
    // A step that closes programs or restarts the PC runs only under conditions a machine checks.
    if (r.action && r.action !== 'manual' && r.risk !== 'safe' && !r.guards?.length) {
      add(['remediations', id, 'risk'], `a ${r.risk} step with an action needs \`guards:\` (checks that must pass before it runs, e.g. nobody is working in QuickBooks)`);
    }
    // What cannot be undone is for a person who has read the warning, never for --fix.
    if (r.risk === 'irreversible' && r.action && r.action !== 'manual') {
      add(['remediations', id, 'action'], 'an irreversible step (deleting data, a full resync) is manual-only: remove `action` and describe it in `manual`');
    }
    // The risk a remediation declares is what --allow weighs: it may not be less than its action's.
    const floor = r.action ? getAction(r.action)?.risk : undefined;
    if (floor && RISK_ORDER[r.risk] < RISK_ORDER[floor]) {
      add(['remediations', id, 'risk'], `risk "${r.risk}" is below what the action ${r.action} is: declare at least "${floor}"`);
    }
    if (!r.action && !r.manual?.length) add(['remediations', id], 'a remediation needs an `action` or `manual` steps (or both)', true);
    if (r.action === 'manual' && !r.manual?.length) add(['remediations', id], 'a manual remediation needs `manual` steps', true);
    knownVars(r.with, ['remediations', id, 'with']);
    if (r.evidence) {
      knownVars(r.evidence.within, ['remediations', id, 'evidence', 'within']);
      const w = r.evidence.within;
      if (!/^\$\{[A-Za-z][A-Za-z0-9_]*\}$/.test(w) && parseDuration(w) === undefined) {
        add(['remediations', id, 'evidence', 'within'], `"${w}" is not ${DURATION_HINT}, nor a variable such as "\${syncInterval}"`);
      }
    }
    // Actions that re-run a check name it in `with.check` (wait-and-recheck).
    const checkRef = (r.with as Record<string, unknown> | undefined)?.check;
    if (r.action && getAction(r.action)?.refersToCheck && typeof checkRef === 'string' && !checkIds.has(checkRef)) {
      add(['remediations', id, 'with', 'check'], `names an unknown check "${checkRef}"; expected one of: ${[...checkIds.keys()].join(', ')}`);
    }
    r.guards?.forEach((g, j) => {
      if (!checkIds.has(g)) add(['remediations', id, 'guards', j], `guard names an unknown check "${g}"; expected one of: ${[...checkIds.keys()].join(', ')}`);
    });
  }

  const cycle = findCycle(pb, 'needs');
  if (cycle) add(['checks', checkIds.get(cycle[0]!)!, 'needs'], `"needs" forms a cycle: ${cycle.join(' → ')}`, true);
  const causeCycle = findCycle(pb, 'causedBy');
  if (causeCycle) add(['checks', checkIds.get(causeCycle[0]!)!, 'causedBy'], `"causedBy" forms a cycle: ${causeCycle.join(' → ')}`, true);

  if (problems.length === 0) problems.push(...shapeProblems(pb, src));
  return problems;
}

/** A `needs` (or `causedBy`) cycle as a list of ids (first = last), or undefined. */
function findCycle(pb: PlaybookSpec, edge: 'needs' | 'causedBy'): string[] | undefined {
  const needs = new Map(pb.checks.map((c) => [c.id, c[edge] ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const n of needs.get(id) ?? []) {
      if (!needs.has(n)) continue;
      const c = visit(n);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const c of pb.checks) {
    const found = visit(c.id);
    if (found) return found;
  }
  return undefined;
}

/**
 * Checks each probe's and action's parameters against its schema with the variables' defaults.
 * A value made only of variables a site must still set (empty defaults) is checked again when it
 * is set, so an empty default is not a playbook error here.
 */
function shapeProblems(pb: PlaybookSpec, src: YamlSource): InputProblem[] {
  const defaults: Record<string, VarValueT> = {};
  const unset = new Set<string>();
  for (const [name, v] of Object.entries(pb.vars ?? {})) {
    defaults[name] = v.default;
    if (isUnset(v.default)) unset.add(name);
  }
  const problems: InputProblem[] = [];
  const checkParams = (schema: TSchema, raw: unknown, p: PathSeg[]) => {
    const found = schemaProblems(paramCheck(schema), interpolate(raw ?? {}, defaults), src, p, 'with');
    problems.push(...found.filter((f) => !madeOfUnsetVars(valueAt(raw, f.path ?? []), unset)));
  };
  pb.detect.forEach((d, i) => {
    if (!d.requiresVars?.some((v) => unset.has(v))) checkParams(getProbe(d.probe)!.params, d.with, ['detect', i, 'with']);
  });
  pb.checks.forEach((c, i) => {
    checkParams(getProbe(c.probe)!.params, c.with, ['checks', i, 'with']);
    if (c.otherwise) checkParams(getProbe(c.otherwise.probe)!.params, c.otherwise.with, ['checks', i, 'otherwise', 'with']);
  });
  for (const [id, r] of Object.entries(pb.remediations ?? {})) {
    if (r.action) checkParams(getAction(r.action)!.params, r.with, ['remediations', id, 'with']);
  }
  return problems;
}

