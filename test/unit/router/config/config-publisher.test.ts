import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBootstrapText } from '../../../../src/router/bootstrap/load-bootstrap.js';
import { ConfigPublisher } from '../../../../src/router/config/config-publisher.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import type { RouterConfig } from '../../../../src/router/worker/messages.js';
import { ResourceStore } from '../../../../src/router/xds-client/resource-store.js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE, CLUSTER_TYPE, LISTENER_TYPE, ROUTE_CONFIGURATION_TYPE, decodeProto, type ResourceType } from '../../../../src/router/xds-client/resource-types.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { adsBootstrap } from '../../../helpers/xds-test-server.js';
import { xdsEdsCluster, xdsListener, xdsLoadAssignment, xdsRouteConfig } from '../../../helpers/xds-resources.js';

function bootstrap() {
  const r = loadBootstrapText(JSON.stringify(adsBootstrap(1, 2)), 'json');
  assert.ok(r.ok);
  return r.value;
}

function put(store: ResourceStore, type: ResourceType, proto: ProtoObject, version = '1'): void {
  const d = decodeProto(type, proto, '');
  assert.ok(d.ok, JSON.stringify(!d.ok && d.errors));
  store.upsert(type.kind, [{ name: d.value.name, version, value: d.value.value, resource: d.value, raw: Buffer.alloc(0), updatedAtMs: 0 }]);
}

const tick = () => new Promise((r) => setImmediate(r));

function setup() {
  const store = new ResourceStore();
  const published: RouterConfig[] = [];
  const stats = new StatsStore();
  const publisher = new ConfigPublisher(bootstrap(), store, { publish: (c) => published.push(c) }, stats);
  return { store, published, publisher, stats };
}

test('nothing is published until CDS and LDS answered and everything is warm', async () => {
  const { store, published, publisher, stats } = setup();
  put(store, CLUSTER_TYPE, xdsEdsCluster('c1'));
  publisher.onResponse('cds');
  await tick();
  assert.equal(published.length, 0);
  assert.equal(stats.gauge('cluster_manager.warming_clusters').value, 1);
  put(store, CLUSTER_LOAD_ASSIGNMENT_TYPE, xdsLoadAssignment('c1', ['127.0.0.1:1']));
  publisher.onResponse('eds');
  put(store, LISTENER_TYPE, xdsListener('l1', 0, 'r1'));
  publisher.onResponse('lds');
  await tick();
  assert.equal(published.length, 0, 'the listener still waits for its routes');
  put(store, ROUTE_CONFIGURATION_TYPE, xdsRouteConfig('r1', 'c1'));
  publisher.onResponse('rds');
  await tick();
  assert.equal(published.length, 1);
  assert.equal(publisher.isInitialized, true);
  assert.deepEqual(published[0].listeners.map((l) => l.name), ['l1']);
  assert.deepEqual(published[0].clusters.map((c) => c.name).sort(), ['c1', 'xds_cluster']);
  assert.equal(stats.gauge('cluster_manager.warming_clusters').value, 0);
});

test('responses in one turn of the event loop become one publish; an unchanged store publishes nothing', async () => {
  const { store, published, publisher } = setup();
  publisher.initialize('test');
  assert.equal(published.length, 1, 'initialize publishes what is warm (the static cluster)');
  put(store, CLUSTER_TYPE, xdsEdsCluster('c1'));
  put(store, CLUSTER_LOAD_ASSIGNMENT_TYPE, xdsLoadAssignment('c1', ['127.0.0.1:1']));
  publisher.onResponse('cds');
  publisher.onResponse('eds');
  await tick();
  assert.equal(published.length, 2);
  publisher.onResponse('eds');
  await tick();
  assert.equal(published.length, 2, 'same resources: no new config for the workers');
  assert.notEqual(published[0].version, published[1].version);
});
