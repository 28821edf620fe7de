// Site configuration: per-agent variables for what is not publicly known (executable names, log
// paths, the agent's Windows user), so a technician sets them once instead of long command lines.
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../core/errors.js';
import { parseYamlSource, schemaCheck, schemaProblems } from '../core/yaml-source.js';
import type { Settings } from './resolve.js';
import { readInputFile } from '../host/input-file.js';

export const ConfigSchema = Type.Object(
  {
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

export async function loadConfig(file: string): Promise<Settings> {
  return parseConfig(file, await readInputFile(file, 'config'));
}

/** A config file's text → per-agent settings; every problem is an InputError with file:line:col. */
export function parseConfig(file: string, text: string): Settings {
  const src = parseYamlSource(file, text);
  const value = src.toJS() ?? {};
  const problems = schemaProblems(schemaCheck(ConfigSchema), value, src, [], 'config');
  if (problems.length) throw new InputError(problems);
  return (value as Config).agents ?? {};
}
