/**
 * LEAST_REQUEST, after Envoy LeastRequestLoadBalancer.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers#weighted-least-request
 *
 *   all weights equal → power of `choiceCount` choices: sample choiceCount hosts uniformly (with
 *                       replacement) and keep the one with the fewest active requests; on a tie
 *                       the earlier sample wins. O(choiceCount).
 *   weights differ    → EDF where a host's weight is re-evaluated each time it is re-added:
 *                       weight / (activeRequests + 1)^activeRequestBias. O(log n).
 *                       bias 0 degrades to weighted round robin; bias 1 (default) is the fast path.
 */
import type { RandomSource } from '../../../common/random.js';
import { InvalidArgumentError } from '../../../common/errors.js';
import { BaseLoadBalancer, effectiveWeight, weightsAreEqual } from './base-load-balancer.js';
import { EdfScheduler } from './edf-scheduler.js';
import type { LbContext, LbHost } from './load-balancer.js';
import type { PrioritySet } from './priority-set.js';

/** least_request_lb_config.choice_count default. */
export const DEFAULT_CHOICE_COUNT = 2;
/** least_request_lb_config.active_request_bias default. */
export const DEFAULT_ACTIVE_REQUEST_BIAS = 1.0;

export interface LeastRequestOptions {
  /** Envoy requires ≥ 2; default 2. */
  readonly choiceCount?: number | undefined;
  /** ≥ 0; default 1.0. */
  readonly activeRequestBias?: number | undefined;
}

export class LeastRequestLoadBalancer<H extends LbHost = LbHost> extends BaseLoadBalancer<H> {
  readonly choiceCount: number;
  readonly activeRequestBias: number;
  readonly #seed: number;
  #hosts: (readonly H[])[] = [];
  #edf: (EdfScheduler<H> | null)[] = [];
  /** Bound once so that EDF re-adds do not allocate a closure per pick. */
  readonly #hostWeight: (host: H) => number;

  constructor(prioritySet: PrioritySet<H>, random: RandomSource, options: LeastRequestOptions = {}) {
    super(prioritySet);
    const choiceCount = options.choiceCount ?? DEFAULT_CHOICE_COUNT;
    if (!Number.isInteger(choiceCount) || choiceCount < 2) {
      throw new InvalidArgumentError(`leastRequestChoiceCount must be an integer ≥ 2, got ${choiceCount}`);
    }
    const bias = options.activeRequestBias ?? DEFAULT_ACTIVE_REQUEST_BIAS;
    if (!(bias >= 0 && bias < Infinity)) {
      throw new InvalidArgumentError(`leastRequestActiveRequestBias must be ≥ 0, got ${bias}`);
    }
    this.choiceCount = choiceCount;
    this.activeRequestBias = bias;
    this.#seed = Math.floor(random() * 0x100000000);
    this.#hostWeight = bias === 1
      ? (h: H) => effectiveWeight(h) / (activeOf(h) + 1)
      : bias === 0
        ? (h: H) => effectiveWeight(h)
        : (h: H) => effectiveWeight(h) / Math.pow(activeOf(h) + 1, bias);
  }

  protected rebuild(): void {
    const ps = this.prioritySet;
    const count = ps.priorityCount;
    const hosts: (readonly H[])[] = new Array(count);
    const edf: (EdfScheduler<H> | null)[] = new Array(count);
    for (let p = 0; p < count; p++) {
      const list = ps.hostsToUse(p);
      hosts[p] = list;
      edf[p] = weightsAreEqual(list) ? null : this.#buildEdf(list);
    }
    this.#hosts = hosts;
    this.#edf = edf;
  }

  protected chooseHostOnce(ctx: LbContext): H | null {
    const random = ctx.random;
    const p = this.prioritySet.choosePriorityRandom(random);
    const edf = this.#edf[p];
    if (edf !== null) return edf.pickAndAdd(this.#hostWeight);
    const list = this.#hosts[p];
    const n = list.length;
    if (n === 0) return null;
    let best = list[Math.floor(random() * n)];
    let bestActive = activeOf(best);
    for (let c = 1; c < this.choiceCount; c++) {
      const sampled = list[Math.floor(random() * n)];
      const active = activeOf(sampled);
      if (active < bestActive) {
        best = sampled;
        bestActive = active;
      }
    }
    return best;
  }

  #buildEdf(list: readonly H[]): EdfScheduler<H> {
    const edf = new EdfScheduler<H>();
    for (let i = 0; i < list.length; i++) edf.add(this.#hostWeight(list[i]), list[i]);
    const warmUp = this.#seed % list.length;
    for (let i = 0; i < warmUp; i++) edf.pickAndAdd(this.#hostWeight);
    return edf;
  }
}

/** Guards the EDF against a negative counter from a bookkeeping bug upstream. */
function activeOf(host: LbHost): number {
  const a = host.activeRequests;
  return a > 0 ? a : 0;
}
