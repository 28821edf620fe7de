import { Type } from '@sinclair/typebox';
import { errorMessage, HostError } from '../core/errors.js';
import type { HostFacts } from '../host/facts.js';
import { parseScQuery } from '../host/parsers/sc-query.js';
import { parseSystemctlShow } from '../host/parsers/systemctl-show.js';
import { defineProbe, type ProbeOutcome } from './probe.js';

export const scQueryArgv = (name: string): string[] => ['sc', 'query', name];
export const systemctlShowArgv = (name: string): string[] => ['systemctl', 'show', name, '--property=LoadState,ActiveState,SubState'];

/** A service's state, the same words on every platform. */
type Phase = 'running' | 'starting' | 'stopping' | 'stopped' | 'paused' | 'failed';

interface ServiceState {
  installed: boolean;
  phase: Phase | null;
  /** What was read, for evidence. */
  seen: string;
}

/** SERVICE_STATUS.dwCurrentState (sc query's STATE number) → phase; the number is not localised. */
const SC_PHASES: Record<number, Phase> = { 1: 'stopped', 2: 'starting', 3: 'stopping', 4: 'running', 5: 'starting', 6: 'stopping', 7: 'paused' };

/** systemd ActiveState → phase (reloading is still running). */
const SYSTEMD_PHASES: Record<string, Phase> = {
  active: 'running',
  reloading: 'running',
  activating: 'starting',
  deactivating: 'stopping',
  inactive: 'stopped',
  failed: 'failed',
};

async function windowsState(facts: HostFacts, name: string): Promise<ServiceState> {
  const argv = scQueryArgv(name);
  const { exitCode, stdout } = await facts.runText(argv);
  // Throws HostError for access denied (exit 5) and other sc failures: could not tell.
  const sc = parseScQuery(exitCode, stdout);
  if (!sc.installed) return { installed: false, phase: null, seen: `sc query ${name}: the service does not exist (exit ${exitCode})` };
  if (sc.state === null) throw new HostError(`sc query ${name}: could not read its state (${sc.problems.join('; ') || 'no STATE line'})`, 'unparseable');
  const phase = SC_PHASES[sc.state] ?? null;
  const extra = [sc.pid ? `pid ${sc.pid}` : '', sc.win32ExitCode ? `last exit code ${sc.win32ExitCode}` : ''].filter(Boolean);
  return {
    installed: true,
    phase,
    seen: `sc query ${name}: STATE ${sc.state}${sc.stateName ? ` (${sc.stateName})` : ''}${extra.length ? `, ${extra.join(', ')}` : ''}`,
  };
}

async function systemdState(facts: HostFacts, name: string): Promise<ServiceState> {
  const { exitCode, stdout, stderr } = await facts.runText(systemctlShowArgv(name));
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

const PHASE_WORDS: Record<Phase, string> = {
  running: 'running',
  starting: 'starting (start pending)',
  stopping: 'stopping (stop or pause pending)',
  stopped: 'stopped',
  paused: 'paused',
  failed: 'stopped after a failure',
};

type Expect = 'running' | 'stopped' | 'installed';

function judge(name: string, expect: Expect, s: ServiceState): ProbeOutcome {
  const evidence = [s.seen];
  const svc = `Service ${name}`;
  if (!s.installed) {
    return expect === 'stopped'
      ? { state: 'pass', summary: `${svc} is not installed (so it is not running)`, evidence }
      : { state: 'fail', summary: `${svc} is not installed`, evidence };
  }
  const phase = s.phase;
  // Detection asks only whether it exists: a stopped service is still an installed agent.
  if (expect === 'installed') return { state: 'pass', summary: `${svc} is installed${phase ? ` (${PHASE_WORDS[phase]})` : ''}`, evidence };
  if (phase === null) return { state: 'error', summary: `Could not tell: ${svc} is in an unknown state`, error: s.seen, evidence };
  const now = `${svc} is ${PHASE_WORDS[phase]}`;
  if (expect === 'running') {
    if (phase === 'running') return { state: 'pass', summary: now, evidence };
    // Mid-transition is not a verdict yet: a person should look again in a minute.
    if (phase === 'starting') return { state: 'warn', summary: `${now}; check again in a minute`, evidence };
    return { state: 'fail', summary: now, evidence };
  }
  if (phase === 'stopped' || phase === 'failed') return { state: 'pass', summary: now, evidence };
  if (phase === 'stopping') return { state: 'warn', summary: `${now}; check again in a minute`, evidence };
  return { state: 'fail', summary: now, evidence };
}

export default defineProbe({
  id: 'service-running',
  description: 'A service is running (or stopped): `sc query` on Windows, `systemctl show` on Linux',
  explain:
    'Reads one service\'s state by its key name (not the display name). On Windows it runs `sc query NAME` ' +
    'and goes by the STATE number, which is not localised (4 running, 1 stopped, 2 and 5 starting, 3 and 6 ' +
    'stopping, 7 paused); "does not exist" (1060) means not installed, a fail; access denied (5) is an ' +
    'error, since the state could not be read. On Linux it reads LoadState, ActiveState and SubState from ' +
    '`systemctl show` (LoadState=not-found: not installed). A service still starting is a warning. With ' +
    '`expect: stopped` it passes when the service is stopped or not installed; with `expect: installed` ' +
    '(for detection) when it exists in any state.',
  params: Type.Object(
    {
      name: Type.String({ minLength: 1, description: 'the service key name (sc query NAME), e.g. "Spooler"' }),
      expect: Type.Optional(Type.Union([Type.Literal('running'), Type.Literal('stopped'), Type.Literal('installed')])),
    },
    { additionalProperties: false },
  ),
  platforms: ['win32', 'linux'],
  async run(params, { facts }) {
    const name = params.name.trim();
    const expect = params.expect ?? 'running';
    let state: ServiceState;
    try {
      if (facts.platform === 'win32') state = await windowsState(facts, name);
      else if (facts.platform === 'linux') state = await systemdState(facts, name);
      else return { state: 'error', summary: `Could not tell: service state is read on Windows and Linux only, not ${facts.platform}`, error: `unsupported platform ${facts.platform}` };
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      const cause =
        err.kind === 'access-denied'
          ? `${errorMessage(err)} (run syncdoctor elevated or as SYSTEM)`
          : err.kind === 'not-found'
            ? `${errorMessage(err)} (cannot read service states on this PC)`
            : errorMessage(err);
      return { state: 'error', summary: `Could not tell whether service ${name} is ${expect}: ${cause}`, error: cause };
    }
    return judge(name, expect, state);
  },
});
