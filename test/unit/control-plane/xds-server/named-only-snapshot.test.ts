/**
 * The named-only part of the snapshot contract (resource-snapshot.ts): buildSnapshot's
 * `namedOnly` option, the wildcard view encodeSnapshot derives from it, and the consistency rules
 * that ignore it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConsistency } from '../../../../src/control-plane/xds-server/cache/consistency.js';
import { encodeSnapshot } from '../../../../src/control-plane/xds-server/cache/encoded-snapshot.js';
import { buildSnapshot, isNamedOnly } from '../../../../src/control-plane/xds-server/cache/resource-snapshot.js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '../../../../src/xds/type-urls.js';
import { apiListener, edsCluster, inlineApiListener, loadAssignment, tcpListener, weightedRoute } from './xds-fixtures.js';

const resources = {
  listeners: [tcpListener('ingress', 8080, 'r1'), inlineApiListener('svc.example', weightedRoute('svc.example', ['svc.example'], [['c1--grpc', 1]]))],
  routeConfigurations: [weightedRoute('r1', ['svc.example'], [['c1', 100]])],
  clusters: [edsCluster('c1'), edsCluster('c1--grpc', 'c1')],
  clusterLoadAssignments: [loadAssignment('c1', [8080])],
};
const namedOnly = { listeners: ['svc.example'], clusters: ['c1--grpc'] };

test('buildSnapshot records named-only names per type; a snapshot without the option has none', () => {
  const s = buildSnapshot('1', resources, { namedOnly });
  assert.deepEqual([...(s.namedOnly?.get(LISTENER_TYPE_URL) ?? [])], ['svc.example']);
  assert.deepEqual([...(s.namedOnly?.get(CLUSTER_TYPE_URL) ?? [])], ['c1--grpc']);
  assert.equal(isNamedOnly(s, CLUSTER_TYPE_URL, 'c1--grpc'), true);
  assert.equal(isNamedOnly(s, CLUSTER_TYPE_URL, 'c1'), false);
  assert.equal(isNamedOnly(s, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, 'c1'), false);
  const plain = buildSnapshot('1', resources);
  assert.equal(isNamedOnly(plain, LISTENER_TYPE_URL, 'svc.example'), false);
  assert.equal(plain.namedOnly?.size, 0);
});

test('buildSnapshot throws on a named-only name that is not a resource of its type', () => {
  const bad = [
    { listeners: ['nope'] },
    { clusters: ['svc.example'] }, // a listener's name, not a cluster's
  ];
  for (const n of bad) {
    assert.throws(
      () => buildSnapshot('1', resources, { namedOnly: n }),
      (err: Error & { code?: string }) => err.code === 'SY_ERR_INVALID_ARGUMENT' && /namedOnly\.(listeners|clusters)\[0\]: "[^"]+" is not a resource/.test(err.message),
    );
  }
});

test('encodeSnapshot: wildcardByType leaves the named-only resources out and reuses byType for untouched types', () => {
  const e = encodeSnapshot(buildSnapshot('1', resources, { namedOnly }));
  assert.ok(e.ok);
  const { byType, wildcardByType } = e.value;
  assert.deepEqual([...byType.get(LISTENER_TYPE_URL)!.keys()].sort(), ['ingress', 'svc.example']);
  assert.deepEqual([...wildcardByType.get(LISTENER_TYPE_URL)!.keys()], ['ingress']);
  assert.deepEqual([...wildcardByType.get(CLUSTER_TYPE_URL)!.keys()], ['c1']);
  assert.equal(wildcardByType.get(CLUSTER_TYPE_URL)!.get('c1'), byType.get(CLUSTER_TYPE_URL)!.get('c1'), 'the same encoded object');
  assert.equal(wildcardByType.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL), byType.get(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL));
  const plain = encodeSnapshot(buildSnapshot('1', resources));
  assert.ok(plain.ok);
  for (const [typeUrl, map] of plain.value.byType) assert.equal(plain.value.wildcardByType.get(typeUrl), map, 'no named-only: the very byType map');
});

test('consistency is unchanged: references must resolve whether or not either end is named-only', () => {
  assert.deepEqual(checkConsistency(buildSnapshot('1', resources, { namedOnly })), []);
  const dangling = buildSnapshot('1', { listeners: [apiListener('svc.example', 'missing')], clusters: [edsCluster('c1--grpc', 'gone')] }, { namedOnly });
  assert.deepEqual(
    checkConsistency(dangling).map((e) => e.path),
    ['listeners["svc.example"].apiListener.apiListener.rds.routeConfigName', 'clusters["c1--grpc"].edsClusterConfig.serviceName'],
  );
});
