/**
 * Incremental (Delta) ADS against our real XdsServer over gRPC on 127.0.0.1 (XDS.md §15–20).
 * grpc-js-xds speaks SotW only (§21), so the raw test client drives every step.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS, CLUSTER_TYPE_URL as CDS, LISTENER_TYPE_URL as LDS, ROUTE_CONFIGURATION_TYPE_URL as ROUTES } from '../../../src/xds/type-urls.js';
import type { NackEvent } from '../../../src/control-plane/xds-server/server/callbacks.js';
import { apiListener, edsCluster, loadAssignment, weightedRoute } from '../../unit/control-plane/xds-server/xds-fixtures.js';
import { decodeResources, deltaRequest, openDelta, openSotw, sotwRequest, type DeltaResponse, type DeltaStream } from './xds-ads-client.js';
import { startXdsServer } from './xds-test-server.js';

const NODE = { id: 'delta-node', cluster: 'test', locality: { region: 'local' } };

function resources(clusters: string[], opts: { lb?: Record<string, string> } = {}) {
  return {
    clusters: clusters.map((c) => edsCluster(c, undefined, opts.lb?.[c] ? { lb_policy: opts.lb[c] } : {})),
    clusterLoadAssignments: clusters.map((c, i) => loadAssignment(c, [20_000 + i])),
    listeners: [apiListener('svc', 'svc-route')],
    routeConfigurations: [weightedRoute('svc-route', ['svc'], [[clusters[0], 100]])],
  };
}

function open(t: { after(fn: () => void): void }, port: number): DeltaStream {
  const s = openDelta(port);
  t.after(() => s.close());
  return s;
}

const names = (r: DeltaResponse): string[] => r.resources.map((x) => x.name).sort();
const ack = (s: DeltaStream, r: DeltaResponse): void => s.send(deltaRequest(r.type_url, { nonce: r.nonce }));

test('wildcard subscribe gets every resource with per-resource versions; the ACK is not answered', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1', 'c2']));
  const s = open(t, x.port);
  s.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'] }));
  const r = await s.next();
  assert.equal(r.type_url, CDS);
  assert.notEqual(r.nonce, '');
  assert.equal(r.system_version_info, '1');
  assert.deepEqual(names(r), ['c1', 'c2']);
  assert.deepEqual(r.removed_resources, []);
  for (const res of r.resources) {
    assert.match(res.version, /^[0-9a-f]{16}$/);
    assert.equal(res.resource.type_url, CDS);
  }
  assert.deepEqual(decodeResources(r.resources.map((x) => x.resource)).map((c) => c.name).sort(), ['c1', 'c2']);
  ack(s, r);
  assert.deepEqual(await s.drain(), []);
  const [status] = x.server.clients();
  assert.equal(status.streamKind, 'ads-delta');
  assert.deepEqual(status.types[CDS].subscribed, ['*']);
  assert.equal(status.types[CDS].ackedVersion, '1');
});

test('the legacy wildcard (first CDS request with both lists empty) is a wildcard', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1', 'c2']));
  const s = open(t, x.port);
  s.send(deltaRequest(CDS, { node: NODE }));
  assert.deepEqual(names(await s.next()), ['c1', 'c2']);
});

test('after a one-cluster change exactly that cluster is sent; a deletion goes in removed_resources', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1', 'c2', 'c3']));
  const s = open(t, x.port);
  s.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'] }));
  const r1 = await s.next();
  const v1 = Object.fromEntries(r1.resources.map((x) => [x.name, x.version]));
  ack(s, r1);
  x.publish('2', resources(['c1', 'c2', 'c3'], { lb: { c2: 'RANDOM' } }));
  const r2 = await s.next();
  assert.deepEqual(names(r2), ['c2']);
  assert.deepEqual(r2.removed_resources, []);
  assert.notEqual(r2.resources[0].version, v1.c2);
  ack(s, r2);
  x.publish('3', resources(['c1', 'c2'], { lb: { c2: 'RANDOM' } }));
  const r3 = await s.next();
  assert.deepEqual(r3.resources, []);
  assert.deepEqual(r3.removed_resources, ['c3']);
  ack(s, r3);
  x.publish('4', resources(['c1', 'c2'], { lb: { c2: 'RANDOM' } }));
  assert.deepEqual(await s.drain(250), [], 'an unchanged snapshot sends nothing');
});

test('a subscription to a name that does not exist is answered in removed_resources, then sent when it appears', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1']));
  const s = open(t, x.port);
  s.send(deltaRequest(EDS, { node: NODE, subscribe: ['c1', 'ghost'] }));
  const r1 = await s.next();
  assert.deepEqual(names(r1), ['c1']);
  assert.deepEqual(r1.removed_resources, ['ghost']);
  ack(s, r1);
  assert.deepEqual(await s.drain(200), []);
  x.publish('2', resources(['c1', 'ghost']));
  const r2 = await s.next();
  assert.deepEqual(names(r2), ['ghost']);
});

test('subscribe/unsubscribe are honoured even with a stale nonce; a re-subscribed name is sent again', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1', 'c2', 'c3']));
  const s = open(t, x.port);
  s.send(deltaRequest(EDS, { node: NODE, subscribe: ['c1'] }));
  const r1 = await s.next();
  ack(s, r1);
  s.send(deltaRequest(EDS, { subscribe: ['c2'], nonce: 'stale-nonce' }));
  const r2 = await s.next();
  assert.deepEqual(names(r2), ['c2']);
  ack(s, r2);
  s.send(deltaRequest(EDS, { unsubscribe: ['c1'], subscribe: ['c3'], nonce: 'older' }));
  const r3 = await s.next();
  assert.deepEqual(names(r3), ['c3']);
  assert.deepEqual(r3.removed_resources, []);
  ack(s, r3);
  assert.deepEqual(x.server.clients()[0].types[EDS].subscribed, ['c2', 'c3']);
  s.send(deltaRequest(EDS, { subscribe: ['c2'], nonce: r3.nonce }));
  const r4 = await s.next();
  assert.deepEqual(names(r4), ['c2'], 'names in subscribe are sent even if the client has them (§20)');
});

test('reconnect with initial_resource_versions: matching versions are not resent, changed ones are, deleted ones are removed after', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1', 'c2', 'c3']));
  const first = open(t, x.port);
  first.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'] }));
  const r1 = await first.next();
  const held = Object.fromEntries(r1.resources.map((x) => [x.name, x.version]));
  first.close();
  x.publish('2', resources(['c1', 'c2'], { lb: { c2: 'RANDOM' } }));
  const second = open(t, x.port);
  second.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'], initial: held }));
  const r2 = await second.next();
  assert.deepEqual(names(r2), ['c2']);
  assert.deepEqual(r2.removed_resources, [], 'deletions wait until the stream is idle (make-before-break)');
  ack(second, r2);
  const r3 = await second.next();
  assert.deepEqual(r3.resources, []);
  assert.deepEqual(r3.removed_resources, ['c3']);
});

test('a Delta NACK is recorded and emitted and the rejected resource is not resent until it changes', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1', 'c2']));
  const nacks: NackEvent[] = [];
  x.server.on('nack', (e) => nacks.push(e));
  const s = open(t, x.port);
  s.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'] }));
  const r1 = await s.next();
  s.send(deltaRequest(CDS, { nonce: r1.nonce, error: 'c2: unsupported' }));
  assert.deepEqual(await s.drain(300), []);
  assert.equal(nacks.length, 1);
  assert.equal(nacks[0].message, 'c2: unsupported');
  assert.equal(nacks[0].version, '1');
  assert.equal(x.server.clients()[0].types[CDS].lastNack?.message, 'c2: unsupported');
  x.publish('2', resources(['c1', 'c2'], { lb: { c2: 'RANDOM' } }));
  const r2 = await s.next();
  assert.deepEqual(names(r2), ['c2']);
});

test('unsubscribing a name still covered by the wildcard resends it', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1', 'c2']));
  const s = open(t, x.port);
  s.send(deltaRequest(LDS, { node: NODE, subscribe: ['*', 'svc'] }));
  const r1 = await s.next();
  assert.deepEqual(names(r1), ['svc']);
  ack(s, r1);
  s.send(deltaRequest(LDS, { unsubscribe: ['svc'], nonce: r1.nonce }));
  const r2 = await s.next();
  assert.deepEqual(names(r2), ['svc']);
});

test('after a one-cluster change Delta sends fewer bytes than SotW', async (t) => {
  const clusters = Array.from({ length: 30 }, (_, i) => `c${i}`);
  const measure = async (delta: boolean): Promise<number> => {
    const x = await startXdsServer(t);
    x.publish('1', resources(clusters));
    if (delta) {
      const s = open(t, x.port);
      s.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'] }));
      ack(s, await s.next());
      await s.drain(50);
      const before = x.server.bytesSent();
      x.publish('2', resources(clusters, { lb: { c7: 'RANDOM' } }));
      assert.deepEqual(names(await s.next()), ['c7']);
      return x.server.bytesSent() - before;
    }
    const s = openSotw(x.port);
    t.after(() => s.close());
    s.send(sotwRequest(CDS, ['*'], { node: NODE }));
    const r = await s.next();
    s.send(sotwRequest(CDS, ['*'], { version: r.version_info, nonce: r.nonce }));
    await s.drain(50);
    const before = x.server.bytesSent();
    x.publish('2', resources(clusters, { lb: { c7: 'RANDOM' } }));
    assert.equal((await s.next()).resources.length, 30);
    return x.server.bytesSent() - before;
  };
  const deltaBytes = await measure(true);
  const sotwBytes = await measure(false);
  assert.ok(deltaBytes * 10 < sotwBytes, `delta ${deltaBytes} B vs sotw ${sotwBytes} B`);
});

test('Delta ADS keeps the push order too: EDS changes wait for the CDS ACK', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1']));
  const s = open(t, x.port);
  s.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'] }));
  ack(s, await s.next());
  s.send(deltaRequest(EDS, { subscribe: ['c1', 'c2'] }));
  const e1 = await s.next();
  assert.deepEqual(e1.removed_resources, ['c2']);
  ack(s, e1);
  x.publish('2', resources(['c1', 'c2']));
  const r1 = await s.next();
  assert.equal(r1.type_url, CDS);
  assert.deepEqual(names(r1), ['c2']);
  assert.deepEqual(await s.drain(200), [], 'EDS waits for the CDS ACK');
  ack(s, r1);
  const r2 = await s.next();
  assert.equal(r2.type_url, EDS);
  assert.deepEqual(names(r2), ['c2']);
});

test('the single-type DeltaClusters service works alone', async (t) => {
  const x = await startXdsServer(t);
  x.publish('1', resources(['c1', 'c2']));
  const s = openDelta(x.port, 'cds');
  t.after(() => s.close());
  s.send(deltaRequest('', { node: NODE }));
  const r = await s.next();
  assert.equal(r.type_url, CDS);
  assert.deepEqual(names(r), ['c1', 'c2']);
  assert.equal(x.server.clients()[0].streamKind, 'cds-delta');
});

test('make before break on Delta: a deleted cluster is put in removed_resources only after the new route is ACKed', async (t) => {
  const x = await startXdsServer(t);
  const snap = (clusters: string[]) => ({
    ...resources(clusters),
    routeConfigurations: [weightedRoute('svc-route', ['svc'], [[clusters[0], 50], [clusters[1], 50]])],
  });
  x.publish('1', snap(['c1', 'c3']));
  const s = open(t, x.port);
  s.send(deltaRequest(CDS, { node: NODE, subscribe: ['*'] }));
  ack(s, await s.next());
  s.send(deltaRequest(ROUTES, { subscribe: ['svc-route'] }));
  ack(s, await s.next());
  x.publish('2', snap(['c1', 'c4']));
  const r1 = await s.next();
  assert.deepEqual([r1.type_url, names(r1), r1.removed_resources], [CDS, ['c4'], []]);
  ack(s, r1);
  const r2 = await s.next();
  assert.equal(r2.type_url, ROUTES);
  ack(s, r2);
  const r3 = await s.next();
  assert.deepEqual([r3.type_url, names(r3), r3.removed_resources], [CDS, [], ['c3']]);
});
