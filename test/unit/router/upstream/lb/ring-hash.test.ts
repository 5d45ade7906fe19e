import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ring, RingHashLoadBalancer } from '../../../../../src/router/upstream/lb/ring-hash.js';
import type { LbHost } from '../../../../../src/router/upstream/lb/load-balancer.js';
import { FakeHost, countPicks, makeContext, makeHosts, makePrioritySet, randomKeys, seeded } from './fake-host.js';

function mapKeys(lb: RingHashLoadBalancer<FakeHost>, keys: number[]): (LbHost | null)[] {
  const random = seeded();
  return keys.map((hashKey) => lb.chooseHost(makeContext(random, { hashKey })));
}

const sizeCases = [
  // scale = min(ceil(minW × min) / minW, max)
  { name: '3 equal hosts → 1026 points', weights: [1, 1, 1], min: 1024, max: 8388608, size: 1026 },
  { name: 'one host → exactly the minimum', weights: [1], min: 1024, max: 8388608, size: 1024 },
  { name: 'weights 1:1000 → 2002 points', weights: [1, 1000], min: 1024, max: 8388608, size: 2002 },
  { name: 'capped by maximum', weights: [1, 1000], min: 1024, max: 1500, size: 1500 },
  { name: '2000 hosts, min 1024 → one point each', weights: new Array(2000).fill(1), min: 1024, max: 8388608, size: 2000 },
];
for (const c of sizeCases) {
  test(`Ring size: ${c.name}`, () => {
    const ring = new Ring(makeHosts(c.weights.length, { weights: c.weights }), c.min, c.max);
    assert.equal(ring.size, c.size);
    for (let i = 1; i < ring.size; i++) assert.ok(ring.hashes[i - 1] <= ring.hashes[i], 'sorted');
  });
}

test('Ring: points per host follow normalized weights', () => {
  const weights = [1, 2, 3, 4];
  const ring = new Ring(makeHosts(4, { weights }), 10_000, 8388608);
  const per = [0, 0, 0, 0];
  for (let i = 0; i < ring.size; i++) per[ring.owners[i]]++;
  weights.forEach((w, i) => assert.ok(Math.abs(per[i] / ring.size - w / 10) < 0.001, `${per}`));
});

test('Ring: lookup is the first point ≥ key, wrapping to point 0', () => {
  const ring = new Ring(makeHosts(3), 16, 1024);
  const h = ring.hashes;
  assert.equal(ring.indexOf(h[5]), 5);
  assert.equal(ring.indexOf(h[5] + 1), h[6] === h[5] + 1 ? 6 : 6);
  assert.equal(ring.indexOf(0), 0);
  assert.equal(ring.indexOf(h[h.length - 1] + 1), 0);
});

test('RingHash: the same key maps to the same host while the set is unchanged', () => {
  const hosts = makeHosts(8);
  const ps = makePrioritySet([hosts]);
  const lb = new RingHashLoadBalancer(ps);
  const keys = randomKeys(2000);
  const first = mapKeys(lb, keys);
  ps.refreshHealth(); // a refresh without change must not move keys
  ps.update(0, hosts.slice()); // nor a membership update with the same hosts
  assert.deepEqual(mapKeys(lb, keys), first);
  assert.equal(new Set(first).size, 8);
});

// Envoy sizes points per host as ceil(minW × minimumRingSize), so when a host leaves the survivors
// gain points (103 → 114 each for 10 → 9 hosts) and take a few keys from each other as well:
// total disruption is ~1/N plus under 1/N, shrinking as N grows (measured: 16% at N=10, 2.3% at N=50).
const removalCases = [
  { n: 5, maxMoved: 0.35, maxFromSurvivors: 0.12 },
  { n: 10, maxMoved: 0.19, maxFromSurvivors: 0.09 },
  { n: 50, maxMoved: 0.03, maxFromSurvivors: 0.01 },
];
for (const c of removalCases) {
  test(`RingHash: removing 1 of ${c.n} hosts remaps its keys and few others`, () => {
    const hosts = makeHosts(c.n);
    const ps = makePrioritySet([hosts]);
    const lb = new RingHashLoadBalancer(ps);
    const keys = randomKeys(20_000);
    const before = mapKeys(lb, keys);
    ps.update(0, hosts.filter((_, i) => i !== 1));
    const after = mapKeys(lb, keys);
    let moved = 0;
    let fromSurvivors = 0;
    let ofRemoved = 0;
    for (let i = 0; i < keys.length; i++) {
      assert.notEqual(after[i], hosts[1]);
      if (before[i] === hosts[1]) ofRemoved++;
      if (after[i] !== before[i]) {
        moved++;
        if (before[i] !== hosts[1]) fromSurvivors++;
      }
    }
    assert.ok(Math.abs(ofRemoved / keys.length - 1 / c.n) < 0.35 / c.n, `removed host owned ${ofRemoved}`);
    assert.ok(moved / keys.length <= c.maxMoved, `moved ${moved / keys.length}`);
    assert.ok(fromSurvivors / keys.length <= c.maxFromSurvivors, `from survivors ${fromSurvivors / keys.length}`);
  });
}

test('RingHash: adding a host back restores every key (ring is a pure function of the set)', () => {
  const hosts = makeHosts(10);
  const ps = makePrioritySet([hosts]);
  const lb = new RingHashLoadBalancer(ps);
  const keys = randomKeys(5000);
  const before = mapKeys(lb, keys);
  ps.update(0, hosts.slice(1));
  mapKeys(lb, keys);
  ps.update(0, hosts);
  assert.deepEqual(mapKeys(lb, keys), before);
});

test('RingHash: key share follows weights 1:2:3:4 within 2 pp', () => {
  const weights = [1, 2, 3, 4];
  const hosts = makeHosts(4, { weights });
  const lb = new RingHashLoadBalancer(makePrioritySet([hosts]), { minimumRingSize: 65_536 });
  const keys = randomKeys(40_000, 5);
  const counts = countPicks(() => lb.chooseHost(makeContext(seeded(), { hashKey: keys.pop() as number })), 40_000);
  hosts.forEach((h, i) => {
    const share = (counts.get(h.address) ?? 0) / 40_000;
    assert.ok(Math.abs(share - weights[i] / 10) < 0.02, `${h.address}: ${share}`);
  });
});

test('RingHash: an unavailable host gets no keys; its keys return when it recovers', () => {
  const hosts = makeHosts(4);
  const ps = makePrioritySet([hosts]);
  const lb = new RingHashLoadBalancer(ps);
  const keys = randomKeys(4000);
  const before = mapKeys(lb, keys);
  hosts[2].available = false;
  ps.refreshHealth();
  assert.ok(!mapKeys(lb, keys).includes(hosts[2]));
  hosts[2].available = true;
  ps.refreshHealth();
  assert.deepEqual(mapKeys(lb, keys), before);
});

test('RingHash: no hash key → a random key, spread over all hosts', () => {
  const hosts = makeHosts(4);
  const lb = new RingHashLoadBalancer(makePrioritySet([hosts]));
  const ctx = makeContext(seeded(21));
  const counts = countPicks(() => lb.chooseHost(ctx), 8000);
  assert.equal(counts.size, 4);
  for (const h of hosts) assert.ok((counts.get(h.address) ?? 0) > 8000 * 0.15);
});

test('RingHash: retry attempts walk to the next points on the ring', () => {
  const hosts = makeHosts(5);
  const lb = new RingHashLoadBalancer(makePrioritySet([hosts]));
  const random = seeded();
  for (const hashKey of randomKeys(300)) {
    const sticky = lb.chooseHost(makeContext(random, { hashKey }));
    const retried = lb.chooseHost(makeContext(random, {
      hashKey,
      hostSelectionRetryMaxAttempts: 8,
      shouldSelectAnotherHost: (h) => h === sticky,
    }));
    assert.notEqual(retried, sticky);
  }
});

const invalid = [
  { name: 'minimum 0', options: { minimumRingSize: 0 }, error: /ringHashMinimumRingSize/ },
  { name: 'maximum below minimum', options: { minimumRingSize: 2048, maximumRingSize: 1024 }, error: /ringHashMaximumRingSize/ },
  { name: 'maximum above 8M', options: { maximumRingSize: 8388609 }, error: /ringHashMaximumRingSize/ },
];
for (const c of invalid) {
  test(`RingHash rejects ${c.name}`, () => {
    assert.throws(() => new RingHashLoadBalancer(makePrioritySet([makeHosts(1)]), c.options), c.error);
  });
}

test('RingHash: an empty set picks null', () => {
  const lb = new RingHashLoadBalancer(makePrioritySet([[] as FakeHost[]]));
  assert.equal(lb.chooseHost(makeContext(seeded(), { hashKey: 5 })), null);
});
