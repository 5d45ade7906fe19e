/**
 * RouteAction.weighted_clusters: picks one entry in proportion to its weight.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-weightedcluster
 *
 * Envoy (WeightedClusterSpecifierPlugin::pickWeightedCluster) takes `value % total` and returns the
 * entry whose interval [begin, end) holds it, intervals laid out in config order. We do the same
 * with a precomputed array:
 *
 *   weights  [ 90,  10 ]            ends [ 90, 100 ]        value 95 → first end > 95 → entry 1
 *
 * found by binary search, O(log n). When the total is small (≤ EXPANDED_MAX_TOTAL) an expanded
 * index (pingora `selection/weighted.rs`) maps every value to its entry directly, O(1):
 *
 *   expanded [0,0,…(90×)…,0,1,…(10×)…,1]
 *
 * weighted_clusters.header_name: a request header whose single uint64 value replaces the random
 * value; absent, repeated or unparsable, the random value is used (Envoy's fallback).
 */
import { headerCount, firstHeaderValue } from './route-request.js';

/** Totals up to this size get the O(1) expanded index (a Uint16Array of `total` entries). */
const EXPANDED_MAX_TOTAL = 4096;

/** What the picker needs of an entry. */
export interface Weighted {
  readonly weight: number;
}

export class WeightedClusterPicker<E extends Weighted> {
  /** Sum of all weights (> 0). */
  readonly total: number;
  readonly entries: readonly E[];
  private readonly ends: Float64Array;
  private readonly expanded: Uint16Array | null;
  private readonly headerName: string | null;

  /** @param entries at least one entry with weight > 0 (validated upstream). */
  constructor(entries: readonly E[], headerName: string | null = null) {
    this.entries = entries;
    this.headerName = headerName;
    const ends = new Float64Array(entries.length);
    let total = 0;
    for (let i = 0; i < entries.length; i++) {
      const w = entries[i].weight;
      total += w > 0 ? w : 0;
      ends[i] = total;
    }
    this.ends = ends;
    this.total = total;
    if (total > 0 && total <= EXPANDED_MAX_TOTAL && entries.length <= 0xffff) {
      const expanded = new Uint16Array(total);
      let v = 0;
      for (let i = 0; i < entries.length; i++) while (v < ends[i]) expanded[v++] = i;
      this.expanded = expanded;
    } else {
      this.expanded = null;
    }
  }

  /** The entry for `value`, an integer in [0, total). */
  pick(value: number): E {
    const expanded = this.expanded;
    if (expanded !== null) return this.entries[expanded[value]];
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid] > value) hi = mid;
      else lo = mid + 1;
    }
    return this.entries[lo];
  }

  /**
   * The entry for one request: the header_name value when usable, else `random` — a float in
   * [0, 1) (Math.random) or a non-negative integer (Envoy's stream random value), taken modulo
   * the total.
   */
  pickForRequest(headers: readonly string[], random: number): E {
    const total = this.total;
    if (this.headerName !== null && headerCount(headers, this.headerName) === 1) {
      const bucket = parseUint64Mod(firstHeaderValue(headers, this.headerName)!, total);
      if (bucket >= 0) return this.pick(bucket);
    }
    return this.pick(random < 1 ? Math.floor(random * total) : Math.floor(random) % total);
  }
}

/**
 * `value mod total` for a decimal uint64 string (absl::SimpleAtoi: surrounding whitespace and a
 * leading '+' allowed), or -1 when it is not one. Values past 2^53 are reduced exactly with BigInt.
 */
export function parseUint64Mod(value: string, total: number): number {
  const s = value.trim();
  const digits = s.charCodeAt(0) === 43 /* + */ ? s.slice(1) : s;
  if (digits.length === 0 || digits.length > 20) return -1;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  if (digits.length <= 15) return Number(digits) % total;
  const big = BigInt(digits);
  if (big > 0xffffffffffffffffn) return -1;
  return Number(big % BigInt(total));
}
