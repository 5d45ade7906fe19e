/**
 * The router as an ADS client (SotW) of our real xDS server: it starts with nothing but a static
 * xds_cluster, serves what the control plane sends, and applies route and endpoint changes under
 * bounded load without failing a request.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter } from '../../helpers/start-router.js';
import { startUpstream } from '../../helpers/upstream.js';
import { adsBootstrap, XdsTestServer } from '../../helpers/xds-test-server.js';
import { xdsEdsCluster, xdsListener, xdsLoadAssignment, xdsRouteConfig } from '../../helpers/xds-resources.js';

async function setup(t: { after: (fn: () => unknown) => void }, upstreamNames: string[]) {
  const upstreams = await Promise.all(upstreamNames.map((n) => startUpstream(n)));
  t.after(() => Promise.all(upstreams.map((u) => u.close())));
  const port = await freePort();
  const adminPort = await freePort();
  const xds = await XdsTestServer.start();
  t.after(() => xds.close());
  return { upstreams, port, adminPort, xds };
}

test('the router starts from ADS, serves, and shows the dynamic resources and xDS stats', async (t) => {
  const { upstreams: [a], port, adminPort, xds } = await setup(t, ['a']);
  xds.set({
    listeners: [xdsListener('ingress', port, 'routes')],
    routeConfigurations: [xdsRouteConfig('routes', 'svc-a')],
    clusters: [xdsEdsCluster('svc-a')],
    clusterLoadAssignments: [xdsLoadAssignment('svc-a', [a.address])],
  });
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort);
  t.after(() => router.stop());

  const r = await request(port);
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-upstream'], 'a');

  const ready = await request(adminPort, { path: '/ready' });
  assert.equal(ready.body, 'LIVE\n');
  const dump = JSON.parse((await request(adminPort, { path: '/config_dump' })).body) as { configs: Record<string, unknown>[] };
  const byType = (suffix: string) => dump.configs.find((c) => String(c['@type']).endsWith(suffix))!;
  const clusters = byType('ClustersConfigDump') as { version_info: string; dynamic_active_clusters: { version_info: string; cluster: { name: string } }[] };
  assert.equal(clusters.version_info, xds.version);
  assert.deepEqual(clusters.dynamic_active_clusters.map((c) => [c.cluster.name, c.version_info]), [['svc-a', xds.version]]);
  const listeners = byType('ListenersConfigDump') as { dynamic_listeners: { name: string; active_state: { version_info: string } }[] };
  assert.deepEqual(listeners.dynamic_listeners.map((l) => [l.name, l.active_state.version_info]), [['ingress', xds.version]]);
  const routes = byType('RoutesConfigDump') as { dynamic_route_configs: { route_config: { name: string } }[] };
  assert.deepEqual(routes.dynamic_route_configs.map((r) => r.route_config.name), ['routes']);
  const endpoints = byType('EndpointsConfigDump') as { dynamic_endpoint_configs: { endpoint_config: { cluster_name: string } }[] };
  assert.deepEqual(endpoints.dynamic_endpoint_configs.map((e) => e.endpoint_config.cluster_name), ['svc-a']);

  assert.equal(await readStat(adminPort, 'control_plane.connected_state'), 1);
  assert.ok((await readStat(adminPort, 'cluster_manager.cds.update_success')) >= 1);
  assert.ok((await readStat(adminPort, 'listener_manager.lds.update_success')) >= 1);
  assert.ok((await readStat(adminPort, 'http.ingress_http.rds.routes.update_success')) >= 1);
  assert.ok((await readStat(adminPort, 'cluster.svc-a.update_success')) >= 1);
  assert.equal(await readStat(adminPort, 'cluster_manager.cds.update_rejected'), 0);

  const [client] = xds.clients();
  assert.equal(client.nodeId, 'test-router');
  for (const status of Object.values(client.types)) assert.equal(status.ackedVersion, xds.version);
});

test('a route / weights change under load fails no request and shifts the traffic', async (t) => {
  const { upstreams: [a, b], port, adminPort, xds } = await setup(t, ['a', 'b']);
  const base = {
    listeners: [xdsListener('ingress', port, 'routes')],
    clusters: [xdsEdsCluster('svc-a'), xdsEdsCluster('svc-b')],
    clusterLoadAssignments: [xdsLoadAssignment('svc-a', [a.address]), xdsLoadAssignment('svc-b', [b.address])],
  };
  xds.set({ ...base, routeConfigurations: [xdsRouteConfig('routes', 'svc-a')] });
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort, { concurrency: 2 });
  t.after(() => router.stop());

  const agent = keepAliveAgent(8);
  t.after(() => agent.destroy());
  const seen: string[] = [];
  // Bounded by time (2.5 s), so the load surely spans both changes.
  const load = boundedLoad(100_000, 8, 2_500, async () => {
    const r = await request(port, { agent });
    seen.push(String(r.headers['x-upstream']));
    return r.status === 200;
  });
  await new Promise((r) => setTimeout(r, 300));
  xds.update({ routeConfigurations: [xdsRouteConfig('routes', { 'svc-a': 50, 'svc-b': 50 })] });
  await new Promise((r) => setTimeout(r, 300));
  const final = xds.update({ routeConfigurations: [xdsRouteConfig('routes', 'svc-b')] });
  await xds.waitFor(() => xds.clients()[0]?.types[Object.keys(xds.clients()[0].types).find((u) => u.endsWith('RouteConfiguration'))!]?.ackedVersion === final, 5_000, 'RDS ACK');
  const result = await load;
  assert.equal(result.failed, 0, `failed: ${result.errors.join(', ')}`);
  assert.ok(result.sent >= 200, `sent ${result.sent}`);
  assert.ok(seen.filter((u) => u === 'b').length >= 50, 'traffic reached b after the change');
  const after: string[] = [];
  for (let i = 0; i < 20; i++) after.push(String((await request(port, { agent })).headers['x-upstream']));
  assert.deepEqual(new Set(after), new Set(['b']), 'the keep-alive connections opened before the change see the new routes');
  assert.ok(a.hits > 0 && b.hits > 0);
});

test('an endpoint removed under load drains: no failed request, no new request to it', async (t) => {
  const { upstreams: [a1, a2], port, adminPort, xds } = await setup(t, ['a1', 'a2']);
  xds.set({
    listeners: [xdsListener('ingress', port, 'routes')],
    routeConfigurations: [xdsRouteConfig('routes', 'svc-a')],
    clusters: [xdsEdsCluster('svc-a')],
    clusterLoadAssignments: [xdsLoadAssignment('svc-a', [a1.address, a2.address])],
  });
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort, { concurrency: 2 });
  t.after(() => router.stop());
  a2.behaviour.delayMs = 20; // requests are in flight on a2 when it goes

  const agent = keepAliveAgent(8);
  t.after(() => agent.destroy());
  let removedAt = Infinity;
  let a2HitsAtRemoval = 0;
  let afterRemoval = 0;
  const load = boundedLoad(100_000, 8, 3_000, async () => {
    const ok = (await request(port, { agent })).status === 200;
    if (Date.now() > removedAt) afterRemoval++;
    return ok;
  });
  await xds.waitFor(() => a2.hits > 20, 5_000, 'traffic on a2');
  const version = xds.update({ clusterLoadAssignments: [xdsLoadAssignment('svc-a', [a1.address])] });
  await xds.waitFor(() => {
    const c = xds.clients()[0];
    const eds = Object.entries(c?.types ?? {}).find(([u]) => u.endsWith('ClusterLoadAssignment'));
    return eds?.[1].ackedVersion === version;
  }, 5_000, 'EDS ACK');
  // Both workers apply the config right after the primary ACKs; give them a moment.
  await new Promise((r) => setTimeout(r, 200));
  removedAt = Date.now();
  a2HitsAtRemoval = a2.hits;
  const result = await load;
  assert.equal(result.failed, 0, `failed: ${result.errors.join(', ')}`);
  assert.ok(afterRemoval >= 100, `load went on after the removal (${afterRemoval} requests)`);
  assert.equal(a2.hits, a2HitsAtRemoval, 'a removed host gets no new requests');
  await xds.waitFor(async () => (await connectionsOpen(a2)) === 0, 5_000, 'a2 pooled connections closed');
});

async function connectionsOpen(u: { server: import('node:http').Server }): Promise<number> {
  return new Promise((resolve) => u.server.getConnections((_e, n) => resolve(n)));
}

test('60 route, endpoint and cluster updates under load: no request fails', async (t) => {
  const { upstreams: [a1, a2, b], port, adminPort, xds } = await setup(t, ['a1', 'a2', 'b']);
  const base = {
    listeners: [xdsListener('ingress', port, 'routes')],
    clusters: [xdsEdsCluster('svc-a'), xdsEdsCluster('svc-b')],
  };
  xds.set({ ...base, routeConfigurations: [xdsRouteConfig('routes', 'svc-a')], clusterLoadAssignments: [xdsLoadAssignment('svc-a', [a1.address, a2.address]), xdsLoadAssignment('svc-b', [b.address])] });
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort, { concurrency: 2 });
  t.after(() => router.stop());
  const agent = keepAliveAgent(8);
  t.after(() => agent.destroy());
  const load = boundedLoad(200_000, 8, 4_000, async () => (await request(port, { agent })).status === 200);
  for (let i = 0; i < 60; i++) {
    const weights = { 'svc-a': 1 + (i % 5) * 20, 'svc-b': 100 - (i % 5) * 20 };
    const endpoints = i % 3 === 0 ? [a1.address] : i % 3 === 1 ? [a2.address] : [a1.address, a2.address];
    // Every 7th update also changes svc-b's config: the cluster is replaced under load.
    const clusters = [xdsEdsCluster('svc-a'), xdsEdsCluster('svc-b', { connect_timeout: { seconds: 1 + (Math.floor(i / 7) % 3), nanos: 0 } })];
    xds.update({ clusters, routeConfigurations: [xdsRouteConfig('routes', weights)], clusterLoadAssignments: [xdsLoadAssignment('svc-a', endpoints), xdsLoadAssignment('svc-b', [b.address])] });
    await new Promise((r) => setTimeout(r, 40));
    if (i % 10 === 5) assert.equal((await request(adminPort, { path: '/ready' })).status, 200, '/ready stays LIVE while updates apply');
  }
  const last = xds.version;
  await xds.waitFor(() => xds.ackedVersion('RouteConfiguration') === last && xds.ackedVersion('ClusterLoadAssignment') === last, 5_000, 'the last version ACKed');
  const result = await load;
  assert.equal(result.failed, 0, `failed: ${result.errors.join(', ')}`);
  assert.ok(a1.hits > 0 && a2.hits > 0 && b.hits > 0);
  assert.equal(await readStat(adminPort, 'cluster_manager.cds.update_rejected'), 0);
});
