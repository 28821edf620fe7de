// The plans of restart-service and wait-and-recheck: what they would do, read-only.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import '../../src/core/formats.js';
import type { ActionContext } from '../../src/actions/action.js';
import { ACTIONS, getAction } from '../../src/actions/index.js';
import restartService from '../../src/actions/restart-service.js';
import waitAndRecheck from '../../src/actions/wait-and-recheck.js';
import { HostFacts } from '../../src/host/facts.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import { scQueryArgv, systemctlShowArgv } from '../../src/host/service-state.js';

type Command = NonNullable<Snapshot['commands']>[number];

function ctx(platform: string, commands: Command[] = []): ActionContext & { facts: HostFacts } {
  const snap: Snapshot = { syncdoctorSnapshot: 1, capturedAt: '2026-11-21T17:20:00Z', platform, hostname: 'REGISTER-1', uptimeSeconds: 3600, commands };
  return { facts: new HostFacts(new SnapshotHost(snap)) };
}

const scState = (state: string): Command => ({
  argv: scQueryArgv('PosSync'),
  exitCode: 0,
  stdout: `\r\nSERVICE_NAME: PosSync\r\n        TYPE               : 10  WIN32_OWN_PROCESS\r\n        STATE              : ${state}\r\n        WIN32_EXIT_CODE    : 0  (0x0)\r\n`,
  stderr: '',
});

describe('action registry', () => {
  it('holds the new actions in sorted position', () => {
    const ids = ACTIONS.map((a) => a.id);
    expect(ids).toEqual([...ids].sort());
    expect(getAction('restart-service')).toBe(restartService);
    expect(getAction('wait-and-recheck')).toBe(waitAndRecheck);
  });
});

describe('restart-service plan', () => {
  it('is disruptive and explains sc.exe in PowerShell', () => {
    expect(restartService.risk).toBe('disruptive');
    expect(restartService.explain).toMatch(/sc\.exe/);
  });

  it('is blocked when no service name is configured', async () => {
    expect(await restartService.plan({ name: '  ' }, ctx('win32'))).toEqual({ steps: [], commands: [], blocked: 'the service name is not configured' });
  });

  it('stops then starts a running service on Windows', async () => {
    const plan = await restartService.plan({ name: 'PosSync' }, ctx('win32', [scState('4  RUNNING')]));
    expect(plan.commands).toEqual([
      ['sc', 'stop', 'PosSync'],
      ['sc', 'start', 'PosSync'],
    ]);
    expect(plan.steps).toEqual(['stop the service PosSync (sc.exe stop PosSync) and wait until it has stopped', 'start the service PosSync again (sc.exe start PosSync)']);
    expect(plan.blocked).toBeUndefined();
  });

  it('only starts a service that is already stopped', async () => {
    const plan = await restartService.plan({ name: 'PosSync' }, ctx('win32', [scState('1  STOPPED')]));
    expect(plan.commands).toEqual([['sc', 'start', 'PosSync']]);
  });

  it('is blocked for a service that is not installed', async () => {
    const gone: Command = { argv: scQueryArgv('PosSync'), exitCode: 1060, stdout: '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n', stderr: '' };
    const plan = await restartService.plan({ name: 'PosSync' }, ctx('win32', [gone]));
    expect(plan).toEqual({ steps: [], commands: [], blocked: 'the service PosSync is not installed' });
  });

  it('plans the full restart when the state cannot be read', async () => {
    const denied: Command = { argv: scQueryArgv('PosSync'), exitCode: 5, stdout: '[SC] OpenService FAILED 5:\r\n\r\nAccess is denied.\r\n', stderr: '' };
    expect((await restartService.plan({ name: 'PosSync' }, ctx('win32', [denied]))).commands).toHaveLength(2);
    expect((await restartService.plan({ name: 'PosSync' }, ctx('win32'))).commands).toHaveLength(2);
  });

  it('reuses the probe\'s query instead of running sc again', async () => {
    const c = ctx('win32', [scState('4  RUNNING')]);
    await c.facts.runText(scQueryArgv('PosSync'));
    await restartService.plan({ name: 'PosSync' }, c);
    expect(c.facts.readLog.filter((l) => l.startsWith('ran sc query'))).toHaveLength(1);
  });

  it('uses systemctl restart on Linux, blocked for an unknown unit', async () => {
    const loaded: Command = { argv: systemctlShowArgv('cron'), exitCode: 0, stdout: 'LoadState=loaded\nActiveState=active\nSubState=running\n', stderr: '' };
    expect(await restartService.plan({ name: 'cron' }, ctx('linux', [loaded]))).toEqual({ steps: ['restart the service cron (systemctl restart cron)'], commands: [['systemctl', 'restart', 'cron']] });
    const missing: Command = { argv: systemctlShowArgv('nosuch'), exitCode: 0, stdout: 'LoadState=not-found\nActiveState=inactive\n', stderr: '' };
    expect((await restartService.plan({ name: 'nosuch' }, ctx('linux', [missing]))).blocked).toBe('the service nosuch is not installed');
  });

  it('is blocked on other platforms', async () => {
    expect((await restartService.plan({ name: 'x' }, ctx('darwin'))).blocked).toMatch(/not supported on darwin/);
  });
});

describe('wait-and-recheck plan', () => {
  it('is safe, runs no command and says what it will re-run', async () => {
    expect(waitAndRecheck.risk).toBe('safe');
    const plan = await waitAndRecheck.plan({ check: 'backlog-clearing', every: '1m', within: '15m' }, ctx('win32'));
    expect(plan).toEqual({ steps: ['re-run check backlog-clearing every 1m for up to 15m, showing progress'], commands: [] });
  });

  it('is blocked when the interval is longer than the wait', async () => {
    const plan = await waitAndRecheck.plan({ check: 'x', every: '20m', within: '15m' }, ctx('win32'));
    expect(plan.blocked).toMatch(/"every" \(20m\) is longer than "within" \(15m\)/);
    expect((await waitAndRecheck.plan({ check: 'x', every: '0s', within: '15m' }, ctx('win32'))).blocked).toMatch(/every above zero/);
  });

  it('validates a check id and durations in its parameters', () => {
    const check = TypeCompiler.Compile(waitAndRecheck.params);
    expect(check.Check({ check: 'backlog-clearing', every: '30s', within: '1h30m' })).toBe(true);
    expect(check.Check({ check: 'Backlog Clearing', every: '30s', within: '15m' })).toBe(false);
    expect(check.Check({ check: 'x', every: 'often', within: '15m' })).toBe(false);
    expect(check.Check({ check: 'x', every: '1m' })).toBe(false);
  });
});
