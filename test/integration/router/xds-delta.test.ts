/**
 * The same router over incremental xDS (ads_config.api_type DELTA_GRPC): it serves, applies
 * changes and removals, and after the control plane restarts it resubscribes with
 * initial_resource_versions, so the server resends only what changed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter } from '../../helpers/start-router.js';
import { startUpstream } from '../../helpers/upstream.js';
import { adsBootstrap, XdsTestServer } from '../../helpers/xds-test-server.js';
import { twoServiceResources, xdsEdsCluster, xdsLoadAssignment, xdsRouteConfig } from '../../helpers/xds-resources.js';

test('Delta ADS: serve, update, remove, NACK, and reconnect with initial_resource_versions', async (t) => {
  const [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
  t.after(() => Promise.all([a.close(), b.close()]));
  const port = await freePort();
  const adminPort = await freePort();
  const xds = await XdsTestServer.start(twoServiceResources(port, a.address, b.address));
  t.after(() => xds.close());
  const router = await startRouter(adsBootstrap(adminPort, xds.port, 'DELTA_GRPC', 'google_grpc'), adminPort);
  t.after(() => router.stop());
  assert.equal((await request(port)).headers['x-upstream'], 'a');
  assert.equal(xds.clients()[0].streamKind, 'ads-delta');

  // A route change, then svc-a removed (Delta removed_resources) once nothing routes to it.
  xds.update({ routeConfigurations: [xdsRouteConfig('routes', 'svc-b')] });
  await xds.waitFor(async () => (await request(port)).headers['x-upstream'] === 'b', 5_000, 'the new route');
  xds.update({ clusters: [xdsEdsCluster('svc-b')], clusterLoadAssignments: [xdsLoadAssignment('svc-b', [b.address])] });
  await xds.waitFor(() => xds.responses.some((r) => r.typeUrl.endsWith('Cluster') && r.removed.includes('svc-a')), 5_000, 'svc-a removed');
  await xds.waitFor(async () => {
    const dump = JSON.parse((await request(adminPort, { path: '/config_dump' })).body) as { configs: { dynamic_active_clusters?: { cluster: { name: string } }[] }[] };
    const names = dump.configs.flatMap((c) => c.dynamic_active_clusters ?? []).map((c) => c.cluster.name);
    return names.length === 1 && names[0] === 'svc-b';
  }, 5_000, 'svc-a gone from config_dump');
  assert.equal((await request(port)).headers['x-upstream'], 'b');

  // A bad resource is NACKed on Delta too.
  xds.update({ clusters: [xdsEdsCluster('svc-b', { lb_policy: 'CLUSTER_PROVIDED' })] });
  await xds.waitFor(() => xds.nacks.some((n) => n.typeUrl.endsWith('Cluster')), 5_000, 'the Delta NACK');
  assert.equal((await request(port)).headers['x-upstream'], 'b', 'still serving');
  xds.update({ clusters: [xdsEdsCluster('svc-b')] });

  // Restart: the router resubscribes with what it holds; unchanged resources are not resent.
  await xds.waitFor(() => xds.ackedVersion('Cluster') === xds.version, 5_000, 'CDS ACK');
  await xds.close();
  await xds.waitFor(async () => (await readStat(adminPort, 'control_plane.connected_state')) === 0, 5_000, 'disconnected');
  const before = xds.responses.length;
  await xds.restart();
  await xds.waitFor(() => xds.clients().length === 1, 10_000, 'reconnect');
  await new Promise((r) => setTimeout(r, 300));
  const resent = xds.responses.slice(before).flatMap((r) => r.resources);
  assert.deepEqual(resent, [], `nothing unchanged is resent after reconnect (got ${resent.join(', ')})`);
  xds.update({ routeConfigurations: [xdsRouteConfig('routes', 'svc-b', { request_headers_to_add: [{ header: { key: 'x-v', value: 'after-restart' } }] })] });
  await xds.waitFor(async () => JSON.parse((await request(port)).body).headers['x-v'] === 'after-restart', 5_000, 'the resynced route');
});
