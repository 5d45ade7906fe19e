/**
 * RING_HASH, after Envoy RingHashLoadBalancer (source/extensions/load_balancing_policies/ring_hash,
 * formerly source/common/upstream/ring_hash_lb.cc): a ketama consistent-hash ring.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto#config-cluster-v3-cluster-ringhashlbconfig
 *
 * Build (per priority, from hostsToUse(p), once per PrioritySet version):
 *
 *   w[h]  = weight[h] / Σ weight                       (normalized weights)
 *   scale = min(ceil(min w × minimumRingSize) / min w, maximumRingSize)
 *   walk the hosts keeping running sums: target += scale × w[h];
 *     while current < target: add point hashString(`${address}_${i}`) → h; i++; current++
 *   sort points by hash
 *
 *   ring:   hashes  Uint32Array  [ 0x0a…, 0x13…, 0x2f…, … ]   ascending
 *           owner   Uint32Array  [   2,     0,     1,   … ]   index into hosts[]
 *
 * Lookup: the first point whose hash ≥ key (binary search), wrapping to point 0 past the end.
 * A key therefore keeps its host while membership is unchanged, and removing one of N hosts
 * moves only the keys that landed on that host's points (~1/N).
 * Retry attempt k (retry host predicate) takes the point k steps further round the ring, as Envoy.
 * Without a hash key a random key is used (the policy then behaves as RANDOM).
 *
 * Envoy hashes points with 64-bit xxHash; we use 32-bit murmur3 (common/hash.ts), which keeps the
 * ring in typed arrays. Collisions between points only tie-break by host order.
 */
import { InvalidArgumentError } from '../../../common/errors.js';
import { hashString } from '../../../common/hash.js';
import { BaseLoadBalancer, effectiveWeight } from './base-load-balancer.js';
import type { LbContext, LbHost } from './load-balancer.js';
import type { PrioritySet } from './priority-set.js';

/** ring_hash_lb_config.minimum_ring_size default. */
export const DEFAULT_MINIMUM_RING_SIZE = 1024;
/** ring_hash_lb_config.maximum_ring_size default and upper bound (8M). */
export const DEFAULT_MAXIMUM_RING_SIZE = 8 * 1024 * 1024;

const TWO_POW_32 = 0x100000000;
/** Host indices packed under a hash in one float64 for a native numeric sort: 32 + 21 bits. */
const PACK_HOST_LIMIT = 1 << 21;

export interface RingHashOptions {
  readonly minimumRingSize?: number | undefined;
  readonly maximumRingSize?: number | undefined;
}

/** A built ring over one host list. Exported for tests and the admin page. */
export class Ring<H extends LbHost> {
  readonly hosts: readonly H[];
  readonly hashes: Uint32Array;
  readonly owners: Uint32Array;

  constructor(hosts: readonly H[], minimumRingSize: number, maximumRingSize: number) {
    this.hosts = hosts;
    const n = hosts.length;
    if (n === 0) {
      this.hashes = new Uint32Array(0);
      this.owners = new Uint32Array(0);
      return;
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += effectiveWeight(hosts[i]);
    let minW = Infinity;
    for (let i = 0; i < n; i++) minW = Math.min(minW, effectiveWeight(hosts[i]) / total);
    const scale = Math.min(Math.ceil(minW * minimumRingSize) / minW, maximumRingSize);
    const size = Math.ceil(scale);
    // Running sums can overshoot `size` by one point because of float rounding.
    const hashes = new Uint32Array(size + 1);
    const owners = new Uint32Array(size + 1);
    let current = 0;
    let target = 0;
    for (let h = 0; h < n; h++) {
      target += (scale * effectiveWeight(hosts[h])) / total;
      const address = hosts[h].address;
      for (let i = 0; current < target && current < size + 1; i++) {
        hashes[current] = hashString(`${address}_${i}`);
        owners[current] = h;
        current++;
      }
    }
    this.hashes = hashes.subarray(0, current);
    this.owners = owners.subarray(0, current);
    sortRing(this.hashes, this.owners, n);
  }

  /** Number of points on the ring. */
  get size(): number {
    return this.hashes.length;
  }

  /** Index of the first point with hash ≥ key, or 0 past the end. */
  indexOf(key: number): number {
    const hashes = this.hashes;
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo === hashes.length ? 0 : lo;
  }

  /** The host owning `key`, `attempt` points further for retries; null on an empty ring. */
  chooseHost(key: number, attempt: number): H | null {
    const size = this.hashes.length;
    if (size === 0) return null;
    let i = this.indexOf(key);
    if (attempt > 0) i = (i + attempt) % size;
    return this.hosts[this.owners[i]];
  }
}

export class RingHashLoadBalancer<H extends LbHost = LbHost> extends BaseLoadBalancer<H> {
  readonly minimumRingSize: number;
  readonly maximumRingSize: number;
  #rings: Ring<H>[] = [];
  /** The key of the pick in progress, kept across retry attempts (Envoy computes it once). */
  #key = 0;

  constructor(prioritySet: PrioritySet<H>, options: RingHashOptions = {}) {
    super(prioritySet);
    const min = options.minimumRingSize ?? DEFAULT_MINIMUM_RING_SIZE;
    const max = options.maximumRingSize ?? DEFAULT_MAXIMUM_RING_SIZE;
    if (!Number.isInteger(min) || min < 1 || min > DEFAULT_MAXIMUM_RING_SIZE) {
      throw new InvalidArgumentError(`ringHashMinimumRingSize must be 1–${DEFAULT_MAXIMUM_RING_SIZE}, got ${min}`);
    }
    if (!Number.isInteger(max) || max < min || max > DEFAULT_MAXIMUM_RING_SIZE) {
      throw new InvalidArgumentError(
        `ringHashMaximumRingSize must be ${min}–${DEFAULT_MAXIMUM_RING_SIZE} (≥ minimum), got ${max}`,
      );
    }
    this.minimumRingSize = min;
    this.maximumRingSize = max;
  }

  /** The ring of a priority as last built (for tests and the admin page). */
  ring(priority: number): Ring<H> | undefined {
    return this.#rings[priority];
  }

  protected rebuild(): void {
    const ps = this.prioritySet;
    const count = ps.priorityCount;
    const rings: Ring<H>[] = new Array(count);
    for (let p = 0; p < count; p++) {
      const list = ps.hostsToUse(p);
      const previous = this.#rings[p];
      // Health refreshes that leave a priority's host list untouched keep its ring.
      rings[p] = previous !== undefined && previous.hosts === list
        ? previous
        : new Ring(list, this.minimumRingSize, this.maximumRingSize);
    }
    this.#rings = rings;
  }

  protected chooseHostOnce(ctx: LbContext, attempt: number): H | null {
    if (attempt === 0) {
      this.#key = ctx.hashKey !== null ? ctx.hashKey >>> 0 : Math.floor(ctx.random() * TWO_POW_32);
    }
    const key = this.#key;
    const p = this.prioritySet.priorityCount > 1 ? this.prioritySet.choosePriority(key) : 0;
    return this.#rings[p].chooseHost(key, attempt);
  }
}

/** Sorts (hash, owner) pairs by hash, then owner, using a float64 pack when it fits. */
function sortRing(hashes: Uint32Array, owners: Uint32Array, hostCount: number): void {
  const n = hashes.length;
  if (hostCount <= PACK_HOST_LIMIT) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = hashes[i] * PACK_HOST_LIMIT + owners[i];
    packed.sort();
    for (let i = 0; i < n; i++) {
      const v = packed[i];
      const hash = Math.floor(v / PACK_HOST_LIMIT);
      hashes[i] = hash;
      owners[i] = v - hash * PACK_HOST_LIMIT;
    }
    return;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => hashes[a] - hashes[b] || owners[a] - owners[b]);
  const h2 = hashes.slice();
  const o2 = owners.slice();
  for (let i = 0; i < n; i++) {
    hashes[i] = h2[order[i]];
    owners[i] = o2[order[i]];
  }
}
