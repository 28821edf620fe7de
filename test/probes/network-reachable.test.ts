// network-reachable against real sockets (loopback only, short timeouts) and replayed answers.
import net from 'node:net';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/core/formats.js';
import { HostFacts } from '../../src/host/facts.js';
import type { NetResult } from '../../src/host/host.js';
import { LiveHost } from '../../src/host/live.js';
import { SnapshotHost } from '../../src/host/snapshot.js';
import networkReachable from '../../src/probes/network-reachable.js';
import type { ProbeContext } from '../../src/probes/probe.js';

const live = (): ProbeContext => ({ facts: new HostFacts(new LiveHost()), signal: new AbortController().signal });

function replay(network: { target: string; result: NetResult }[]): ProbeContext {
  const host = new SnapshotHost({ syncdoctorSnapshot: 1, capturedAt: '2026-11-21T12:00:00Z', platform: 'win32', hostname: 'SITE-PC', uptimeSeconds: 3600, network });
  return { facts: new HostFacts(host), signal: new AbortController().signal };
}

/** A port on 127.0.0.1 that nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('network-reachable on real loopback sockets', () => {
  const server = net.createServer((socket) => socket.destroy());
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('passes when the port accepts a connection', async () => {
    const ctx = live();
    const out = await networkReachable.run({ target: `127.0.0.1:${port}`, timeout: '2s', what: 'the test server' }, ctx);
    expect(out.state).toBe('pass');
    expect(out.summary).toBe(`The test server (127.0.0.1:${port}) is reachable`);
    expect(ctx.facts.readLog).toContain(`TCP connect to 127.0.0.1:${port}: ok`);
  }, 5000);

  it('fails as "refused" on a closed loopback port, and says what that means', async () => {
    const target = `127.0.0.1:${await closedPort()}`;
    const out = await networkReachable.run({ target, timeout: '2s' }, live());
    expect(out.state).toBe('fail');
    expect(out.summary).toMatch(/refused the connection: the host answered, but nothing accepts connections on port \d+/);
    expect(out.evidence).toEqual([`TCP connection to ${target} (timeout 2s): refused`]);
  }, 5000);

  it('connects once per run, however many checks ask', async () => {
    const ctx = live();
    const target = `127.0.0.1:${port}`;
    const [a, b] = await Promise.all([networkReachable.run({ target, timeout: '2s' }, ctx), networkReachable.run({ target, timeout: '2s' }, ctx)]);
    expect([a.state, b.state]).toEqual(['pass', 'pass']);
    expect(ctx.facts.readLog.filter((l) => l.startsWith('TCP connect'))).toHaveLength(1);
  }, 5000);
});

describe('network-reachable on replayed answers', () => {
  it('explains a timeout: internet down, a firewall, or the server off', async () => {
    const out = await networkReachable.run({ target: 'pos.example.invalid:443', what: 'the POS server' }, replay([{ target: 'pos.example.invalid:443', result: 'timeout' }]));
    expect(out.state).toBe('fail');
    expect(out.summary).toBe(
      "The POS server (pos.example.invalid:443) did not answer within 5s: this PC's internet connection is down, a firewall drops the traffic, or the server is offline",
    );
  });

  it('explains a DNS failure with the host name', async () => {
    const out = await networkReachable.run({ target: 'qs.example.invalid:8443' }, replay([{ target: 'qs.example.invalid:8443', result: 'dns-error' }]));
    expect(out.state).toBe('fail');
    expect(out.summary).toMatch(/^qs\.example\.invalid:8443 could not be found: the name qs\.example\.invalid does not resolve \(DNS\)/);
  });

  it('names the port of a refusal, IPv6 included', async () => {
    const out = await networkReachable.run({ target: '[::1]:8080' }, replay([{ target: '[::1]:8080', result: 'refused' }]));
    expect(out.summary).toMatch(/nothing accepts connections on port 8080/);
  });

  it('cannot tell on a snapshot that never checked the target (the engine reports error)', async () => {
    await expect(networkReachable.run({ target: 'other.example.invalid:443', timeout: '3s' }, replay([]))).rejects.toThrow(
      /other\.example\.invalid:443 was not checked when this snapshot was captured/,
    );
  });
});

describe('network-reachable parameters', () => {
  const check = TypeCompiler.Compile(networkReachable.params);

  it.each(['server.example.com:443', '10.0.0.5:1', '[::1]:8080', '[fe80::1]:80', 'localhost:65535', 'my_host:80'])('accepts %s', (target) => {
    expect(check.Check({ target })).toBe(true);
  });

  it.each(['example', 'server.example.com', 'server:0', 'server:65536', 'server:http', 'http://server:443', 'a b:80', ':443', '::1:80', ''])('rejects %j', (target) => {
    expect(check.Check({ target })).toBe(false);
  });

  it('takes a duration as timeout and nothing else', () => {
    expect(check.Check({ target: 'a:1', timeout: '1500ms' })).toBe(true);
    expect(check.Check({ target: 'a:1', timeout: 'soon' })).toBe(false);
    expect(check.Check({ target: 'a:1', port: 443 })).toBe(false);
  });
});
