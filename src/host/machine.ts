// Which machine this is, for a fleet: a stable machine id and the operating system's name,
// edition and build. Windows: two `reg query` runs (the 64-bit view), which snapshots record byte
// for byte; Linux: /etc/machine-id and /etc/os-release. No PowerShell: systeminformation's
// uuid() and osInfo() start it on Windows (Get-CimInstance), a quarter second or more per call.
import { regDword, parseRegQuery } from './parsers/reg-query.js';

export const MACHINE_GUID_ARGV = ['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid', '/reg:64'];
const CURRENT_VERSION = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
/** One value each: the whole key also holds RegisteredOwner and RegisteredOrganization, names a snapshot should not carry. */
export const WINDOWS_VERSION_VALUES = ['EditionID', 'CurrentBuild', 'UBR', 'DisplayVersion'] as const;
export const windowsVersionArgv = (value: string): string[] => ['reg', 'query', CURRENT_VERSION, '/v', value, '/reg:64'];

export interface OsInfo {
  /** "Windows 11", "Windows 10", "Debian GNU/Linux 12 (bookworm)". */
  name: string;
  /** Windows' EditionID ("Professional", "Core" is Home: no query.exe); null elsewhere. */
  edition: string | null;
  /** "22631.4460" (CurrentBuild.UBR) on Windows; null elsewhere. */
  build: string | null;
}

export interface MachineIdentity {
  machineId: string | null;
  os: OsInfo | null;
}

/** What the identity reads: a command's decoded output, and a small file's text. */
export interface MachineSources {
  runText(argv: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  readText(path: string, maxBytes: number): Promise<string>;
}

export async function readMachineIdentity(platform: NodeJS.Platform, from: MachineSources): Promise<MachineIdentity> {
  const orNull = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);
  if (platform === 'win32') {
    const [guid, ...version] = await Promise.all([MACHINE_GUID_ARGV, ...WINDOWS_VERSION_VALUES.map(windowsVersionArgv)].map((argv) => orNull(from.runText(argv))));
    const values = new Map(version.flatMap((r) => (r ? [...regValues(r)] : [])));
    return { machineId: guid ? windowsMachineId(guid) : null, os: windowsOs(values) };
  }
  const [id, release] = await Promise.all([orNull(from.readText('/etc/machine-id', 4096)), orNull(from.readText('/etc/os-release', 64 * 1024))]);
  return { machineId: id ? linuxMachineId(id) : null, os: release ? linuxOs(release) : null };
}

function regValues(r: { exitCode: number; stdout: string; stderr: string }): Map<string, string> {
  try {
    return new Map(parseRegQuery(r.exitCode, r.stdout, r.stderr).values.map((v) => [v.name.toLowerCase(), v.data.trim()]));
  } catch {
    return new Map();
  }
}

export function windowsMachineId(r: { exitCode: number; stdout: string; stderr: string }): string | null {
  const guid = regValues(r).get('machineguid') ?? '';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(guid) ? guid.toLowerCase() : null;
}

/** From the CurrentVersion values read (names lower-cased). */
export function windowsOs(v: ReadonlyMap<string, string>): OsInfo | null {
  const build = v.get('currentbuild');
  if (!build || !/^\d{3,6}$/.test(build)) return null;
  const ubr = regDword(v.get('ubr') ?? '');
  // ProductName still says "Windows 10" on Windows 11: the build number tells them apart.
  const name = Number(build) >= 22000 ? 'Windows 11' : Number(build) >= 10240 ? 'Windows 10' : 'Windows';
  const display = v.get('displayversion');
  return { name: display ? `${name} ${display}` : name, edition: v.get('editionid') ?? null, build: ubr !== null ? `${build}.${ubr}` : build };
}

export function linuxMachineId(text: string): string | null {
  const id = text.trim();
  return /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : null;
}

export function linuxOs(text: string): OsInfo | null {
  const pretty = /^PRETTY_NAME=(.*)$/m.exec(text)?.[1]?.trim().replace(/^(["'])(.*)\1$/, '$2');
  return pretty ? { name: pretty.slice(0, 200), edition: null, build: null } : null;
}
