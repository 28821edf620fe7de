// Command lines that actions would run, per platform. Built as argv: no shell, ever.
import type { ProcessInfo } from '../host/facts.js';

/** A one-shot interactive task starts a tray app in the user's desktop from session 0 (SYSTEM). */
export function launchInUserSessionArgv(exePath: string, user: string, taskName: string): string[][] {
  return [
    ['schtasks', '/create', '/tn', taskName, '/tr', `"${exePath}"`, '/sc', 'once', '/st', '23:59', '/ru', user, '/it', '/f'],
    ['schtasks', '/run', '/tn', taskName],
    ['schtasks', '/delete', '/tn', taskName, '/f'],
  ];
}

export function killArgv(platform: NodeJS.Platform, p: ProcessInfo): string[] {
  return platform === 'win32' ? ['taskkill', '/pid', String(p.pid), '/t', '/f'] : ['kill', '-TERM', String(p.pid)];
}
