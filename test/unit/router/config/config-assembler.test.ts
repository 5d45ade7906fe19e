import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { decodeCluster } from '../../../../src/xds/resources/cluster.js';
import { decodeClusterLoadAssignment } from '../../../../src/xds/resources/cluster-load-assignment.js';
import { decodeListener } from '../../../../src/xds/resources/listener.js';
import { decodeRouteConfiguration } from '../../../../src/xds/resources/route-configuration.js';
import type { ValidationResult } from '../../../../src/xds/validation.js';
import { assembleConfig, sameServedConfig, type AssemblerInput, type Versioned } from '../../../../src/router/config/config-assembler.js';
import { xdsEdsCluster, xdsListener, xdsLoadAssignment, xdsRouteConfig } from '../../../helpers/xds-resources.js';

function value<T>(r: ValidationResult<T>): T {
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}
function map<T>(items: [string, T][], version = '1'): Map<string, Versioned<T>> {
  return new Map(items.map(([n, v]) => [n, { value: v, version }]));
}
const cluster = (name: string, extra: ProtoObject = {}) => value(decodeCluster(xdsEdsCluster(name, extra), ''));
const cla = (name: string, port = 1) => value(decodeClusterLoadAssignment(xdsLoadAssignment(name, [`127.0.0.1:${port}`]), ''));
const listener = (name: string, route: string) => value(decodeListener(xdsListener(name, 0, route), ''));
const routes = (name: string, target: string) => value(decodeRouteConfiguration(xdsRouteConfig(name, target), ''));

function input(parts: Partial<AssemblerInput>): AssemblerInput {
  return { staticListeners: [], staticClusters: [], listeners: new Map(), routeConfigs: new Map(), clusters: new Map(), endpoints: new Map(), ...parts };
}

test('an EDS cluster without its ClusterLoadAssignment is warming and not used', () => {
  const out = assembleConfig(input({ clusters: map([['c1', cluster('c1')]]) }));
  assert.deepEqual(out.clusters, []);
  assert.deepEqual([...out.warmingClusters.keys()], ['c1']);
});

test('a cluster becomes active with its endpoints once the CLA arrives', () => {
  const c1 = cluster('c1');
  const e1 = cla('c1');
  const out = assembleConfig(input({ clusters: map([['c1', c1]]), endpoints: map([['c1', e1]]) }));
  assert.deepEqual(out.clusters, [c1]);
  assert.deepEqual(out.endpoints, [e1]);
  assert.equal(out.warmingClusters.size, 0);
});

test('a listener without its RouteConfiguration is warming and not used', () => {
  const out = assembleConfig(input({ listeners: map([['l1', listener('l1', 'r1')]]) }));
  assert.deepEqual(out.listeners, []);
  assert.deepEqual([...out.warmingListeners.keys()], ['l1']);
});

test('a warm listener brings exactly the route configs it references', () => {
  const l1 = listener('l1', 'r1');
  const r1 = routes('r1', 'c1');
  const out = assembleConfig(input({ listeners: map([['l1', l1]]), routeConfigs: map([['r1', r1], ['r-unused', routes('r-unused', 'c1')]]) }));
  assert.deepEqual(out.listeners, [l1]);
  assert.deepEqual(out.routeConfigs, [r1]);
});

test('a route naming an unknown cluster is not an error (503 at request time, as in Envoy)', () => {
  const out = assembleConfig(input({ listeners: map([['l1', listener('l1', 'r1')]]), routeConfigs: map([['r1', routes('r1', 'nowhere')]]) }));
  assert.equal(out.listeners.length, 1);
  assert.equal(out.clusters.length, 0);
});

test('an updated cluster that is not warm yet leaves the old version serving with its endpoints', () => {
  const old = cluster('c1');
  const first = assembleConfig(input({ clusters: map([['c1', old]]), endpoints: map([['c1', cla('c1')]]) }));
  const moved = value(decodeCluster(xdsEdsCluster('c1', {}, 'svc-new'), ''));
  const second = assembleConfig(input({ clusters: map([['c1', moved]], '2'), endpoints: new Map() }), first);
  assert.deepEqual(second.clusters, [old]);
  assert.deepEqual(second.endpoints, first.endpoints, 'the old endpoints stay with the old version');
  assert.ok(second.warmingClusters.has('c1'));
});

test('an updated listener whose new RDS name has not arrived keeps the old listener and its routes', () => {
  const l1 = listener('l1', 'r1');
  const r1 = routes('r1', 'c1');
  const first = assembleConfig(input({ listeners: map([['l1', l1]]), routeConfigs: map([['r1', r1]]) }));
  const l1b = listener('l1', 'r2');
  const second = assembleConfig(input({ listeners: map([['l1', l1b]], '2'), routeConfigs: new Map() }), first);
  assert.deepEqual(second.listeners, [l1]);
  assert.deepEqual(second.routeConfigs, [r1]);
  const third = assembleConfig(input({ listeners: map([['l1', l1b]], '2'), routeConfigs: map([['r2', routes('r2', 'c1')]]) }), second);
  assert.deepEqual(third.listeners, [l1b]);
  assert.equal(third.routeConfigs[0].name, 'r2');
});

test('removed resources disappear from the assembled config', () => {
  const c1 = cluster('c1');
  const first = assembleConfig(input({ clusters: map([['c1', c1]]), endpoints: map([['c1', cla('c1')]]), listeners: map([['l1', listener('l1', 'r1')]]), routeConfigs: map([['r1', routes('r1', 'c1')]]) }));
  const second = assembleConfig(input({}), first);
  assert.deepEqual(second.clusters, []);
  assert.deepEqual(second.listeners, []);
  assert.deepEqual(second.routeConfigs, []);
  assert.deepEqual(second.endpoints, []);
});

test('static resources always stay and win over dynamic ones of the same name', () => {
  const staticC = value(decodeCluster({ name: 'xds', type: 'STATIC', load_assignment: { cluster_name: 'xds', endpoints: [] } }, ''));
  const out = assembleConfig(input({ staticClusters: [staticC], clusters: map([['xds', cluster('xds')]]), endpoints: map([['xds', cla('xds')]]) }));
  assert.deepEqual(out.clusters, [staticC]);
  assert.equal(out.activeClusters.size, 0);
});

test('sameServedConfig compares by identity: an unchanged store assembles to the same config', () => {
  const parts = input({ clusters: map([['c1', cluster('c1')]]), endpoints: map([['c1', cla('c1')]]) });
  const a = assembleConfig(parts);
  const b = assembleConfig(parts, a);
  assert.equal(sameServedConfig(a, b), true);
  const c = assembleConfig({ ...parts, endpoints: map([['c1', cla('c1', 2)]]) }, b);
  assert.equal(sameServedConfig(b, c), false);
});

test('a cluster CDS removed while a served route still names it stays until the route moves on', () => {
  const c1 = cluster('c1');
  const c2 = cluster('c2');
  const l1 = listener('l1', 'r1');
  const first = assembleConfig(input({
    clusters: map([['c1', c1], ['c2', c2]]),
    endpoints: map([['c1', cla('c1')], ['c2', cla('c2')]]),
    listeners: map([['l1', l1]]),
    routeConfigs: map([['r1', routes('r1', 'c1')]]),
  }));
  // CDS first: c1 is gone, but r1 still routes to it.
  const second = assembleConfig(input({ clusters: map([['c2', c2]], '2'), endpoints: map([['c2', cla('c2')]]), listeners: map([['l1', l1]]), routeConfigs: map([['r1', routes('r1', 'c1')]]) }), first);
  assert.deepEqual(second.clusters.map((c) => c.name).sort(), ['c1', 'c2']);
  assert.deepEqual([...second.retainedClusters.keys()], ['c1']);
  assert.deepEqual(second.endpoints.map((e) => e.clusterName).sort(), ['c1', 'c2'], 'with its last endpoints');
  // Then RDS: nothing names c1 any more, it goes.
  const third = assembleConfig(input({ clusters: map([['c2', c2]], '2'), endpoints: map([['c2', cla('c2')]]), listeners: map([['l1', l1]]), routeConfigs: map([['r1', routes('r1', 'c2')]], '2') }), second);
  assert.deepEqual(third.clusters.map((c) => c.name), ['c2']);
  assert.equal(third.retainedClusters.size, 0);
});

test('a cluster that was never active is not invented for a route that names it', () => {
  const out = assembleConfig(input({ listeners: map([['l1', listener('l1', 'r1')]]), routeConfigs: map([['r1', routes('r1', 'ghost')]]) }));
  assert.deepEqual(out.clusters, []);
});

test('a RouteConfiguration or ClusterLoadAssignment the control plane does not have ends warming, served empty', () => {
  const out = assembleConfig(input({
    listeners: map([['l1', listener('l1', 'r-missing')]]),
    clusters: map([['c1', cluster('c1')]]),
    missing: new Set(['rds/r-missing', 'eds/c1']),
  }));
  assert.deepEqual(out.listeners.map((l) => l.name), ['l1']);
  assert.deepEqual(out.routeConfigs.map((r) => [r.name, r.virtualHosts.length]), [['r-missing', 0]]);
  assert.deepEqual(out.clusters.map((c) => c.name), ['c1']);
  assert.deepEqual(out.endpoints.map((e) => [e.clusterName, e.endpoints.length]), [['c1', 0]]);
  assert.equal(out.warmingListeners.size + out.warmingClusters.size, 0);
  const again = assembleConfig(input({ listeners: map([['l1', listener('l1', 'r-missing')]]), missing: new Set(['rds/r-missing']) }), out);
  assert.equal(again.routeConfigs[0], out.routeConfigs[0], 'the same empty object each time (no spurious republish)');
});
