/**
 * ROUND_ROBIN, after Envoy RoundRobinLoadBalancer (source/common/upstream/load_balancer_impl.cc).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers#weighted-round-robin
 *
 * Per priority, built from prioritySet.hostsToUse(p) when the set's version changes:
 *
 *   all weights equal → hosts[] + a rotating index: hosts[i++ % n]      (O(1), no heap)
 *   weights differ    → EdfScheduler with each host at its weight        (O(log n))
 *
 * The rotation index starts at a random offset (Envoy seed_) and survives rebuilds, so a fleet of
 * routers does not all hit the first host after a config push. The EDF is warmed by
 * `seed % n` picks for the same reason.
 */
import type { RandomSource } from '../../../common/random.js';
import { BaseLoadBalancer, effectiveWeight, weightsAreEqual } from './base-load-balancer.js';
import { EdfScheduler } from './edf-scheduler.js';
import type { LbContext, LbHost } from './load-balancer.js';
import type { PrioritySet } from './priority-set.js';

export class RoundRobinLoadBalancer<H extends LbHost = LbHost> extends BaseLoadBalancer<H> {
  readonly #seed: number;
  #hosts: (readonly H[])[] = [];
  #edf: (EdfScheduler<H> | null)[] = [];
  #rrIndex: number[] = [];

  /** @param random used once, for the start offset (Envoy seed_). */
  constructor(prioritySet: PrioritySet<H>, random: RandomSource) {
    super(prioritySet);
    this.#seed = Math.floor(random() * 0x100000000);
  }

  protected rebuild(): void {
    const ps = this.prioritySet;
    const count = ps.priorityCount;
    const hosts: (readonly H[])[] = new Array(count);
    const edf: (EdfScheduler<H> | null)[] = new Array(count);
    for (let p = 0; p < count; p++) {
      const list = ps.hostsToUse(p);
      hosts[p] = list;
      if (p >= this.#rrIndex.length) this.#rrIndex.push(list.length === 0 ? 0 : this.#seed % list.length);
      edf[p] = weightsAreEqual(list) ? null : buildWeightedEdf(list, this.#seed);
    }
    this.#hosts = hosts;
    this.#edf = edf;
  }

  protected chooseHostOnce(ctx: LbContext): H | null {
    const p = this.prioritySet.choosePriorityRandom(ctx.random);
    const edf = this.#edf[p];
    if (edf !== null) return edf.pickAndAdd();
    const list = this.#hosts[p];
    const n = list.length;
    if (n === 0) return null;
    let i = this.#rrIndex[p];
    if (i >= n) i %= n;
    this.#rrIndex[p] = i + 1;
    return list[i];
  }
}

function buildWeightedEdf<H extends LbHost>(hosts: readonly H[], seed: number): EdfScheduler<H> {
  const edf = new EdfScheduler<H>();
  for (let i = 0; i < hosts.length; i++) edf.add(effectiveWeight(hosts[i]), hosts[i]);
  const warmUp = seed % hosts.length;
  for (let i = 0; i < warmUp; i++) edf.pickAndAdd();
  return edf;
}
