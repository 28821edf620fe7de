// Site configuration: per-agent variables for what is not publicly known (executable names, log
// paths, the agent's Windows user), so a technician sets them once instead of long command lines.
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../core/errors.js';
import { parseYamlSource, schemaCheck, schemaProblems } from '../core/yaml-source.js';
import type { Settings } from './resolve.js';
import { readInputFile } from '../host/input-file.js';

export const ConfigSchema = Type.Object(
  {
    site: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\x00-\\x1f\\x7f]*$', description: 'the customer or site this PC belongs to, carried in every report so a fleet view tells PCs of different customers apart' }),
    ),
    expect: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]*$' }), { uniqueItems: true, description: 'agents that must be on this PC: one not detected is CRITICAL' }),
    ),
    agents: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
        Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' }), Type.Union([Type.String(), Type.Array(Type.String())], { description: 'a string or a list of strings' }), {
          additionalProperties: false,
        }),
        { additionalProperties: false, description: 'per agent id, its variables, e.g. cism: { windowsUser: frontdesk }' },
      ),
    ),
  },
  { additionalProperties: false, $id: 'https://syncdoctor.invalid/schemas/config.schema.json', title: 'syncdoctor site configuration' },
);

export type Config = Static<typeof ConfigSchema>;

/** What a site config says: per-agent settings, the site tag, the agents this PC must have. */
export interface SiteConfig {
  settings: Settings;
  site?: string;
  expect: string[];
}

/** The agents there are playbooks for, and the variables each declares: one text, or a list. */
export type KnownAgents = ReadonlyMap<string, Readonly<Record<string, 'text' | 'list'>>>;

export async function loadConfig(file: string, known?: KnownAgents): Promise<SiteConfig> {
  return parseConfig(file, await readInputFile(file, 'config'), known);
}

/**
 * A config file's text → site settings; every problem is an InputError with file:line:col. With
 * `known`, an agent id without a playbook and a variable its playbook does not declare are
 * mistakes too (a misspelt id would otherwise never apply).
 */
export function parseConfig(file: string, text: string, known?: KnownAgents): SiteConfig {
  const src = parseYamlSource(file, text);
  const value = src.toJS() ?? {};
  const problems = schemaProblems(schemaCheck(ConfigSchema), value, src, [], 'config');
  if (problems.length) throw new InputError(problems);
  const config = value as Config;
  if (known) {
    const ids = [...known.keys()];
    for (const [i, agent] of (config.expect ?? []).entries()) {
      if (!known.has(agent)) problems.push({ pos: src.pos(['expect', i]), message: `expect: unknown agent "${agent}"; expected one of: ${ids.join(', ')}` });
    }
    for (const [agent, vars] of Object.entries(config.agents ?? {})) {
      const declared = known.get(agent);
      if (!declared) {
        problems.push({ pos: src.pos(['agents', agent], true), message: `agents: unknown agent "${agent}"; expected one of: ${ids.join(', ')}` });
        continue;
      }
      for (const [name, v] of Object.entries(vars)) {
        const kind = Object.hasOwn(declared, name) ? declared[name] : undefined; // never an Object built-in (constructor)
        if (!kind) problems.push({ pos: src.pos(['agents', agent, name], true), message: `${agent} has no variable "${name}"; expected one of: ${Object.keys(declared).join(', ') || 'none'}` });
        // Said here, at the config's line, rather than at every playbook line that uses it.
        else if (kind === 'text' && Array.isArray(v)) problems.push({ pos: src.pos(['agents', agent, name]), message: `${agent}.${name}: expected one value (a text), got a list` });
      }
    }
    if (problems.length) throw new InputError(problems);
  }
  return { settings: config.agents ?? {}, ...(config.site !== undefined ? { site: config.site } : {}), expect: config.expect ?? [] };
}
