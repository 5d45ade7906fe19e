/**
 * The identity memos of buildSnapshot, encodeSnapshot and checkConsistency: a frozen list handed
 * over again gives the same map, encoding and check result (no walk); a mutable list or a
 * hand-built map is never memoized, so changing it between snapshots is always seen.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConsistency } from '../../../../src/control-plane/xds-server/cache/consistency.js';
import { encodeSnapshot } from '../../../../src/control-plane/xds-server/cache/encoded-snapshot.js';
import { buildSnapshot, isSealedResourceMap, type ResourceSnapshot } from '../../../../src/control-plane/xds-server/cache/resource-snapshot.js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '../../../../src/xds/type-urls.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { apiListener, edsCluster, loadAssignment } from './xds-fixtures.js';

function encoded(s: ResourceSnapshot) {
  const e = encodeSnapshot(s);
  assert.ok(e.ok);
  return e.value;
}

test('buildSnapshot: the same frozen list gives the same map, encoding, wildcard view and named-only set', () => {
  const clusters = Object.freeze([edsCluster('a'), edsCluster('b'), edsCluster('b--grpc')]);
  const assignments = Object.freeze([loadAssignment('a', [1]), loadAssignment('b', [2]), loadAssignment('b--grpc', [3])]);
  const namedOnly = Object.freeze(['b--grpc']);
  const one = buildSnapshot('1', { clusters, clusterLoadAssignments: assignments }, { namedOnly: { clusters: namedOnly } });
  const two = buildSnapshot('2', { clusters, clusterLoadAssignments: Object.freeze([...assignments]) }, { namedOnly: { clusters: namedOnly } });
  assert.equal(two.resources.get(CLUSTER_TYPE_URL), one.resources.get(CLUSTER_TYPE_URL));
  assert.notEqual(two.resources.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL), one.resources.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL), 'another list: another map');
  assert.ok(isSealedResourceMap(one.resources.get(CLUSTER_TYPE_URL)!));
  assert.equal(two.namedOnly?.get(CLUSTER_TYPE_URL), one.namedOnly?.get(CLUSTER_TYPE_URL));
  const [e1, e2] = [encoded(one), encoded(two)];
  assert.equal(e2.byType.get(CLUSTER_TYPE_URL), e1.byType.get(CLUSTER_TYPE_URL));
  assert.equal(e2.wildcardByType.get(CLUSTER_TYPE_URL), e1.wildcardByType.get(CLUSTER_TYPE_URL));
  assert.deepEqual([...e2.wildcardByType.get(CLUSTER_TYPE_URL)!.keys()], ['a', 'b']);
  // Another map of the same objects: the per-object encodings are shared.
  assert.equal(e2.byType.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL)!.get('a'), e1.byType.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL)!.get('a'));
});

test('buildSnapshot: a frozen list with a bad resource throws every time (errors are not memoized)', () => {
  const clusters = Object.freeze([edsCluster('a'), edsCluster('a')]);
  assert.throws(() => buildSnapshot('1', { clusters }), /duplicate name "a"/);
  assert.throws(() => buildSnapshot('2', { clusters }), /duplicate name "a"/);
});

test('buildSnapshot: a mutable list is read afresh every time', () => {
  const clusters: ProtoObject[] = [edsCluster('a')];
  const one = buildSnapshot('1', { clusters });
  clusters.push(edsCluster('b'));
  const two = buildSnapshot('2', { clusters });
  assert.deepEqual([...two.resources.get(CLUSTER_TYPE_URL)!.keys()], ['a', 'b']);
  assert.notEqual(two.resources.get(CLUSTER_TYPE_URL), one.resources.get(CLUSTER_TYPE_URL));
});

test('buildSnapshot: a resource without @type gets one typed copy, the same in every snapshot', () => {
  const { '@type': _, ...bare } = edsCluster('a');
  const clusters = [Object.freeze(bare) as ProtoObject];
  const one = buildSnapshot('1', { clusters });
  const two = buildSnapshot('2', { clusters: [...clusters] });
  const a1 = one.resources.get(CLUSTER_TYPE_URL)!.get('a')!;
  assert.equal(a1['@type'], CLUSTER_TYPE_URL);
  assert.equal(two.resources.get(CLUSTER_TYPE_URL)!.get('a'), a1);
});

test('checkConsistency: memoized per pair of maps, and still finds a dangling reference in a new pair', () => {
  const listeners = Object.freeze([apiListener('l', 'routes')]);
  const clusters = Object.freeze([edsCluster('a')]);
  const broken = buildSnapshot('1', { listeners, clusters });
  assert.deepEqual(checkConsistency(broken).map((e) => e.message), ['RouteConfiguration "routes" is not in the snapshot', 'ClusterLoadAssignment "a" is not in the snapshot']);
  assert.equal(checkConsistency(buildSnapshot('2', { listeners, clusters })).length, 2, 'same maps, same answer');
  const fixed = buildSnapshot('3', { listeners, clusters, clusterLoadAssignments: [loadAssignment('a', [1])], routeConfigurations: [{ name: 'routes', virtual_hosts: [] }] });
  assert.deepEqual(checkConsistency(fixed), []);
  // A hand-built snapshot (mutable maps) is checked afresh.
  const byName = new Map<string, ProtoObject>([['l', listeners[0]]]);
  const hand: ResourceSnapshot = { version: '4', resources: new Map([[LISTENER_TYPE_URL, byName]]) };
  assert.equal(checkConsistency(hand).length, 1);
});
