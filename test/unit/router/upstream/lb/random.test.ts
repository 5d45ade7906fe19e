import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomLoadBalancer } from '../../../../../src/router/upstream/lb/random.js';
import { countPicks, makeContext, makeHosts, makePrioritySet, seeded } from './fake-host.js';

for (const size of [2, 5, 10]) {
  test(`Random: uniform over ${size} hosts within ±1.5 pp (weights ignored, as Envoy)`, () => {
    const hosts = makeHosts(size, { weights: Array.from({ length: size }, (_, i) => i + 1) });
    const lb = new RandomLoadBalancer(makePrioritySet([hosts]));
    const ctx = makeContext(seeded(size));
    const n = 20_000;
    const counts = countPicks(() => lb.chooseHost(ctx), n);
    for (const h of hosts) {
      const share = (counts.get(h.address) ?? 0) / n;
      assert.ok(Math.abs(share - 1 / size) <= 0.015, `${h.address}: ${share}`);
    }
  });
}

test('Random: same seed, same picks', () => {
  const hosts = makeHosts(10);
  const lb = new RandomLoadBalancer(makePrioritySet([hosts]));
  const a = makeContext(seeded(11));
  const b = makeContext(seeded(11));
  for (let i = 0; i < 100; i++) assert.equal(lb.chooseHost(a), lb.chooseHost(b));
});
