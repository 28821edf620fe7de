// The playbook format: one YAML file per agent. This TypeBox schema is the TypeScript type and
// the published JSON Schema (`syncdoctor schema playbook`, schemas/playbook.schema.json).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DURATION_PATTERN, TIMER_FORMAT, TIMER_HINT } from '../core/duration.js';

export const ID_PATTERN = '^[a-z][a-z0-9-]*$';
export const VAR_PATTERN = '^[A-Za-z][A-Za-z0-9_]*$';

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const Params = Type.Record(Type.String(), Type.Unknown(), {
  description: 'the parameters of the probe or action; ${var} takes a playbook variable',
});

export const ProbeCallSchema = Type.Object(
  {
    probe: Type.String({ description: 'a probe id (see `syncdoctor list`)' }),
    with: Type.Optional(Params),
    requiresVars: Type.Optional(Type.Array(Type.String(), { description: 'variables that must be set (non-empty), else this call is left out' })),
  },
  { additionalProperties: false },
);

export const CheckSchema = Type.Object(
  {
    id: Id('a check id: lower-case letters, digits and dashes, e.g. "agent-running"'),
    title: Type.String({ minLength: 1, description: 'what must be true, in words a technician reads' }),
    why: Type.Optional(Type.String({ description: 'why it matters, from the vendor article' })),
    probe: Type.String({ description: 'a probe id (see `syncdoctor list`)' }),
    with: Type.Optional(Params),
    severity: Type.Optional(Type.Union([Type.Literal('critical'), Type.Literal('warning')])),
    guard: Type.Optional(
      Type.Boolean({ description: 'true: a safety condition for remediations (e.g. nobody is working in QuickBooks); shown, but not counted in the verdict' }),
    ),
    needs: Type.Optional(Type.Array(Type.String(), { description: 'ids of checks that must pass first' })),
    causedBy: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'ids of checks whose failure can cause this one (a QuickBooks user conflict stalls the sync): repairs and next steps take the cause first, ' +
          "and while a cause is not fixed this check's disruptive and restart steps are held",
      }),
    ),
    timeout: Type.Optional(Type.String({ pattern: DURATION_PATTERN, format: TIMER_FORMAT, description: TIMER_HINT })),
    requiresVars: Type.Optional(
      Type.Array(Type.String(), { description: 'variables that must be set (non-empty) to use `probe`; else `otherwise` runs' }),
    ),
    otherwise: Type.Optional(ProbeCallSchema),
    remediate: Type.Optional(Type.Array(Type.String(), { description: 'remediation ids, in the order to try them' })),
  },
  { additionalProperties: false },
);

export const RemediationSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, description: 'what the step does, as an instruction' }),
    why: Type.Optional(Type.String()),
    risk: Type.Union([Type.Literal('safe'), Type.Literal('disruptive'), Type.Literal('reboot'), Type.Literal('irreversible')], {
      description: 'safe, disruptive, reboot, or irreversible (deletes data, a full resync: manual steps only, never an action)',
    }),
    action: Type.Optional(Type.String({ description: 'an action id (see `syncdoctor list`); absent for a manual step' })),
    with: Type.Optional(Params),
    guards: Type.Optional(Type.Array(Type.String(), { description: 'ids of checks that must pass before it may run' })),
    manual: Type.Optional(Type.Array(Type.String(), { description: 'instructions for a person, in order' })),
    evidence: Type.Optional(
      Type.Object(
        {
          what: Type.String({ minLength: 1, description: "what shows that it worked, e.g. \"CISM's next sync\"" }),
          within: Type.String({ minLength: 1, description: 'how long that can take: a duration such as "20m", or a playbook variable such as "${syncInterval}"' }),
        },
        {
          additionalProperties: false,
          description:
            'the evidence that the step worked: the check is re-run for this long after the step; when that is longer than the run, ' +
            'the check ends "awaiting" and the next run judges it',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const VarValue = Type.Union([Type.String(), Type.Array(Type.String())], { description: 'a string or a list of strings' });

export const VarSchema = Type.Object(
  {
    default: VarValue,
    description: Type.String({ minLength: 1, description: 'what it is and where the default comes from' }),
    source: Type.Optional(
      Type.Union([Type.Literal('vendor'), Type.Literal('field'), Type.Literal('site')], {
        description: 'vendor: published by the vendor; field: widely observed; site: must be set per site (no public value)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const PlaybookSchema = Type.Object(
  {
    id: Id('the agent id used on the command line, e.g. "cism"'),
    name: Type.String({ minLength: 1 }),
    vendor: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    docs: Type.Optional(
      Type.Array(Type.Object({ title: Type.String(), url: Type.String({ format: 'uri' }) }, { additionalProperties: false }), {
        description: "official vendor pages only",
      }),
    ),
    detect: Type.Array(ProbeCallSchema, { minItems: 1, description: 'probe calls; the agent is installed here when any passes' }),
    vars: Type.Optional(Type.Record(Type.String({ pattern: VAR_PATTERN }), VarSchema, { additionalProperties: false })),
    checks: Type.Array(CheckSchema, { minItems: 1 }),
    remediations: Type.Optional(Type.Record(Type.String({ pattern: ID_PATTERN }), RemediationSchema, { additionalProperties: false })),
  },
  {
    additionalProperties: false,
    $id: 'https://syncdoctor.invalid/schemas/playbook.schema.json',
    title: 'syncdoctor playbook',
  },
);

export type ProbeCall = Static<typeof ProbeCallSchema>;
export type CheckSpec = Static<typeof CheckSchema>;
export type RemediationSpec = Static<typeof RemediationSchema>;
export type VarSpec = Static<typeof VarSchema>;
export type PlaybookSpec = Static<typeof PlaybookSchema>;
export type VarValueT = string | string[];

/**
 * The published schema, with the probe and action ids as enums and each probe's and action's
 * parameters, so editors complete playbooks. Validation uses the same parts.
 */
export function publishedPlaybookSchema(probes: { id: string; params: TSchema }[], actions: { id: string; params: TSchema }[]): TSchema {
  const schema = structuredClone(PlaybookSchema) as TSchema & Record<string, any>;
  const probeIds = probes.map((p) => p.id);
  const actionIds = actions.map((a) => a.id);
  const probeCallThen = probes.map((p) => ({
    if: { properties: { probe: { const: p.id } }, required: ['probe'] },
    then: { properties: { with: allowVarRefs(p.params) } },
  }));
  for (const target of [schema.properties.checks.items, schema.properties.detect.items, schema.properties.checks.items.properties.otherwise]) {
    target.properties.probe = { type: 'string', enum: probeIds, description: 'a probe id' };
    target.allOf = probeCallThen;
  }
  const remSchema = Object.values(schema.properties.remediations.patternProperties as Record<string, any>)[0];
  remSchema.properties.action = { type: 'string', enum: actionIds, description: 'an action id' };
  remSchema.allOf = actions.map((a) => ({
    if: { properties: { action: { const: a.id } }, required: ['action'] },
    then: { properties: { with: allowVarRefs(a.params) } },
  }));
  return schema;
}

/** A parameter (or a list item) may be a whole "${var}" reference, filled in when the playbook runs. */
const VAR_REF = { type: 'string', pattern: '^\\$\\{[A-Za-z][A-Za-z0-9_]*\\}$', description: 'a playbook variable, e.g. "${logPath}"' };

function allowVarRefs(params: TSchema): object {
  // Plain JSON Schema from here on: this copy is only published, never compiled by TypeBox.
  type Json = Record<string, unknown> & { properties?: Record<string, Json>; items?: Json; type?: string; description?: string };
  const copy = structuredClone(params) as unknown as Json;
  for (const [name, p] of Object.entries(copy.properties ?? {})) {
    if (p.type === 'array' && p.items) p.items = { anyOf: [p.items, VAR_REF] };
    copy.properties![name] = { anyOf: [p, VAR_REF], ...(p.description ? { description: p.description } : {}) };
  }
  return copy;
}
