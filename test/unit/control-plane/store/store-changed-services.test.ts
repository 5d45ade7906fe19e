/**
 * Store.readChangedServices: after any series of changes, applying what it returns to the
 * previous read gives exactly readPlatformState, and it returns only the services touched.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlatformChanges, ServiceState } from '../../../../src/control-plane/model/types.js';
import type { Store } from '../../../../src/control-plane/store/store.js';
import { BASE_DOMAIN, ep, memoryStore, newRevision, newService } from './store-fixture.js';

const NAMING = { baseDomain: BASE_DOMAIN, httpPort: 8080 };
const READ = { ...NAMING, listenAddress: '127.0.0.1' };

/** Services by id after applying `changes` to `before`, in readPlatformState's order (oldest first = creation order). */
function apply(before: ReadonlyMap<string, ServiceState>, changes: PlatformChanges): Map<string, ServiceState> {
  const next = new Map(before);
  for (const id of changes.removed) next.delete(id);
  for (const s of changes.changed) next.set(s.service.id, s);
  return next;
}

function full(store: Store, region = 'local'): Map<string, ServiceState> {
  return new Map(store.readPlatformState(region, READ).services.map((s) => [s.service.id, s]));
}

function sameServices(actual: ReadonlyMap<string, ServiceState>, expected: ReadonlyMap<string, ServiceState>): void {
  const byId = (m: ReadonlyMap<string, ServiceState>) => [...m.values()].sort((a, b) => (a.service.id < b.service.id ? -1 : 1));
  assert.deepEqual(byId(actual), byId(expected));
}

test('readChangedServices: since 0 is every live service; then only what a change touched', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const a = store.createService(newService('a'));
  const b = store.createService(newService('b'));
  store.createRevision(a.id, newRevision(ep(1)));
  store.createRevision(b.id, newRevision(ep(2)));
  const first = store.readChangedServices('local', 0, NAMING);
  assert.equal(first.version, store.configVersion());
  assert.deepEqual(first.removed, []);
  sameServices(apply(new Map(), first), full(store));

  store.createRevision(a.id, newRevision(ep(3)));
  store.setTraffic(a.id, [{ revision: 'rev-1', percent: 50, tag: null }, { revision: 'rev-2', percent: 50, tag: 'canary' }]);
  const traffic = store.readChangedServices('local', first.version, NAMING);
  assert.deepEqual(traffic.changed.map((s) => s.service.id), [a.id]);
  assert.equal(traffic.since, first.version);
  assert.equal(traffic.changed[0].revisions.length, 2, 'the changed service comes complete');
  sameServices(apply(apply(new Map(), first), traffic), full(store));

  const nothing = store.readChangedServices('local', traffic.version, NAMING);
  assert.deepEqual(nothing, { version: traffic.version, since: traffic.version, changed: [], removed: [] });
});

test('readChangedServices: endpoints, settings, domains (moved between services) and deletes', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const a = store.createService(newService('a'));
  const b = store.createService(newService('b'));
  const c = store.createService(newService('c'));
  store.createRevision(a.id, newRevision(ep(1)));
  store.addDomain(a.id, 'shop.example.com');
  let seen = full(store);
  let at = store.configVersion();
  const step = (expectChanged: string[], expectRemoved: string[] = []): void => {
    const changes = store.readChangedServices('local', at, NAMING);
    assert.deepEqual(changes.changed.map((s) => s.service.id).sort(), [...expectChanged].sort());
    assert.deepEqual([...changes.removed].sort(), [...expectRemoved].sort());
    seen = apply(seen, changes);
    sameServices(seen, full(store));
    at = changes.version;
  };

  store.setEndpoints(a.id, 'rev-1', [ep(7), ep(8)]);
  step([a.id]);
  store.updateService(b.id, { ...store.getService(b.id)!, port: 9090 });
  step([b.id]);
  // A domain moves: both services' virtual hosts change.
  store.removeDomain(a.id, 'shop.example.com');
  store.addDomain(b.id, 'shop.example.com');
  step([a.id, b.id]);
  store.deleteService(c.id);
  step([], [c.id]);
  // Created and deleted between two reads: listed as removed, never as changed.
  const d = store.createService(newService('d'));
  store.deleteService(d.id);
  step([], [d.id]);
  // A tenant change moves the version and touches no service.
  store.createTenant('acme');
  step([]);
  assert.equal(at, store.configVersion());
});

test('readChangedServices: only the asked region', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const here = store.createService(newService('here'));
  const since = store.configVersion();
  const there = store.createService(newService('there', { region: 'eu-west' }));
  store.createRevision(there.id, newRevision(ep(1)));
  assert.deepEqual(store.readChangedServices('local', since, NAMING).changed, []);
  assert.deepEqual(store.readChangedServices('eu-west', since, NAMING).changed.map((s) => s.service.id), [there.id]);
  store.deleteService(there.id);
  assert.deepEqual(store.readChangedServices('local', since, NAMING).removed, []);
  assert.deepEqual(store.readChangedServices('eu-west', since, NAMING).removed, [there.id]);
  assert.deepEqual(store.readChangedServices('local', 0, NAMING).changed.map((s) => s.service.id), [here.id]);
});

test('readChangedServices: a random series of changes, read at random points, always adds up to readPlatformState', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  let seed = 7;
  const random = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
  const live: string[] = [];
  let seen = new Map<string, ServiceState>();
  let at = 0;
  let domain = 0;
  for (let i = 0; i < 300; i++) {
    const pick = live.length === 0 ? 0 : random(7);
    const id = live[random(Math.max(1, live.length))];
    if (pick === 0) live.push(store.createService(newService(`s${i}`)).id);
    else if (pick === 1) store.createRevision(id, newRevision(ep(1000 + i)));
    else if (pick === 2 && store.listRevisions(id).length > 0) store.setTraffic(id, [{ revision: store.listRevisions(id).at(-1)!.name, percent: 100, tag: null }]);
    else if (pick === 3 && store.listRevisions(id).length > 0) store.setEndpoints(id, store.listRevisions(id)[0].name, [ep(2000 + i)]);
    else if (pick === 4) store.addDomain(id, `d${domain++}.example.com`);
    else if (pick === 5 && store.listDomains(id).length > 0) store.removeDomain(id, store.listDomains(id)[0].name);
    else if (pick === 6) {
      store.deleteService(id);
      live.splice(live.indexOf(id), 1);
    }
    if (random(3) === 0) {
      const changes = store.readChangedServices('local', at, NAMING);
      seen = apply(seen, changes);
      sameServices(seen, full(store));
      at = changes.version;
    }
  }
});

test('migration 2 adds the per-service config version', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  assert.deepEqual(store.migrations().map((m) => m.version), [1, 2]);
});
