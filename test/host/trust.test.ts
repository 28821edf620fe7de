// Trust decisions (pure): POSIX ownership and modes like sudo's rules, and Windows ACLs by SID
// from the SDDL `icacls PATH /save` writes (account names are localised; SIDs are not).
import { describe, expect, it } from 'vitest';
import { posixTrustProblem, type PathFacts } from '../../src/host/posix-trust.js';
import { sddlTrustProblem } from '../../src/host/trust.js';

const root = (p: string, mode: number, more: Partial<PathFacts> = {}): PathFacts => ({ path: p, uid: 0, gid: 0, mode, isLink: false, isDir: p !== '/etc/syncdoctor/config.yaml', ...more });
const chain = (...facts: PathFacts[]) => facts;

describe('posixTrustProblem', () => {
  const file = root('/etc/syncdoctor/config.yaml', 0o100644);
  const dir = root('/etc/syncdoctor', 0o40755);
  const etc = root('/etc', 0o40755);
  const top = root('/', 0o40755);
  it.each([
    ['root-owned all the way, not writable by others', chain(file, dir, etc, top), undefined],
    ['the file is a link', chain({ ...file, isLink: true }, dir, etc, top), '/etc/syncdoctor/config.yaml is a link'],
    ['the file is another user\'s', chain({ ...file, uid: 1000 }, dir, etc, top), '/etc/syncdoctor/config.yaml is owned by uid 1000, not root'],
    ['the file is writable by everyone', chain({ ...file, mode: 0o100666 }, dir, etc, top), '/etc/syncdoctor/config.yaml is writable by every user'],
    ['its folder is writable by a group that is not root\'s', chain(file, { ...dir, mode: 0o40775, gid: 100 }, etc, top), '/etc/syncdoctor is writable by group 100'],
    ['its folder is writable by root\'s group only', chain(file, { ...dir, mode: 0o40775 }, etc, top), undefined],
    ['a folder above is another user\'s', chain(file, { ...dir, uid: 65534 }, etc, top), '/etc/syncdoctor is owned by uid 65534, not root'],
    ['a sticky world-writable folder above (/tmp)', chain(file, dir, { ...etc, path: '/tmp', mode: 0o41777 }, top), undefined],
    ['a world-writable folder above that is not sticky', chain(file, dir, { ...etc, mode: 0o40777 }, top), '/etc is writable by every user'],
    ['a root-owned link above', chain(file, dir, { ...etc, isLink: true }, top), undefined],
    ['a link above owned by another user', chain(file, dir, { ...etc, isLink: true, uid: 1000 }, top), '/etc is a link owned by uid 1000'],
  ])('%s', (_name, facts, expected) => {
    expect(posixTrustProblem(facts)).toBe(expected);
  });
});

describe('sddlTrustProblem', () => {
  // The default ACL of C:\ProgramData: users may create files and folders in it, not remove others'.
  const PROGRAMDATA = 'O:SYG:SYD:P(A;OICIIO;GA;;;CO)(A;OICIIO;GA;;;SY)(A;;FA;;;SY)(A;OICIIO;GA;;;BA)(A;;FA;;;BA)(A;OICIIO;GXGR;;;BU)(A;;0x1200a9;;;BU)(A;CI;DCLCRPCR;;;BU)';
  // A folder created under it with default rights: it inherits "users may add files".
  const DEFAULT_SUBFOLDER = 'O:BAG:DUD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)';
  // After docs/rmm.md's icacls /inheritance:r /grant:r SYSTEM and Administrators.
  const ADMIN_ONLY = 'O:BAG:DUD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)';
  it.each([
    ['an admin-only folder', ADMIN_ONLY, 'target', undefined],
    ['the same by full SIDs', 'O:S-1-5-32-544G:DUD:PAI(A;OICI;FA;;;S-1-5-18)(A;OICI;FA;;;S-1-5-32-544)', 'target', undefined],
    ['a default folder under ProgramData: users may add files to it', DEFAULT_SUBFOLDER, 'target', 'BU may change it (DCLCRPCR)'],
    ['ProgramData as a folder above: adding files there is harmless', PROGRAMDATA, 'parent', undefined],
    ['ProgramData as the folder itself', PROGRAMDATA, 'target', 'BU may change it (DCLCRPCR)'],
    ['a folder above where users may delete children', 'O:SYG:SYD:(A;;FA;;;SY)(A;;0x1200e9;;;BU)', 'parent', 'BU may remove or rename what it holds (0x1200e9)'],
    ['Everyone full control', 'O:BAG:SYD:(A;;FA;;;WD)', 'target', 'WD may change it (FA)'],
    ['owned by a user', 'O:S-1-5-21-1004336348-1177238915-682003330-1001G:DUD:(A;;FA;;;SY)', 'target', 'it is owned by S-1-5-21-1004336348-1177238915-682003330-1001, not SYSTEM or Administrators'],
    ['a deny ACE grants nothing', 'O:BAG:SYD:(D;;FA;;;BU)(A;;FA;;;SY)', 'target', undefined],
    ['read and execute for users', 'O:BAG:SYD:(A;;FA;;;SY)(A;;FRFX;;;BU)', 'target', undefined],
    ['no access control at all', 'O:BAG:SYD:NO_ACCESS_CONTROL', 'target', 'it has no access control (everyone may change it)'],
    ['a right that cannot be read', 'O:BAG:SYD:(A;;ZZ;;;BU)', 'target', 'an access right "ZZ" for BU could not be read'],
    ['C:\\ as the drive root: users may create folders and hold DELETE on it (it cannot be renamed)', 'O:SYG:SYD:PAI(A;OICIIO;SDGXGWGR;;;AU)(A;;0x1301bf;;;AU)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)', 'root', undefined],
    ['the same ACL on a folder in between: DELETE lets users rename it away', 'O:SYG:SYD:PAI(A;;0x1301bf;;;AU)(A;OICI;FA;;;SY)', 'parent', 'AU may remove or rename what it holds (0x1301bf)'],
  ] as const)('%s', (_name, sddl, kind, expected) => {
    expect(sddlTrustProblem(sddl, kind)).toBe(expected);
  });
});
