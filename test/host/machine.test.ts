// Which machine this is: MachineGuid and the Windows version from `reg query` (real shapes),
// /etc/machine-id and /etc/os-release on Linux; anything unreadable is null, never a guess.
import { describe, expect, it } from 'vitest';
import { HostFacts } from '../../src/host/facts.js';
import { linuxMachineId, linuxOs, MACHINE_GUID_ARGV, windowsMachineId, windowsOs, windowsVersionArgv } from '../../src/host/machine.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import type { Snapshot } from '../../src/host/snapshot-schema.js';

const KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
const regValue = (key: string, name: string, type: string, data: string) => ({ exitCode: 0, stdout: `\r\n${key}\r\n    ${name}    ${type}    ${data}\r\n\r\n`, stderr: '' });
const ABSENT = { exitCode: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };

describe('Windows machine identity', () => {
  it('reads MachineGuid, lower-cased; anything else is null', () => {
    expect(windowsMachineId(regValue('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography', 'MachineGuid', 'REG_SZ', '6F1E2B7C-3D4A-4B5C-9D8E-7F6A5B4C3D2E'))).toBe('6f1e2b7c-3d4a-4b5c-9d8e-7f6a5b4c3d2e');
    expect(windowsMachineId(ABSENT)).toBeNull();
    expect(windowsMachineId({ exitCode: 0, stdout: 'garbage', stderr: '' })).toBeNull();
    expect(windowsMachineId({ exitCode: 5, stdout: '', stderr: 'ERROR: Access is denied.' })).toBeNull();
  });

  it.each([
    ['Windows 11 Pro 23H2', { editionid: 'Professional', currentbuild: '22631', ubr: '0x1130', displayversion: '23H2' }, { name: 'Windows 11 23H2', edition: 'Professional', build: '22631.4400' }],
    ['Windows 10 Home 22H2 (Core: no query.exe)', { editionid: 'Core', currentbuild: '19045', ubr: '0xd27', displayversion: '22H2' }, { name: 'Windows 10 22H2', edition: 'Core', build: '19045.3367' }],
    ['Windows 10 1809 (no DisplayVersion, no UBR read)', { editionid: 'Professional', currentbuild: '17763' }, { name: 'Windows 10', edition: 'Professional', build: '17763' }],
  ])('%s', (_name, values, os) => {
    expect(windowsOs(new Map(Object.entries(values)))).toEqual(os);
  });

  it('without a build number the OS is unknown (null)', () => {
    expect(windowsOs(new Map([['editionid', 'Professional']]))).toBeNull();
    expect(windowsOs(new Map([['currentbuild', 'abc']]))).toBeNull();
  });

  it('through the facts: five reg queries, each value on its own (never the whole key, which names the owner)', async () => {
    const commands = [
      { argv: MACHINE_GUID_ARGV, ...regValue('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography', 'MachineGuid', 'REG_SZ', '6f1e2b7c-3d4a-4b5c-9d8e-7f6a5b4c3d2e') },
      { argv: windowsVersionArgv('EditionID'), ...regValue(KEY, 'EditionID', 'REG_SZ', 'Professional') },
      { argv: windowsVersionArgv('CurrentBuild'), ...regValue(KEY, 'CurrentBuild', 'REG_SZ', '22631') },
      { argv: windowsVersionArgv('UBR'), ...regValue(KEY, 'UBR', 'REG_DWORD', '0x1130') },
      { argv: windowsVersionArgv('DisplayVersion'), ...ABSENT },
    ];
    const snap: Snapshot = { syncdoctorSnapshot: 1, capturedAt: '2026-11-20T14:03:00Z', platform: 'win32', hostname: 'PC', uptimeSeconds: 1, commands };
    const facts = new HostFacts(new SnapshotHost(snap));
    expect(await facts.machine()).toEqual({ machineId: '6f1e2b7c-3d4a-4b5c-9d8e-7f6a5b4c3d2e', os: { name: 'Windows 11', edition: 'Professional', build: '22631.4400' } });
    expect(facts.readLog.filter((l) => l.startsWith('ran reg query')).every((l) => / \/v [A-Za-z]+ \/reg:64: /.test(l))).toBe(true);
  });

  it('a PC where reg is missing: both null, nothing thrown', async () => {
    const snap: Snapshot = { syncdoctorSnapshot: 1, capturedAt: '2026-11-20T14:03:00Z', platform: 'win32', hostname: 'PC', uptimeSeconds: 1 };
    expect(await new HostFacts(new SnapshotHost(snap)).machine()).toEqual({ machineId: null, os: null });
  });
});

describe('Linux machine identity', () => {
  it('machine-id and os-release', () => {
    expect(linuxMachineId('3D1219C7C4C5404AAA1F6D2A48ADFDA4\n')).toBe('3d1219c7c4c5404aaa1f6d2a48adfda4');
    expect(linuxMachineId('uninitialized\n')).toBeNull();
    expect(linuxOs('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n')).toEqual({ name: 'Debian GNU/Linux 12 (bookworm)', edition: null, build: null });
    expect(linuxOs('ID=x\n')).toBeNull();
  });
});
