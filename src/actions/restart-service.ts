import { Type } from '@sinclair/typebox';
import { HostFacts } from '../host/facts.js';
import { serviceStateSupported } from '../host/service-state.js';
import { defineAction, type ApplyContext } from './action.js';
import { runStep } from './lib.js';

/** What the plan needs to know: absent, stopped, or anything else (including "could not tell"). */
async function serviceNow(facts: HostFacts, name: string): Promise<'absent' | 'stopped' | 'other'> {
  try {
    const s = await facts.serviceState(name);
    return !s.installed ? 'absent' : s.phase === 'stopped' ? 'stopped' : 'other';
  } catch {
    // Unreadable state (access denied, no sc): plan the full restart; applying it will tell.
    return 'other';
  }
}

export default defineAction({
  id: 'restart-service',
  description: 'Restart a service (stop, then start): `sc` on Windows, `systemctl restart` on Linux',
  explain:
    'Stops the named service and starts it again, so a stuck sync service reconnects. On Windows that ' +
    'is `sc stop NAME` then `sc start NAME` (by key name, not display name); `sc stop` returns while the ' +
    'service is still stopping, so the start must wait until it reports STOPPED. A service that is ' +
    'already stopped is only started. To type these yourself in PowerShell, write `sc.exe`: there `sc` ' +
    'means Set-Content. On Linux it is `systemctl restart NAME`. Whatever the service was doing is ' +
    'interrupted, so it is disruptive. With no service name configured, or a service that is not ' +
    'installed, it cannot be planned: a person restarts it by hand.',
  risk: 'disruptive',
  settleMs: 15_000,
  settleWhat: 'the service is up',
  relaunchesAgent: true,
  params: Type.Object(
    {
      name: Type.String({ description: 'the service key name; empty means not configured' }),
    },
    { additionalProperties: false },
  ),
  async plan(params, { facts }) {
    const name = params.name.trim();
    if (!name) return { steps: [], commands: [], blocked: 'the service name is not configured' };
    if (!serviceStateSupported(facts.platform)) {
      return { steps: [], commands: [], blocked: `restarting a service is not supported on ${facts.platform}` };
    }
    // The same query the service-running probe made: shared, so planning costs nothing more.
    const now = await serviceNow(facts, name);
    if (now === 'absent') return { steps: [], commands: [], blocked: `the service ${name} is not installed` };
    if (facts.platform === 'linux') return { steps: [`restart the service ${name} (systemctl restart ${name})`], commands: [['systemctl', 'restart', name]] };
    if (now === 'stopped') return { steps: [`start the stopped service ${name} (sc.exe start ${name})`], commands: [['sc', 'start', name]] };
    return {
      steps: [`stop the service ${name} (sc.exe stop ${name}) and wait until it has stopped`, `start the service ${name} again (sc.exe start ${name})`],
      commands: [
        ['sc', 'stop', name],
        ['sc', 'start', name],
      ],
    };
  },
  async apply(params, ctx) {
    const name = params.name.trim();
    if (!name) return { ok: false, detail: 'the service name is not configured' };
    if (ctx.host.platform === 'linux') return runStep(ctx, ['systemctl', 'restart', name]);
    if (ctx.host.platform !== 'win32') return { ok: false, detail: `restarting a service is not supported on ${ctx.host.platform}` };
    if (!(await isStopped(ctx, name))) {
      const stopped = await runStep(ctx, ['sc', 'stop', name]);
      if (!stopped.ok) return stopped;
      // `sc stop` returns while the service is still stopping: wait for STOPPED (up to 30 s).
      for (let i = 0; i < 60 && !(await isStopped(ctx, name)); i++) await new Promise((r) => setTimeout(r, 500));
    }
    const started = await runStep(ctx, ['sc', 'start', name]);
    return started.ok ? { ok: true, detail: `restarted the service ${name}` } : started;
  },
});

/** Whether the service is stopped now: a fresh query (not the diagnosis's shared one). */
async function isStopped(ctx: ApplyContext, name: string): Promise<boolean> {
  try {
    return (await new HostFacts(ctx.host, { signal: ctx.signal }).serviceState(name)).phase === 'stopped';
  } catch {
    return false;
  }
}
