// A service's state, read the same way for the probe that judges it and the action that restarts
// it: `sc query NAME` on Windows (by the STATE number, which is not localised), `systemctl show` on
// Linux. Throws HostError when the state could not be read (access denied, unreadable output).
import { HostError } from '../core/errors.js';
import { parseScQuery } from './parsers/sc-query.js';
import { parseSystemctlShow } from './parsers/systemctl-show.js';

export const scQueryArgv = (name: string): string[] => ['sc', 'query', name];
export const systemctlShowArgv = (name: string): string[] => ['systemctl', 'show', name, '--property=LoadState,ActiveState,SubState'];

/** A service's state, the same words on every platform. */
export type ServicePhase = 'running' | 'starting' | 'stopping' | 'stopped' | 'paused' | 'failed';

export interface ServiceState {
  installed: boolean;
  /** null: installed, but in a state this code does not know. */
  phase: ServicePhase | null;
  /** What was read, for evidence. */
  seen: string;
}

/** Runs a command and gives its decoded output (HostFacts.runText, shared or fresh). */
export type RunText = (argv: readonly string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

/** SERVICE_STATUS.dwCurrentState (sc query's STATE number) → phase. */
const SC_PHASES: Record<number, ServicePhase> = { 1: 'stopped', 2: 'starting', 3: 'stopping', 4: 'running', 5: 'starting', 6: 'stopping', 7: 'paused' };

/** systemd ActiveState → phase (reloading is still running). */
const SYSTEMD_PHASES: Record<string, ServicePhase> = {
  active: 'running',
  reloading: 'running',
  activating: 'starting',
  deactivating: 'stopping',
  inactive: 'stopped',
  failed: 'failed',
};

export function serviceStateSupported(platform: NodeJS.Platform): boolean {
  return platform === 'win32' || platform === 'linux';
}

const ERROR_SERVICE_SPECIFIC_ERROR = 1066;

export function readServiceState(runText: RunText, platform: NodeJS.Platform, name: string): Promise<ServiceState> {
  if (platform === 'win32') return windowsState(runText, name);
  if (platform === 'linux') return systemdState(runText, name);
  return Promise.reject(new HostError(`service state is read on Windows and Linux only, not ${platform}`, 'failed'));
}

async function windowsState(runText: RunText, name: string): Promise<ServiceState> {
  const { exitCode, stdout } = await runText(scQueryArgv(name));
  // Throws HostError for access denied (exit 5) and other sc failures: could not tell.
  const sc = parseScQuery(exitCode, stdout);
  if (!sc.installed) return { installed: false, phase: null, seen: `sc query ${name}: the service does not exist (exit ${exitCode})` };
  if (sc.state === null) throw new HostError(`sc query ${name}: could not read its state (${sc.problems.join('; ') || 'no STATE line'})`, 'unparseable');
  const phase = SC_PHASES[sc.state] ?? null;
  // 1066 (ERROR_SERVICE_SPECIFIC_ERROR) only says "see the service's own code": that is the fact.
  const exit =
    sc.win32ExitCode === ERROR_SERVICE_SPECIFIC_ERROR
      ? `last exit: a service-specific error, code ${sc.serviceExitCode ?? 'unknown'}${sc.serviceExitCode !== null ? ` (0x${sc.serviceExitCode.toString(16)})` : ''}`
      : sc.win32ExitCode
        ? `last exit code ${sc.win32ExitCode}`
        : '';
  const extra = [sc.pid ? `pid ${sc.pid}` : '', exit].filter(Boolean);
  return {
    installed: true,
    phase,
    seen: `sc query ${name}: STATE ${sc.state}${sc.stateName ? ` (${sc.stateName})` : ''}${extra.length ? `, ${extra.join(', ')}` : ''}`,
  };
}

async function systemdState(runText: RunText, name: string): Promise<ServiceState> {
  const { exitCode, stdout, stderr } = await runText(systemctlShowArgv(name));
  // `show` exits 0 even for an unknown unit; non-zero means systemd itself could not answer.
  if (exitCode !== 0) {
    const why = stderr.trim().split(/\r?\n/)[0] || stdout.trim().split(/\r?\n/)[0] || 'no output';
    throw new HostError(`systemctl show ${name} exited with ${exitCode}: ${why}`, /denied/i.test(why) ? 'access-denied' : 'failed');
  }
  const unit = parseSystemctlShow(stdout);
  const seen = `systemctl show ${name}: LoadState=${unit.loadState ?? '?'}, ActiveState=${unit.activeState ?? '?'}, SubState=${unit.subState ?? '?'}`;
  if (!unit.installed) return { installed: false, phase: null, seen };
  if (unit.activeState === null) throw new HostError(`systemctl show ${name}: no ActiveState in its output`, 'unparseable');
  const phase = SYSTEMD_PHASES[unit.activeState];
  if (!phase) throw new HostError(`systemctl show ${name}: unrecognised ActiveState "${unit.activeState}"`, 'unparseable');
  return { installed: true, phase, seen };
}
