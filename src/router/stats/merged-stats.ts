/**
 * The primary's merge of every worker's stats (Envoy's ThreadLocalStore merge on the main
 * thread). Lives in the primary process only; the admin server renders it.
 *
 * Data: per worker, the last absolute value of each stat it reported; plus running totals.
 *
 *   apply(w, snap):  counter total += value − last[w]      (never goes back)
 *                    histogram total += counts − last[w]   (bucket-wise)
 *                    last[w] = value;  gauges are only stored in last[w]
 *   read():          gauge = Σ last[w] (accumulate) or max last[w] (neverImport)
 *   forget(w):       drop last[w]: its counters and histogram samples stay in the totals (Envoy
 *                    counters never go back), its gauges vanish from the sums.
 *
 * Interval histograms: every `flushIntervalMs` (Envoy's stats_flush_interval, default 5 s) an
 * apply() latches the totals; `interval` = samples between the last two latches.
 */
import { BUCKET_SLOTS, EMPTY_HISTOGRAM, subtractHistogramData, type HistogramData, type HistogramUnit } from './histogram.js';
import type { GaugeImportMode, StatsSnapshot } from './stats-store.js';
import type { HistogramStat, NumericStat, StatsReading, StatsSource } from './stats-reading.js';

/** Envoy's default stats_flush_interval. */
export const DEFAULT_FLUSH_INTERVAL_MS = 5_000;

export interface MergedStatsOptions {
  readonly flushIntervalMs?: number;
  readonly now?: () => number;
}

interface WorkerStats {
  readonly counters: Map<string, number>;
  readonly gauges: Map<string, number>;
  readonly histograms: Map<string, HistogramData>;
}

interface CounterTotal {
  value: number;
  used: boolean;
}

interface GaugeInfo {
  mode: GaugeImportMode;
  used: boolean;
}

interface HistogramTotal {
  unit: HistogramUnit;
  counts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
  latched: HistogramData;
  interval: HistogramData;
}

export class MergedStats implements StatsSource {
  private readonly workers = new Map<number, WorkerStats>();
  private readonly counterTotals = new Map<string, CounterTotal>();
  private readonly gaugeInfo = new Map<string, GaugeInfo>();
  private readonly histogramTotals = new Map<string, HistogramTotal>();
  private readonly flushIntervalMs: number;
  private readonly now: () => number;
  private lastLatchMs: number;

  constructor(options: MergedStatsOptions = {}) {
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.lastLatchMs = this.now();
  }

  /** Folds one worker's snapshot in (primary process, on every stats message). */
  apply(workerId: number, snapshot: StatsSnapshot | null | undefined): void {
    if (snapshot === null || snapshot === undefined) return;
    let w = this.workers.get(workerId);
    if (w === undefined) {
      w = { counters: new Map(), gauges: new Map(), histograms: new Map() };
      this.workers.set(workerId, w);
    }
    for (const [name, value, used] of snapshot.counters) {
      const prev = w.counters.get(name) ?? 0;
      w.counters.set(name, value);
      let total = this.counterTotals.get(name);
      if (total === undefined) {
        total = { value: 0, used: false };
        this.counterTotals.set(name, total);
      }
      // A lower value can only mean a fresh counter under a reused id: count it from zero.
      total.value += value >= prev ? value - prev : value;
      total.used ||= used;
    }
    for (const [name, value, used, mode] of snapshot.gauges) {
      w.gauges.set(name, value);
      const info = this.gaugeInfo.get(name);
      if (info === undefined) this.gaugeInfo.set(name, { mode, used });
      else info.used ||= used;
    }
    for (const [name, unit, counts, count, sum, min, max] of snapshot.histograms) {
      const data: HistogramData = { counts, count, sum, min: min ?? NaN, max: max ?? NaN };
      const prev = w.histograms.get(name) ?? EMPTY_HISTOGRAM;
      w.histograms.set(name, data);
      let total = this.histogramTotals.get(name);
      if (total === undefined) {
        total = { unit, counts: new Array<number>(BUCKET_SLOTS).fill(0), count: 0, sum: 0, min: NaN, max: NaN, latched: EMPTY_HISTOGRAM, interval: EMPTY_HISTOGRAM };
        this.histogramTotals.set(name, total);
      }
      const base = count >= prev.count ? prev : EMPTY_HISTOGRAM;
      for (let i = 0; i < BUCKET_SLOTS; i++) total.counts[i] += Math.max(0, (counts[i] ?? 0) - base.counts[i]);
      total.count += count - base.count;
      total.sum += sum - base.sum;
      if (min !== null && !(min >= total.min)) total.min = min;
      if (max !== null && !(max <= total.max)) total.max = max;
    }
    const now = this.now();
    if (now - this.lastLatchMs >= this.flushIntervalMs) {
      this.lastLatchMs = now;
      this.latch();
    }
  }

  /** A worker exited: keep its counters and histogram samples, drop its gauges. */
  forget(workerId: number): void {
    this.workers.delete(workerId);
  }

  /** Ids of the workers currently contributing gauges. */
  workerIds(): number[] {
    return [...this.workers.keys()];
  }

  read(): StatsReading {
    const counters: NumericStat[] = [];
    for (const [name, t] of this.counterTotals) counters.push({ name, value: t.value, used: t.used });
    const gauges: NumericStat[] = [];
    for (const [name, info] of this.gaugeInfo) {
      if (info.mode === 'hiddenAccumulate') continue;
      let value = 0;
      let seen = false;
      for (const w of this.workers.values()) {
        const v = w.gauges.get(name);
        if (v === undefined) continue;
        if (info.mode === 'neverImport') value = seen ? Math.max(value, v) : v;
        else value += v;
        seen = true;
      }
      gauges.push({ name, value, used: info.used });
    }
    const histograms: HistogramStat[] = [];
    for (const [name, t] of this.histogramTotals) histograms.push({ name, used: t.count > 0, cumulative: totalData(t), interval: t.interval });
    return { counters, gauges, histograms };
  }

  private latch(): void {
    for (const t of this.histogramTotals.values()) {
      const now = totalData(t);
      t.interval = subtractHistogramData(now, t.latched);
      t.latched = now;
    }
  }
}

function totalData(t: HistogramTotal): HistogramData {
  return { counts: t.counts.slice(), count: t.count, sum: t.sum, min: t.min, max: t.max };
}
