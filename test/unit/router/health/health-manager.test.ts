/**
 * HealthManager.sync against a real HTTP server: checkers and detectors follow clusters by
 * identity, a replaced cluster's new hosts inherit the active health of the hosts they replace,
 * removed clusters stop, and health_check_config.port_value is where checks go.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type net from 'node:net';
import { test } from 'node:test';
import { HealthManager } from '../../../../src/router/health/health-manager.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { HealthFlag, type Host } from '../../../../src/router/upstream/host.js';
import type { HealthCheck, OutlierDetection } from '../../../../src/xds/resources/cluster.types.js';
import { healthCheckConfig, makeHost, outlierConfig, RecordingTarget, waitFor } from './fixtures.js';

class FakeCluster extends RecordingTarget {
  constructor(
    name: string,
    hosts: Host[],
    readonly config: { healthChecks: HealthCheck[]; outlierDetection: OutlierDetection | null },
  ) {
    super(name, hosts);
  }
}

async function server(status: () => number): Promise<{ port: number; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const s = http.createServer((_req, res) => {
    hits++;
    res.writeHead(status()).end();
  });
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return {
    port: (s.address() as net.AddressInfo).port,
    hits: () => hits,
    close: () => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r()))),
  };
}

const activeFailed = (h: Host): boolean => (h.healthFlags & HealthFlag.FailedActiveHealthCheck) !== 0;
const slow = healthCheckConfig({ intervalMs: 60_000, unhealthyIntervalMs: 60_000, noTrafficIntervalMs: 60_000 });

test('sync starts, follows, inherits and stops per cluster object', async (t) => {
  let code = 200;
  const up = await server(() => code);
  t.after(() => up.close());
  const store = new StatsStore();
  const manager = new HealthManager(store);
  t.after(() => manager.stopAll());

  const a1 = new FakeCluster('a', [makeHost(up.port)], { healthChecks: [slow], outlierDetection: outlierConfig() });
  const plain = new FakeCluster('plain', [makeHost(up.port)], { healthChecks: [], outlierDetection: null });
  await manager.sync([a1, plain]);
  assert.equal(activeFailed(a1.hosts[0]), false, 'first check passed before sync resolved');
  assert.notEqual(a1.hosts[0].outlier, null, 'outlier monitor attached');
  assert.equal(plain.hosts[0].outlier, null);
  assert.equal(plain.hosts[0].healthFlags, 0);
  assert.equal(up.hits(), 1);

  // EDS: a new host joins the same cluster object: it starts failed and joins once checked.
  const joined = makeHost(up.port, '127.0.0.1');
  a1.hosts = [a1.hosts[0], joined];
  await manager.sync([a1, plain]);
  assert.equal(activeFailed(joined), true, 'no wait for hosts added to a known cluster');
  assert.ok(await waitFor(() => !activeFailed(joined)));
  assert.equal(up.hits(), 2, 'only the new host was checked');

  // A config change replaces the cluster: new Host objects start with the old hosts' health.
  code = 503;
  const a2 = new FakeCluster('a', [makeHost(up.port)], { healthChecks: [slow], outlierDetection: null });
  await manager.sync([a2, plain]);
  assert.equal(activeFailed(a2.hosts[0]), false, 'inherited healthy, not failed while the first check runs');
  assert.ok(await waitFor(() => activeFailed(a2.hosts[0])), 'then its own check decides (503 ejects)');
  assert.equal(a1.hosts[0].outlier, null, 'the replaced cluster’s detector was stopped');
  assert.equal(store.gauge('cluster.a.health_check.healthy').value, 0);

  await manager.sync([plain]);
  const hits = up.hits();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(up.hits(), hits, 'a removed cluster is no longer checked');
});

test('checks go to health_check_config.port_value when set', async (t) => {
  const up = await server(() => 200);
  t.after(() => up.close());
  const manager = new HealthManager(new StatsStore());
  t.after(() => manager.stopAll());
  const host = makeHost(1, '127.0.0.1', up.port); // the serving port 1 would refuse
  await manager.sync([new FakeCluster('hc-port', [host], { healthChecks: [slow], outlierDetection: null })]);
  assert.equal(activeFailed(host), false);
  assert.equal(up.hits(), 1);
});
