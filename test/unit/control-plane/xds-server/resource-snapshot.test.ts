import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSnapshot, resourcesOfType, type SnapshotResources } from '../../../../src/control-plane/xds-server/cache/resource-snapshot.js';
import { encodeSnapshot, resourceVersion } from '../../../../src/control-plane/xds-server/cache/encoded-snapshot.js';
import { SnapshotCache } from '../../../../src/control-plane/xds-server/cache/snapshot-cache.js';
import { unpackAny } from '../../../../src/xds/any.js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '../../../../src/xds/type-urls.js';
import { apiListener, edsCluster, loadAssignment, weightedRoute } from './xds-fixtures.js';

const full: SnapshotResources = {
  listeners: [apiListener('l1', 'r1')],
  routeConfigurations: [weightedRoute('r1', ['svc'], [['c1', 100]])],
  clusters: [edsCluster('c1')],
  clusterLoadAssignments: [loadAssignment('c1', [8080])],
};

test('buildSnapshot keys resources by type URL and name (.cluster_name for CLAs)', () => {
  const s = buildSnapshot('v1', full);
  assert.equal(s.version, 'v1');
  assert.deepEqual([...s.resources.keys()].sort(), [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL].sort());
  assert.deepEqual([...resourcesOfType(s, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL).keys()], ['c1']);
  assert.deepEqual([...resourcesOfType(s, LISTENER_TYPE_URL).keys()], ['l1']);
  assert.ok(Object.isFrozen(resourcesOfType(s, CLUSTER_TYPE_URL).get('c1')));
});

test('buildSnapshot adds a missing @type and holds every type even when empty', () => {
  const s = buildSnapshot('1', { clusters: [{ name: 'bare', type: 'STATIC' }] });
  assert.equal(resourcesOfType(s, CLUSTER_TYPE_URL).get('bare')?.['@type'], CLUSTER_TYPE_URL);
  assert.equal(resourcesOfType(s, LISTENER_TYPE_URL).size, 0);
});

const misuse: { name: string; run: () => unknown; error: RegExp }[] = [
  { name: 'an empty version', run: () => buildSnapshot('', {}), error: /version/ },
  { name: 'a resource without a name', run: () => buildSnapshot('1', { clusters: [{ type: 'STATIC' }] }), error: /clusters\[0\]: resource has no name/ },
  { name: 'duplicate names', run: () => buildSnapshot('1', { clusters: [edsCluster('a'), edsCluster('a')] }), error: /clusters\[1\]: duplicate name "a"/ },
  { name: 'a @type that contradicts its list', run: () => buildSnapshot('1', { listeners: [edsCluster('a')] }), error: /listeners\[0\]: '@type'/ },
];
for (const c of misuse) {
  test(`buildSnapshot throws on ${c.name}`, () => {
    assert.throws(c.run, (err: Error & { code?: string }) => err.code === 'SY_ERR_INVALID_ARGUMENT' && c.error.test(err.message));
  });
}

test('encodeSnapshot packs each resource once, memoized, and the bytes decode back', () => {
  const s = buildSnapshot('1', full);
  const a = encodeSnapshot(s);
  const b = encodeSnapshot(s);
  assert.ok(a.ok && b.ok);
  assert.equal(a.value, b.value);
  const c1 = a.value.byType.get(CLUSTER_TYPE_URL)!.get('c1')!;
  assert.equal(c1.any.type_url, CLUSTER_TYPE_URL);
  const back = unpackAny(c1.any);
  assert.ok(back.ok);
  assert.equal(back.value.name, 'c1');
  assert.equal(back.value.type, 'EDS');
});

test('per-resource versions: equal for identical bytes, different when a field changes, stable across snapshots', () => {
  const v = (s: SnapshotResources, name: string) => {
    const e = encodeSnapshot(buildSnapshot('x', s));
    assert.ok(e.ok);
    return e.value.byType.get(CLUSTER_TYPE_URL)!.get(name)!.version;
  };
  const base = v({ clusters: [edsCluster('c1'), edsCluster('c2', 's')] , clusterLoadAssignments: [] }, 'c1');
  assert.equal(base, v({ clusters: [edsCluster('c1')] }, 'c1'));
  assert.notEqual(base, v({ clusters: [edsCluster('c1', undefined, { lb_policy: 'RANDOM' })] }, 'c1'));
  assert.match(base, /^[0-9a-f]{16}$/);
  assert.equal(resourceVersion(Buffer.from('abc')), 'ba7816bf8f01cfea', 'SHA-256 prefix of the bytes');
});

test('encodeSnapshot reports a resource that does not fit its proto as a FieldError', () => {
  const r = encodeSnapshot(buildSnapshot('1', { clusters: [{ name: 'bad', type: 'NOT_A_TYPE' }] }));
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.errors[0].path, /^Cluster\["bad"\]/);
});

test('SnapshotCache publishes a consistent snapshot and notifies; rejects an inconsistent one and keeps the last good', () => {
  const cache = new SnapshotCache();
  const seen: string[] = [];
  const off = cache.onSnapshot((group, s) => seen.push(`${group}@${s.version}`));
  assert.deepEqual(cache.setSnapshot('eu', buildSnapshot('1', full)), { ok: true, value: undefined });
  const bad = cache.setSnapshot('eu', buildSnapshot('2', { clusters: [edsCluster('c9')] }));
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.errors[0].message, /ClusterLoadAssignment "c9"/);
  const unencodable = cache.setSnapshot('eu', buildSnapshot('3', { clusters: [{ name: 'x', type: 'NOPE' }] }));
  assert.equal(unencodable.ok, false);
  assert.equal(cache.getSnapshot('eu')?.version, '1');
  assert.ok(cache.setSnapshot('us', buildSnapshot('1', {})).ok);
  assert.deepEqual(cache.groups(), ['eu', 'us']);
  assert.deepEqual(seen, ['eu@1', 'us@1']);
  off();
  cache.setSnapshot('us', buildSnapshot('2', {}));
  assert.deepEqual(seen, ['eu@1', 'us@1']);
  assert.equal(cache.getSnapshot('nowhere'), undefined);
});

test('a resource object carried over into the next snapshot is not encoded again', () => {
  const kept = edsCluster('kept');
  const a = encodeSnapshot(buildSnapshot('1', { clusters: [kept, edsCluster('other')] }));
  const b = encodeSnapshot(buildSnapshot('2', { clusters: [kept, edsCluster('other')] }));
  assert.ok(a.ok && b.ok);
  const get = (e: typeof a, n: string) => (e.ok ? e.value.byType.get(CLUSTER_TYPE_URL)!.get(n)! : null);
  assert.equal(get(a, 'kept'), get(b, 'kept'), 'same EncodedResource object');
  assert.notEqual(get(a, 'other'), get(b, 'other'));
  assert.equal(get(a, 'other')!.version, get(b, 'other')!.version, 'equal bytes, equal version');
});

test('SnapshotCache with requireRouteClusters rejects a route to a missing cluster', () => {
  const cache = new SnapshotCache({ requireRouteClusters: true });
  const r = cache.setSnapshot('g', buildSnapshot('1', { routeConfigurations: [weightedRoute('r', ['d'], [['nope', 1]])] }));
  assert.equal(r.ok, false);
  assert.equal(new SnapshotCache().setSnapshot('g', buildSnapshot('1', { routeConfigurations: [weightedRoute('r', ['d'], [['nope', 1]])] })).ok, true);
});
