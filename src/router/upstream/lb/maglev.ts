/**
 * MAGLEV, after Envoy MaglevLoadBalancer (maglev_lb.cc) and the Maglev paper (Eisenbud et al.,
 * NSDI 2016, §3.4 pseudocode listing 1, with Envoy's weighting).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers#maglev
 *
 * Build (per priority, from hostsToUse(p), once per PrioritySet version), M = table size (prime):
 *
 *   offset[h] = hashString(address, 0) % M
 *   skip[h]   = hashString(address, 1) % (M − 1) + 1        (so skip and M are coprime)
 *   host h's preference list: (offset + skip × j) % M for j = 0, 1, 2 … (a permutation of 0…M−1)
 *   w[h] = weight / Σ weight;  maxW = max w
 *   for iteration = 1, 2, … until the table is full:
 *     for each host h: if iteration × w[h] < target[h] skip it this round
 *                      target[h] += maxW; claim h's next still-empty preferred slot
 *
 *   table: Uint32Array(M) of host indices, e.g. [2, 0, 0, 1, 2, …]
 *
 * A host with the largest weight claims a slot every round; one with a third of that weight every
 * third round, so slots are proportional to weight. Lookup is table[key % M]: O(1). Removing one
 * of N hosts reassigns mostly that host's slots (~1/N of keys).
 * Retry attempt k (retry host predicate) flips the key with (2^32 − k), as Envoy does with 2^64 − k.
 */
import { InvalidArgumentError } from '../../../common/errors.js';
import { hashString } from '../../../common/hash.js';
import { BaseLoadBalancer, effectiveWeight } from './base-load-balancer.js';
import type { LbContext, LbHost } from './load-balancer.js';
import type { PrioritySet } from './priority-set.js';

/** maglev_lb_config.table_size default (prime). */
export const DEFAULT_MAGLEV_TABLE_SIZE = 65537;
/** Envoy's upper bound for table_size. */
export const MAX_MAGLEV_TABLE_SIZE = 5000011;

const TWO_POW_32 = 0x100000000;

export interface MaglevOptions {
  readonly tableSize?: number | undefined;
}

/** A built lookup table over one host list. Exported for tests and the admin page. */
export class MaglevTable<H extends LbHost> {
  readonly hosts: readonly H[];
  /** Host index per slot; empty when there are no hosts. */
  readonly table: Uint32Array;

  constructor(hosts: readonly H[], tableSize: number) {
    this.hosts = hosts;
    const n = hosts.length;
    if (n === 0) {
      this.table = new Uint32Array(0);
      return;
    }
    const m = tableSize;
    const offset = new Float64Array(n);
    const skip = new Float64Array(n);
    const next = new Float64Array(n);
    const weight = new Float64Array(n);
    const target = new Float64Array(n);
    let total = 0;
    for (let h = 0; h < n; h++) total += effectiveWeight(hosts[h]);
    let maxW = 0;
    for (let h = 0; h < n; h++) {
      const address = hosts[h].address;
      offset[h] = hashString(address, 0) % m;
      skip[h] = (hashString(address, 1) % (m - 1)) + 1;
      weight[h] = effectiveWeight(hosts[h]) / total;
      if (weight[h] > maxW) maxW = weight[h];
    }
    const table = new Int32Array(m).fill(-1);
    let filled = 0;
    for (let iteration = 1; filled < m; iteration++) {
      for (let h = 0; h < n && filled < m; h++) {
        if (iteration * weight[h] < target[h]) continue;
        target[h] += maxW;
        let c = (offset[h] + skip[h] * next[h]) % m;
        while (table[c] !== -1) {
          next[h]++;
          c = (offset[h] + skip[h] * next[h]) % m;
        }
        table[c] = h;
        next[h]++;
        filled++;
      }
    }
    this.table = new Uint32Array(table.buffer);
  }

  /** The host for `key` (uint32), flipped for retry attempts; null on an empty table. */
  chooseHost(key: number, attempt: number): H | null {
    const m = this.table.length;
    if (m === 0) return null;
    // Envoy: hash ^= ~0ULL - attempt + 1, i.e. 2^64 − attempt; in 32 bits 2^32 − attempt.
    const k = attempt > 0 ? (key ^ (TWO_POW_32 - attempt)) >>> 0 : key;
    return this.hosts[this.table[k % m]];
  }
}

export class MaglevLoadBalancer<H extends LbHost = LbHost> extends BaseLoadBalancer<H> {
  readonly tableSize: number;
  #tables: MaglevTable<H>[] = [];
  /** The key of the pick in progress, kept across retry attempts. */
  #key = 0;

  constructor(prioritySet: PrioritySet<H>, options: MaglevOptions = {}) {
    super(prioritySet);
    const size = options.tableSize ?? DEFAULT_MAGLEV_TABLE_SIZE;
    if (!Number.isInteger(size) || size < 2 || size > MAX_MAGLEV_TABLE_SIZE || !isPrime(size)) {
      throw new InvalidArgumentError(`maglevTableSize must be a prime 2–${MAX_MAGLEV_TABLE_SIZE}, got ${size}`);
    }
    this.tableSize = size;
  }

  /** The table of a priority as last built (for tests and the admin page). */
  table(priority: number): MaglevTable<H> | undefined {
    return this.#tables[priority];
  }

  protected rebuild(): void {
    const ps = this.prioritySet;
    const count = ps.priorityCount;
    const tables: MaglevTable<H>[] = new Array(count);
    for (let p = 0; p < count; p++) {
      const list = ps.hostsToUse(p);
      const previous = this.#tables[p];
      tables[p] = previous !== undefined && previous.hosts === list ? previous : new MaglevTable(list, this.tableSize);
    }
    this.#tables = tables;
  }

  protected chooseHostOnce(ctx: LbContext, attempt: number): H | null {
    if (attempt === 0) {
      this.#key = ctx.hashKey !== null ? ctx.hashKey >>> 0 : Math.floor(ctx.random() * TWO_POW_32);
    }
    const key = this.#key;
    const p = this.prioritySet.priorityCount > 1 ? this.prioritySet.choosePriority(key) : 0;
    return this.#tables[p].chooseHost(key, attempt);
  }
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}
