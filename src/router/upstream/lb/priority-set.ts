/**
 * PrioritySet: the hosts of one cluster grouped by priority, plus Envoy's per-priority load and
 * panic computation. https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/priority
 * and …/load_balancing/panic_threshold. Mirrors LoadBalancerBase::recalculatePerPriorityState /
 * recalculatePerPriorityPanic / choosePriority in envoy source/common/upstream/load_balancer_impl.cc
 * (without degraded hosts, localities or weighted_priority_health).
 *
 * Algorithm (integer percentages, as Envoy):
 *
 *   health[p]    = min(100, overprovisioning(140) × healthy[p] / total[p])   (0 when total is 0)
 *   normalized   = min(100, Σ health)
 *   load[p]      = min(remaining, health[p] × 100 / normalized); remaining -= load[p]
 *                  any rounding remainder goes to the first priority with health > 0
 *   panic[p]     = normalized == 100 ? false : 100 × healthy[p] / total[p] < panicThreshold
 *   total panic  (every priority in panic): load[p] = 100 × total[p] / Σ total, remainder to the
 *                first non-empty priority
 *   threshold 0 and normalized 0: load[0] = 100 and nothing is in panic, so picks find no host.
 *
 *   e.g. P0 2/4 healthy, P1 4/4:  health = [70, 100], normalized 100 → load [70, 30], no panic.
 *        P0 1/4 healthy only:     health = [35], 25% < 50% → panic → all 4 hosts of P0 used.
 *
 * A pick draws a number in 0…99 (random, or hash % 100 for hash policies) and walks the cumulative
 * loads. In panic a priority is balanced across all its hosts, otherwise across its available ones.
 *
 * Who calls what: the cluster (owner of the hosts) calls update() when membership of a priority
 * changes and refreshHealth() when any host's `available` flag flips. Both only bump `version` and
 * mark the derived state dirty; the state is recomputed on the next read, and balancers rebuild
 * their own structures when they see a new version — never per pick.
 */
import { InvalidArgumentError } from '../../../common/errors.js';
import type { LbHost } from './load-balancer.js';
import type { RandomSource } from '../../../common/random.js';

/** Envoy kDefaultOverProvisioningFactor (140 = 1.4). */
export const DEFAULT_OVERPROVISIONING_FACTOR_PERCENT = 140;
/** Envoy common_lb_config.healthy_panic_threshold default. */
export const DEFAULT_HEALTHY_PANIC_THRESHOLD_PERCENT = 50;

export interface PrioritySetOptions {
  /** common_lb_config.healthy_panic_threshold, 0–100; 0 disables panic. Envoy default 50. */
  readonly healthyPanicThresholdPercent?: number;
  /** ClusterLoadAssignment.policy.overprovisioning_factor as a percentage. Envoy default 140. */
  readonly overprovisioningFactorPercent?: number;
}

const EMPTY: readonly never[] = Object.freeze([]);

export class PrioritySet<H extends LbHost = LbHost> {
  readonly healthyPanicThresholdPercent: number;
  readonly overprovisioningFactorPercent: number;

  #hosts: (readonly H[])[] = [];
  #version = 0;
  #dirty = true;
  // Derived state, valid when !#dirty.
  #healthy: H[][] = [];
  #panic: boolean[] = [];
  #load: number[] = [];
  #cumulativeLoad: number[] = [];

  constructor(options: PrioritySetOptions = {}) {
    const threshold = options.healthyPanicThresholdPercent ?? DEFAULT_HEALTHY_PANIC_THRESHOLD_PERCENT;
    if (!(threshold >= 0 && threshold <= 100)) {
      throw new InvalidArgumentError(`healthyPanicThresholdPercent must be 0–100, got ${threshold}`);
    }
    const factor = options.overprovisioningFactorPercent ?? DEFAULT_OVERPROVISIONING_FACTOR_PERCENT;
    if (!(factor > 0 && Number.isFinite(factor))) {
      throw new InvalidArgumentError(`overprovisioningFactorPercent must be > 0, got ${factor}`);
    }
    this.healthyPanicThresholdPercent = threshold;
    this.overprovisioningFactorPercent = factor;
  }

  /**
   * Replaces the hosts of `priority` (a copy of the array is kept). Missing lower priorities are
   * created empty. Called by the cluster on membership change (EDS update, DNS resolution).
   */
  update(priority: number, hosts: readonly H[]): void {
    if (!Number.isInteger(priority) || priority < 0) {
      throw new InvalidArgumentError(`priority must be a non-negative integer, got ${priority}`);
    }
    while (this.#hosts.length <= priority) this.#hosts.push(EMPTY);
    this.#hosts[priority] = Object.freeze(hosts.slice());
    this.#invalidate();
  }

  /** Tells the set that some host's `available` flag changed (health check, outlier ejection). */
  refreshHealth(): void {
    this.#invalidate();
  }

  /** Increments on every update()/refreshHealth(); balancers compare it to rebuild lazily. */
  get version(): number {
    return this.#version;
  }

  /** Number of priorities (at least 1: an empty set behaves as one empty priority). */
  get priorityCount(): number {
    return this.#hosts.length === 0 ? 1 : this.#hosts.length;
  }

  /** All hosts of a priority, healthy or not. */
  hosts(priority: number): readonly H[] {
    return priority < this.#hosts.length ? this.#hosts[priority] : EMPTY;
  }

  /** Available hosts of a priority, in the order given to update(). */
  healthyHosts(priority: number): readonly H[] {
    if (this.#dirty) this.#recompute();
    return priority < this.#healthy.length ? this.#healthy[priority] : EMPTY;
  }

  /** Whether the priority is in panic (balances over all its hosts). */
  isPanic(priority: number): boolean {
    if (this.#dirty) this.#recompute();
    return this.#panic[priority] === true;
  }

  /** The hosts a balancer should use for `priority`: all hosts in panic, else the available ones. */
  hostsToUse(priority: number): readonly H[] {
    if (this.#dirty) this.#recompute();
    if (priority >= this.#hosts.length) return EMPTY;
    return this.#panic[priority] ? this.#hosts[priority] : this.#healthy[priority];
  }

  /** Percentage of traffic per priority (sums to 100). */
  priorityLoads(): readonly number[] {
    if (this.#dirty) this.#recompute();
    return this.#load;
  }

  /**
   * Envoy LoadBalancerBase::choosePriority: maps `value % 100` onto the cumulative loads.
   * Hash policies pass their hash so a key keeps its priority; others use choosePriorityRandom.
   */
  choosePriority(value: number): number {
    if (this.#dirty) this.#recompute();
    const cumulative = this.#cumulativeLoad;
    const n = cumulative.length;
    if (n <= 1) return 0;
    const v = (value % 100) + 1; // 1–100, as Envoy
    for (let p = 0; p < n; p++) {
      if (v <= cumulative[p]) return p;
    }
    return 0;
  }

  /** Draws a priority from the loads; consumes no randomness when there is one priority. */
  choosePriorityRandom(random: RandomSource): number {
    if (this.#hosts.length <= 1) return 0;
    return this.choosePriority(Math.floor(random() * 100));
  }

  #invalidate(): void {
    this.#version++;
    this.#dirty = true;
  }

  #recompute(): void {
    const count = this.#hosts.length;
    const healthy: H[][] = new Array(count);
    const health: number[] = new Array(count);
    let healthSum = 0;
    for (let p = 0; p < count; p++) {
      const all = this.#hosts[p];
      const ok: H[] = [];
      for (let i = 0; i < all.length; i++) if (all[i].available) ok.push(all[i]);
      // Keep the previous array when nothing changed, so balancers can skip rebuilding (ring, table).
      const previous = p < this.#healthy.length ? this.#healthy[p] : undefined;
      healthy[p] = previous !== undefined && sameHosts(previous, ok) ? previous : ok;
      health[p] = all.length === 0
        ? 0
        : Math.min(100, Math.floor((this.overprovisioningFactorPercent * ok.length) / all.length));
      healthSum += health[p];
    }
    const normalized = Math.min(100, healthSum);
    const load: number[] = new Array(Math.max(count, 1)).fill(0);
    const panic: boolean[] = new Array(count).fill(false);
    const threshold = this.healthyPanicThresholdPercent;

    if (normalized === 0 && threshold === 0) {
      load[0] = 100; // nothing is healthy and panic is disabled: picks find no host.
    } else {
      if (normalized > 0) {
        let remaining = 100;
        let firstAvailable = -1;
        for (let p = 0; p < count; p++) {
          if (firstAvailable < 0 && health[p] > 0) firstAvailable = p;
          load[p] = Math.min(remaining, Math.floor((health[p] * 100) / normalized));
          remaining -= load[p];
        }
        if (remaining > 0) load[firstAvailable] += remaining;
      }
      let totalPanic = count > 0;
      for (let p = 0; p < count; p++) {
        const total = this.#hosts[p].length;
        const healthyPercent = total === 0 ? 0 : (100 * healthy[p].length) / total;
        panic[p] = normalized === 100 ? false : healthyPercent < threshold;
        totalPanic = totalPanic && panic[p];
      }
      if (totalPanic || count === 0) this.#distributeInTotalPanic(load);
    }

    const cumulative: number[] = new Array(load.length);
    let acc = 0;
    for (let p = 0; p < load.length; p++) {
      acc += load[p];
      cumulative[p] = acc;
    }
    this.#healthy = healthy;
    this.#panic = panic;
    this.#load = load;
    this.#cumulativeLoad = cumulative;
    this.#dirty = false;
  }

  /** Envoy recalculateLoadInTotalPanic: load by host count regardless of health. */
  #distributeInTotalPanic(load: number[]): void {
    let totalHosts = 0;
    for (let p = 0; p < this.#hosts.length; p++) totalHosts += this.#hosts[p].length;
    load.fill(0);
    if (totalHosts === 0) {
      load[0] = 100;
      return;
    }
    let remaining = 100;
    let firstNonEmpty = -1;
    for (let p = 0; p < this.#hosts.length; p++) {
      const n = this.#hosts[p].length;
      if (firstNonEmpty < 0 && n > 0) firstNonEmpty = p;
      load[p] = Math.floor((100 * n) / totalHosts);
      remaining -= load[p];
    }
    load[firstNonEmpty] += remaining;
  }
}

function sameHosts<H>(a: readonly H[], b: readonly H[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
