/** The TCP health checker against a real net server: connect-only, send/receive, a host that stops listening. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { HealthCheckerStats } from '../../../../src/router/health/health-check-stats.js';
import { matchesInOrder, TcpHealthChecker } from '../../../../src/router/health/tcp-health-checker.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { HealthFlag } from '../../../../src/router/upstream/host.js';
import { healthCheckConfig, makeHost, RecordingTarget, waitFor } from './fixtures.js';

const failed = (h: { healthFlags: number }): boolean => (h.healthFlags & HealthFlag.FailedActiveHealthCheck) !== 0;

async function listen(server: net.Server, port = 0): Promise<number> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

function fast(extra = {}) {
  return healthCheckConfig({ intervalMs: 20, unhealthyIntervalMs: 20, healthyEdgeIntervalMs: 20, unhealthyEdgeIntervalMs: 20, timeoutMs: 300, unhealthyThreshold: 2, healthyThreshold: 2, ...extra });
}

test('TCP connect-only: healthy while listening, failed after unhealthy_threshold once it stops, back after healthy_threshold', async (t) => {
  const sockets = new Set<net.Socket>();
  const serve = (): net.Server => net.createServer((s) => (sockets.add(s), s.on('close', () => sockets.delete(s)), s.on('error', () => {})));
  let server = serve();
  const port = await listen(server);
  const host = makeHost(port);
  const stats = new HealthCheckerStats(new StatsStore(), 'tcp');
  const checker = new TcpHealthChecker(fast({ checker: { kind: 'tcp', send: null, receive: [] } }), new RecordingTarget('tcp', [host]), { stats, eventLogger: null });
  t.after(() => checker.stop());
  await checker.updateHosts([host]);
  assert.equal(failed(host), false);

  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  assert.ok(await waitFor(() => failed(host)), 'failed once the port refuses');
  assert.equal(stats.networkFailure.value, 2);

  server = serve();
  await listen(server, port);
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const before = stats.success.value;
  assert.ok(await waitFor(() => !failed(host)), 'back');
  assert.equal(stats.success.value - before, 2);
  checker.stop();
  for (const s of sockets) s.destroy();
});

test('TCP send/receive: passes only when the expected bytes come back', async (t) => {
  let answer = 'PONG';
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.on('data', (d) => {
      if (d.toString() === 'PING') s.write(answer);
    });
  });
  const port = await listen(server);
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const host = makeHost(port);
  const stats = new HealthCheckerStats(new StatsStore(), 'tcp');
  const checker = new TcpHealthChecker(fast({ checker: { kind: 'tcp', send: Buffer.from('PING'), receive: [Buffer.from('PO'), Buffer.from('NG')] } }), new RecordingTarget('tcp', [host]), { stats, eventLogger: null });
  t.after(() => checker.stop());
  await checker.updateHosts([host]);
  assert.equal(failed(host), false);
  answer = 'NOPE';
  assert.ok(await waitFor(() => failed(host)), 'a wrong answer times out twice');
  assert.equal(stats.networkFailure.value, 2);
  checker.stop();
});

const cases = [
  { name: 'all payloads in order', data: 'abcdef', payloads: ['ab', 'de'], expected: true },
  { name: 'out of order fails', data: 'abcdef', payloads: ['de', 'ab'], expected: false },
  { name: 'missing payload fails', data: 'abc', payloads: ['x'], expected: false },
  { name: 'no payloads match anything', data: '', payloads: [], expected: true },
];
for (const c of cases) {
  test(`matchesInOrder: ${c.name}`, () => {
    assert.equal(matchesInOrder(Buffer.from(c.data), c.payloads.map((p) => Buffer.from(p))), c.expected);
  });
}
