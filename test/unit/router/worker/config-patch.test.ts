import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigPatchDecoder } from '../../../../src/router/worker/config-patch-decoder.js';
import { ConfigPatchEncoder } from '../../../../src/router/worker/config-patch-encoder.js';
import { diffClusters } from '../../../../src/router/worker/config-diff.js';
import type { RouterConfig } from '../../../../src/router/worker/messages.js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE, CLUSTER_TYPE, LISTENER_TYPE, ROUTE_CONFIGURATION_TYPE, decodeProto, type ResourceType } from '../../../../src/router/xds-client/resource-types.js';
import type { Cluster } from '../../../../src/xds/resources/cluster.types.js';
import type { ClusterLoadAssignment } from '../../../../src/xds/resources/cluster-load-assignment.types.js';
import type { Listener } from '../../../../src/xds/resources/listener.types.js';
import type { RouteConfiguration, VirtualHost } from '../../../../src/xds/resources/route-configuration.types.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { xdsEdsCluster, xdsListener, xdsLoadAssignment } from '../../../helpers/xds-resources.js';

function decode<T>(type: ResourceType, proto: ProtoObject): T {
  const d = decodeProto(type, proto, '');
  assert.ok(d.ok, JSON.stringify(!d.ok && d.errors));
  return d.value.value as T;
}

function vhostRoutes(names: string[]): ProtoObject {
  return {
    name: 'ingress',
    virtual_hosts: names.map((n) => ({ name: n, domains: [`${n}.example`], routes: [{ match: { prefix: '/' }, route: { cluster: n } }] })),
  };
}

/** A route configuration whose virtual hosts are the given objects (as the xDS client keeps them). */
function withHosts(rc: RouteConfiguration, virtualHosts: readonly VirtualHost[]): RouteConfiguration {
  return Object.freeze({ ...rc, virtualHosts });
}

const listener = decode<Listener>(LISTENER_TYPE, xdsListener('l1', 0, 'ingress'));
const c1 = decode<Cluster>(CLUSTER_TYPE, xdsEdsCluster('c1'));
const c2 = decode<Cluster>(CLUSTER_TYPE, xdsEdsCluster('c2'));
const e1 = decode<ClusterLoadAssignment>(CLUSTER_LOAD_ASSIGNMENT_TYPE, xdsLoadAssignment('c1', ['127.0.0.1:1']));
const e2 = decode<ClusterLoadAssignment>(CLUSTER_LOAD_ASSIGNMENT_TYPE, xdsLoadAssignment('c2', ['127.0.0.1:2']));
const rcA = decode<RouteConfiguration>(ROUTE_CONFIGURATION_TYPE, vhostRoutes(['a', 'b', 'c']));
const [va, vb, vc] = rcA.virtualHosts;
const vb2 = decode<RouteConfiguration>(ROUTE_CONFIGURATION_TYPE, vhostRoutes(['b2'])).virtualHosts[0];

function config(version: string, parts: Partial<RouterConfig>): RouterConfig {
  return { version, listeners: [listener], clusters: [c1, c2], endpoints: [e1, e2], routeConfigs: [rcA], outlierEventLogPath: '', ...parts };
}

test('the first patch carries every object; the decoder rebuilds the config', () => {
  const encoder = new ConfigPatchEncoder();
  const decoder = new ConfigPatchDecoder();
  const patch = encoder.next(config('1', {}));
  assert.equal(patch.values.length, 2 + 2 + 1 + 3, 'clusters, assignments, listener, virtual hosts');
  assert.equal(patch.routeConfigs.length, 1);
  const got = decoder.apply(structuredClone(patch));
  assert.deepEqual(got.clusters.map((c) => c.name), ['c1', 'c2']);
  assert.deepEqual(got.routeConfigs[0].virtualHosts.map((v) => v.name), ['a', 'b', 'c']);
  assert.deepEqual(JSON.parse(JSON.stringify(got.routeConfigs[0])), JSON.parse(JSON.stringify(rcA)));
});

test('a changed virtual host is the only value sent; unchanged ones are reused by identity, unchanged lists are null', () => {
  const encoder = new ConfigPatchEncoder();
  const decoder = new ConfigPatchDecoder();
  const first = decoder.apply(structuredClone(encoder.next(config('1', {}))));
  const patch = encoder.next(config('2', { routeConfigs: [withHosts(rcA, [va, vb2, vc])] }));
  assert.deepEqual(patch.values.map(([, v]) => (v as VirtualHost).name), ['b2']);
  assert.equal(patch.clusters, null);
  assert.equal(patch.endpoints, null);
  assert.equal(patch.listeners, null);
  const second = decoder.apply(structuredClone(patch));
  assert.deepEqual(second.routeConfigs[0].virtualHosts.map((v) => v.name), ['a', 'b2', 'c']);
  assert.equal(second.routeConfigs[0].virtualHosts[0], first.routeConfigs[0].virtualHosts[0], 'unchanged virtual host: the same object');
  assert.equal(second.routeConfigs[0].virtualHosts[2], first.routeConfigs[0].virtualHosts[2]);
  assert.equal(second.clusters[0], first.clusters[0]);
  assert.equal(second.listeners[0], first.listeners[0]);
});

test('a removed virtual host disappears, and an object both sides forgot is sent again when it returns', () => {
  const encoder = new ConfigPatchEncoder();
  const decoder = new ConfigPatchDecoder();
  decoder.apply(structuredClone(encoder.next(config('1', {}))));
  const removed = decoder.apply(structuredClone(encoder.next(config('2', { routeConfigs: [withHosts(rcA, [va, vc])], clusters: [c1], endpoints: [e1] }))));
  assert.deepEqual(removed.routeConfigs[0].virtualHosts.map((v) => v.name), ['a', 'c']);
  assert.deepEqual(removed.clusters.map((c) => c.name), ['c1']);
  const back = encoder.next(config('3', {}));
  const names = back.values.map(([, v]) => (v as { name?: string; clusterName?: string }).name ?? `cla:${(v as ClusterLoadAssignment).clusterName}`);
  assert.deepEqual(names.sort(), ['b', 'c2', 'cla:c2'], 'c2, its assignment and b were forgotten by both sides');
  const got = decoder.apply(structuredClone(back));
  assert.deepEqual(got.routeConfigs[0].virtualHosts.map((v) => v.name), ['a', 'b', 'c']);
});

test('a restarted worker gets the latest config whole, and then follows the same patches', () => {
  const encoder = new ConfigPatchEncoder();
  const old = new ConfigPatchDecoder();
  old.apply(structuredClone(encoder.next(config('1', {}))));
  old.apply(structuredClone(encoder.next(config('2', { routeConfigs: [withHosts(rcA, [va, vb2, vc])] }))));
  const fresh = new ConfigPatchDecoder();
  const whole = fresh.apply(structuredClone(encoder.full()!));
  assert.deepEqual(whole.routeConfigs[0].virtualHosts.map((v) => v.name), ['a', 'b2', 'c']);
  const patch = structuredClone(encoder.next(config('3', { routeConfigs: [withHosts(rcA, [va, vb, vc])] })));
  for (const decoder of [old, fresh]) assert.deepEqual(decoder.apply(structuredClone(patch)).routeConfigs[0].virtualHosts.map((v) => v.name), ['a', 'b', 'c']);
});

test('a patch against a config the worker never had is refused', () => {
  const encoder = new ConfigPatchEncoder();
  encoder.next(config('1', {}));
  const patch = encoder.next(config('2', { routeConfigs: [withHosts(rcA, [va, vb2, vc])] }));
  assert.throws(() => new ConfigPatchDecoder().apply(structuredClone(patch)), /does not have|does not hold/);
});

const diffCases: { name: string; previous: RouterConfig | null; next: RouterConfig; clusters: string[]; endpoints: string[]; removed: boolean }[] = [
  { name: 'nothing applied yet: everything', previous: null, next: config('1', {}), clusters: ['c1', 'c2'], endpoints: ['c1', 'c2'], removed: true },
  { name: 'same objects: nothing', previous: config('1', {}), next: config('2', {}), clusters: [], endpoints: [], removed: false },
  {
    name: 'a changed assignment only',
    previous: config('1', {}),
    next: config('2', { endpoints: [e1, decode<ClusterLoadAssignment>(CLUSTER_LOAD_ASSIGNMENT_TYPE, xdsLoadAssignment('c2', ['127.0.0.1:3']))] }),
    clusters: [],
    endpoints: ['c2'],
    removed: false,
  },
  {
    name: 'a changed cluster also gets its (unchanged) assignment',
    previous: config('1', {}),
    next: config('2', { clusters: [c1, decode<Cluster>(CLUSTER_TYPE, xdsEdsCluster('c2', { connect_timeout: { seconds: 3 } }))] }),
    clusters: ['c2'],
    endpoints: ['c2'],
    removed: false,
  },
  { name: 'a removed cluster', previous: config('1', {}), next: config('2', { clusters: [c1], endpoints: [e1] }), clusters: [], endpoints: [], removed: true },
];
for (const c of diffCases) {
  test(`diffClusters: ${c.name}`, () => {
    const d = diffClusters(c.previous, c.next);
    assert.deepEqual(d.clusters.map((x) => x.name), c.clusters);
    assert.deepEqual(d.endpoints.map((x) => x.clusterName), c.endpoints);
    assert.equal(d.removed, c.removed);
  });
}
