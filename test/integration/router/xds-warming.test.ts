/**
 * Initialization and make-before-break with a real control plane: the router is not LIVE before
 * its first config; a listener switched to a new RouteConfiguration, a cluster removed together
 * with the route that used it, and a removed listener all leave requests in flight unharmed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { startRouter } from '../../helpers/start-router.js';
import { startUpstream } from '../../helpers/upstream.js';
import { adsBootstrap, XdsTestServer } from '../../helpers/xds-test-server.js';
import { xdsEdsCluster, xdsListener, xdsLoadAssignment, xdsRouteConfig } from '../../helpers/xds-resources.js';

test('admin /ready is PRE_INITIALIZING until the first config from the control plane is served', async (t) => {
  const a = await startUpstream('a');
  t.after(() => a.close());
  const port = await freePort();
  const adminPort = await freePort();
  const xds = await XdsTestServer.start(); // no snapshot yet: the stream waits
  t.after(() => xds.close());
  const starting = startRouter(adsBootstrap(adminPort, xds.port), adminPort);
  let before: { status: number; body: string } | null = null;
  await xds.waitFor(async () => {
    try {
      before = await request(adminPort, { path: '/ready', timeoutMs: 500 });
      return true;
    } catch {
      return false;
    }
  }, 10_000, 'the admin server');
  await xds.waitFor(() => xds.clients().length === 1, 10_000, 'the ADS stream');
  assert.deepEqual({ status: before!.status, body: before!.body }, { status: 503, body: 'PRE_INITIALIZING\n' });
  xds.set({
    listeners: [xdsListener('ingress', port, 'routes')],
    routeConfigurations: [xdsRouteConfig('routes', 'svc-a')],
    clusters: [xdsEdsCluster('svc-a')],
    clusterLoadAssignments: [xdsLoadAssignment('svc-a', [a.address])],
  });
  const router = await starting;
  t.after(() => router.stop());
  assert.equal((await request(adminPort, { path: '/ready' })).body, 'LIVE\n');
  assert.equal((await request(port)).status, 200);
});

test('listener switched to a new RDS, cluster removed with its route, listener removed: no request fails', async (t) => {
  const [a, b] = await Promise.all([startUpstream('a', { delayMs: 30 }), startUpstream('b', { delayMs: 30 })]);
  t.after(() => Promise.all([a.close(), b.close()]));
  const port = await freePort();
  const port2 = await freePort();
  const adminPort = await freePort();
  const xds = await XdsTestServer.start({
    listeners: [xdsListener('ingress', port, 'routes-1'), xdsListener('extra', port2, 'routes-1')],
    routeConfigurations: [xdsRouteConfig('routes-1', 'svc-a')],
    clusters: [xdsEdsCluster('svc-a'), xdsEdsCluster('svc-b')],
    clusterLoadAssignments: [xdsLoadAssignment('svc-a', [a.address]), xdsLoadAssignment('svc-b', [b.address])],
  });
  t.after(() => xds.close());
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort, { concurrency: 2 });
  t.after(() => router.stop());

  const agent = keepAliveAgent(8);
  t.after(() => agent.destroy());
  const seen: string[] = [];
  const load = boundedLoad(3000, 8, 6_000, async () => {
    const r = await request(port, { agent });
    seen.push(String(r.headers['x-upstream']));
    return r.status === 200;
  });
  // Requests in flight on port2 when its listener goes away.
  const extra = Promise.all(Array.from({ length: 4 }, () => request(port2).then((r) => r.status)));
  await new Promise((r) => setTimeout(r, 10));

  // One snapshot: the listener moves to routes-2 (→ svc-b), svc-a and the extra listener are removed.
  const version = xds.set({
    listeners: [xdsListener('ingress', port, 'routes-2')],
    routeConfigurations: [xdsRouteConfig('routes-2', 'svc-b')],
    clusters: [xdsEdsCluster('svc-b')],
    clusterLoadAssignments: [xdsLoadAssignment('svc-b', [b.address])],
  });
  assert.deepEqual(await extra, [200, 200, 200, 200], 'requests in flight on a removed listener finish');
  await xds.waitFor(() => xds.ackedVersion('RouteConfiguration') === version && xds.ackedVersion('Listener') === version, 5_000, 'ACKs');
  await xds.waitFor(() => seen.slice(-8).every((u) => u === 'b') && seen.length > 8, 5_000, 'traffic on svc-b');
  const result = await load;
  assert.equal(result.failed, 0, `failed: ${result.errors.join(', ')}`);
  assert.ok(seen.includes('a') && seen.includes('b'));
  await xds.waitFor(async () => {
    try {
      await request(port2, { timeoutMs: 500 });
      return false;
    } catch {
      return true; // refused: the removed listener is closed
    }
  }, 7_000, 'the removed listener to close');
});
