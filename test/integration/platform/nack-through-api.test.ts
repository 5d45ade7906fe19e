/**
 * A router NACK seen through the platform: the real control plane in this process, a router as
 * a child process on ADS. A hand-made invalid RouteConfiguration is published straight into the
 * snapshot cache (what a translator bug would do); the router NACKs it and keeps serving its last
 * good config, GET /v1/xds/clients shows the NACK with its error, /v1/events carries it, and the
 * next good publish is ACKed.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { adsBootstrap } from '../../../src/cli/ads-bootstrap.js';
import { CONTROL_PLANE_DEFAULTS, startControlPlane } from '../../../src/control-plane/index.js';
import { buildSnapshot } from '../../../src/control-plane/xds-server/cache/resource-snapshot.js';
import { ROUTE_CONFIGURATION_TYPE_URL } from '../../../src/xds/type-urls.js';
import { request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { startRouter } from '../../helpers/start-router.js';
import { startUpstream } from '../../helpers/upstream.js';

test('an invalid resource is NACKed, the router keeps serving, and the API and events show it', async (t) => {
  const [httpPort, adminPort] = await Promise.all([freePort(), freePort()]);
  const cp = await startControlPlane({ ...CONTROL_PLANE_DEFAULTS, dataDir: await mkdtemp(path.join(os.tmpdir(), 'switchyard-nack-')), apiPort: 0, xdsPort: 0, httpPort });
  t.after(() => cp.stop());
  const app = await startUpstream('app');
  t.after(() => app.close());
  const api = async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${cp.apiUrl}${p}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return res.json();
  };
  const service = await api('POST', '/v1/services', { name: 'shop' });
  await api('POST', `/v1/services/${service.id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: app.port }] });
  const router = await startRouter(adsBootstrap({ nodeId: 'router-nack', region: 'local', xdsHost: '127.0.0.1', xdsPort: cp.xdsPort, adminPort }), adminPort);
  t.after(() => router.stop());
  const serve = async (): Promise<number> => (await request(httpPort, { headers: { host: service.host } })).status;
  for (let i = 0; i < 100 && (await serve()) !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await serve(), 200);

  // The current snapshot with its ingress routes replaced by one the router must reject.
  const good = cp.cache.getSnapshot('local')!;
  const byType = (url: string) => [...(good.resources.get(url)?.values() ?? [])];
  const bad = {
    '@type': ROUTE_CONFIGURATION_TYPE_URL,
    name: 'ingress',
    virtual_hosts: [{ name: 'broken', domains: ['*'], routes: [{ match: { safe_regex: { regex: '/(unclosed' } }, direct_response: { status: 200 } }] }],
  };
  const published = cp.cache.setSnapshot(
    'local',
    buildSnapshot('bad-1', {
      listeners: byType('type.googleapis.com/envoy.config.listener.v3.Listener'),
      clusters: byType('type.googleapis.com/envoy.config.cluster.v3.Cluster'),
      clusterLoadAssignments: byType('type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment'),
      routeConfigurations: [bad],
    }, { namedOnly: good.namedOnly === undefined ? undefined : { listeners: [...(good.namedOnly.get('type.googleapis.com/envoy.config.listener.v3.Listener') ?? [])], clusters: [...(good.namedOnly.get('type.googleapis.com/envoy.config.cluster.v3.Cluster') ?? [])] } }),
  );
  assert.ok(published.ok, 'the cache takes it: consistency holds, only the router can tell the regex is bad');

  let nack: { version: string; message: string } | null = null;
  for (let i = 0; i < 100 && nack === null; i++) {
    const { clients } = await api('GET', '/v1/xds/clients');
    const mine = (clients as { nodeId: string; types: Record<string, { lastNack: { version: string; message: string } | null }> }[]).find((c) => c.nodeId === 'router-nack');
    nack = mine?.types[ROUTE_CONFIGURATION_TYPE_URL]?.lastNack ?? null;
    if (nack === null) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(nack !== null, 'the API shows the NACK');
  assert.equal(nack.version, 'bad-1');
  assert.match(nack.message, /regex/i);
  assert.equal(await serve(), 200, 'the last good config keeps serving');

  const events = await new Promise<string>((resolve) => {
    const ctrl = new AbortController();
    let text = '';
    void fetch(`${cp.apiUrl}/v1/events`, { signal: ctrl.signal }).then(async (res) => {
      for await (const chunk of res.body!) {
        text += Buffer.from(chunk as Uint8Array).toString();
        if (text.includes('event: xds.nack')) break;
      }
      ctrl.abort();
      resolve(text);
    }).catch(() => resolve(text));
    setTimeout(() => (ctrl.abort(), resolve(text)), 3_000);
  });
  assert.match(events, /event: xds\.nack\ndata: .*"nodeId":"router-nack"/);

  // A real change republishes from the store: a good snapshot the router ACKs.
  await api('POST', `/v1/services/${service.id}/domains`, { name: 'shop.example.com' });
  for (let i = 0; i < 100 && (await request(httpPort, { headers: { host: 'shop.example.com' } })).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(httpPort, { headers: { host: 'shop.example.com' } })).status, 200);
});
