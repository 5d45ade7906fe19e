/**
 * IncrementalTranslator.update over random series of platform changes (services added and
 * deleted, revisions, endpoints, traffic splits and tags, domains added, removed, moved and even
 * clashing, rate limits switched on and off) equals translatePlatform of the whole state after
 * every step, and an untouched type comes out as the very same array.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlatformState, ServiceState, TrafficTarget } from '../../../../src/control-plane/model/types.js';
import { IncrementalTranslator } from '../../../../src/control-plane/translate/incremental-translator.js';
import { translatePlatform } from '../../../../src/control-plane/translate/translate-platform.js';
import { makeRevision, makeService, makeServiceState, makeState, target } from './sample-platform.js';

function randomSource(seed: number): (n: number) => number {
  let s = seed;
  return (n) => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31), s % n);
}

function randomSplit(random: (n: number) => number, revisions: number): TrafficTarget[] {
  if (revisions === 0) return [];
  const a = 1 + random(revisions);
  if (revisions === 1 || random(2) === 0) return [target(`rev-${a}`, 100, random(3) === 0 ? 'blue' : null)];
  const b = a === revisions ? 1 : a + 1;
  return [target(`rev-${a}`, 70), target(`rev-${b}`, 30, random(2) === 0 ? 'canary' : null)];
}

/** One random change: the next services by id, and which ids changed or left. */
function step(random: (n: number) => number, services: Map<string, ServiceState>, counter: { n: number }): { changed: string[]; removed: string[] } {
  const ids = [...services.keys()];
  const pick = ids.length === 0 ? 0 : random(9);
  const id = ids[random(Math.max(1, ids.length))];
  const s = services.get(id);
  const update = (next: ServiceState): { changed: string[]; removed: string[] } => (services.set(next.service.id, next), { changed: [next.service.id], removed: [] });
  if (pick === 0 || s === undefined) {
    const n = counter.n++;
    const newId = (0x10000000 + n * 7919).toString(16);
    const service = makeService(newId, `svc${n}`, random(4) === 0 ? { rateLimit: { requestsPerSecond: 10, burst: 20 } } : {});
    const revisions = Array.from({ length: random(3) }, (_, i) => makeRevision(newId, i + 1, [{ address: '127.0.0.1', port: 40_000 + n }]));
    return update(makeServiceState(service, revisions, randomSplit(random, revisions.length), random(3) === 0 ? [`d${n}.example.com`] : []));
  }
  switch (pick) {
    case 1:
      services.delete(id);
      return { changed: [], removed: [id] };
    case 2:
      return update({ ...s, traffic: randomSplit(random, s.revisions.length) });
    case 3:
      return update({ ...s, revisions: [...s.revisions, makeRevision(id, s.revisions.length + 1, [{ address: '10.0.0.1', port: 8000 + random(100) }])] });
    case 4: {
      if (s.revisions.length === 0) return { changed: [], removed: [] };
      const revisions = s.revisions.map((r, i) => (i === 0 ? { ...r, endpoints: random(4) === 0 ? [] : [{ address: '10.0.0.2', port: 9000 + random(100) }] } : r));
      return update({ ...s, revisions });
    }
    case 5: {
      // A domain moves from one service to another (both change), or is added to a second one (a clash).
      const other = services.get(ids[random(ids.length)]);
      if (other === undefined || other === s || s.domains.length === 0) {
        // Now and then another service's own host, in capitals: the platform host wins it.
        const name = other !== undefined && random(3) === 0 ? other.service.host.toUpperCase() : `m${counter.n++}.example.com`;
        return update({ ...s, domains: [...s.domains, { name, serviceId: id, createdAt: '' }] });
      }
      const moved = s.domains[0];
      const clash = random(4) === 0;
      services.set(other.service.id, { ...other, domains: [...other.domains, { ...moved, serviceId: other.service.id }] });
      if (!clash) services.set(id, { ...s, domains: s.domains.slice(1) });
      return { changed: clash ? [other.service.id] : [id, other.service.id], removed: [] };
    }
    case 6:
      return update({ ...s, service: { ...s.service, rateLimit: s.service.rateLimit.requestsPerSecond === null ? { requestsPerSecond: 5, burst: 5 } : { requestsPerSecond: null, burst: null } } });
    case 7:
      return update({ ...s, service: { ...s.service, port: 8000 + random(1000), routing: { ...s.service.routing, lbPolicy: random(2) === 0 ? 'ROUND_ROBIN' : 'LEAST_REQUEST' } } });
    default:
      return { changed: [], removed: [] }; // a change elsewhere (a tenant): the version moves, nothing else
  }
}

for (const mode of ['local', 'global'] as const) {
  test(`IncrementalTranslator.update equals translatePlatform after every random change (${mode} rate limiting)`, () => {
    const random = randomSource(mode === 'local' ? 11 : 23);
    const extra: Partial<PlatformState> = mode === 'global' ? { globalRateLimit: { clusterName: 'rls', failureModeDeny: false } } : {};
    const services = new Map<string, ServiceState>();
    const counter = { n: 0 };
    for (let i = 0; i < 5; i++) step(random, services, counter);
    const translator = new IncrementalTranslator();
    let state = makeState([...services.values()], extra);
    let last = translator.translate(state);
    assert.deepEqual(last, translatePlatform(state));
    for (let i = 0; i < 400; i++) {
      const { changed, removed } = step(random, services, counter);
      state = makeState([...services.values()], { ...extra, version: state.version + 1 });
      const changes = { changed: changed.map((id) => services.get(id) as ServiceState), removed };
      assert.ok(translator.canUpdate(state));
      // Now and then a full translate, as the publisher does when in doubt: both ways mix.
      const next = random(25) === 0 ? translator.translate(state) : translator.update(state, changes);
      assert.deepEqual(next, translatePlatform(state), `step ${i}`);
      assert.equal(translator.serviceCount, services.size);
      if (changed.length === 0 && removed.length === 0) {
        for (const type of ['listeners', 'clusters', 'clusterLoadAssignments', 'routeConfigurations'] as const) assert.equal(next[type], last[type], `step ${i}: ${type} untouched`);
      }
      last = next;
    }
  });
}

test('IncrementalTranslator.update: refused before a translate() or with other region settings', () => {
  const translator = new IncrementalTranslator();
  const state = makeState([]);
  assert.equal(translator.canUpdate(state), false);
  assert.throws(() => translator.update(state, { changed: [], removed: [] }), /translate\(\) with the same region settings/);
  translator.translate(state);
  assert.equal(translator.canUpdate(state), true);
  assert.equal(translator.canUpdate({ ...state, httpPort: 9999 }), false);
});

test('IncrementalTranslator.update: a traffic shift leaves the clusters and assignments arrays as they were', () => {
  const a = makeService('a1b2c3d4', 'a');
  const s = makeServiceState(a, [makeRevision(a.id, 1, [{ address: '127.0.0.1', port: 1 }]), makeRevision(a.id, 2, [{ address: '127.0.0.1', port: 2 }])], [target('rev-1', 100)]);
  const translator = new IncrementalTranslator();
  const before = translator.translate(makeState([s]));
  const after = translator.update(makeState([s]), { changed: [{ ...s, traffic: [target('rev-2', 100)] }], removed: [] });
  assert.equal(after.clusters, before.clusters);
  assert.equal(after.clusterLoadAssignments, before.clusterLoadAssignments);
  assert.notEqual(after.routeConfigurations, before.routeConfigurations);
});
