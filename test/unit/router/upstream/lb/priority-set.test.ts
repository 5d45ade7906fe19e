import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrioritySet } from '../../../../../src/router/upstream/lb/priority-set.js';
import { makeHosts, makePrioritySet } from './fake-host.js';

interface Case {
  name: string;
  /** [total, healthy] per priority */
  priorities: [number, number][];
  threshold?: number;
  loads: number[];
  panic: boolean[];
  /** hostsToUse(p).length per priority */
  use: number[];
}

const cases: Case[] = [
  { name: 'one healthy priority takes everything', priorities: [[4, 4]], loads: [100], panic: [false], use: [4] },
  { name: '75% healthy stays out of panic', priorities: [[4, 3]], loads: [100], panic: [false], use: [3] },
  { name: 'P0 at 50% with factor 1.4 spills 30% to P1', priorities: [[4, 2], [4, 4]], loads: [70, 30], panic: [false, false], use: [2, 4] },
  { name: 'Envoy docs: P0 at 1/7 healthy (20%) → 20/80', priorities: [[7, 1], [4, 4]], loads: [20, 80], panic: [false, false], use: [1, 4] },
  { name: 'three levels 42/28/30', priorities: [[10, 3], [10, 2], [4, 4]], loads: [42, 28, 30], panic: [false, false, false], use: [3, 2, 4] },
  { name: '1 of 4 healthy → panic, all 4 used', priorities: [[4, 1]], loads: [100], panic: [true], use: [4] },
  { name: 'panic disabled (threshold 0) keeps only the healthy host', priorities: [[4, 1]], threshold: 0, loads: [100], panic: [false], use: [1] },
  { name: 'nothing healthy and panic disabled → P0 100% with no host', priorities: [[4, 0], [2, 0]], threshold: 0, loads: [100, 0], panic: [false, false], use: [0, 0] },
  { name: 'total panic distributes by host count', priorities: [[4, 0], [4, 0]], loads: [50, 50], panic: [true, true], use: [4, 4] },
  { name: 'total panic 4 vs 3 hosts → 58/42 (remainder to first)', priorities: [[4, 0], [3, 1]], loads: [58, 42], panic: [true, true], use: [4, 3] },
  { name: 'normalized < 100: P0 in panic, P1 not', priorities: [[10, 1], [4, 2]], loads: [17, 83], panic: [true, false], use: [10, 2] },
  { name: 'threshold 100 panics below full health when normalized < 100', priorities: [[10, 5]], threshold: 100, loads: [100], panic: [true], use: [10] },
  { name: 'empty priority is skipped', priorities: [[0, 0], [3, 3]], loads: [0, 100], panic: [false, false], use: [0, 3] },
];

for (const c of cases) {
  test(`PrioritySet: ${c.name}`, () => {
    const ps = makePrioritySet(
      c.priorities.map(([total, healthy], p) => makeHosts(total, { healthy, prefix: p })),
      c.threshold === undefined ? {} : { healthyPanicThresholdPercent: c.threshold },
    );
    assert.deepEqual(ps.priorityLoads(), c.loads);
    assert.deepEqual(c.priorities.map((_, p) => ps.isPanic(p)), c.panic);
    assert.deepEqual(c.priorities.map((_, p) => ps.hostsToUse(p).length), c.use);
    // choosePriority over 0…99 hits each priority exactly load[p] times.
    const hits = new Array<number>(c.loads.length).fill(0);
    for (let v = 0; v < 100; v++) hits[ps.choosePriority(v)]++;
    assert.deepEqual(hits, c.loads);
  });
}

test('PrioritySet: empty set behaves as one empty priority', () => {
  const ps = new PrioritySet();
  assert.equal(ps.priorityCount, 1);
  assert.deepEqual(ps.priorityLoads(), [100]);
  assert.equal(ps.hostsToUse(0).length, 0);
});

test('PrioritySet: version bumps on update and refreshHealth; state is recomputed lazily', () => {
  const hosts = makeHosts(4);
  const ps = makePrioritySet([hosts]);
  const v = ps.version;
  const healthyBefore = ps.healthyHosts(0);
  ps.refreshHealth();
  assert.equal(ps.version, v + 1);
  assert.equal(ps.healthyHosts(0), healthyBefore, 'unchanged health keeps the same array');
  hosts[3].available = false;
  ps.refreshHealth();
  assert.equal(ps.healthyHosts(0).length, 3);
  assert.ok(!ps.healthyHosts(0).includes(hosts[3]));
  ps.update(1, makeHosts(2, { prefix: 1 }));
  assert.equal(ps.version, v + 3);
  assert.equal(ps.priorityCount, 2);
});

test('PrioritySet: update copies the host array', () => {
  const hosts = makeHosts(2);
  const ps = makePrioritySet([hosts]);
  hosts.push(...makeHosts(1, { prefix: 9 }));
  assert.equal(ps.hosts(0).length, 2);
});

test('PrioritySet: update fills skipped priorities with empty lists', () => {
  const ps = new PrioritySet();
  ps.update(2, makeHosts(3));
  assert.equal(ps.priorityCount, 3);
  assert.deepEqual(ps.priorityLoads(), [0, 0, 100]);
});

const invalid: { name: string; make: () => unknown; error: RegExp }[] = [
  { name: 'threshold above 100', make: () => new PrioritySet({ healthyPanicThresholdPercent: 101 }), error: /healthyPanicThresholdPercent/ },
  { name: 'negative threshold', make: () => new PrioritySet({ healthyPanicThresholdPercent: -1 }), error: /healthyPanicThresholdPercent/ },
  { name: 'zero overprovisioning', make: () => new PrioritySet({ overprovisioningFactorPercent: 0 }), error: /overprovisioningFactorPercent/ },
  { name: 'negative priority', make: () => new PrioritySet().update(-1, []), error: /priority/ },
];
for (const c of invalid) {
  test(`PrioritySet rejects ${c.name}`, () => {
    assert.throws(c.make, c.error);
  });
}
