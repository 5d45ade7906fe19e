/**
 * The control plane going away: the router keeps serving what it has, reconnects with backoff
 * when the server is back and resyncs; with --config-cache it also starts (and serves) while the
 * control plane is down.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, writeBootstrap } from '../../helpers/start-router.js';
import { startUpstream } from '../../helpers/upstream.js';
import { adsBootstrap, XdsTestServer } from '../../helpers/xds-test-server.js';
import { twoServiceResources, xdsRouteConfig } from '../../helpers/xds-resources.js';

async function setup(t: { after: (fn: () => unknown) => void }) {
  const [a, b] = await Promise.all([startUpstream('a'), startUpstream('b')]);
  t.after(() => Promise.all([a.close(), b.close()]));
  const port = await freePort();
  const adminPort = await freePort();
  const xds = await XdsTestServer.start(twoServiceResources(port, a.address, b.address));
  t.after(() => xds.close());
  return { a, b, port, adminPort, xds };
}

test('control plane closed: the router keeps serving; restarted: it reconnects and serves the new config', async (t) => {
  const { port, adminPort, xds } = await setup(t);
  const router = await startRouter(adsBootstrap(adminPort, xds.port), adminPort);
  t.after(() => router.stop());
  assert.equal((await request(port)).headers['x-upstream'], 'a');

  await xds.close();
  await xds.waitFor(async () => (await readStat(adminPort, 'control_plane.connected_state')) === 0, 5_000, 'connected_state 0');
  const agent = keepAliveAgent(4);
  t.after(() => agent.destroy());
  const whileDown = await boundedLoad(200, 4, 3_000, async () => (await request(port, { agent })).status === 200);
  assert.equal(whileDown.failed, 0, `failed while the control plane was down: ${whileDown.errors.join(', ')}`);
  assert.equal((await request(adminPort, { path: '/ready' })).status, 200, 'still LIVE');

  // Down for a while (several reconnect attempts), then back with a new route.
  await new Promise((r) => setTimeout(r, 1_000));
  xds.update({ routeConfigurations: [xdsRouteConfig('routes', 'svc-b')] });
  await xds.restart();
  await xds.waitFor(() => xds.clients().length === 1, 10_000, 'the router to reconnect');
  await xds.waitFor(async () => (await request(port)).headers['x-upstream'] === 'b', 5_000, 'the new config');
  assert.equal(await readStat(adminPort, 'control_plane.connected_state'), 1);
  assert.ok((await readStat(adminPort, 'listener_manager.lds.update_failure')) >= 1, 'the stream failure is counted');
});

test('--config-cache: a router restarted while the control plane is down serves the cached config', async (t) => {
  const { port, adminPort, xds } = await setup(t);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-cache-'));
  const cache = path.join(dir, 'router-cache.json');
  const configPath = await writeBootstrap(adsBootstrap(adminPort, xds.port));
  const first = await startRouter(null, adminPort, { configPath, configCache: cache });
  xds.update({ routeConfigurations: [xdsRouteConfig('routes', 'svc-b')] });
  await xds.waitFor(async () => (await request(port)).headers['x-upstream'] === 'b', 5_000, 'svc-b');
  await xds.waitFor(() => existsSync(cache), 5_000, 'the cache file');
  await xds.waitFor(async () => (await readFile(cache, 'utf8')).includes(`"version":"${xds.version}"`), 5_000, 'the cache to hold the last version');
  assert.equal(await first.stop(), 0);
  const saved = JSON.parse(await readFile(cache, 'utf8')) as { format: string; types: Record<string, { resources: { name: string }[] }> };
  assert.equal(saved.format, 'switchyard.config-cache.v1');
  assert.deepEqual(saved.types.lds.resources.map((r) => r.name), ['ingress']);
  assert.deepEqual(saved.types.cds.resources.map((r) => r.name).sort(), ['svc-a', 'svc-b']);

  await xds.close();
  const second = await startRouter(null, adminPort, { configPath, configCache: cache });
  t.after(() => second.stop());
  assert.equal(await readStat(adminPort, 'control_plane.connected_state'), 0, 'the control plane is down');
  for (let i = 0; i < 5; i++) assert.equal((await request(port)).headers['x-upstream'], 'b', 'served from the cache');

  // And once the control plane is back, it takes over.
  xds.update({ routeConfigurations: [xdsRouteConfig('routes', 'svc-a')] });
  await xds.restart();
  await xds.waitFor(async () => (await request(port)).headers['x-upstream'] === 'a', 10_000, 'the control plane config');
});
