import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeastRequestLoadBalancer } from '../../../../../src/router/upstream/lb/least-request.js';
import type { LbHost } from '../../../../../src/router/upstream/lb/load-balancer.js';
import { countPicks, makeContext, makeHosts, makePrioritySet, seeded } from './fake-host.js';

test('LeastRequest P2C: the pick is always the least-loaded of the sampled hosts', () => {
  // Record the indices the balancer samples (one priority: every random() call is a sample).
  for (const choiceCount of [2, 3, 5]) {
    const hosts = makeHosts(5);
    hosts.forEach((h, i) => (h.activeRequests = [7, 0, 3, 9, 1][i]));
    const lb = new LeastRequestLoadBalancer(makePrioritySet([hosts]), seeded(), { choiceCount });
    const base = seeded(choiceCount);
    let sampled: number[] = [];
    const ctx = makeContext(() => {
      const r = base();
      sampled.push(Math.floor(r * hosts.length));
      return r;
    });
    for (let i = 0; i < 2000; i++) {
      sampled = [];
      const picked = lb.chooseHost(ctx) as LbHost;
      assert.equal(sampled.length, choiceCount);
      const best = Math.min(...sampled.map((s) => hosts[s].activeRequests));
      assert.equal(picked.activeRequests, best);
      // So the most-loaded host (9) is chosen only when every sample was it.
      if (picked === hosts[3]) assert.ok(sampled.every((s) => s === 3));
    }
  }
});

test('LeastRequest P2C: share per load rank matches sampling with replacement', () => {
  // 4 hosts with distinct loads and 2 choices: P(rank r) = ((5−r)² − (4−r)²)/16 → 7/16, 5/16, 3/16, 1/16.
  const hosts = makeHosts(4);
  hosts.forEach((h, i) => (h.activeRequests = i * 10));
  const lb = new LeastRequestLoadBalancer(makePrioritySet([hosts]), seeded());
  const ctx = makeContext(seeded(3));
  const n = 20_000;
  const counts = countPicks(() => lb.chooseHost(ctx), n);
  const expected = [7 / 16, 5 / 16, 3 / 16, 1 / 16];
  hosts.forEach((h, i) => {
    const share = (counts.get(h.address) ?? 0) / n;
    assert.ok(Math.abs(share - expected[i]) <= 0.015, `${h.address}: ${share} vs ${expected[i]}`);
  });
});

test('LeastRequest: an idle host is preferred over busy ones', () => {
  const hosts = makeHosts(4);
  hosts.forEach((h, i) => (h.activeRequests = i === 2 ? 0 : 50));
  const lb = new LeastRequestLoadBalancer(makePrioritySet([hosts]), seeded(), { choiceCount: 4 });
  const ctx = makeContext(seeded(4));
  const n = 10_000;
  const share = (countPicks(() => lb.chooseHost(ctx), n).get(hosts[2].address) ?? 0) / n;
  // 1 − (3/4)^4 ≈ 68% versus 25% for round robin.
  assert.ok(Math.abs(share - (1 - (3 / 4) ** 4)) <= 0.015, `idle share ${share}`);
});

const weightedCases = [
  // effective weight = weight / (active + 1)^bias
  { name: 'bias 1: weights 1,1,2 with the heavy host at 3 active → 2:2:1', bias: 1, weights: [1, 1, 2], active: [0, 0, 3], expected: [0.4, 0.4, 0.2] },
  { name: 'bias 0: plain weighted round robin', bias: 0, weights: [1, 1, 2], active: [0, 0, 3], expected: [0.25, 0.25, 0.5] },
  { name: 'bias 2: weights 4,1 with 1 active on the heavy host → 1:1', bias: 2, weights: [4, 1], active: [1, 0], expected: [0.5, 0.5] },
  { name: 'bias 0.5: weights 2,1 with 3 active on the heavy host → 1:1', bias: 0.5, weights: [2, 1], active: [3, 0], expected: [0.5, 0.5] },
];
for (const c of weightedCases) {
  test(`LeastRequest weighted (EDF): ${c.name}`, () => {
    const hosts = makeHosts(c.weights.length, { weights: c.weights });
    hosts.forEach((h, i) => (h.activeRequests = c.active[i]));
    const lb = new LeastRequestLoadBalancer(makePrioritySet([hosts]), seeded(), { activeRequestBias: c.bias });
    const ctx = makeContext(seeded(5));
    const n = 10_000;
    const counts = countPicks(() => lb.chooseHost(ctx), n);
    hosts.forEach((h, i) => {
      const share = (counts.get(h.address) ?? 0) / n;
      assert.ok(Math.abs(share - c.expected[i]) <= 0.015, `${h.address}: ${share}`);
    });
  });
}

test('LeastRequest weighted: load changes are seen when the host is re-added', () => {
  const hosts = makeHosts(2, { weights: [1, 2] });
  const lb = new LeastRequestLoadBalancer(makePrioritySet([hosts]), seeded());
  const ctx = makeContext(seeded());
  for (let i = 0; i < 10; i++) lb.chooseHost(ctx);
  hosts[1].activeRequests = 99; // effective 2/100 vs 1/1
  const counts = countPicks(() => lb.chooseHost(ctx), 1000);
  assert.ok((counts.get(hosts[1].address) ?? 0) < 40, `busy host got ${counts.get(hosts[1].address)}`);
});

const invalid = [
  { name: 'choiceCount 1', options: { choiceCount: 1 }, error: /choiceCount|ChoiceCount/ },
  { name: 'choiceCount 2.5', options: { choiceCount: 2.5 }, error: /ChoiceCount/ },
  { name: 'negative bias', options: { activeRequestBias: -1 }, error: /ActiveRequestBias/ },
];
for (const c of invalid) {
  test(`LeastRequest rejects ${c.name}`, () => {
    assert.throws(() => new LeastRequestLoadBalancer(makePrioritySet([makeHosts(2)]), seeded(), c.options), c.error);
  });
}
