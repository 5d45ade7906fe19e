import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLoadBalancer } from '../../../../../src/router/upstream/lb/load-balancer.js';
import type { LbHost, LoadBalancerConfig } from '../../../../../src/router/upstream/lb/load-balancer.js';
import { RoundRobinLoadBalancer } from '../../../../../src/router/upstream/lb/round-robin.js';
import { LeastRequestLoadBalancer } from '../../../../../src/router/upstream/lb/least-request.js';
import { RandomLoadBalancer } from '../../../../../src/router/upstream/lb/random.js';
import { RingHashLoadBalancer } from '../../../../../src/router/upstream/lb/ring-hash.js';
import { MaglevLoadBalancer } from '../../../../../src/router/upstream/lb/maglev.js';
import type { Cluster } from '../../../../../src/xds/resources/cluster.types.js';
import { FakeHost, countPicks, makeContext, makeHosts, makePrioritySet, seeded } from './fake-host.js';

const policies: { config: LoadBalancerConfig; type: Function; hashed: boolean }[] = [
  { config: { lbPolicy: 'ROUND_ROBIN' }, type: RoundRobinLoadBalancer, hashed: false },
  { config: { lbPolicy: 'LEAST_REQUEST' }, type: LeastRequestLoadBalancer, hashed: false },
  { config: { lbPolicy: 'RANDOM' }, type: RandomLoadBalancer, hashed: false },
  { config: { lbPolicy: 'RING_HASH' }, type: RingHashLoadBalancer, hashed: true },
  { config: { lbPolicy: 'MAGLEV' }, type: MaglevLoadBalancer, hashed: true },
];

/** Picks with a fresh random hash key per pick for hash policies, none for the others. */
function picker(lb: { chooseHost: (ctx: ReturnType<typeof makeContext>) => LbHost | null }, hashed: boolean, seed: number) {
  const random = seeded(seed);
  const ctx = makeContext(random);
  return (): LbHost | null =>
    lb.chooseHost(hashed ? makeContext(random, { hashKey: Math.floor(random() * 0x100000000) }) : ctx);
}

for (const p of policies) {
  const name = p.config.lbPolicy;

  test(`${name}: the factory builds ${p.type.name}`, () => {
    assert.ok(createLoadBalancer(p.config, makePrioritySet([makeHosts(2)]), seeded()) instanceof p.type);
  });

  test(`${name}: unavailable hosts are never chosen outside panic`, () => {
    const hosts = makeHosts(6, { healthy: 4, weights: [1, 2, 1, 2, 5, 5] });
    const lb = createLoadBalancer(p.config, makePrioritySet([hosts]), seeded());
    const counts = countPicks(picker(lb, p.hashed, 1), 5000);
    assert.equal(counts.get(hosts[4].address), undefined);
    assert.equal(counts.get(hosts[5].address), undefined);
    assert.equal(counts.get('null'), undefined);
  });

  test(`${name}: panic (1 of 4 healthy) sends traffic to all 4 hosts`, () => {
    const hosts = makeHosts(4, { healthy: 1 });
    const lb = createLoadBalancer(p.config, makePrioritySet([hosts]), seeded());
    const n = 8000;
    const counts = countPicks(picker(lb, p.hashed, 2), n);
    for (const h of hosts) assert.ok((counts.get(h.address) ?? 0) > n * 0.15, `${h.address}: ${counts.get(h.address)}`);
  });

  test(`${name}: panic disabled (threshold 0) keeps traffic on the healthy host`, () => {
    const hosts = makeHosts(4, { healthy: 1 });
    const lb = createLoadBalancer(p.config, makePrioritySet([hosts], { healthyPanicThresholdPercent: 0 }), seeded());
    assert.deepEqual([...countPicks(picker(lb, p.hashed, 3), 500).keys()], [hosts[0].address]);
  });

  test(`${name}: no healthy host with panic disabled → null`, () => {
    const lb = createLoadBalancer(p.config, makePrioritySet([makeHosts(3, { healthy: 0 })], { healthyPanicThresholdPercent: 0 }), seeded());
    assert.deepEqual([...countPicks(picker(lb, p.hashed, 4), 50).keys()], ['null']);
  });

  test(`${name}: P0 at 50% healthy spills 30% to P1 (70/30 ±1.5 pp)`, () => {
    const p0 = makeHosts(4, { healthy: 2, prefix: 0 });
    const p1 = makeHosts(4, { prefix: 1 });
    const lb = createLoadBalancer(p.config, makePrioritySet([p0, p1]), seeded());
    const n = 10_000;
    const counts = countPicks(picker(lb, p.hashed, 5), n);
    let toP0 = 0;
    for (const h of p0) toP0 += counts.get(h.address) ?? 0;
    assert.ok(Math.abs(toP0 / n - 0.7) <= 0.015, `P0 share ${toP0 / n}`);
    assert.equal(counts.get(p0[2].address), undefined);
    assert.equal(counts.get(p0[3].address), undefined);
  });

  test(`${name}: an empty cluster picks null`, () => {
    const lb = createLoadBalancer(p.config, makePrioritySet([]), seeded());
    assert.equal(picker(lb, p.hashed, 6)(), null);
  });

  test(`${name}: the retry predicate steers away from rejected hosts`, () => {
    const hosts = makeHosts(4);
    const lb = createLoadBalancer(p.config, makePrioritySet([hosts]), seeded());
    const random = seeded(7);
    let rejected = 0;
    for (let i = 0; i < 1000; i++) {
      const h = lb.chooseHost(makeContext(random, {
        hashKey: p.hashed ? Math.floor(random() * 0x100000000) : null,
        hostSelectionRetryMaxAttempts: 5,
        shouldSelectAnotherHost: (host) => host === hosts[0],
      }));
      if (h === hosts[0]) rejected++;
    }
    assert.ok(rejected <= 10, `rejected host still chosen ${rejected} times`);
  });

  test(`${name}: after hostSelectionRetryMaxAttempts re-picks the last host is kept`, () => {
    const hosts = makeHosts(3);
    const lb = createLoadBalancer(p.config, makePrioritySet([hosts]), seeded());
    let calls = 0;
    const h = lb.chooseHost(makeContext(seeded(8), {
      hashKey: p.hashed ? 42 : null,
      hostSelectionRetryMaxAttempts: 3,
      shouldSelectAnotherHost: () => (calls++, true),
    }));
    assert.ok(h !== null && hosts.includes(h as FakeHost));
    assert.equal(calls, 4);
  });
}

const invalid: { name: string; config: LoadBalancerConfig; error: RegExp }[] = [
  { name: 'choice count 1', config: { lbPolicy: 'LEAST_REQUEST', leastRequestChoiceCount: 1 }, error: /leastRequestChoiceCount/ },
  { name: 'maglev table not prime', config: { lbPolicy: 'MAGLEV', maglevTableSize: 65536 }, error: /maglevTableSize/ },
  { name: 'ring min above max', config: { lbPolicy: 'RING_HASH', ringHashMinimumRingSize: 4096, ringHashMaximumRingSize: 2048 }, error: /ringHashMaximumRingSize/ },
  { name: 'unknown policy', config: { lbPolicy: 'CLUSTER_PROVIDED' as 'RANDOM' }, error: /lbPolicy/ },
];
for (const c of invalid) {
  test(`createLoadBalancer rejects ${c.name}`, () => {
    assert.throws(() => createLoadBalancer(c.config, makePrioritySet([makeHosts(2)]), seeded()), c.error);
  });
}

test('createLoadBalancer passes the cluster fields through', () => {
  const ps = makePrioritySet([makeHosts(2)]);
  const lr = createLoadBalancer({ lbPolicy: 'LEAST_REQUEST', leastRequestChoiceCount: 5, leastRequestActiveRequestBias: 0.5 }, ps, seeded());
  assert.equal((lr as LeastRequestLoadBalancer).choiceCount, 5);
  assert.equal((lr as LeastRequestLoadBalancer).activeRequestBias, 0.5);
  const rh = createLoadBalancer({ lbPolicy: 'RING_HASH', ringHashMinimumRingSize: 64, ringHashMaximumRingSize: 128 }, ps, seeded());
  assert.equal((rh as RingHashLoadBalancer).maximumRingSize, 128);
  const mg = createLoadBalancer({ lbPolicy: 'MAGLEV', maglevTableSize: 251 }, ps, seeded());
  assert.equal((mg as MaglevLoadBalancer).tableSize, 251);
});

test('a validated xDS Cluster can be passed to createLoadBalancer as is (compile-time check)', () => {
  const fromCluster = (cluster: Cluster): LoadBalancerConfig => cluster;
  assert.equal(typeof fromCluster, 'function');
});
