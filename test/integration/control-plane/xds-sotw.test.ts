/**
 * State-of-the-world ADS against our real XdsServer over gRPC on 127.0.0.1 (XDS.md §1–14, §23),
 * driven by a raw test client that spells out every request.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS,
  CLUSTER_TYPE_URL as CDS,
  LISTENER_TYPE_URL as LDS,
  ROUTE_CONFIGURATION_TYPE_URL as RDS,
} from '../../../src/xds/type-urls.js';
import type { NackEvent } from '../../../src/control-plane/xds-server/server/callbacks.js';
import { apiListener, edsCluster, loadAssignment, weightedRoute } from '../../unit/control-plane/xds-server/xds-fixtures.js';
import { fetchOnce, openSotw, resourceNames, sotwRequest, type SotwResponse, type SotwStream } from './xds-ads-client.js';
import { startXdsServer } from './xds-test-server.js';

const NODE = { id: 'node-a', cluster: 'test', locality: { region: 'local', zone: 'z1' } };

function baseResources(weights: [number, number] = [80, 20], extraClusters: string[] = []) {
  const clusters = ['c1', 'c2', ...extraClusters];
  return {
    clusters: clusters.map((c) => edsCluster(c)),
    clusterLoadAssignments: clusters.map((c, i) => loadAssignment(c, [10_000 + i])),
    listeners: [apiListener('svc', 'svc-route')],
    routeConfigurations: [weightedRoute('svc-route', ['svc'], [['c1', weights[0]], ['c2', weights[1]]])],
  };
}

function open(t: { after(fn: () => void): void }, port: number): SotwStream {
  const s = openSotw(port);
  t.after(() => s.close());
  return s;
}

async function ack(s: SotwStream, r: SotwResponse, names: string[]): Promise<void> {
  s.send(sotwRequest(r.type_url, names, { version: r.version_info, nonce: r.nonce }));
}

test('wildcard CDS (explicit *) gets every cluster; the ACK is not answered', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const s = open(t, x.port);
  s.send(sotwRequest(CDS, ['*'], { node: NODE }));
  const r = await s.next();
  assert.equal(r.type_url, CDS);
  assert.equal(r.version_info, '1');
  assert.notEqual(r.nonce, '');
  assert.deepEqual(resourceNames(r.resources).sort(), ['c1', 'c2']);
  for (const any of r.resources) assert.equal(any.type_url, CDS);
  await ack(s, r, ['*']);
  assert.deepEqual(await s.drain(), []);
  const [status] = x.server.clients();
  assert.equal(status.nodeId, 'node-a');
  assert.equal(status.streamKind, 'ads');
  assert.equal(status.region, 'local');
  assert.deepEqual(status.types[CDS].subscribed, ['*']);
  assert.equal(status.types[CDS].ackedVersion, '1');
});

test('legacy wildcard: an empty first LDS request gets every listener; later an empty list after names is no interest', async (t) => {
  const x = await startXdsServer(t);
  const res = baseResources();
  x.publish('1', { ...res, listeners: [apiListener('svc', 'svc-route'), apiListener('other', 'svc-route')] });
  const s = open(t, x.port);
  s.send(sotwRequest(LDS, [], { node: NODE }));
  const r = await s.next();
  assert.deepEqual(resourceNames(r.resources).sort(), ['other', 'svc']);
  await ack(s, r, []);
  assert.deepEqual(await s.drain(), []);
  assert.deepEqual(x.server.clients()[0].types[LDS].subscribed, ['*']);
});

test('EDS and RDS answer only the requested names; newly requested names are sent even if unchanged', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const s = open(t, x.port);
  s.send(sotwRequest(EDS, ['c1'], { node: NODE }));
  const r1 = await s.next();
  assert.equal(r1.type_url, EDS);
  assert.deepEqual(resourceNames(r1.resources), ['c1']);
  s.send(sotwRequest(EDS, ['c1', 'c2'], { version: '1', nonce: r1.nonce }));
  const r2 = await s.next();
  assert.deepEqual(resourceNames(r2.resources).sort(), ['c1', 'c2']);
  assert.equal(r2.version_info, '1');
  await ack(s, r2, ['c1', 'c2']);
  s.send(sotwRequest(RDS, ['svc-route']));
  const r3 = await s.next();
  assert.equal(r3.type_url, RDS);
  assert.deepEqual(resourceNames(r3.resources), ['svc-route']);
  assert.deepEqual(await s.drain(), []);
});

test('a NACK is recorded and emitted, not answered with the same resources, and a new snapshot is sent', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const nacks: NackEvent[] = [];
  x.server.on('nack', (e) => nacks.push(e));
  const s = open(t, x.port);
  s.send(sotwRequest(CDS, ['c1', 'c2'], { node: NODE }));
  const r1 = await s.next();
  s.send(sotwRequest(CDS, ['c1', 'c2'], { version: '', nonce: r1.nonce, error: 'clusters[0]: bad lb_policy' }));
  assert.deepEqual(await s.drain(400), [], 'the rejected version must not be resent');
  assert.equal(nacks.length, 1);
  assert.deepEqual({ ...nacks[0] }, { nodeId: 'node-a', streamKind: 'ads', typeUrl: CDS, nonce: r1.nonce, version: '', message: 'clusters[0]: bad lb_policy' });
  const status = x.server.clients()[0].types[CDS];
  assert.equal(status.sentVersion, '1');
  assert.equal(status.ackedVersion, null);
  assert.equal(status.lastNack?.message, 'clusters[0]: bad lb_policy');
  assert.equal(status.lastNack?.nonce, r1.nonce);
  // Same content under a new version is still the rejected content: not resent.
  x.publish('2', baseResources());
  assert.deepEqual(await s.drain(300), []);
  x.publish('3', { ...baseResources(), clusters: [edsCluster('c1', undefined, { lb_policy: 'RANDOM' }), edsCluster('c2')] });
  const r2 = await s.next();
  assert.equal(r2.version_info, '3');
  await ack(s, r2, ['c1', 'c2']);
  assert.deepEqual(await s.drain(), []);
  assert.equal(x.server.clients()[0].types[CDS].ackedVersion, '3');
});

test('a new snapshot is pushed CDS → EDS → LDS → RDS, each type after the previous one is ACKed', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const s = open(t, x.port);
  const subs: [string, string[]][] = [
    [CDS, ['*']],
    [EDS, ['c1', 'c2', 'c3']],
    [LDS, ['*']],
    [RDS, ['svc-route']],
  ];
  for (const [type, names] of subs) {
    s.send(sotwRequest(type, names, { node: NODE }));
    const r = await s.next();
    assert.equal(r.type_url, type);
    await ack(s, r, names);
  }
  assert.deepEqual(await s.drain(200), []);
  // Change every type at once: a new cluster c3 (and its endpoints), a new listener, new weights.
  const next = baseResources([50, 50], ['c3']);
  x.publish('2', { ...next, listeners: [apiListener('svc', 'svc-route'), apiListener('svc2', 'svc-route')] });
  const order: string[] = [];
  for (const [type, names] of subs) {
    const r = await s.next();
    order.push(r.type_url);
    assert.equal(r.version_info, '2');
    assert.deepEqual(await s.drain(150), [], `nothing after ${type} until it is ACKed`);
    await ack(s, r, names);
  }
  assert.deepEqual(order, [CDS, EDS, LDS, RDS]);
});

test('LDS/CDS are full state: a removed cluster is missing from the next response', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources([100, 0], ['c3']));
  const s = open(t, x.port);
  s.send(sotwRequest(CDS, ['*'], { node: NODE }));
  const r1 = await s.next();
  assert.deepEqual(resourceNames(r1.resources).sort(), ['c1', 'c2', 'c3']);
  await ack(s, r1, ['*']);
  x.publish('2', baseResources([100, 0]));
  const r2 = await s.next();
  assert.deepEqual(resourceNames(r2.resources).sort(), ['c1', 'c2']);
  await ack(s, r2, ['*']);
  x.publish('3', { ...baseResources(), clusters: [], clusterLoadAssignments: [] });
  const r3 = await s.next();
  assert.deepEqual(r3.resources, [], 'an empty full-state response deletes them all');
});

test('a requested but absent EDS name is remembered and sent when it appears', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const s = open(t, x.port);
  s.send(sotwRequest(EDS, ['c3'], { node: NODE }));
  assert.deepEqual(await s.drain(300), [], 'nothing to send yet (RDS/EDS responses are never empty)');
  x.publish('2', baseResources([80, 20], ['c3']));
  const r = await s.next();
  assert.deepEqual(resourceNames(r.resources), ['c3']);
  assert.equal(r.version_info, '2');
});

test('a request with a stale nonce is ignored', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const s = open(t, x.port);
  s.send(sotwRequest(EDS, ['c1'], { node: NODE }));
  const r1 = await s.next();
  s.send(sotwRequest(EDS, ['c1', 'c2'], { nonce: 'not-a-nonce-we-sent' }));
  s.send(sotwRequest(EDS, ['c1', 'c2'], { nonce: '' }));
  assert.deepEqual(await s.drain(300), []);
  assert.deepEqual(x.server.clients()[0].types[EDS].subscribed, ['c1']);
  // The ACK carries the full list and is honoured.
  s.send(sotwRequest(EDS, ['c1', 'c2'], { version: '1', nonce: r1.nonce }));
  const r2 = await s.next();
  assert.deepEqual(resourceNames(r2.resources).sort(), ['c1', 'c2']);
});

test('the node group comes from the region of the first request; no region gets the default group', async (t) => {
  const x = await startXdsServer(t, { defaultGroup: 'local' });
  x.publish('local-1', baseResources());
  x.publish('eu-1', { ...baseResources(), clusters: [edsCluster('c1'), edsCluster('c2'), edsCluster('eu-only', 'c1')] }, 'eu');
  const eu = open(t, x.port);
  eu.send(sotwRequest(CDS, ['*'], { node: { id: 'eu-router', locality: { region: 'eu' } } }));
  const r1 = await eu.next();
  assert.equal(r1.version_info, 'eu-1');
  assert.deepEqual(resourceNames(r1.resources).sort(), ['c1', 'c2', 'eu-only']);
  const plain = open(t, x.port);
  plain.send(sotwRequest(CDS, ['*'], { node: { id: 'no-region' } }));
  const r2 = await plain.next();
  assert.equal(r2.version_info, 'local-1');
  plain.send(sotwRequest(CDS, ['*'], { version: r2.version_info, nonce: r2.nonce }));
  // The node is only on the first request: a later request without it stays in its group.
  eu.send(sotwRequest(CDS, ['*'], { version: r1.version_info, nonce: r1.nonce }));
  x.publish('local-2', baseResources([80, 20], ['c3']));
  const r3 = await plain.next();
  assert.equal(r3.version_info, 'local-2');
  assert.deepEqual(await eu.drain(200), [], 'a snapshot of another group is not pushed');
  const groups = Object.fromEntries(x.server.clients().map((c) => [c.nodeId, c.group]));
  assert.deepEqual(groups, { 'eu-router': 'eu', 'no-region': 'local' });
});

test('the single-type ClusterDiscoveryService serves the same state machine; connect/disconnect are emitted', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const connected = once(x.server, 'connect');
  const s = openSotw(x.port, 'cds');
  s.send(sotwRequest('', [], { node: NODE }));
  const r = await s.next();
  assert.equal(r.type_url, CDS);
  assert.deepEqual(resourceNames(r.resources).sort(), ['c1', 'c2']);
  const [ev] = await connected;
  assert.equal(ev.streamKind, 'cds');
  const disconnected = once(x.server, 'disconnect');
  s.close();
  await disconnected;
  assert.deepEqual(x.server.clients(), []);
  assert.ok(x.server.bytesSent() > 0);
});

test('a stream whose group has no snapshot yet waits, then gets the first one published', async (t) => {
  const x = await startXdsServer(t);
  const s = open(t, x.port);
  s.send(sotwRequest(CDS, ['*'], { node: { id: 'early', locality: { region: 'ap' } } }));
  assert.deepEqual(await s.drain(200), []);
  assert.equal(x.server.clients()[0].group, 'ap');
  x.publish('ap-1', baseResources(), 'ap');
  const r = await s.next();
  assert.equal(r.version_info, 'ap-1');
});

test('an unanswered response holds later pushes back only for ORDER_ACK_WAIT_MS', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const s = open(t, x.port);
  s.send(sotwRequest(CDS, ['*'], { node: NODE }));
  await ack(s, await s.next(), ['*']);
  s.send(sotwRequest(EDS, ['c1']));
  await ack(s, await s.next(), ['c1']);
  const changed = baseResources();
  x.publish('2', { ...changed, clusters: [edsCluster('c1', undefined, { lb_policy: 'RANDOM' }), edsCluster('c2')], clusterLoadAssignments: [loadAssignment('c1', [9]), loadAssignment('c2', [10_001])] });
  const started = Date.now();
  assert.equal((await s.next()).type_url, CDS);
  // CDS is never ACKed: the EDS push must still come, after the gate's time limit (2 s).
  const r2 = await s.next(5_000);
  assert.equal(r2.type_url, EDS);
  assert.ok(Date.now() - started >= 1_500, `EDS waited ${Date.now() - started} ms`);
});

test('a request naming new resources is answered even while an earlier type is in flight', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', baseResources());
  const s = open(t, x.port);
  s.send(sotwRequest(CDS, ['*'], { node: NODE }));
  await ack(s, await s.next(), ['*']);
  s.send(sotwRequest(EDS, ['c1']));
  const e1 = await s.next();
  await ack(s, e1, ['c1']);
  x.publish('2', baseResources([80, 20], ['c3']));
  const c2 = await s.next();
  assert.equal(c2.type_url, CDS);
  // The client learned c3 from CDS v2 and asks for its endpoints before ACKing CDS.
  s.send(sotwRequest(EDS, ['c1', 'c3'], { version: '1', nonce: e1.nonce }));
  const e2 = await s.next(1_000);
  assert.equal(e2.type_url, EDS);
  assert.deepEqual(resourceNames(e2.resources).sort(), ['c1', 'c3']);
});

test('the unary FetchClusters / FetchEndpoints answer from the current snapshot', async (t) => {
  const x = await startXdsServer(t);
  x.publish('7', baseResources());
  const all = await fetchOnce(x.port, 'cds', sotwRequest('', [], { node: NODE }));
  assert.equal(all.version_info, '7');
  assert.deepEqual(resourceNames(all.resources).sort(), ['c1', 'c2']);
  const one = await fetchOnce(x.port, 'eds', sotwRequest('', ['c2', 'missing'], { node: NODE }));
  assert.deepEqual(resourceNames(one.resources), ['c2']);
  await assert.rejects(fetchOnce(x.port, 'lds', sotwRequest('', [], { node: { id: 'n', locality: { region: 'nowhere' } } })), /no snapshot/);
});

test('make before break: a cluster deleted with the route that used it disappears only after the new route is ACKed', async (t) => {
  const x = await startXdsServer(t);
  const snap = (clusters: string[], split: [string, number][]) => ({
    clusters: clusters.map((c) => edsCluster(c)),
    clusterLoadAssignments: clusters.map((c, i) => loadAssignment(c, [11_000 + i])),
    listeners: [apiListener('svc', 'svc-route')],
    routeConfigurations: [weightedRoute('svc-route', ['svc'], split)],
  });
  x.publish('1', snap(['c1', 'c3'], [['c1', 50], ['c3', 50]]));
  const s = open(t, x.port);
  const subs: [string, string[]][] = [
    [CDS, ['*']],
    [EDS, ['c1', 'c3', 'c4']],
    [LDS, ['*']],
    [RDS, ['svc-route']],
  ];
  for (const [type, names] of subs) {
    s.send(sotwRequest(type, names, { node: NODE }));
    await ack(s, await s.next(), names);
  }
  // v2 replaces c3 by c4: CDS first carries c1, c3 and c4; c3 goes only after RDS v2 is ACKed.
  x.publish('2', snap(['c1', 'c4'], [['c1', 50], ['c4', 50]]));
  const seen: string[] = [];
  const step = async (names: string[]): Promise<SotwResponse> => {
    const r = await s.next();
    seen.push(`${r.type_url.split('.').pop()}@${r.version_info}:${resourceNames(r.resources).sort().join(',')}`);
    await ack(s, r, names);
    return r;
  };
  await step(['*']);
  await step(['c1', 'c3', 'c4']);
  await step(['svc-route']);
  await step(['*']);
  assert.deepEqual(seen, [
    'Cluster@2-mbb:c1,c3,c4',
    'ClusterLoadAssignment@2:c1,c4',
    'RouteConfiguration@2:svc-route',
    'Cluster@2:c1,c4',
  ]);
  assert.deepEqual(await s.drain(200), []);
});
