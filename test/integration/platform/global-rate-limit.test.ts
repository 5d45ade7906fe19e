/**
 * Global rate limiting end to end: the real control plane (in this process) started with
 * rateLimitPort (memory counters), a service created through the platform API with
 * rateLimit.requestsPerSecond 5, and the real router (a child process) from the ADS bootstrap
 * `switchyard up` writes plus the static `switchyard_ratelimit` cluster. The translator emits the
 * RLS filter and the service's rate_limits; the router asks the control plane's RLS: in one
 * second the 6th request gets 429; a service without a limit is untouched; no NACK.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { adsBootstrap } from '../../../src/cli/ads-bootstrap.js';
import { CONTROL_PLANE_DEFAULTS, startControlPlane } from '../../../src/control-plane/index.js';
import { DEFAULT_RATE_LIMIT_CLUSTER } from '../../../src/control-plane/model/rate-limit-contract.js';
import { staticCluster } from '../../helpers/fixtures.js';
import { request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter } from '../../helpers/start-router.js';
import { startUpstream } from '../../helpers/upstream.js';

async function api(url: string, method: string, body?: unknown): Promise<{ id: string; host: string }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { id: string; host: string };
  assert.ok(res.ok, `${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

test('a service limit from the platform API holds through the control plane rate limit service', async (t) => {
  const echo = await startUpstream('echo');
  t.after(() => echo.close());
  const [httpPort, adminPort] = [await freePort(), await freePort()];
  const cp = await startControlPlane({ ...CONTROL_PLANE_DEFAULTS, dataDir: mkdtempSync(path.join(os.tmpdir(), 'switchyard-grl-')), apiPort: 0, xdsPort: 0, httpPort, rateLimitPort: 0 });
  t.after(() => cp.stop());
  assert.ok(cp.rateLimitPort !== null && cp.rateLimitPort > 0);
  const nacks: unknown[] = [];
  cp.events.subscribe((e) => e.type === 'xds.nack' && nacks.push(e.data));

  const limited = await api(`${cp.apiUrl}/v1/services`, 'POST', { name: 'shop', rateLimit: { requestsPerSecond: 5 } });
  const free = await api(`${cp.apiUrl}/v1/services`, 'POST', { name: 'blog' });
  for (const s of [limited, free]) await api(`${cp.apiUrl}/v1/services/${s.id}/revisions`, 'POST', { endpoints: [{ address: '127.0.0.1', port: echo.port }] });

  const doc = adsBootstrap({ nodeId: 'router-rl', region: CONTROL_PLANE_DEFAULTS.region, xdsHost: '127.0.0.1', xdsPort: cp.xdsPort, adminPort }) as { static_resources: { clusters: unknown[] } };
  doc.static_resources.clusters.push(staticCluster(DEFAULT_RATE_LIMIT_CLUSTER, [`127.0.0.1:${cp.rateLimitPort}`]));
  const router = await startRouter(doc, adminPort);
  t.after(() => router.stop());

  // The config has arrived once the unlimited service answers (polling it costs the limit nothing).
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await request(httpPort, { headers: { host: free.host } }).catch(() => null);
    if (r !== null && r.status === 200) break;
    assert.ok(Date.now() < deadline, `the router never served ${free.host}: ${r?.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  // Fixed one-second windows, epoch-aligned: start right after a second boundary.
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10));
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await request(httpPort, { headers: { host: limited.host } })).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  for (let i = 0; i < 8; i++) assert.equal((await request(httpPort, { headers: { host: free.host } })).status, 200);
  const cluster = `${limited.id}--rev-1`;
  assert.equal(await readStat(adminPort, `cluster.${cluster}.ratelimit.over_limit`), 3);
  const errors = await readStat(adminPort, `cluster.${cluster}.ratelimit.error`);
  assert.equal(await readStat(adminPort, `cluster.${cluster}.ratelimit.ok`), 5, `errors ${errors}`);
  assert.deepEqual(nacks, []);
});
