// Where site settings come from when `--config` is not given: SYNCDOCTOR_CONFIG, else a fixed
// place per platform that an RMM script can drop a file into once per PC.
//   Windows:        %ProgramData%\syncdoctor\config.yaml
//   Linux, macOS:   /etc/syncdoctor/config.yaml
import { stat } from 'node:fs/promises';
import path from 'node:path';

export function defaultConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') {
    // process.env is case-insensitive on Windows; a plain object passed in (tests) may not be.
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return path.win32.join(programData, 'syncdoctor', 'config.yaml');
  }
  return '/etc/syncdoctor/config.yaml';
}

/**
 * The config file in force, or undefined for none: `--config` wins; then SYNCDOCTOR_CONFIG (set to
 * a file, it must exist; set empty, no config file); then the default location when that file
 * exists. A replayed snapshot brings the settings of the PC it was captured on, so this PC's
 * own site config (default or SYNCDOCTOR_CONFIG) does not apply to it; `--config` still does.
 */
export async function siteConfigFile(explicit: unknown, replaying: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (typeof explicit === 'string') return explicit;
  if (replaying) return undefined;
  const fromEnv = env.SYNCDOCTOR_CONFIG;
  if (fromEnv !== undefined) return fromEnv === '' ? undefined : fromEnv;
  const file = defaultConfigPath(process.platform, env);
  try {
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
