/**
 * A process-local store of counters, gauges and histograms with Envoy's names
 * (https://www.envoyproxy.io/docs/envoy/latest/operations/stats_overview).
 *
 * Who uses it: each worker owns one StatsStore; config code resolves every stat object ONCE when a
 * listener/cluster is built (`store.counter('cluster.foo.upstream_rq_total')`) and the request path
 * only calls `inc()` / `set()` / `record()` on objects it already holds. Lookups by name are
 * idempotent (same name → same object) and never happen per request.
 *
 * Export to the primary: `snapshot()` returns a plain, JSON-serializable StatsSnapshot holding
 * only what changed since the previous snapshot (and everything on every FULL_SNAPSHOT_EVERY-th
 * call). Values are ABSOLUTE (cumulative counter values, full gauge values, cumulative histogram
 * buckets), not deltas: a snapshot that is lost or arrives after the admin's gather timeout then
 * costs only staleness until the next one, never a permanently lost increment.
 */
import { InvalidArgumentError } from '../../common/errors.js';
import { Histogram, type HistogramUnit } from './histogram.js';

export { Histogram } from './histogram.js';
export type { HistogramUnit } from './histogram.js';

/**
 * How the primary merges a gauge across workers (after Envoy's Gauge::ImportMode):
 * - 'accumulate': summed over workers (downstream_cx_active, upstream_rq_active …);
 * - 'neverImport': every worker holds the same replicated value (membership_total,
 *   server.concurrency …): the primary shows the largest, never the sum;
 * - 'hiddenAccumulate': summed, but not shown by the admin renderers.
 */
export type GaugeImportMode = 'accumulate' | 'neverImport' | 'hiddenAccumulate';

/** Full snapshot every N calls, so a lost message heals itself. */
const FULL_SNAPSHOT_EVERY = 30;

/**
 * Gauges Envoy declares NeverImport (cluster membership, server identity): each worker has its
 * own copy of the same value, so summing would multiply it by the worker count.
 */
const NEVER_IMPORT_SUFFIXES = [
  '.membership_total',
  '.membership_healthy',
  '.membership_degraded',
  '.membership_excluded',
  '.max_host_weight',
  '.version',
  '.warming_state',
];
const NEVER_IMPORT_NAMES = new Set(['server.concurrency', 'server.live', 'server.state', 'server.uptime', 'server.version', 'server.hot_restart_epoch']);

/** Envoy's import mode for a gauge name when the caller gives none. */
export function defaultImportMode(name: string): GaugeImportMode {
  if (NEVER_IMPORT_NAMES.has(name)) return 'neverImport';
  for (const suffix of NEVER_IMPORT_SUFFIXES) if (name.endsWith(suffix)) return 'neverImport';
  return 'accumulate';
}

/** A monotonically increasing count. Hot path: `inc()`. */
export class Counter {
  readonly name: string;
  value = 0;
  used = false;
  /** `value` at the last snapshot; -1 = never sent. */
  sentValue = -1;

  constructor(name: string) {
    this.name = name;
  }

  inc(): void {
    this.value++;
    this.used = true;
  }

  add(n: number): void {
    this.value += n;
    this.used = true;
  }
}

/** A value that goes up and down. Hot path: `inc()` / `dec()` / `set()`. */
export class Gauge {
  readonly name: string;
  readonly importMode: GaugeImportMode;
  value = 0;
  used = false;
  sentValue = NaN;

  constructor(name: string, importMode: GaugeImportMode) {
    this.name = name;
    this.importMode = importMode;
  }

  inc(): void {
    this.value++;
    this.used = true;
  }

  dec(): void {
    this.value--;
    this.used = true;
  }

  add(n: number): void {
    this.value += n;
    this.used = true;
  }

  sub(n: number): void {
    this.value -= n;
    this.used = true;
  }

  set(v: number): void {
    this.value = v;
    this.used = true;
  }
}

/** [name, cumulative value, used]. */
export type CounterSample = [string, number, boolean];
/** [name, value, used, import mode]. */
export type GaugeSample = [string, number, boolean, GaugeImportMode];
/** [name, unit, disjoint bucket counts, count, sum, min (null = none), max (null = none)]. */
export type HistogramSample = [string, HistogramUnit, number[], number, number, number | null, number | null];

/**
 * What a worker sends the primary (process message, JSON-safe). `full` = every stat of the
 * worker is listed; otherwise only stats that are new or changed since the previous snapshot.
 */
export interface StatsSnapshot {
  readonly full: boolean;
  readonly counters: CounterSample[];
  readonly gauges: GaugeSample[];
  readonly histograms: HistogramSample[];
}

/** The naming surface shared by the store and its scopes. */
export interface StatsScope {
  counter(name: string): Counter;
  gauge(name: string, importMode?: GaugeImportMode): Gauge;
  histogram(name: string, unit: HistogramUnit): Histogram;
  /** A scope whose names are prefixed: `scope('cluster.foo.').counter('upstream_rq_total')`. */
  scope(prefix: string): StatsScope;
}

export class StatsStore implements StatsScope {
  private readonly counters = new Map<string, Counter>();
  private readonly gauges = new Map<string, Gauge>();
  private readonly histograms = new Map<string, Histogram>();
  private snapshots = 0;

  counter(name: string): Counter {
    let c = this.counters.get(name);
    if (c === undefined) {
      checkName(name);
      c = new Counter(name);
      this.counters.set(name, c);
    }
    return c;
  }

  gauge(name: string, importMode?: GaugeImportMode): Gauge {
    let g = this.gauges.get(name);
    if (g === undefined) {
      checkName(name);
      g = new Gauge(name, importMode ?? defaultImportMode(name));
      this.gauges.set(name, g);
    }
    return g;
  }

  histogram(name: string, unit: HistogramUnit): Histogram {
    let h = this.histograms.get(name);
    if (h === undefined) {
      checkName(name);
      h = new Histogram(name, unit);
      this.histograms.set(name, h);
    }
    return h;
  }

  scope(prefix: string): StatsScope {
    return new PrefixedScope(this, prefix);
  }

  /** Every stat, for local reading (tests, the primary's own store) and the renderers. */
  allCounters(): IterableIterator<Counter> {
    return this.counters.values();
  }

  allGauges(): IterableIterator<Gauge> {
    return this.gauges.values();
  }

  allHistograms(): IterableIterator<Histogram> {
    return this.histograms.values();
  }

  /**
   * Called on the worker (every ~1 s and when the primary asks): the stats that changed since
   * the previous call, with absolute values. Pass `full` to list every stat.
   */
  snapshot(full = false): StatsSnapshot {
    full = full || this.snapshots++ % FULL_SNAPSHOT_EVERY === 0;
    const counters: CounterSample[] = [];
    for (const c of this.counters.values()) {
      if (!full && c.value === c.sentValue) continue;
      c.sentValue = c.value;
      counters.push([c.name, c.value, c.used]);
    }
    const gauges: GaugeSample[] = [];
    for (const g of this.gauges.values()) {
      if (!full && g.value === g.sentValue) continue;
      g.sentValue = g.value;
      gauges.push([g.name, g.value, g.used, g.importMode]);
    }
    const histograms: HistogramSample[] = [];
    for (const h of this.histograms.values()) {
      if (!full && h.count === h.sentCount) continue;
      h.sentCount = h.count;
      histograms.push([h.name, h.unit, h.counts.slice(), h.count, h.sum, nullIfNaN(h.min), nullIfNaN(h.max)]);
    }
    return { full, counters, gauges, histograms };
  }
}

class PrefixedScope implements StatsScope {
  constructor(
    private readonly store: StatsStore,
    private readonly prefix: string,
  ) {}

  counter(name: string): Counter {
    return this.store.counter(this.prefix + name);
  }

  gauge(name: string, importMode?: GaugeImportMode): Gauge {
    return this.store.gauge(this.prefix + name, importMode);
  }

  histogram(name: string, unit: HistogramUnit): Histogram {
    return this.store.histogram(this.prefix + name, unit);
  }

  scope(prefix: string): StatsScope {
    return new PrefixedScope(this.store, this.prefix + prefix);
  }
}

function checkName(name: string): void {
  if (name === '') throw new InvalidArgumentError('stat name must be non-empty');
}

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
