import { Type } from '@sinclair/typebox';
import { DURATION_FORMAT, DURATION_HINT, DURATION_PATTERN, formatDuration, parseDuration } from '../core/duration.js';
import { defineProbe } from './probe.js';

export default defineProbe({
  id: 'machine-awake',
  description: 'The machine is on and awake (uptime and boot time as evidence); optionally warns after a recent boot',
  explain:
    'A run on the PC proves it is on and awake at that moment; the evidence is its uptime and boot time. ' +
    'With `recentBootWithin`, a boot more recent than that is a warning (the PC was off: expect a re-sync ' +
    'backlog, e.g. QuikStor needs 10-15 minutes after power-on).',
  params: Type.Object(
    {
      recentBootWithin: Type.Optional(Type.String({ pattern: DURATION_PATTERN, format: DURATION_FORMAT, description: DURATION_HINT })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: {},
  async run(params, { facts }) {
    const uptime = await facts.uptimeSeconds();
    const boot = new Date(facts.now().getTime() - uptime * 1000);
    const evidence = [`uptime ${formatDuration(uptime * 1000)}`, `booted ${boot.toISOString()}`];
    const within = params.recentBootWithin ? parseDuration(params.recentBootWithin) : undefined;
    if (within !== undefined && uptime * 1000 < within) {
      return { state: 'warn', summary: `The PC is on, but it started only ${formatDuration(uptime * 1000)} ago (it was off or restarted)`, evidence };
    }
    return { state: 'pass', summary: `The PC is on and awake (up ${formatDuration(uptime * 1000)})`, evidence };
  },
});
