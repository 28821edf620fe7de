// Programs that restart, shut down or log off the machine. Only the reboot action may run one, and
// only through runAction; no repair ever starts one as "the agent" (a playbook's program path is
// data, and data can say `shutdown`).
import path from 'node:path';

const POWER_PROGRAMS = new Set(['shutdown', 'reboot', 'poweroff', 'halt', 'logoff', 'tsdiscon', 'init', 'telinit']);

/** The program's base name, lower-cased, without .exe, whichever separator the path uses. */
export function programBase(program: string): string {
  return path.win32.basename(program).toLowerCase().replace(/\.exe$/, '');
}

export function isPowerProgram(program: string): boolean {
  return POWER_PROGRAMS.has(programBase(program));
}

/** A command line that restarts or stops the machine (including systemctl's power verbs). */
export function isPowerCommand(argv: readonly string[]): boolean {
  if (isPowerProgram(argv[0] ?? '')) return true;
  const base = programBase(argv[0] ?? '');
  if (base === 'systemctl') return argv.some((a) => /^(reboot|poweroff|halt|kexec|suspend|hibernate)$/.test(a));
  // A scheduled task runs its /tr program later: that program counts as started now.
  if (base === 'schtasks') {
    const tr = argv.findIndex((a) => a.toLowerCase() === '/tr');
    const program = tr >= 0 ? (argv[tr + 1] ?? '').trim().replace(/^"([^"]*)".*$/, '$1') : '';
    return program !== '' && isPowerProgram(program);
  }
  return false;
}
