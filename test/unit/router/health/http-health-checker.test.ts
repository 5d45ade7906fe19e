/**
 * The HTTP health checker against a real node:http server on 127.0.0.1: the request it sends,
 * immediate ejection on a bad status, return after healthy_threshold passes, timeouts counted as
 * network failures with unhealthy_threshold, kept connections, stats and the event log.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { closeEventLogFiles, EventLogFile } from '../../../../src/router/health/event-log-file.js';
import { HealthCheckEventLogger } from '../../../../src/router/health/health-check-event-logger.js';
import { HealthCheckerStats } from '../../../../src/router/health/health-check-stats.js';
import { HttpHealthChecker } from '../../../../src/router/health/http-health-checker.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { HealthFlag } from '../../../../src/router/upstream/host.js';
import { healthCheckConfig, makeHost, RecordingTarget, waitFor } from './fixtures.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

async function startServer(): Promise<{ port: number; seen: Seen[]; status: { code: number; hang: boolean }; connections: () => number; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const status = { code: 200, hang: false };
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (status.hang) return;
    res.writeHead(status.code, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  server.on('connection', (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    status,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const failed = (h: { healthFlags: number }): boolean => (h.healthFlags & HealthFlag.FailedActiveHealthCheck) !== 0;

test('HTTP checks: Envoy/HC request, immediate ejection on 503, back after healthy_threshold, event log', async (t) => {
  const server = await startServer();
  t.after(() => server.close());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hc-events-'));
  const logPath = path.join(dir, 'hc.log');
  const host = makeHost(server.port);
  const target = new RecordingTarget('svc', [host]);
  const store = new StatsStore();
  const stats = new HealthCheckerStats(store, 'svc');
  const config = healthCheckConfig({ intervalMs: 30, unhealthyIntervalMs: 30, healthyEdgeIntervalMs: 30, unhealthyEdgeIntervalMs: 30, timeoutMs: 500, healthyThreshold: 2, unhealthyThreshold: 3 });
  const checker = new HttpHealthChecker(config, target, { stats, eventLogger: new HealthCheckEventLogger(EventLogFile.forPath(logPath), 'HTTP', 'svc') });
  t.after(() => checker.stop());

  const first = checker.updateHosts([host]);
  assert.equal(failed(host), true, 'a new host starts failed_active_hc');
  assert.equal(target.changes, 1);
  await first;
  assert.equal(failed(host), false, 'the first passing check clears it at once');
  assert.equal(stats.healthy.value, 1);
  const req = server.seen[0];
  assert.equal(req.method, 'GET');
  assert.equal(req.url, '/healthz');
  assert.equal(req.headers.host, 'svc', 'host defaults to the cluster name');
  assert.equal(req.headers['user-agent'], 'Envoy/HC');

  assert.ok(await waitFor(() => server.seen.length >= 5), 'keeps checking');
  assert.equal(server.connections(), 1, 'the connection is reused between checks');

  server.status.code = 503;
  assert.ok(await waitFor(() => failed(host)), 'ejected');
  const failuresAtEjection = stats.failure.value;
  assert.equal(failuresAtEjection, 1, 'one bad status is enough (unhealthy_threshold is for network failures)');
  assert.equal(stats.healthy.value, 0);

  server.status.code = 200;
  const successesBefore = stats.success.value;
  assert.ok(await waitFor(() => !failed(host)), 'back');
  assert.equal(stats.success.value - successesBefore, 2, 'after healthy_threshold passes');
  assert.ok(stats.attempt.value >= stats.success.value + stats.failure.value);
  assert.equal(stats.networkFailure.value, 0);

  checker.stop();
  await closeEventLogFiles();
  const events = (await readFile(logPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const kinds = events.map((e) => Object.keys(e).find((k) => k.endsWith('_event')));
  assert.deepEqual(kinds, ['add_healthy_event', 'eject_unhealthy_event', 'add_healthy_event']);
  assert.deepEqual(events[0].add_healthy_event, { first_check: true });
  assert.deepEqual(events[1].eject_unhealthy_event, { failure_type: 'ACTIVE' });
  assert.deepEqual(events[1].host, { socket_address: { protocol: 'TCP', address: '127.0.0.1', port_value: server.port, resolver_name: '', ipv4_compat: false } });
  assert.equal(events[1].health_checker_type, 'HTTP');
  assert.equal(events[1].cluster_name, 'svc');
  assert.match(String(events[1].timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('HTTP checks: a hanging host fails by timeout after unhealthy_threshold; host and expected_statuses from config', async (t) => {
  const server = await startServer();
  t.after(() => server.close());
  const host = makeHost(server.port);
  const target = new RecordingTarget('svc', [host]);
  const stats = new HealthCheckerStats(new StatsStore(), 'svc');
  const config = healthCheckConfig({
    intervalMs: 20,
    unhealthyIntervalMs: 20,
    healthyEdgeIntervalMs: 20,
    unhealthyEdgeIntervalMs: 20,
    timeoutMs: 80,
    unhealthyThreshold: 3,
    checker: { kind: 'http', host: 'health.internal', path: '/ready', expectedStatuses: [[200, 300], [404, 405]], retriableStatuses: [], method: 'GET' },
  });
  server.status.code = 404;
  const checker = new HttpHealthChecker(config, target, { stats, eventLogger: null });
  t.after(() => checker.stop());
  await checker.updateHosts([host]);
  assert.equal(failed(host), false, '404 is expected here');
  assert.equal(server.seen[0].headers.host, 'health.internal');
  assert.equal(server.seen[0].url, '/ready');

  server.status.hang = true;
  assert.ok(await waitFor(() => failed(host)), 'ejected by timeouts');
  assert.equal(stats.networkFailure.value, 3, 'after three timeouts');
  assert.equal(stats.failure.value, 3);
});

test('HTTP checks: a status in retriable_statuses waits for unhealthy_threshold', async (t) => {
  const server = await startServer();
  t.after(() => server.close());
  const host = makeHost(server.port);
  const stats = new HealthCheckerStats(new StatsStore(), 'svc');
  const config = healthCheckConfig({
    intervalMs: 20,
    unhealthyIntervalMs: 20,
    healthyEdgeIntervalMs: 20,
    unhealthyEdgeIntervalMs: 20,
    unhealthyThreshold: 3,
    checker: { kind: 'http', host: '', path: '/healthz', expectedStatuses: [[200, 201]], retriableStatuses: [[500, 600]], method: 'GET' },
  });
  const checker = new HttpHealthChecker(config, new RecordingTarget('svc', [host]), { stats, eventLogger: null });
  t.after(() => checker.stop());
  await checker.updateHosts([host]);
  server.status.code = 503;
  assert.ok(await waitFor(() => stats.failure.value >= 1));
  assert.equal(failed(host), stats.failure.value >= 3, 'not ejected by the first retriable status');
  assert.ok(await waitFor(() => failed(host)));
  assert.equal(stats.failure.value, 3, 'ejected by the third');
  assert.equal(stats.networkFailure.value, 0);
});

test('HTTP checks: a refused connection is a network failure', async () => {
  const server = await startServer();
  const port = server.port;
  await server.close();
  const host = makeHost(port);
  const stats = new HealthCheckerStats(new StatsStore(), 'svc');
  const checker = new HttpHealthChecker(healthCheckConfig({ timeoutMs: 1000 }), new RecordingTarget('svc', [host]), { stats, eventLogger: null });
  await checker.updateHosts([host]);
  checker.stop();
  assert.equal(failed(host), true);
  assert.equal(stats.networkFailure.value, 1);
});

test('HTTP checks: reuse_connection false opens a connection per check; initial_jitter delays the first; always_log_health_check_success', async (t) => {
  const server = await startServer();
  t.after(() => server.close());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hc-events-'));
  const logPath = path.join(dir, 'hc.log');
  const host = makeHost(server.port);
  const stats = new HealthCheckerStats(new StatsStore(), 'svc');
  const config = healthCheckConfig({
    intervalMs: 20,
    healthyEdgeIntervalMs: 20,
    initialJitterMs: 150,
    reuseConnection: false,
    alwaysLogHealthCheckSuccess: true,
  });
  const checker = new HttpHealthChecker(config, new RecordingTarget('svc', [host]), {
    stats,
    eventLogger: new HealthCheckEventLogger(EventLogFile.forPath(logPath), 'HTTP', 'svc'),
    random: () => 0.999, // the largest jitter: 149 ms
  });
  t.after(() => checker.stop());
  const started = Date.now();
  await checker.updateHosts([host]);
  assert.ok(Date.now() - started >= 140, `first check after ${Date.now() - started}ms`);
  assert.ok(await waitFor(() => server.seen.length >= 4));
  checker.stop();
  assert.ok(server.connections() >= 3, `one connection per check (${server.connections()} for ${server.seen.length})`);
  await closeEventLogFiles();
  const kinds = (await readFile(logPath, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => Object.keys(JSON.parse(l) as object).find((k) => k.endsWith('_event')));
  assert.equal(kinds[0], 'add_healthy_event');
  assert.ok(kinds.length >= 3 && kinds.slice(1).every((k) => k === 'successful_health_check_event'), kinds.join(','));
});

after(() => closeEventLogFiles());
