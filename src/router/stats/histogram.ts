/**
 * Fixed-bucket histograms with Envoy's default supported buckets and quantiles.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/metrics/v3/stats.proto (HistogramBucketSettings)
 *
 * Layout: `counts` is DISJOINT, one slot per bucket plus one overflow slot.
 *
 *   bound:  0.5   1    5   …  3600000   (+Inf)
 *   slot:   [0]  [1]  [2]  …   [18]      [19]
 *
 * A value v goes to the first slot whose bound is >= v (Prometheus `le` semantics), so the
 * cumulative count at bound i is counts[0] + … + counts[i].
 *
 * Quantiles: Envoy keeps a circllhist (log-linear, ~2 significant digits) and reads quantiles off
 * it. We only keep the 19 coarse buckets, so we APPROXIMATE: find the bucket that holds the
 * q-th sample and interpolate linearly between its lower and upper bound, clamped to the observed
 * min and max (so P0 = min and P100 = max exactly). Good enough for dashboards; not circllhist.
 */

/** Envoy's default histogram bucket bounds (stats_config.histogram_bucket_settings default). */
export const SUPPORTED_BUCKETS: readonly number[] = Object.freeze([
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
]);

/** Number of slots in a disjoint counts array: one per bucket plus overflow. */
export const BUCKET_SLOTS = SUPPORTED_BUCKETS.length + 1;

/** Envoy's supported quantiles (HistogramStatisticsImpl::supportedQuantiles). */
export const SUPPORTED_QUANTILES: readonly number[] = Object.freeze([0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1]);

/** Envoy's Stats::Histogram::Unit, lower-cased. Informational: rendering does not scale by unit. */
export type HistogramUnit = 'unspecified' | 'bytes' | 'us' | 'ms' | 'percent';

/** A plain, serializable histogram state: what snapshots carry and renderers read. */
export interface HistogramData {
  /** Disjoint per-bucket counts, length BUCKET_SLOTS. */
  readonly counts: readonly number[];
  readonly count: number;
  readonly sum: number;
  /** Smallest / largest recorded value; NaN when count is 0. */
  readonly min: number;
  readonly max: number;
}

export const EMPTY_HISTOGRAM: HistogramData = Object.freeze({
  counts: Object.freeze(new Array<number>(BUCKET_SLOTS).fill(0)),
  count: 0,
  sum: 0,
  min: NaN,
  max: NaN,
});

/** Index of the slot a value falls into (binary search over 19 bounds). */
export function bucketIndex(value: number): number {
  let lo = 0;
  let hi = SUPPORTED_BUCKETS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= SUPPORTED_BUCKETS[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A worker-local histogram. `record()` is on the hot path: one binary search and four stores,
 * no allocation.
 */
export class Histogram {
  readonly name: string;
  readonly unit: HistogramUnit;
  readonly counts: number[] = new Array<number>(BUCKET_SLOTS).fill(0);
  count = 0;
  sum = 0;
  min = NaN;
  max = NaN;
  /** `count` at the last snapshot, to send only histograms that changed. */
  sentCount = -1;

  constructor(name: string, unit: HistogramUnit) {
    this.name = name;
    this.unit = unit;
  }

  /** Records one sample (milliseconds for 'ms', bytes for 'bytes'). Negative values count as 0. */
  record(value: number): void {
    if (!(value >= 0)) value = 0;
    this.counts[bucketIndex(value)]++;
    this.count++;
    this.sum += value;
    if (!(value >= this.min)) this.min = value;
    if (!(value <= this.max)) this.max = value;
  }

  get used(): boolean {
    return this.count > 0;
  }

  data(): HistogramData {
    return { counts: this.counts.slice(), count: this.count, sum: this.sum, min: this.min, max: this.max };
  }
}

/** Cumulative counts per supported bucket (length SUPPORTED_BUCKETS.length): Prometheus `_bucket{le}`. */
export function cumulativeBuckets(data: HistogramData): number[] {
  const out = new Array<number>(SUPPORTED_BUCKETS.length);
  let acc = 0;
  for (let i = 0; i < out.length; i++) {
    acc += data.counts[i];
    out[i] = acc;
  }
  return out;
}

/**
 * The SUPPORTED_QUANTILES of a histogram, interpolated inside buckets (see the file comment).
 * Every entry is NaN when the histogram is empty, as Envoy prints `nan` for an empty interval.
 */
export function computeQuantiles(data: HistogramData, quantiles: readonly number[] = SUPPORTED_QUANTILES): number[] {
  const out = new Array<number>(quantiles.length).fill(NaN);
  if (data.count === 0) return out;
  for (let qi = 0; qi < quantiles.length; qi++) out[qi] = quantile(data, quantiles[qi]);
  return out;
}

function quantile(data: HistogramData, q: number): number {
  const hasRange = !Number.isNaN(data.min) && !Number.isNaN(data.max);
  if (hasRange && q <= 0) return data.min;
  if (hasRange && q >= 1) return data.max;
  const rank = q * data.count;
  let before = 0;
  for (let i = 0; i < BUCKET_SLOTS; i++) {
    const c = data.counts[i];
    if (c === 0) continue;
    if (before + c >= rank) {
      const lower = i === 0 ? 0 : SUPPORTED_BUCKETS[i - 1];
      const upper = i < SUPPORTED_BUCKETS.length ? SUPPORTED_BUCKETS[i] : hasRange ? Math.max(data.max, lower) : lower;
      let v = lower + ((upper - lower) * (rank - before)) / c;
      if (hasRange) v = Math.min(Math.max(v, data.min), data.max);
      return v;
    }
    before += c;
  }
  return hasRange ? data.max : NaN;
}

/** a + b, slot by slot (merging two workers' histograms). */
export function addHistogramData(a: HistogramData, b: HistogramData): HistogramData {
  const counts = new Array<number>(BUCKET_SLOTS);
  for (let i = 0; i < BUCKET_SLOTS; i++) counts[i] = (a.counts[i] ?? 0) + (b.counts[i] ?? 0);
  return { counts, count: a.count + b.count, sum: a.sum + b.sum, min: nanMin(a.min, b.min), max: nanMax(a.max, b.max) };
}

/**
 * a − b, slot by slot: the samples recorded between two cumulative states (an interval). The
 * min/max of an interval are unknown from buckets alone, so they are NaN and the interval's
 * quantiles are pure bucket interpolation.
 */
export function subtractHistogramData(a: HistogramData, b: HistogramData): HistogramData {
  const counts = new Array<number>(BUCKET_SLOTS);
  for (let i = 0; i < BUCKET_SLOTS; i++) counts[i] = Math.max(0, (a.counts[i] ?? 0) - (b.counts[i] ?? 0));
  const count = Math.max(0, a.count - b.count);
  return { counts, count, sum: count === 0 ? 0 : a.sum - b.sum, min: NaN, max: NaN };
}

function nanMin(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.min(a, b);
}

function nanMax(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.max(a, b);
}
