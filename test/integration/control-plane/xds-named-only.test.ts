/**
 * Named-only resources over real gRPC on 127.0.0.1 (cache/resource-snapshot.ts): the translator's
 * API listeners and `--grpc` twin clusters reach a stream that names them and never a wildcard
 * LDS/CDS subscription (XDS.md §9), on SotW and Delta ADS, the single-type services and Fetch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translatePlatform } from '../../../src/control-plane/translate/translate-platform.js';
import { CLUSTER_TYPE_URL as CDS, LISTENER_TYPE_URL as LDS } from '../../../src/xds/type-urls.js';
import type { PlatformState } from '../../../src/control-plane/model/types.js';
import { samplePlatform, target } from '../../unit/control-plane/translate/sample-platform.js';
import { deltaRequest, fetchOnce, openDelta, openSotw, resourceNames, sotwRequest, type DeltaResponse, type DeltaStream, type SotwResponse, type SotwStream } from './xds-ads-client.js';
import { startXdsServer } from './xds-test-server.js';

const NODE = { id: 'named-only', cluster: 'test', locality: { region: 'local' } };

const platform = samplePlatform();
const base = translatePlatform(platform);
const apiListeners = [...base.namedOnly.listeners];
const twins = [...base.namedOnly.clusters];
const routerClusters = base.clusters.map((c) => c.name as string).filter((n) => !twins.includes(n)).sort();
const shopHost = platform.services.find((s) => s.service.name === 'shop')!.service.host;
const shopTwin = twins.find((n) => n.startsWith(platform.services.find((s) => s.service.name === 'shop')!.service.id))!;

/** The sample platform with shop's traffic moved: its API listener (inline routes) changes, nothing else in LDS/CDS. */
function shifted(): PlatformState {
  return { ...platform, version: 2, services: platform.services.map((s) => (s.service.name === 'shop' ? { ...s, traffic: [target('rev-1', 50), target('rev-2', 50, 'canary')] } : s)) };
}

const sorted = (names: string[]): string[] => [...names].sort();

function sotw(t: { after(fn: () => void): void }, port: number, service: 'ads' | 'lds' | 'cds' = 'ads'): SotwStream {
  const s = openSotw(port, service);
  t.after(() => s.close());
  return s;
}

function delta(t: { after(fn: () => void): void }, port: number): DeltaStream {
  const s = openDelta(port);
  t.after(() => s.close());
  return s;
}

const sotwAck = (s: SotwStream, r: SotwResponse, names: string[]): void => s.send(sotwRequest(r.type_url, names, { version: r.version_info, nonce: r.nonce }));
const deltaAck = (s: DeltaStream, r: DeltaResponse): void => s.send(deltaRequest(r.type_url, { nonce: r.nonce }));
const deltaNames = (r: DeltaResponse): string[] => r.resources.map((x) => x.name).sort();

test('the sample platform has API listeners and twins to hide', () => {
  assert.equal(apiListeners.length, 3);
  assert.ok(apiListeners.includes(shopHost));
  assert.ok(twins.length > 0 && twins.every((n) => n.endsWith('--grpc')));
  assert.ok(routerClusters.length > 0 && routerClusters.every((n) => !n.endsWith('--grpc')));
});

test('SotW ADS: wildcard LDS/CDS get neither API listeners nor twins; explicit names get them; a change to one API listener sends the wildcard stream nothing', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', base);
  const router = sotw(t, x.port);
  router.send(sotwRequest(CDS, ['*'], { node: NODE }));
  const c1 = await router.next();
  assert.deepEqual(sorted(resourceNames(c1.resources)), routerClusters);
  sotwAck(router, c1, ['*']);
  router.send(sotwRequest(LDS, [])); // legacy wildcard
  const l1 = await router.next();
  assert.deepEqual(resourceNames(l1.resources), ['ingress_http']);
  sotwAck(router, l1, []);

  const grpcClient = sotw(t, x.port);
  grpcClient.send(sotwRequest(LDS, [shopHost], { node: { ...NODE, id: 'grpc-client' } }));
  const g1 = await grpcClient.next();
  assert.deepEqual(resourceNames(g1.resources), [shopHost]);
  sotwAck(grpcClient, g1, [shopHost]);
  grpcClient.send(sotwRequest(CDS, [shopTwin]));
  const g2 = await grpcClient.next();
  assert.deepEqual(resourceNames(g2.resources), [shopTwin]);
  sotwAck(grpcClient, g2, [shopTwin]);

  const before = x.server.bytesSent();
  x.publish('2', translatePlatform(shifted()));
  const g3 = await grpcClient.next();
  assert.equal(g3.type_url, LDS);
  assert.equal(g3.version_info, '2');
  assert.deepEqual(resourceNames(g3.resources), [shopHost]);
  sotwAck(grpcClient, g3, [shopHost]);
  assert.deepEqual(await router.drain(300), [], 'the wildcard stream has nothing new');
  assert.deepEqual(await grpcClient.drain(50), []);
  assert.ok(x.server.bytesSent() - before < 4_000, `one API listener, not every listener: ${x.server.bytesSent() - before} B`);
});

test('SotW ADS: wildcard + explicit LDS gets the wildcard set ∪ its names; dropping the name is a full-state response without it', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', base);
  const s = sotw(t, x.port);
  s.send(sotwRequest(LDS, ['*', shopHost], { node: NODE }));
  const r1 = await s.next();
  assert.deepEqual(sorted(resourceNames(r1.resources)), sorted(['ingress_http', shopHost]));
  assert.deepEqual(x.server.clients()[0].types[LDS].subscribed, ['*', shopHost]);
  sotwAck(s, r1, ['*']);
  const r2 = await s.next();
  assert.deepEqual(resourceNames(r2.resources), ['ingress_http']);
  sotwAck(s, r2, ['*']);
  assert.deepEqual(await s.drain(200), []);
});

test('Delta ADS: a wildcard stream never sees API listeners or twins appear, change or go; an explicit subscription does', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', base);
  const router = delta(t, x.port);
  router.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'] }));
  const c1 = await router.next();
  assert.deepEqual(deltaNames(c1), routerClusters);
  deltaAck(router, c1);
  router.send(deltaRequest(LDS, { subscribe: ['*'] }));
  const l1 = await router.next();
  assert.deepEqual(deltaNames(l1), ['ingress_http']);
  deltaAck(router, l1);

  const grpcClient = delta(t, x.port);
  grpcClient.send(deltaRequest(LDS, { node: { ...NODE, id: 'delta-grpc' }, subscribe: ['*', shopHost] }));
  const g1 = await grpcClient.next();
  assert.deepEqual(deltaNames(g1), sorted(['ingress_http', shopHost]));
  deltaAck(grpcClient, g1);

  x.publish('2', translatePlatform(shifted()));
  const g2 = await grpcClient.next();
  assert.deepEqual([deltaNames(g2), g2.removed_resources], [[shopHost], []]);
  deltaAck(grpcClient, g2);
  assert.deepEqual(await router.drain(300), [], 'a change to an API listener is not news to a wildcard stream');

  // Every service gone: the wildcard stream loses the router clusters only (its ingress listener
  // changes too: no rate limit filter left); the explicit one loses its listener.
  x.publish('3', translatePlatform({ ...platform, version: 3, services: [] }));
  const seen: { sent: string[]; removed: string[] } = { sent: [], removed: [] };
  for (;;) {
    const r = await router.next(1_000).catch(() => null);
    if (r === null) break;
    seen.sent.push(...r.resources.map((x) => x.name));
    seen.removed.push(...r.removed_resources);
    deltaAck(router, r);
  }
  assert.deepEqual({ sent: seen.sent, removed: seen.removed.sort() }, { sent: ['ingress_http'], removed: routerClusters });
  const g3 = await grpcClient.next();
  assert.deepEqual([g3.type_url, deltaNames(g3), g3.removed_resources], [LDS, ['ingress_http'], []]);
  deltaAck(grpcClient, g3);
  const g4 = await grpcClient.next();
  assert.deepEqual([g4.type_url, deltaNames(g4), g4.removed_resources], [LDS, [], [shopHost]]);
  deltaAck(grpcClient, g4);

  grpcClient.send(deltaRequest(LDS, { unsubscribe: [shopHost] }));
  assert.deepEqual(await grpcClient.drain(200), [], 'nothing left to retract');
});

test('Delta ADS: unsubscribing a named-only name while subscribed to * removes it (the wildcard does not cover it)', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', base);
  const s = delta(t, x.port);
  s.send(deltaRequest(CDS, { node: NODE, subscribe: ['*', shopTwin] }));
  const r1 = await s.next();
  assert.deepEqual(deltaNames(r1), sorted([...routerClusters, shopTwin]));
  deltaAck(s, r1);
  s.send(deltaRequest(CDS, { unsubscribe: [shopTwin], nonce: r1.nonce }));
  const r2 = await s.next();
  assert.deepEqual([r2.resources, r2.removed_resources], [[], [shopTwin]]);
});

test('single-type services and Fetch: wildcard LDS/CDS leave named-only resources out, explicit names get them', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', base);
  const lds = sotw(t, x.port, 'lds');
  lds.send(sotwRequest('', [], { node: NODE }));
  assert.deepEqual(resourceNames((await lds.next()).resources), ['ingress_http']);
  const cds = sotw(t, x.port, 'cds');
  cds.send(sotwRequest('', [shopTwin], { node: NODE }));
  assert.deepEqual(resourceNames((await cds.next()).resources), [shopTwin]);

  const wildLds = await fetchOnce(x.port, 'lds', sotwRequest('', [], { node: NODE }));
  assert.deepEqual(resourceNames(wildLds.resources), ['ingress_http']);
  const wildCds = await fetchOnce(x.port, 'cds', sotwRequest('', ['*'], { node: NODE }));
  assert.deepEqual(sorted(resourceNames(wildCds.resources)), routerClusters);
  const named = await fetchOnce(x.port, 'lds', sotwRequest('', apiListeners, { node: NODE }));
  assert.deepEqual(sorted(resourceNames(named.resources)), sorted(apiListeners));
  const both = await fetchOnce(x.port, 'cds', sotwRequest('', ['*', shopTwin, routerClusters[0]], { node: NODE }));
  assert.deepEqual(sorted(resourceNames(both.resources)), sorted([...routerClusters, shopTwin]), 'explicit wins, nothing twice');
});
