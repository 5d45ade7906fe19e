import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RoundRobinLoadBalancer } from '../../../../../src/router/upstream/lb/round-robin.js';
import { countPicks, makeContext, makeHosts, makePrioritySet, seeded } from './fake-host.js';

const zero = (): number => 0;

test('RoundRobin: equal weights rotate in exact order', () => {
  const hosts = makeHosts(4);
  const lb = new RoundRobinLoadBalancer(makePrioritySet([hosts]), zero);
  const ctx = makeContext(seeded());
  const order = Array.from({ length: 9 }, () => lb.chooseHost(ctx)?.address);
  assert.deepEqual(order, [0, 1, 2, 3, 0, 1, 2, 3, 0].map((i) => hosts[i].address));
});

test('RoundRobin: the start offset comes from the factory random, then rotates', () => {
  const hosts = makeHosts(4);
  const lb = new RoundRobinLoadBalancer(makePrioritySet([hosts]), () => 0.5); // seed 2^31 → 2^31 % 4 = 0
  const lb2 = new RoundRobinLoadBalancer(makePrioritySet([hosts]), () => 0.3);
  const ctx = makeContext(seeded());
  const first = lb2.chooseHost(ctx);
  const start = hosts.indexOf(first as (typeof hosts)[number]);
  for (let i = 1; i < 8; i++) assert.equal(lb2.chooseHost(ctx), hosts[(start + i) % 4]);
  assert.equal(lb.chooseHost(ctx), hosts[0]);
});

const weightedCases = [
  { name: '1:2:3:4', weights: [1, 2, 3, 4] },
  { name: '5:1', weights: [5, 1] },
  { name: '1:1:8', weights: [1, 1, 8] },
  { name: '10:20:30:40:50:60:70:80:90:100', weights: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] },
];
for (const c of weightedCases) {
  test(`RoundRobin: weighted ${c.name} over 10,000 picks within ±1.5 pp`, () => {
    const hosts = makeHosts(c.weights.length, { weights: c.weights });
    const lb = new RoundRobinLoadBalancer(makePrioritySet([hosts]), seeded(7));
    const ctx = makeContext(seeded(8));
    const n = 10_000;
    const counts = countPicks(() => lb.chooseHost(ctx), n);
    const total = c.weights.reduce((a, b) => a + b, 0);
    hosts.forEach((h, i) => {
      const share = (counts.get(h.address) ?? 0) / n;
      assert.ok(Math.abs(share - c.weights[i] / total) <= 0.015, `${h.address}: ${share}`);
    });
  });
}

test('RoundRobin: unavailable hosts are skipped after refreshHealth, and come back', () => {
  const hosts = makeHosts(4);
  const ps = makePrioritySet([hosts]);
  const lb = new RoundRobinLoadBalancer(ps, zero);
  const ctx = makeContext(seeded());
  hosts[1].available = false;
  ps.refreshHealth();
  const counts = countPicks(() => lb.chooseHost(ctx), 300);
  assert.equal(counts.get(hosts[1].address), undefined);
  assert.equal(counts.size, 3);
  hosts[1].available = true;
  ps.refreshHealth();
  assert.equal(countPicks(() => lb.chooseHost(ctx), 400).get(hosts[1].address), 100);
});

test('RoundRobin: membership update is picked up on the next pick', () => {
  const ps = makePrioritySet([makeHosts(2)]);
  const lb = new RoundRobinLoadBalancer(ps, zero);
  const ctx = makeContext(seeded());
  lb.chooseHost(ctx);
  const fresh = makeHosts(3, { prefix: 5 });
  ps.update(0, fresh);
  const counts = countPicks(() => lb.chooseHost(ctx), 30);
  assert.deepEqual([...counts.keys()].sort(), fresh.map((h) => h.address).sort());
});
