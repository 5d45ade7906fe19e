/**
 * Shared skeleton of every policy, after Envoy LoadBalancerBase::chooseHost:
 *
 *   if prioritySet.version changed → rebuild()          (lazy, once per change, never per pick)
 *   for attempt in 0 … hostSelectionRetryMaxAttempts:
 *     host = chooseHostOnce(ctx, attempt)
 *     if host is null or the retry predicate accepts it → return host
 *   return the last host
 */
import type { LbContext, LbHost, LoadBalancer } from './load-balancer.js';
import type { PrioritySet } from './priority-set.js';

export abstract class BaseLoadBalancer<H extends LbHost> implements LoadBalancer<H> {
  protected readonly prioritySet: PrioritySet<H>;
  #builtVersion = -1;

  constructor(prioritySet: PrioritySet<H>) {
    this.prioritySet = prioritySet;
  }

  chooseHost(ctx: LbContext): H | null {
    if (this.#builtVersion !== this.prioritySet.version) {
      this.rebuild();
      this.#builtVersion = this.prioritySet.version;
    }
    const retries = ctx.hostSelectionRetryMaxAttempts > 0 ? ctx.hostSelectionRetryMaxAttempts : 0;
    let host: H | null = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      host = this.chooseHostOnce(ctx, attempt);
      if (host === null || ctx.shouldSelectAnotherHost === undefined || !ctx.shouldSelectAnotherHost(host)) {
        return host;
      }
    }
    return host;
  }

  /** Recomputes per-priority structures from prioritySet.hostsToUse(p). */
  protected abstract rebuild(): void;

  /** One pick; `attempt` > 0 when the retry predicate rejected the previous pick. */
  protected abstract chooseHostOnce(ctx: LbContext, attempt: number): H | null;
}

/** Effective weight: Envoy rejects weight < 1; we count anything non-positive or NaN as 1. */
export function effectiveWeight(host: LbHost): number {
  const w = host.weight;
  return w > 0 && w < Infinity ? w : 1;
}

/** True when every host has the same effective weight (Envoy hostWeightsAreEqual). */
export function weightsAreEqual(hosts: readonly LbHost[]): boolean {
  if (hosts.length <= 1) return true;
  const w = effectiveWeight(hosts[0]);
  for (let i = 1; i < hosts.length; i++) if (effectiveWeight(hosts[i]) !== w) return false;
  return true;
}
