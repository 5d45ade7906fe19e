/**
 * RANDOM, after Envoy RandomLoadBalancer: a uniform pick among the hosts to use of the drawn
 * priority. Weights are ignored, as in Envoy. O(1), no state beyond the PrioritySet.
 */
import { BaseLoadBalancer } from './base-load-balancer.js';
import type { LbContext, LbHost } from './load-balancer.js';

export class RandomLoadBalancer<H extends LbHost = LbHost> extends BaseLoadBalancer<H> {
  protected rebuild(): void {
    // Nothing cached: hostsToUse() is already precomputed by the PrioritySet.
  }

  protected chooseHostOnce(ctx: LbContext): H | null {
    const ps = this.prioritySet;
    const list = ps.hostsToUse(ps.choosePriorityRandom(ctx.random));
    const n = list.length;
    if (n === 0) return null;
    return list[Math.floor(ctx.random() * n)];
  }
}
