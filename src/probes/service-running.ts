import { Type } from '@sinclair/typebox';
import { errorMessage, HostError } from '../core/errors.js';
import { serviceStateSupported, type ServicePhase, type ServiceState } from '../host/service-state.js';
import { defineProbe, type ProbeOutcome } from './probe.js';

const PHASE_WORDS: Record<ServicePhase, string> = {
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
  if (phase === null) return { state: 'unknown', summary: `Could not tell: ${svc} is in an unknown state`, error: s.seen, evidence };
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
  example: { name: 'AgentSvc' },
  async run(params, { facts }) {
    const name = params.name.trim();
    const expect = params.expect ?? 'running';
    let state: ServiceState;
    try {
      if (serviceStateSupported(facts.platform)) state = await facts.serviceState(name);
      else return { state: 'unknown', summary: `Could not tell: service state is read on Windows and Linux only, not ${facts.platform}`, error: `unsupported platform ${facts.platform}` };
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      const cause =
        err.kind === 'access-denied'
          ? `${errorMessage(err)} (run syncdoctor elevated or as SYSTEM)`
          : err.kind === 'not-found'
            ? `${errorMessage(err)} (cannot read service states on this PC)`
            : errorMessage(err);
      return { state: 'unknown', summary: `Could not tell whether service ${name} is ${expect}: ${cause}`, error: cause };
    }
    return judge(name, expect, state);
  },
});
