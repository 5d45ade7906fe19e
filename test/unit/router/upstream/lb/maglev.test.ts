import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaglevLoadBalancer, MaglevTable } from '../../../../../src/router/upstream/lb/maglev.js';
import type { LbHost } from '../../../../../src/router/upstream/lb/load-balancer.js';
import { FakeHost, countPicks, makeContext, makeHosts, makePrioritySet, randomKeys, seeded } from './fake-host.js';

function mapKeys(lb: MaglevLoadBalancer<FakeHost>, keys: number[]): (LbHost | null)[] {
  const random = seeded();
  return keys.map((hashKey) => lb.chooseHost(makeContext(random, { hashKey })));
}

function slotsPerHost(table: MaglevTable<FakeHost>): number[] {
  const per = new Array<number>(table.hosts.length).fill(0);
  for (let i = 0; i < table.table.length; i++) per[table.table[i]]++;
  return per;
}

const weightCases = [
  { name: 'equal weights, 3 hosts', weights: [1, 1, 1] },
  { name: 'weights 1:2:3:4', weights: [1, 2, 3, 4] },
  { name: 'weights 1:10', weights: [1, 10] },
  { name: '25 hosts 1…25', weights: Array.from({ length: 25 }, (_, i) => i + 1) },
];
for (const c of weightCases) {
  test(`MaglevTable: slots follow weights (${c.name}) within 0.5 pp`, () => {
    const table = new MaglevTable(makeHosts(c.weights.length, { weights: c.weights }), 65537);
    assert.equal(table.table.length, 65537);
    const per = slotsPerHost(table);
    assert.equal(per.reduce((a, b) => a + b, 0), 65537, 'every slot filled');
    const total = c.weights.reduce((a, b) => a + b, 0);
    c.weights.forEach((w, i) => assert.ok(Math.abs(per[i] / 65537 - w / total) < 0.005, `host ${i}: ${per[i]}`));
  });
}

test('Maglev: the same key maps to the same host while the set is unchanged', () => {
  const hosts = makeHosts(8);
  const ps = makePrioritySet([hosts]);
  const lb = new MaglevLoadBalancer(ps);
  const keys = randomKeys(2000);
  const first = mapKeys(lb, keys);
  ps.refreshHealth();
  ps.update(0, hosts.slice());
  assert.deepEqual(mapKeys(lb, keys), first);
  assert.equal(new Set(first).size, 8);
});

test('Maglev: removing 1 of 10 hosts remaps ~1/10 of keys', () => {
  const hosts = makeHosts(10);
  const ps = makePrioritySet([hosts]);
  const lb = new MaglevLoadBalancer(ps);
  const keys = randomKeys(20_000);
  const before = mapKeys(lb, keys);
  ps.update(0, hosts.filter((_, i) => i !== 4));
  const after = mapKeys(lb, keys);
  let moved = 0;
  let movedFromOthers = 0;
  for (let i = 0; i < keys.length; i++) {
    assert.notEqual(after[i], hosts[4]);
    if (after[i] !== before[i]) {
      moved++;
      if (before[i] !== hosts[4]) movedFromOthers++;
    }
  }
  // Maglev trades a little disruption for balance: keys of surviving hosts mostly stay.
  assert.ok(moved / keys.length < 0.16, `moved ${moved / keys.length}`);
  assert.ok(movedFromOthers / keys.length < 0.05, `moved from others ${movedFromOthers / keys.length}`);
});

test('Maglev: a small prime table works and lookup is table[key % size]', () => {
  const hosts = makeHosts(3);
  const lb = new MaglevLoadBalancer(makePrioritySet([hosts]), { tableSize: 7 });
  const ctx = makeContext(seeded(), { hashKey: 12 });
  const picked = lb.chooseHost(ctx);
  const table = lb.table(0) as MaglevTable<FakeHost>;
  assert.equal(picked, hosts[table.table[12 % 7]]);
});

test('Maglev: no hash key → random key over all hosts', () => {
  const hosts = makeHosts(4);
  const lb = new MaglevLoadBalancer(makePrioritySet([hosts]));
  const ctx = makeContext(seeded(31));
  const n = 20_000;
  const counts = countPicks(() => lb.chooseHost(ctx), n);
  for (const h of hosts) assert.ok(Math.abs((counts.get(h.address) ?? 0) / n - 0.25) < 0.02);
});

test('Maglev: retry attempts flip the key to reach another host', () => {
  const hosts = makeHosts(5);
  const lb = new MaglevLoadBalancer(makePrioritySet([hosts]));
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

for (const tableSize of [65536, 1, 5000017, 10.5]) {
  test(`Maglev rejects table size ${tableSize}`, () => {
    assert.throws(() => new MaglevLoadBalancer(makePrioritySet([makeHosts(1)]), { tableSize }), /maglevTableSize/);
  });
}

test('Maglev: an empty set picks null', () => {
  const lb = new MaglevLoadBalancer(makePrioritySet([[] as FakeHost[]]));
  assert.equal(lb.chooseHost(makeContext(seeded(), { hashKey: 5 })), null);
});
