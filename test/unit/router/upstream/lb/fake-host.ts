import type { LbContext, LbHost } from '../../../../../src/router/upstream/lb/load-balancer.js';
import { PrioritySet } from '../../../../../src/router/upstream/lb/priority-set.js';
import type { PrioritySetOptions } from '../../../../../src/router/upstream/lb/priority-set.js';
import { createSeededRandom } from '../../../../../src/common/random.js';
import type { RandomSource } from '../../../../../src/common/random.js';

/** A mutable host for balancer tests (the real Host lives in router/upstream/host.ts). */
export class FakeHost implements LbHost {
  address: string;
  weight: number;
  activeRequests: number;
  available: boolean;
  constructor(address: string, weight = 1, activeRequests = 0, available = true) {
    this.address = address;
    this.weight = weight;
    this.activeRequests = activeRequests;
    this.available = available;
  }
}

/** `count` hosts 10.0.<prefix>.<i>:8080; `healthy` of them available (the first ones). */
export function makeHosts(count: number, opts: { healthy?: number; weights?: number[]; prefix?: number } = {}): FakeHost[] {
  const hosts: FakeHost[] = [];
  const healthy = opts.healthy ?? count;
  for (let i = 0; i < count; i++) {
    hosts.push(new FakeHost(`10.0.${opts.prefix ?? 0}.${i}:8080`, opts.weights?.[i] ?? 1, 0, i < healthy));
  }
  return hosts;
}

/** A PrioritySet with the given host lists per priority. */
export function makePrioritySet(priorities: FakeHost[][], options?: PrioritySetOptions): PrioritySet<FakeHost> {
  const ps = new PrioritySet<FakeHost>(options);
  for (let p = 0; p < priorities.length; p++) ps.update(p, priorities[p]);
  return ps;
}

export function makeContext(random: RandomSource, overrides: Partial<LbContext> = {}): LbContext {
  return { hashKey: null, random, hostSelectionRetryMaxAttempts: 0, ...overrides };
}

/** Counts picks per host address over `n` picks; null picks counted under 'null'. */
export function countPicks(pick: () => LbHost | null, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const h = pick();
    const key = h === null ? 'null' : h.address;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function seeded(seed = 1): RandomSource {
  return createSeededRandom(seed);
}

/** Random uint32 keys from a seeded source. */
export function randomKeys(count: number, seed = 99): number[] {
  const r = createSeededRandom(seed);
  const keys: number[] = [];
  for (let i = 0; i < count; i++) keys.push(Math.floor(r() * 0x100000000));
  return keys;
}
