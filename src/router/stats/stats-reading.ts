/**
 * The read-side view the admin renderers take: flat lists of named values, whoever produced them
 * (the primary's MergedStats of all workers, or one StatsStore read locally).
 */
import { EMPTY_HISTOGRAM, type HistogramData } from './histogram.js';
import type { StatsStore } from './stats-store.js';

export interface NumericStat {
  readonly name: string;
  readonly value: number;
  /** Ever written (Envoy's used(): what `?usedonly` keeps). */
  readonly used: boolean;
}

export interface HistogramStat {
  readonly name: string;
  readonly used: boolean;
  /** Every sample since start. */
  readonly cumulative: HistogramData;
  /** Samples of the last completed flush interval (Envoy's interval statistics). */
  readonly interval: HistogramData;
}

/** Unsorted; hidden gauges already left out. Renderers sort. */
export interface StatsReading {
  readonly counters: readonly NumericStat[];
  readonly gauges: readonly NumericStat[];
  readonly histograms: readonly HistogramStat[];
}

/** Anything the renderers can read: MergedStats, or a store wrapped by `storeSource`. */
export interface StatsSource {
  read(): StatsReading;
}

/**
 * One store read as a source, e.g. a single-process router or a test. Interval statistics are
 * not tracked locally, so each histogram's interval is empty.
 */
export function storeSource(store: StatsStore): StatsSource {
  return {
    read(): StatsReading {
      const counters: NumericStat[] = [];
      for (const c of store.allCounters()) counters.push({ name: c.name, value: c.value, used: c.used });
      const gauges: NumericStat[] = [];
      for (const g of store.allGauges()) if (g.importMode !== 'hiddenAccumulate') gauges.push({ name: g.name, value: g.value, used: g.used });
      const histograms: HistogramStat[] = [];
      for (const h of store.allHistograms()) histograms.push({ name: h.name, used: h.used, cumulative: h.data(), interval: EMPTY_HISTOGRAM });
      return { counters, gauges, histograms };
    },
  };
}
