import { Type } from '@sinclair/typebox';
import { HostError } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { parsePowercfgAvailable, parsePowercfgRequests } from '../host/parsers/powercfg.js';
import { parsePowercfgQuery } from '../host/parsers/powercfg-query.js';
import { defineProbe } from './probe.js';

export const POWERCFG_A = ['powercfg', '/a'];
export const POWERCFG_STANDBY_IDLE = ['powercfg', '/query', 'SCHEME_CURRENT', 'SUB_SLEEP', 'STANDBYIDLE'];
export const POWERCFG_HIBERNATE_IDLE = ['powercfg', '/query', 'SCHEME_CURRENT', 'SUB_SLEEP', 'HIBERNATEIDLE'];
export const POWERCFG_REQUESTS = ['powercfg', '/requests'];

export default defineProbe({
  id: 'sleep-settings',
  description: 'The PC cannot sleep or hibernate while syncs are due (sleep states, idle timeouts, what keeps it awake)',
  explain:
    'Desktop sync agents only run while the PC is awake. Reads which sleep states exist (`powercfg /a`), ' +
    'the current plan\'s idle timeouts for sleep and hibernate on AC power (`powercfg /query SCHEME_CURRENT ' +
    'SUB_SLEEP`), and, for evidence, what currently keeps the PC awake (`powercfg /requests`, which needs ' +
    'elevation; without it that part is noted, not failed). Fails when the PC sleeps or hibernates after an ' +
    'idle time on AC power.',
  params: Type.Object({}, { additionalProperties: false }),
  platforms: ['win32'],
  example: {},
  async run(_params, { facts }) {
    if (facts.platform !== 'win32') return { state: 'skip', summary: `Sleep settings are read on Windows only (this is ${facts.platform})` };
    const [avail, standby, hibernate] = await Promise.all([facts.runText(POWERCFG_A), facts.runText(POWERCFG_STANDBY_IDLE), facts.runText(POWERCFG_HIBERNATE_IDLE)]);
    for (const [r, argv] of [[avail, POWERCFG_A], [standby, POWERCFG_STANDBY_IDLE], [hibernate, POWERCFG_HIBERNATE_IDLE]] as const) {
      if (r.exitCode !== 0) throw new HostError(`${argv.join(' ')} exited with ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`);
    }
    const states = parsePowercfgAvailable(avail.stdout);
    const sleep = parsePowercfgQuery(standby.stdout);
    const hib = parsePowercfgQuery(hibernate.stdout);
    if (sleep.acSeconds === null) throw new HostError(`could not read the sleep timeout: ${sleep.problems.join('; ')}`, 'unparseable');
    // Unread is not "never": a hibernate timeout that could not be read could be 10 minutes.
    if (hib.acSeconds === null) throw new HostError(`could not read the hibernate timeout: ${hib.problems.join('; ') || 'no AC setting'}`, 'unparseable');
    // powercfg /a always lists states in one section or the other: none read means unreadable output.
    if (states.available.length === 0 && states.unavailable.length === 0) {
      throw new HostError(`could not read the sleep states (powercfg /a): ${states.problems[0] ?? 'no state listed'}`, 'unparseable');
    }

    const evidence = [
      `sleep states available: ${states.available.length ? states.available.join(', ') : 'none'}${states.modernStandby ? ' (Modern Standby)' : ''}`,
      `sleep after (AC): ${describe(sleep.acSeconds)}; on battery: ${describe(sleep.dcSeconds)}`,
      `hibernate after (AC): ${describe(hib.acSeconds)}; on battery: ${describe(hib.dcSeconds)}`,
      ...(await awakeRequests(facts)),
    ];
    const canSleep = states.available.some((s) => !/fast startup/i.test(s));
    const sleepsAfter = [sleep.acSeconds, hib.acSeconds].filter((s): s is number => s !== null && s > 0);
    if (canSleep && sleepsAfter.length) {
      const first = Math.min(...sleepsAfter);
      return {
        state: 'fail',
        summary: `The PC goes to sleep after ${formatDuration(first * 1000)} idle on AC power: syncs due while it sleeps are missed`,
        evidence,
        advice: {
          title: 'Keep the PC awake on AC power',
          steps: [
            'Settings > System > Power (& sleep): set "When plugged in, put my device to sleep after" to Never (and hibernate to Never).',
            'Or, as an administrator: powercfg /change standby-timeout-ac 0 and powercfg /change hibernate-timeout-ac 0',
            'If a group policy sets the power plan, change it there.',
          ],
        },
      };
    }
    return { state: 'pass', summary: canSleep ? 'The PC never sleeps or hibernates on AC power' : 'No sleep state is available on this PC', evidence };
  },
});

function describe(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  return seconds === 0 ? 'never' : formatDuration(seconds * 1000);
}

/** `powercfg /requests` as evidence only: unelevated it is refused, which tells nothing about sleep. */
async function awakeRequests(facts: import('../host/facts.js').HostFacts): Promise<string[]> {
  try {
    const r = await facts.runText(POWERCFG_REQUESTS);
    const parsed = parsePowercfgRequests(r.exitCode, r.stdout);
    const held = parsed.sections.flatMap((s) => s.entries.map((e) => `${s.name}: [${e.kind}] ${e.target}${e.reason ? ` (${e.reason})` : ''}`));
    return held.length ? held.map((h) => `keeps it awake now: ${h}`) : ['nothing requests to keep the PC awake now'];
  } catch (err) {
    return [`what keeps it awake: not read (${(err as Error).message})`];
  }
}
