/**
 * Active health checks on an EDS cluster from our real xDS server: an endpoint added by EDS joins
 * once its first check passes, and a CDS change that replaces the cluster keeps a failing host out
 * (the new cluster's hosts start with the old hosts' health) — under load, with zero errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { startRouter } from '../../helpers/start-router.js';
import { startUpstream, type EchoBody } from '../../helpers/upstream.js';
import { adsBootstrap, XdsTestServer } from '../../helpers/xds-test-server.js';
import { xdsEdsCluster, xdsListener, xdsLoadAssignment, xdsRouteConfig } from '../../helpers/xds-resources.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (n: number) => ({ seconds: Math.floor(n / 1000), nanos: (n % 1000) * 1_000_000 });

function checkedCluster(connectTimeoutS: number, name = 'svc') {
  return xdsEdsCluster(name, {
    connect_timeout: { seconds: connectTimeoutS, nanos: 0 },
    health_checks: [
      {
        timeout: ms(500),
        interval: ms(200),
        no_traffic_interval: ms(200),
        unhealthy_threshold: { value: 2 },
        healthy_threshold: { value: 2 },
        http_health_check: { path: '/healthz' },
      },
    ],
  });
}

test('EDS additions and a CDS replacement keep only healthy hosts in rotation, with zero errors', async (t) => {
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
  t.after(() => Promise.all([a, b, c].map((u) => u.close())));
  const port = await freePort();
  const adminPort = await freePort();
  const xds = await XdsTestServer.start({
    listeners: [xdsListener('ingress', port, 'routes')],
    routeConfigurations: [xdsRouteConfig('routes', 'svc')],
    clusters: [checkedCluster(1)],
    clusterLoadAssignments: [xdsLoadAssignment('svc', [a.address, b.address])],
  });
  t.after(() => xds.close());
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort, { concurrency: 2 });
  t.after(() => router.stop());
  const agent = keepAliveAgent(8);
  t.after(() => agent.destroy());

  const flags = async (address: string): Promise<string> =>
    (await request(adminPort, { path: '/clusters' })).body.split('\n').find((l) => l.startsWith(`svc::${address}::health_flags::`))?.split('::')[3] ?? '';
  const waitFlags = async (address: string, want: string): Promise<void> => {
    const deadline = Date.now() + 5_000;
    while ((await flags(address)) !== want) {
      assert.ok(Date.now() < deadline, `${address} never became ${want}`);
      await sleep(25);
    }
  };
  const load = async (n: number, during?: () => Promise<void>) => {
    const by: Record<string, number> = {};
    const errors: string[] = [];
    const running = boundedLoad(n, 8, 20_000, async (i) => {
      const r = await request(port, { path: `/x${i}`, agent });
      if (r.status !== 200) {
        if (errors.length < 5) errors.push(`${r.status} ${r.body.slice(0, 60)}`);
        return false;
      }
      const name = (JSON.parse(r.body) as EchoBody).name;
      by[name] = (by[name] ?? 0) + 1;
      return true;
    });
    if (during !== undefined) await during();
    const result = await running;
    assert.equal(result.sent, n);
    return { by, errors: [...errors, ...result.errors] };
  };

  b.behaviour = { status: 503 };
  await waitFlags(b.address, '/failed_active_hc');
  await sleep(600); // both workers' checkers

  // EDS adds c: it is checked first, then joins; b stays out.
  xds.update({ clusterLoadAssignments: [xdsLoadAssignment('svc', [a.address, b.address, c.address])] });
  await waitFlags(c.address, 'healthy');
  await sleep(600);
  const afterEds = await load(300);
  assert.deepEqual(afterEds.errors, []);
  assert.equal(afterEds.by.b, undefined);
  assert.ok((afterEds.by.c ?? 0) > 50, `c joined (${afterEds.by.c ?? 0})`);

  // CDS replaces the cluster (new connect_timeout) while traffic flows: b must not come back.
  const during = await load(600, async () => {
    await sleep(100);
    xds.update({ clusters: [checkedCluster(2)] });
  });
  assert.deepEqual(during.errors, [], 'zero errors across the cluster replacement');
  assert.equal(during.by.b, undefined, 'the failing host stayed out of the replaced cluster');
  assert.equal(await flags(b.address), '/failed_active_hc');
});

test('a health-checked cluster added by CDS later gets its checker; its failing host never serves once the route moves there', async (t) => {
  const [a, b, good, bad] = await Promise.all(['a', 'b', 'good', 'bad'].map((n) => startUpstream(n)));
  t.after(() => Promise.all([a, b, good, bad].map((u) => u.close())));
  bad.behaviour = { status: 503 };
  const port = await freePort();
  const adminPort = await freePort();
  const xds = await XdsTestServer.start({
    listeners: [xdsListener('ingress', port, 'routes')],
    routeConfigurations: [xdsRouteConfig('routes', 'old')],
    clusters: [xdsEdsCluster('old')],
    clusterLoadAssignments: [xdsLoadAssignment('old', [a.address, b.address])],
  });
  t.after(() => xds.close());
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort, { concurrency: 2 });
  t.after(() => router.stop());
  const agent = keepAliveAgent(8);
  t.after(() => agent.destroy());
  const flags = async (address: string): Promise<string> =>
    (await request(adminPort, { path: '/clusters' })).body.split('\n').find((l) => l.startsWith(`new::${address}::health_flags::`))?.split('::')[3] ?? '';

  // The cluster first (a route naming a cluster that is still warming answers 503 NC, as Envoy).
  xds.update({
    clusters: [xdsEdsCluster('old'), checkedCluster(1, 'new')],
    clusterLoadAssignments: [xdsLoadAssignment('old', [a.address, b.address]), xdsLoadAssignment('new', [good.address, bad.address])],
  });
  const deadline = Date.now() + 5_000;
  while (((await flags(bad.address)) !== '/failed_active_hc' || (await flags(good.address)) !== 'healthy') && Date.now() < deadline) await sleep(25);
  assert.equal(await flags(bad.address), '/failed_active_hc');
  assert.equal(await flags(good.address), 'healthy');

  const by: Record<string, number> = {};
  const errors: string[] = [];
  const running = boundedLoad(600, 8, 20_000, async (i) => {
    const r = await request(port, { path: `/w${i}`, agent });
    if (r.status !== 200) {
      if (errors.length < 5) errors.push(`${r.status} ${r.body.slice(0, 60)}`);
      return false;
    }
    const name = (JSON.parse(r.body) as EchoBody).name;
    by[name] = (by[name] ?? 0) + 1;
    return true;
  });
  await sleep(100);
  xds.update({ routeConfigurations: [xdsRouteConfig('routes', 'new')] });
  const result = await running;
  assert.equal(result.sent, 600);
  assert.deepEqual([...errors, ...result.errors], [], 'zero errors');
  assert.equal(by.bad, undefined, 'the failing host never got a request');
  assert.ok((by.good ?? 0) > 0, `the route moved (${JSON.stringify(by)})`);
});
