// service-running on replayed hosts: `sc query` shapes on Windows, `systemctl show` on Linux.
import { describe, expect, it } from 'vitest';
import { HostFacts } from '../../src/host/facts.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';
import type { ProbeContext } from '../../src/probes/probe.js';
import serviceRunning from '../../src/probes/service-running.js';
import { scQueryArgv, systemctlShowArgv } from '../../src/host/service-state.js';

type Command = NonNullable<Snapshot['commands']>[number];

function ctx(platform: string, commands: Command[]): ProbeContext {
  const snap: Snapshot = { syncdoctorSnapshot: 1, capturedAt: '2026-11-21T17:20:00Z', platform, hostname: 'REGISTER-1', uptimeSeconds: 3600, commands };
  return { facts: new HostFacts(new SnapshotHost(snap)), signal: new AbortController().signal };
}

/** `sc query NAME` as Windows prints it: CRLF, padded labels, trailing spaces. */
function scBlock(name: string, state: string, exitCode = '0  (0x0)', controls = true): string {
  return [
    '',
    `SERVICE_NAME: ${name} `,
    '        TYPE               : 10  WIN32_OWN_PROCESS  ',
    `        STATE              : ${state} `,
    ...(controls ? ['                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)'] : []),
    `        WIN32_EXIT_CODE    : ${exitCode}`,
    '        SERVICE_EXIT_CODE  : 0  (0x0)',
    '        CHECKPOINT         : 0x0',
    '        WAIT_HINT          : 0x0',
    '',
  ].join('\r\n');
}

const sc = (name: string, exitCode: number, stdout: string): Command => ({ argv: scQueryArgv(name), exitCode, stdout, stderr: '' });
const RUNNING = sc('PosSync', 0, scBlock('PosSync', '4  RUNNING'));
const STOPPED = sc('PosSync', 0, scBlock('PosSync', '1  STOPPED', '1067  (0x42b)', false));
const START_PENDING = sc('PosSync', 0, scBlock('PosSync', '2  START_PENDING'));
const NOT_INSTALLED = sc('PosSync', 1060, '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n\r\n');
const ACCESS_DENIED = sc('PosSync', 5, '[SC] OpenService FAILED 5:\r\n\r\nAccess is denied.\r\n\r\n');

const systemctl = (name: string, stdout: string, exitCode = 0, stderr = ''): Command => ({ argv: systemctlShowArgv(name), exitCode, stdout, stderr });

describe('service-running on Windows (sc query)', () => {
  it('passes for STATE 4 (running)', async () => {
    const out = await serviceRunning.run({ name: 'PosSync' }, ctx('win32', [RUNNING]));
    expect(out).toMatchObject({ state: 'pass', summary: 'Service PosSync is running', evidence: ['sc query PosSync: STATE 4 (running)'] });
  });

  it('fails for STATE 1 (stopped), with the last exit code as evidence', async () => {
    const out = await serviceRunning.run({ name: 'PosSync' }, ctx('win32', [STOPPED]));
    expect(out).toMatchObject({ state: 'fail', summary: 'Service PosSync is stopped', evidence: ['sc query PosSync: STATE 1 (stopped), last exit code 1067'] });
  });

  it('goes by the number, not the (localised) word', async () => {
    const german = sc('PosSync', 0, scBlock('PosSync', '4  WIRD_AUSGEFÜHRT'));
    expect((await serviceRunning.run({ name: 'PosSync' }, ctx('win32', [german]))).state).toBe('pass');
  });

  it('warns while it is starting', async () => {
    const out = await serviceRunning.run({ name: 'PosSync' }, ctx('win32', [START_PENDING]));
    expect(out.state).toBe('warn');
    expect(out.summary).toMatch(/is starting \(start pending\); check again in a minute/);
  });

  it('fails "not installed" for exit 1060', async () => {
    const out = await serviceRunning.run({ name: 'PosSync' }, ctx('win32', [NOT_INSTALLED]));
    expect(out).toMatchObject({ state: 'fail', summary: 'Service PosSync is not installed' });
    expect(out.evidence).toEqual(['sc query PosSync: the service does not exist (exit 1060)']);
  });

  it('is an error, not a failure, when access is denied', async () => {
    const out = await serviceRunning.run({ name: 'PosSync' }, ctx('win32', [ACCESS_DENIED]));
    expect(out.state).toBe('unknown');
    expect(out.error).toMatch(/access denied.*run syncdoctor elevated or as SYSTEM/);
  });

  it('is an error when sc itself is missing or its output has no state', async () => {
    expect((await serviceRunning.run({ name: 'PosSync' }, ctx('win32', []))).error).toMatch(/command not found: sc/);
    const garbled = await serviceRunning.run({ name: 'PosSync' }, ctx('win32', [sc('PosSync', 0, 'SERVICE_NAME: PosSync\r\n')]));
    expect(garbled.state).toBe('unknown');
    expect(garbled.error).toMatch(/could not read its state/);
  });

  it('expect: stopped passes for a stopped or missing service and fails for a running one', async () => {
    expect((await serviceRunning.run({ name: 'PosSync', expect: 'stopped' }, ctx('win32', [STOPPED]))).state).toBe('pass');
    expect((await serviceRunning.run({ name: 'PosSync', expect: 'stopped' }, ctx('win32', [NOT_INSTALLED]))).summary).toBe('Service PosSync is not installed (so it is not running)');
    expect((await serviceRunning.run({ name: 'PosSync', expect: 'stopped' }, ctx('win32', [RUNNING]))).state).toBe('fail');
  });

  it('expect: installed (detection) passes in any state, fails only when absent', async () => {
    expect(await serviceRunning.run({ name: 'PosSync', expect: 'installed' }, ctx('win32', [STOPPED]))).toMatchObject({ state: 'pass', summary: 'Service PosSync is installed (stopped)' });
    expect((await serviceRunning.run({ name: 'PosSync', expect: 'installed' }, ctx('win32', [NOT_INSTALLED]))).state).toBe('fail');
  });
});

describe('service-running on Linux (systemctl show)', () => {
  it('passes for ActiveState=active', async () => {
    const out = await serviceRunning.run({ name: 'cron' }, ctx('linux', [systemctl('cron', 'LoadState=loaded\nActiveState=active\nSubState=running\n')]));
    expect(out).toMatchObject({ state: 'pass', summary: 'Service cron is running', evidence: ['systemctl show cron: LoadState=loaded, ActiveState=active, SubState=running'] });
  });

  it('fails for inactive and failed units', async () => {
    expect((await serviceRunning.run({ name: 'cron' }, ctx('linux', [systemctl('cron', 'LoadState=loaded\nActiveState=inactive\nSubState=dead\n')]))).summary).toBe('Service cron is stopped');
    const failed = await serviceRunning.run({ name: 'cron' }, ctx('linux', [systemctl('cron', 'LoadState=loaded\nActiveState=failed\nSubState=failed\n')]));
    expect(failed).toMatchObject({ state: 'fail', summary: 'Service cron is stopped after a failure' });
  });

  it('fails "not installed" for LoadState=not-found', async () => {
    const out = await serviceRunning.run({ name: 'nosuch' }, ctx('linux', [systemctl('nosuch', 'LoadState=not-found\nActiveState=inactive\nSubState=dead\n')]));
    expect(out).toMatchObject({ state: 'fail', summary: 'Service nosuch is not installed' });
  });

  it('warns while activating', async () => {
    const out = await serviceRunning.run({ name: 'cron' }, ctx('linux', [systemctl('cron', 'LoadState=loaded\nActiveState=activating\nSubState=start\n')]));
    expect(out.state).toBe('warn');
  });

  it('is an error when systemd cannot answer or says something unknown', async () => {
    const noSystemd = systemctl('cron', '', 1, "System has not been booted with systemd as init system (PID 1). Can't operate.\n");
    const out = await serviceRunning.run({ name: 'cron' }, ctx('linux', [noSystemd]));
    expect(out.state).toBe('unknown');
    expect(out.error).toMatch(/systemctl show cron exited with 1: System has not been booted with systemd/);
    const odd = await serviceRunning.run({ name: 'cron' }, ctx('linux', [systemctl('cron', 'LoadState=loaded\nActiveState=maintenance\n')]));
    expect(odd.error).toMatch(/unrecognised ActiveState "maintenance"/);
  });
});

describe('service-running elsewhere', () => {
  it('is an error on a platform without sc or systemd', async () => {
    const out = await serviceRunning.run({ name: 'x' }, ctx('darwin', []));
    expect(out.state).toBe('unknown');
    expect(out.summary).toMatch(/Windows and Linux only, not darwin/);
  });
});
