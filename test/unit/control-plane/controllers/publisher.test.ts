/**
 * The publisher on real parts: a SQLite store in memory, the translator and the snapshot cache.
 * Each store change becomes one consistent snapshot per region whose resources the router's own
 * decoders accept; bursts of changes coalesce into one publish.
 */
import assert from 'node:assert/strict';
import { setImmediate as nextTick } from 'node:timers/promises';
import { test } from 'node:test';
import { Publisher } from '../../../../src/control-plane/controllers/publisher.js';
import { EventBus } from '../../../../src/control-plane/events/event-bus.js';
import { DEFAULT_AUTOSCALING, DEFAULT_DEPLOYMENT, DEFAULT_HEALTH_CHECK, DEFAULT_RATE_LIMIT, DEFAULT_ROUTING } from '../../../../src/control-plane/model/defaults.js';
import type { NewService } from '../../../../src/control-plane/model/types.js';
import { openStore } from '../../../../src/control-plane/store/store.js';
import { encodeSnapshot } from '../../../../src/control-plane/xds-server/cache/encoded-snapshot.js';
import { isNamedOnly } from '../../../../src/control-plane/xds-server/cache/resource-snapshot.js';
import { SnapshotCache } from '../../../../src/control-plane/xds-server/cache/snapshot-cache.js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '../../../../src/xds/type-urls.js';
import { packAny, unpackAny } from '../../../../src/xds/any.js';
import { decodeCluster } from '../../../../src/xds/resources/cluster.js';
import { decodeClusterLoadAssignment } from '../../../../src/xds/resources/cluster-load-assignment.js';
import { decodeListener } from '../../../../src/xds/resources/listener.js';
import { decodeRouteConfiguration } from '../../../../src/xds/resources/route-configuration.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';

function newService(name: string, region: string | null = null): NewService {
  return {
    name,
    tenant: null,
    region,
    port: 8080,
    healthCheck: DEFAULT_HEALTH_CHECK,
    autoscaling: DEFAULT_AUTOSCALING,
    routing: DEFAULT_ROUTING,
    rateLimit: DEFAULT_RATE_LIMIT,
    deployment: DEFAULT_DEPLOYMENT,
  };
}

function setup() {
  const store = openStore({ path: ':memory:', baseDomain: 'example.test', region: 'local', httpPort: 8080 });
  const cache = new SnapshotCache();
  const events = new EventBus();
  const publisher = new Publisher({ store, cache, events, defaultRegion: 'local', baseDomain: 'example.test', listenAddress: '127.0.0.1', httpPort: 8080 });
  return { store, cache, events, publisher };
}

const DECODERS: Record<string, (msg: ProtoObject, path: string) => { ok: boolean; errors?: readonly unknown[] }> = {
  [LISTENER_TYPE_URL]: decodeListener,
  [ROUTE_CONFIGURATION_TYPE_URL]: decodeRouteConfiguration,
  [CLUSTER_TYPE_URL]: decodeCluster,
  [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: decodeClusterLoadAssignment,
};

test('publisher: an empty platform still gets a listener and the ingress routes', () => {
  const { store, cache, publisher } = setup();
  publisher.start();
  const snap = cache.getSnapshot('local');
  assert.ok(snap !== undefined);
  assert.equal(snap.version, String(store.configVersion()));
  assert.ok(snap.resources.get(LISTENER_TYPE_URL)?.has('ingress_http'));
  assert.ok(snap.resources.get(ROUTE_CONFIGURATION_TYPE_URL)?.has('ingress'));
  publisher.stop();
  store.close();
});

test('publisher: a burst of changes is one publish, and every resource passes the router decoders', async () => {
  const { store, cache, events, publisher } = setup();
  publisher.start();
  const published: unknown[] = [];
  events.subscribe((e) => {
    if (e.type === 'config.published') published.push(e.data);
  });
  const svc = store.createService(newService('shop'));
  store.createRevision(svc.id, { command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port: 9001 }] });
  store.createRevision(svc.id, { command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port: 9002 }] });
  store.setTraffic(svc.id, [
    { revision: 'rev-1', percent: 90, tag: null },
    { revision: 'rev-2', percent: 10, tag: 'canary' },
  ]);
  await nextTick();
  assert.equal(published.length, 1, 'four changes in one tick are one publish');
  const snap = cache.getSnapshot('local')!;
  assert.equal(snap.version, String(store.configVersion()));
  const clusters = [...snap.resources.get(CLUSTER_TYPE_URL)!.keys()].sort();
  // One cluster per revision for routers, plus the proxyless-gRPC twin the translator adds.
  assert.deepEqual(clusters.filter((c) => c.startsWith(svc.id) && !c.endsWith('--grpc')), [`${svc.id}--rev-1`, `${svc.id}--rev-2`]);
  for (const [typeUrl, byName] of snap.resources) {
    const decode = DECODERS[typeUrl];
    for (const [name, resource] of byName) {
      const unpacked = unpackAny(packAny(resource));
      assert.ok(unpacked.ok, `${name} unpacks`);
      const decoded = decode(unpacked.value, '');
      assert.ok(decoded.ok, `${typeUrl} ${name}: ${JSON.stringify(decoded.errors)}`);
    }
  }
  publisher.stop();
  store.close();
});

test('publisher: each region is its own node group', async () => {
  const { store, cache, publisher } = setup();
  publisher.start();
  const eu = store.createService(newService('eu-app', 'eu-west'));
  store.createRevision(eu.id, { command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port: 9003 }] });
  await nextTick();
  const euClusters = [...(cache.getSnapshot('eu-west')?.resources.get(CLUSTER_TYPE_URL)?.keys() ?? [])];
  const localClusters = [...(cache.getSnapshot('local')?.resources.get(CLUSTER_TYPE_URL)?.keys() ?? [])];
  assert.ok(euClusters.includes(`${eu.id}--rev-1`));
  assert.ok(!localClusters.some((c) => c.startsWith(eu.id)), 'the local region does not carry eu-west services');
  publisher.stop();
  store.close();
});

test('publisher: API listeners and --grpc twins are named-only; the ingress listener and router clusters are wildcard', async () => {
  const { store, cache, publisher } = setup();
  publisher.start();
  const svc = store.createService(newService('grpc-app'));
  store.createRevision(svc.id, { command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port: 9004 }] });
  await nextTick();
  const snap = cache.getSnapshot('local')!;
  const host = svc.host;
  assert.ok(snap.resources.get(LISTENER_TYPE_URL)!.has(host));
  assert.deepEqual([...snap.namedOnly!.get(LISTENER_TYPE_URL)!], [host]);
  assert.deepEqual([...snap.namedOnly!.get(CLUSTER_TYPE_URL)!], [`${svc.id}--rev-1--grpc`]);
  assert.equal(isNamedOnly(snap, LISTENER_TYPE_URL, 'ingress_http'), false);
  assert.equal(isNamedOnly(snap, CLUSTER_TYPE_URL, `${svc.id}--rev-1`), false);
  const encoded = encodeSnapshot(snap);
  assert.ok(encoded.ok);
  assert.deepEqual([...encoded.value.wildcardByType.get(LISTENER_TYPE_URL)!.keys()], ['ingress_http']);
  assert.deepEqual([...encoded.value.wildcardByType.get(CLUSTER_TYPE_URL)!.keys()], [`${svc.id}--rev-1`]);
  publisher.stop();
  store.close();
});

test('publisher: incremental reads publish exactly what a full read and translation of the store gives', async () => {
  const { store, cache, publisher } = setup();
  publisher.start();
  const { translatePlatform } = await import('../../../../src/control-plane/translate/translate-platform.js');
  const { buildSnapshot } = await import('../../../../src/control-plane/xds-server/cache/resource-snapshot.js');
  const expected = (region: string) => {
    const resources = translatePlatform(store.readPlatformState(region, { listenAddress: '127.0.0.1', httpPort: 8080, baseDomain: 'example.test' }));
    return buildSnapshot(String(store.configVersion()), resources, { namedOnly: resources.namedOnly });
  };
  const revision = (port: number) => ({ command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port }] });
  const a = store.createService(newService('a'));
  const b = store.createService(newService('b'));
  const c = store.createService(newService('c', 'eu-west'));
  const steps: (() => unknown)[] = [
    () => store.createRevision(a.id, revision(1)),
    () => store.createRevision(a.id, revision(2)),
    () => store.setTraffic(a.id, [{ revision: 'rev-1', percent: 50, tag: null }, { revision: 'rev-2', percent: 50, tag: 'canary' }]),
    () => store.createRevision(b.id, revision(3)),
    () => store.addDomain(a.id, 'shop.example.com'),
    () => (store.removeDomain(a.id, 'shop.example.com'), store.addDomain(b.id, 'shop.example.com')),
    () => store.setEndpoints(b.id, 'rev-1', [{ address: '10.0.0.1', port: 80 }]),
    () => store.updateService(b.id, { ...store.getService(b.id)!, rateLimit: { requestsPerSecond: 5, burst: 5 } }),
    () => store.createRevision(c.id, revision(4)),
    () => store.createTenant('acme'),
    () => store.deleteService(a.id),
    () => store.deleteService(c.id),
  ];
  for (const [i, change] of steps.entries()) {
    change();
    await nextTick();
    for (const region of ['local', 'eu-west']) {
      const snap = cache.getSnapshot(region);
      assert.ok(snap !== undefined);
      assert.deepEqual(snap, expected(region), `step ${i}, ${region}`);
    }
  }
  publisher.stop();
  store.close();
});
