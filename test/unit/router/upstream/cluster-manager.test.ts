import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCluster } from '../../../../src/xds/resources/cluster.js';
import { decodeClusterLoadAssignment } from '../../../../src/xds/resources/cluster-load-assignment.js';
import type { ValidationResult } from '../../../../src/xds/validation.js';
import { ClusterManager } from '../../../../src/router/upstream/cluster-manager.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { xdsEdsCluster, xdsLoadAssignment } from '../../../helpers/xds-resources.js';

function value<T>(r: ValidationResult<T>): T {
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}
const cluster = (name: string, timeoutS = 1) => value(decodeCluster(xdsEdsCluster(name, { connect_timeout: { seconds: timeoutS, nanos: 0 } }), ''));
const cla = (name: string, ports: number[]) => value(decodeClusterLoadAssignment(xdsLoadAssignment(name, ports.map((p) => `127.0.0.1:${p}`)), ''));

test('an identical config keeps the cluster object; a changed one replaces it and keeps the EDS endpoints', () => {
  const m = new ClusterManager(new StatsStore());
  m.addOrUpdate([cluster('c1')]);
  m.applyLoadAssignment(cla('c1', [1, 2]));
  const first = m.get('c1')!;
  m.addOrUpdate([cluster('c1')]);
  assert.equal(m.get('c1'), first);
  m.addOrUpdate([cluster('c1', 2)]);
  const second = m.get('c1')!;
  assert.notEqual(second, first);
  assert.deepEqual(second.hosts.map((h) => h.port), [1, 2]);
});

test('removeAbsent removes only what the config no longer names; a pinned lookup still finds it', () => {
  const m = new ClusterManager(new StatsStore());
  m.addOrUpdate([cluster('c1'), cluster('c2')]);
  const pinned = m.pinned();
  m.addOrUpdate([cluster('c2')]);
  assert.ok(m.get('c1'), 'addOrUpdate never removes');
  m.removeAbsent([cluster('c2')]);
  assert.equal(m.get('c1'), undefined);
  assert.ok(pinned.get('c1'), 'the pinned lookup of a draining listener keeps it');
  assert.ok(m.get('c2'));
});

test('an unchanged assignment (same content key, or equal content) leaves the hosts alone; a removed host drains', () => {
  const m = new ClusterManager(new StatsStore());
  m.addOrUpdate([cluster('c1')]);
  m.applyLoadAssignment(cla('c1', [1, 2]), 'k1');
  const hosts = m.get('c1')!.hosts;
  m.applyLoadAssignment(cla('c1', [1, 2]), 'k1');
  assert.equal(m.get('c1')!.hosts, hosts, 'same key: nothing rebuilt');
  m.applyLoadAssignment(cla('c1', [1, 2]), 'k2');
  assert.equal(m.get('c1')!.hosts, hosts, 'new key, equal content: nothing rebuilt');
  const removed = hosts[1];
  m.applyLoadAssignment(cla('c1', [1]), 'k3');
  assert.deepEqual(m.get('c1')!.hosts.map((h) => h.port), [1]);
  assert.equal(m.get('c1')!.hosts[0], hosts[0], 'a kept host keeps its state and pool');
  assert.ok(removed.pool !== null);
});

test('content keys skip the deep compare of an unchanged cluster config', () => {
  const m = new ClusterManager(new StatsStore());
  m.addOrUpdate([cluster('c1')], { 'cds/c1': 'a' });
  const first = m.get('c1')!;
  m.addOrUpdate([cluster('c1')], { 'cds/c1': 'a' });
  assert.equal(m.get('c1'), first);
  m.addOrUpdate([cluster('c1', 3)], { 'cds/c1': 'b' });
  assert.notEqual(m.get('c1'), first);
  assert.equal(m.get('c1')!.config.connectTimeoutMs, 3000);
});
