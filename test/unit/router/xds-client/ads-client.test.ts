/**
 * The ADS client's response handling against a recording fake stream: what it ACKs, NACKs and
 * subscribes to, and what reaches the store. No sockets: the real stream is covered by the
 * integration tests in test/integration/router/xds-*.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packAny } from '../../../../src/xds/any.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '../../../../src/xds/type-urls.js';
import type { AdsStreamHandler } from '../../../../src/router/xds-client/ads-stream.js';
import { Backoff } from '../../../../src/router/xds-client/backoff.js';
import { ResourceStore } from '../../../../src/router/xds-client/resource-store.js';
import { AdsClient, type AdsStreamLike } from '../../../../src/router/xds-client/xds-client.js';
import { XdsStats } from '../../../../src/router/xds-client/xds-stats.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { xdsEdsCluster, xdsListener, xdsLoadAssignment, xdsRouteConfig } from '../../../helpers/xds-resources.js';

class FakeStream implements AdsStreamLike {
  readonly sent: Record<string, unknown>[] = [];
  closed = false;
  constructor(readonly handler: AdsStreamHandler) {}
  send(request: Record<string, unknown>): void {
    this.sent.push(request);
  }
  close(): void {
    this.closed = true;
  }
  /** Requests of one type, in order. */
  of(typeUrl: string): Record<string, unknown>[] {
    return this.sent.filter((r) => r.type_url === typeUrl);
  }
  last(typeUrl: string): Record<string, unknown> {
    const list = this.of(typeUrl);
    return list[list.length - 1];
  }
}

function setup(protocol: 'sotw' | 'delta' = 'sotw', resourceTimeoutMs = 60_000) {
  const streams: FakeStream[] = [];
  const store = new ResourceStore();
  const statsStore = new StatsStore();
  const changes: string[] = [];
  const rejections: string[] = [];
  const missing: string[] = [];
  const client = new AdsClient({
    target: 'fake',
    protocol,
    node: { id: 'n' },
    nodeOnFirstMessageOnly: true,
    staticListeners: [],
    staticClusters: [],
    store,
    stats: new XdsStats(statsStore),
    watcher: {
      onResourcesChanged: (k) => changes.push(k),
      onRejected: (k, m) => rejections.push(`${k}: ${m}`),
      onResourceDoesNotExist: (k, n) => missing.push(`${k}/${n}`),
    },
    resourceTimeoutMs,
    backoff: new Backoff(1, 2, () => 0),
    streamFactory: (handler) => {
      const s = new FakeStream(handler);
      streams.push(s);
      return s;
    },
  });
  client.start();
  const counter = (name: string): number => statsStore.counter(name).value;
  return { client, store, streams, changes, rejections, missing, counter, stream: () => streams[streams.length - 1] };
}

function sotw(typeUrl: string, version: string, nonce: string, resources: ProtoObject[]): Record<string, unknown> {
  return { type_url: typeUrl, version_info: version, nonce, resources: resources.map(packAny) };
}

test('SotW: the first requests are wildcard CDS and LDS only', () => {
  const { stream, client } = setup();
  const types = stream().sent.map((r) => r.type_url);
  assert.deepEqual(types, [CLUSTER_TYPE_URL, LISTENER_TYPE_URL]);
  assert.deepEqual(stream().sent[0].resource_names, []);
  client.stop();
});

test('SotW: CDS is ACKed, then EDS is requested by service name', () => {
  const { stream, store, counter, client } = setup();
  stream().handler.onResponse(sotw(CLUSTER_TYPE_URL, '1', 'a', [xdsEdsCluster('c1'), xdsEdsCluster('c2', {}, 'svc2')]));
  assert.deepEqual(stream().last(CLUSTER_TYPE_URL), { version_info: '1', resource_names: [], type_url: CLUSTER_TYPE_URL, response_nonce: 'a' });
  assert.deepEqual(stream().last(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL).resource_names, ['c1', 'svc2']);
  assert.deepEqual(store.names('cds').sort(), ['c1', 'c2']);
  assert.equal(counter('cluster_manager.cds.update_success'), 1);
  stream().handler.onResponse(sotw(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, '1', 'b', [xdsLoadAssignment('c1', ['127.0.0.1:1'])]));
  assert.equal(stream().last(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL).response_nonce, 'b');
  assert.deepEqual(store.names('eds'), ['c1']);
  assert.equal(counter('cluster.c1.update_success'), 1);
  client.stop();
});

test('SotW: LDS is ACKed and RDS is requested by the HCM route_config_name', () => {
  const { stream, store, counter, client } = setup();
  stream().handler.onResponse(sotw(LISTENER_TYPE_URL, 'v1', 'n1', [xdsListener('l1', 0, 'routes-a')]));
  assert.deepEqual(stream().last(ROUTE_CONFIGURATION_TYPE_URL).resource_names, ['routes-a']);
  stream().handler.onResponse(sotw(ROUTE_CONFIGURATION_TYPE_URL, 'v1', 'n2', [xdsRouteConfig('routes-a', 'c1'), xdsRouteConfig('not-asked', 'c1')]));
  assert.deepEqual(store.names('rds'), ['routes-a'], 'a resource that was not asked for is ignored');
  assert.equal(counter('http.ingress_http.rds.routes-a.update_success'), 1);
  client.stop();
});

test('SotW: an invalid resource NACKs the whole response with every path: message, and the store keeps the last good', () => {
  const { stream, store, rejections, counter, client } = setup();
  stream().handler.onResponse(sotw(CLUSTER_TYPE_URL, '1', 'a', [xdsEdsCluster('c1')]));
  const bad = xdsEdsCluster('c2', { lb_policy: 'CLUSTER_PROVIDED', connect_timeout: { seconds: -1, nanos: 0 } });
  stream().handler.onResponse(sotw(CLUSTER_TYPE_URL, '2', 'b', [xdsEdsCluster('c1', { connect_timeout: { seconds: 3, nanos: 0 } }), bad]));
  const nack = stream().last(CLUSTER_TYPE_URL);
  assert.equal(nack.version_info, '1', 'the NACK carries the last accepted version');
  assert.equal(nack.response_nonce, 'b');
  const detail = nack.error_detail as { code: number; message: string };
  assert.equal(detail.code, 3);
  assert.match(detail.message, /resources\[1\]\(c2\)\.lbPolicy: /);
  assert.match(detail.message, /resources\[1\]\(c2\)\.connectTimeout: /);
  assert.ok(detail.message.split('; ').length >= 2, `every error is listed: ${detail.message}`);
  assert.deepEqual(store.names('cds'), ['c1']);
  assert.equal((store.get('cds', 'c1')!.value as { connectTimeoutMs: number }).connectTimeoutMs, 1000, 'c1 keeps its last good version too');
  assert.equal(store.versionOf('cds'), '1');
  assert.equal(rejections.length, 1);
  assert.equal(counter('cluster_manager.cds.update_rejected'), 1);
  client.stop();
});

test('SotW: duplicate names and a wrong resource type are rejected', () => {
  const { stream, client } = setup();
  stream().handler.onResponse(sotw(CLUSTER_TYPE_URL, '1', 'a', [xdsEdsCluster('c1'), xdsEdsCluster('c1')]));
  assert.match((stream().last(CLUSTER_TYPE_URL).error_detail as { message: string }).message, /duplicate resource name "c1"/);
  stream().handler.onResponse(sotw(CLUSTER_TYPE_URL, '1', 'b', [xdsListener('l', 0, 'r')]));
  assert.match((stream().last(CLUSTER_TYPE_URL).error_detail as { message: string }).message, /does not match the response type/);
  client.stop();
});

test('SotW: a CDS response without a cluster deletes it and unsubscribes its EDS name', () => {
  const { stream, store, client } = setup();
  stream().handler.onResponse(sotw(CLUSTER_TYPE_URL, '1', 'a', [xdsEdsCluster('c1'), xdsEdsCluster('c2')]));
  stream().handler.onResponse(sotw(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, '1', 'b', [xdsLoadAssignment('c1', ['127.0.0.1:1']), xdsLoadAssignment('c2', ['127.0.0.1:2'])]));
  stream().handler.onResponse(sotw(CLUSTER_TYPE_URL, '2', 'c', [xdsEdsCluster('c2')]));
  assert.deepEqual(store.names('cds'), ['c2']);
  assert.deepEqual(store.names('eds'), ['c2']);
  const eds = stream().last(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
  assert.deepEqual(eds.resource_names, ['c2']);
  assert.equal(eds.version_info, '1');
  assert.equal(eds.response_nonce, 'b');
  client.stop();
});

test('SotW: after the stream drops, the new stream re-sends each type with its last version and no nonce', async () => {
  const { streams, stream, client } = setup();
  stream().handler.onResponse(sotw(CLUSTER_TYPE_URL, '7', 'a', [xdsEdsCluster('c1')]));
  stream().handler.onClosed('UNAVAILABLE');
  assert.equal(client.connected, false);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(streams.length, 2);
  const cds = stream().of(CLUSTER_TYPE_URL)[0];
  assert.equal(cds.version_info, '7');
  assert.equal(cds.response_nonce, '');
  assert.deepEqual(stream().of(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL)[0].resource_names, ['c1']);
  client.stop();
});

function delta(typeUrl: string, nonce: string, resources: [string, ProtoObject][], removed: string[] = []): Record<string, unknown> {
  return { type_url: typeUrl, nonce, system_version_info: '', resources: resources.map(([version, r]) => ({ name: String(r.name ?? r.cluster_name), version, resource: packAny(r) })), removed_resources: removed };
}

test('Delta: per-resource versions, removed_resources, and initial_resource_versions on reconnect', async () => {
  const { streams, stream, store, client } = setup('delta');
  assert.deepEqual(stream().sent.map((r) => r.type_url), [CLUSTER_TYPE_URL, LISTENER_TYPE_URL]);
  stream().handler.onResponse(delta(CLUSTER_TYPE_URL, 'a', [['1', xdsEdsCluster('c1')], ['4', xdsEdsCluster('c2')]]));
  const ack = stream().last(CLUSTER_TYPE_URL);
  assert.equal(ack.response_nonce, 'a');
  assert.equal(ack.error_detail, undefined);
  assert.deepEqual(stream().last(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL).resource_names_subscribe, ['c1', 'c2']);
  stream().handler.onResponse(delta(CLUSTER_TYPE_URL, 'b', [['2', xdsEdsCluster('c1', { connect_timeout: { seconds: 2, nanos: 0 } })]], []));
  assert.deepEqual(store.names('cds').sort(), ['c1', 'c2'], 'delta is not full state: c2 stays');
  stream().handler.onResponse(delta(CLUSTER_TYPE_URL, 'c', [], ['c2']));
  assert.deepEqual(store.names('cds'), ['c1']);
  assert.deepEqual(stream().last(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL).resource_names_unsubscribe, ['c2']);
  stream().handler.onResponse(delta(CLUSTER_TYPE_URL, 'd', [['3', xdsEdsCluster('c3', { lb_policy: 'CLUSTER_PROVIDED' })]]));
  assert.equal((stream().last(CLUSTER_TYPE_URL).error_detail as { code: number }).code, 3);
  stream().handler.onClosed('UNAVAILABLE');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(streams.length, 2);
  const first = stream().of(CLUSTER_TYPE_URL)[0];
  assert.deepEqual(first.initial_resource_versions, { c1: '2' });
  assert.deepEqual(first.resource_names_subscribe, []);
  const eds = stream().of(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL)[0];
  assert.deepEqual(eds.resource_names_subscribe, ['c1']);
  client.stop();
});

test('an RDS name that does not arrive within the resource timeout is reported as not existing; one that arrives is not', async () => {
  const { stream, missing, client } = setup('sotw', 40);
  stream().handler.onResponse(sotw(LISTENER_TYPE_URL, '1', 'a', [xdsListener('l1', 0, 'r-there'), xdsListener('l2', 1, 'r-never')]));
  stream().handler.onResponse(sotw(ROUTE_CONFIGURATION_TYPE_URL, '1', 'b', [xdsRouteConfig('r-there', 'c')]));
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(missing, ['rds/r-never']);
  client.stop();
});

test('resource timers stop with the stream: a control plane that is down makes nothing "not exist"', async () => {
  const { stream, missing, client } = setup('sotw', 40);
  stream().handler.onResponse(sotw(LISTENER_TYPE_URL, '1', 'a', [xdsListener('l1', 0, 'r1')]));
  client.stop();
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(missing, []);
});

test('Delta: removed_resources naming a subscribed EDS name is an immediate "does not exist"', () => {
  const { stream, missing, client } = setup('delta');
  stream().handler.onResponse(delta(CLUSTER_TYPE_URL, 'a', [['1', xdsEdsCluster('c1')]]));
  stream().handler.onResponse(delta(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, 'b', [], ['c1']));
  assert.deepEqual(missing, ['eds/c1']);
  client.stop();
});

test('a stream that cannot be opened is retried with backoff, not thrown', async () => {
  let attempts = 0;
  const client = new AdsClient({
    target: 'bad',
    protocol: 'sotw',
    node: {},
    nodeOnFirstMessageOnly: true,
    staticListeners: [],
    staticClusters: [],
    store: new ResourceStore(),
    stats: new XdsStats(new StatsStore()),
    watcher: { onResourcesChanged: () => {} },
    backoff: new Backoff(1, 2, () => 0),
    streamFactory: () => {
      attempts++;
      throw new Error('no such target');
    },
  });
  client.start();
  await new Promise((r) => setTimeout(r, 30));
  client.stop();
  assert.ok(attempts >= 2, `attempts ${attempts}`);
});
