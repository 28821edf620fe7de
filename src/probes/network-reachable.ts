import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN, TIMER_FORMAT, TIMER_HINT, formatDuration, parseDuration } from '../core/duration.js';
import type { NetResult } from '../host/host.js';
import { defineProbe } from './probe.js';

const DEFAULT_TIMEOUT = '5s';

/**
 * "host:port" or "[IPv6]:port", port 1-65535. In the schema, so a bad target is a playbook (or
 * --set) error at load time rather than a confusing result on the PC.
 */
export const TARGET_PATTERN =
  '^(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)' +
  ':(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';

/** What each answer means, in words a technician can act on. */
function failSummary(result: Exclude<NetResult, 'ok'>, label: string, host: string, port: string, timeout: string): string {
  switch (result) {
    case 'refused':
      return (
        `${label} refused the connection: the host answered, but nothing accepts connections on port ${port} ` +
        '(the server or its service is down, or a firewall rejects the traffic)'
      );
    case 'timeout':
      return (
        `${label} did not answer within ${timeout}: this PC's internet connection is down, a firewall ` +
        'drops the traffic, or the server is offline'
      );
    case 'dns-error':
      return (
        `${label} could not be found: the name ${host} does not resolve (DNS), so this PC has no working ` +
        'internet connection or DNS server, or the name is misspelt'
      );
  }
}

export default defineProbe({
  id: 'network-reachable',
  description: 'A TCP connection to host:port succeeds (internet and server reachable from this PC)',
  explain:
    'Opens a TCP connection to `target` ("host:port") and closes it at once; nothing is sent. It passes ' +
    'when the connection is accepted. A refusal (the host answered, nothing listens on that port), no ' +
    'answer within `timeout` (default 5s: internet down, a firewall drops it, or the server is off) and a ' +
    'name that does not resolve (DNS) each fail, with that explanation. One attempt per run, shared by ' +
    'every check that asks; on a snapshot the recorded answer is replayed (unrecorded = no answer).',
  params: Type.Object(
    {
      target: Type.String({ pattern: TARGET_PATTERN, description: 'host:port, e.g. "server.example.com:443" or "[::1]:8080"' }),
      timeout: Type.Optional(Type.String({ pattern: DURATION_PATTERN, format: TIMER_FORMAT, description: TIMER_HINT })),
      what: Type.Optional(Type.String({ description: 'what the target is, for messages, e.g. "the POS server"' })),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { target: 'sync.example.com:443', timeout: '1s' },
  async run(params, { facts }) {
    const timeoutMs = parseDuration(params.timeout ?? DEFAULT_TIMEOUT) ?? 5000;
    const timeout = formatDuration(timeoutMs);
    const what = params.what?.trim();
    // The label starts the summary: "The POS server (host:443) is reachable".
    const label = what ? `${what.charAt(0).toUpperCase()}${what.slice(1)} (${params.target})` : params.target;
    // The schema guarantees the shape; the last colon splits it, since an IPv6 host has its own.
    const colon = params.target.lastIndexOf(':');
    const host = params.target.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const port = params.target.slice(colon + 1);
    const result = await facts.connect(params.target, timeoutMs);
    const evidence = [`TCP connection to ${params.target} (timeout ${timeout}): ${result}`];
    if (result === 'ok') return { state: 'pass', summary: `${label} is reachable`, evidence };
    return { state: 'fail', summary: failSummary(result, label, host, port, timeout), evidence };
  },
});
