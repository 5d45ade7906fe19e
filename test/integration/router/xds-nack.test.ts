/**
 * A resource the router cannot accept is NACKed (error_detail with every `path: message`, seen by
 * the server), the whole response is rejected and the router keeps serving its last good config;
 * a later valid update is accepted again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter } from '../../helpers/start-router.js';
import { startUpstream } from '../../helpers/upstream.js';
import { adsBootstrap, XdsTestServer } from '../../helpers/xds-test-server.js';
import { twoServiceResources, xdsEdsCluster, xdsRouteConfig } from '../../helpers/xds-resources.js';

test('an invalid RouteConfiguration and an invalid Cluster are NACKed; the router keeps serving the old config', async (t) => {
  const [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
  t.after(() => Promise.all([a.close(), b.close()]));
  const port = await freePort();
  const adminPort = await freePort();
  const xds = await XdsTestServer.start(twoServiceResources(port, a.address, b.address));
  t.after(() => xds.close());
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort);
  t.after(() => router.stop());
  assert.equal((await request(port)).headers['x-upstream'], 'a');
  const good = xds.version;

  // A bad RE2 pattern, in a route that would send everything to svc-b.
  const badRoutes = xdsRouteConfig('routes', 'svc-b', { match: { safe_regex: { regex: '/(unclosed' } } });
  const badVersion = xds.update({ routeConfigurations: [badRoutes] });
  await xds.waitFor(() => xds.nacks.some((n) => n.typeUrl.endsWith('RouteConfiguration')), 5_000, 'the RDS NACK');
  const nack = xds.nacks.find((n) => n.typeUrl.endsWith('RouteConfiguration'))!;
  assert.equal(nack.version, good, 'the NACK carries the last accepted version');
  assert.match(nack.message, /resources\[0\]\(routes\)\.virtualHosts\[0\]\.routes\[0\]\.match\.safeRegex/);
  const status = Object.entries(xds.clients()[0].types).find(([u]) => u.endsWith('RouteConfiguration'))![1];
  assert.equal(status.lastNack?.message, nack.message);
  assert.notEqual(status.ackedVersion, badVersion);
  for (let i = 0; i < 5; i++) assert.equal((await request(port)).headers['x-upstream'], 'a', 'still the last good routes');
  assert.ok((await readStat(adminPort, 'http.ingress_http.rds.routes.update_rejected')) >= 1);

  // A cluster with an lb_policy we do not implement: the whole CDS response is rejected.
  const cdsBefore = await readStat(adminPort, 'cluster_manager.cds.update_rejected');
  xds.update({
    routeConfigurations: [xdsRouteConfig('routes', 'svc-a')],
    clusters: [xdsEdsCluster('svc-a', { lb_policy: 'CLUSTER_PROVIDED' }), xdsEdsCluster('svc-b')],
  });
  await xds.waitFor(() => xds.nacks.some((n) => n.typeUrl.endsWith('Cluster')), 5_000, 'the CDS NACK');
  assert.match(xds.nacks.find((n) => n.typeUrl.endsWith('Cluster'))!.message, /resources\[0\]\(svc-a\)\.lbPolicy/);
  await xds.waitFor(async () => (await readStat(adminPort, 'cluster_manager.cds.update_rejected')) > cdsBefore, 5_000, 'update_rejected');
  for (let i = 0; i < 5; i++) assert.equal((await request(port)).status, 200);

  // A valid update is accepted again.
  const fixed = xds.update({ clusters: [xdsEdsCluster('svc-a'), xdsEdsCluster('svc-b')], routeConfigurations: [xdsRouteConfig('routes', 'svc-b')] });
  await xds.waitFor(() => xds.ackedVersion('RouteConfiguration') === fixed && xds.ackedVersion('Cluster') === fixed, 5_000, 'ACKs of the fixed version');
  await xds.waitFor(async () => (await request(port)).headers['x-upstream'] === 'b', 5_000, 'the new routes');
  const dump = (await request(adminPort, { path: '/config_dump' })).body;
  assert.ok(!dump.includes('"last_error_state": {'), 'no error state once every type is accepted again');
});
