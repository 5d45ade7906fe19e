/**
 * The admin server's three stats renderings, byte-compatible with Envoy's so its dashboards and
 * scrapers work unchanged. Runs in the primary, off the data path.
 * https://www.envoyproxy.io/docs/envoy/latest/operations/admin#get--stats
 * Formats follow source/server/admin/stats_render.cc and prometheus_stats.cc.
 *
 * - text:  counters and gauges merged and sorted by name (`name: value`), then histograms sorted
 *          (`name: P0(interval,cumulative) P25(…) …` or `name: No recorded values`).
 * - json:  {"stats":[{"name","value"}…, {"histograms":{"supported_quantiles","computed_quantiles"}}]}
 * - prometheus: `envoy_` + sanitized tag-extracted name, one `# TYPE` per name, samples sorted,
 *          a blank line after each group; histograms as cumulative `_bucket{le}`, `_sum`, `_count`.
 */
import { RE2JS } from 're2js';
import { fail, ok, type ValidationResult } from '../../xds/validation.js';
import { computeQuantiles, cumulativeBuckets, SUPPORTED_BUCKETS, SUPPORTED_QUANTILES } from './histogram.js';
import type { HistogramStat, NumericStat, StatsSource } from './stats-reading.js';
import { extractTags, type Tag } from './tag-extractor.js';

export interface RenderOptions {
  /** `?filter=`: an RE2 regex searched in each full stat name (Envoy uses partial match). */
  readonly filter?: string | null;
  /** `?usedonly`: only stats that were ever written. */
  readonly usedOnly?: boolean;
}

export type StatsFilter = (name: string) => boolean;

/**
 * Compiles a `?filter=` value with RE2 (linear time: the admin must not be stalled by a pattern).
 * The admin answers 400 with the error, as Envoy does for an invalid regex.
 */
export function compileStatsFilter(pattern: string): ValidationResult<StatsFilter> {
  try {
    const re = RE2JS.compile(pattern);
    return ok((name: string) => re.test(name));
  } catch (err) {
    return fail([{ path: 'filter', message: `invalid re2 regex ${JSON.stringify(pattern)}: ${(err as Error).message}` }]);
  }
}

interface Selected {
  readonly counters: NumericStat[];
  readonly gauges: NumericStat[];
  readonly histograms: HistogramStat[];
}

function select(stats: StatsSource, options: RenderOptions): Selected {
  const reading = stats.read();
  let filter: StatsFilter | null = null;
  if (options.filter !== undefined && options.filter !== null && options.filter !== '') {
    const compiled = compileStatsFilter(options.filter);
    // An invalid pattern (the admin should have rejected it) degrades to a literal substring.
    const literal = options.filter;
    filter = compiled.ok ? compiled.value : (name) => name.includes(literal);
  }
  const usedOnly = options.usedOnly === true;
  const keep = (s: { name: string; used: boolean }): boolean => (!usedOnly || s.used) && (filter === null || filter(s.name));
  return {
    counters: reading.counters.filter(keep),
    gauges: reading.gauges.filter(keep),
    histograms: reading.histograms.filter(keep).sort(byName),
  };
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Envoy's fmt `{}` for a double: shortest round-trip, `nan` for NaN. */
function fmtDouble(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** The quantile summary of one histogram, as ParentHistogramImpl::quantileSummary. */
export function quantileSummary(h: HistogramStat): string {
  if (!h.used) return 'No recorded values';
  const interval = computeQuantiles(h.interval);
  const cumulative = computeQuantiles(h.cumulative);
  const parts = new Array<string>(SUPPORTED_QUANTILES.length);
  for (let i = 0; i < parts.length; i++) {
    parts[i] = `P${fmtDouble(SUPPORTED_QUANTILES[i] * 100)}(${fmtDouble(interval[i])},${fmtDouble(cumulative[i])})`;
  }
  return parts.join(' ');
}

/** GET /stats */
export function renderText(stats: StatsSource, options: RenderOptions = {}): string {
  const s = select(stats, options);
  const numeric = s.counters.concat(s.gauges).sort(byName);
  let out = '';
  for (const n of numeric) out += `${n.name}: ${n.value}\n`;
  for (const h of s.histograms) out += `${h.name}: ${quantileSummary(h)}\n`;
  return out;
}

/** GET /stats?format=json */
export function renderJson(stats: StatsSource, options: RenderOptions = {}): string {
  const s = select(stats, options);
  const numeric = s.counters.concat(s.gauges).sort(byName);
  const entries: unknown[] = numeric.map((n) => ({ name: n.name, value: n.value }));
  if (s.histograms.length > 0) {
    entries.push({
      histograms: {
        supported_quantiles: SUPPORTED_QUANTILES.map((q) => q * 100),
        computed_quantiles: s.histograms.map((h) => {
          const cumulative = computeQuantiles(h.cumulative);
          const interval = computeQuantiles(h.interval);
          // JSON has no NaN: Envoy's streamer writes null for an empty interval.
          return { name: h.name, values: cumulative.map((c, i) => ({ cumulative: nullIfNaN(c), interval: nullIfNaN(interval[i]) })) };
        }),
      },
    });
  }
  return JSON.stringify({ stats: entries });
}

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** GET /stats/prometheus (and /stats?format=prometheus). */
export function renderPrometheus(stats: StatsSource, options: RenderOptions = {}): string {
  const s = select(stats, options);
  let out = '';
  out += promGroups(s.counters, 'counter', numericLine);
  out += promGroups(s.gauges, 'gauge', numericLine);
  out += promGroups(s.histograms, 'histogram', histogramLines);
  return out;
}

function promGroups<T extends { name: string }>(stats: readonly T[], type: string, lines: (stat: T, metric: string, tags: readonly Tag[]) => string): string {
  const groups = new Map<string, { stat: T; tags: readonly Tag[] }[]>();
  for (const stat of stats) {
    const extracted = extractTags(stat.name);
    const metric = 'envoy_' + sanitize(extracted.name);
    let group = groups.get(metric);
    if (group === undefined) groups.set(metric, (group = []));
    group.push({ stat, tags: extracted.tags });
  }
  let out = '';
  for (const metric of [...groups.keys()].sort()) {
    out += `# TYPE ${metric} ${type}\n`;
    const group = groups.get(metric)!.sort((a, b) => byName(a.stat, b.stat));
    for (const { stat, tags } of group) out += lines(stat, metric, tags);
    out += '\n';
  }
  return out;
}

function numericLine(stat: NumericStat, metric: string, tags: readonly Tag[]): string {
  return `${metric}{${formatTags(tags)}} ${stat.value}\n`;
}

function histogramLines(h: HistogramStat, metric: string, tags: readonly Tag[]): string {
  const t = formatTags(tags);
  const prefix = t === '' ? '' : t + ',';
  const buckets = cumulativeBuckets(h.cumulative);
  let out = '';
  for (let i = 0; i < SUPPORTED_BUCKETS.length; i++) out += `${metric}_bucket{${prefix}le="${fmtFixed(SUPPORTED_BUCKETS[i])}"} ${buckets[i]}\n`;
  out += `${metric}_bucket{${prefix}le="+Inf"} ${h.cumulative.count}\n`;
  out += `${metric}_sum{${t}} ${fmtFixed(h.cumulative.sum)}\n`;
  out += `${metric}_count{${t}} ${h.cumulative.count}\n`;
  return out;
}

/** Envoy prints bucket bounds and sums with `{:.32g}`: fixed point for our magnitudes. */
function fmtFixed(v: number): string {
  return Number.isInteger(v) ? v.toFixed(0) : String(v);
}

function formatTags(tags: readonly Tag[]): string {
  let out = '';
  for (let i = 0; i < tags.length; i++) {
    if (i > 0) out += ',';
    out += `${sanitize(tags[i].name)}="${escapeLabel(tags[i].value)}"`;
  }
  return out;
}

/** Prometheus names are [a-zA-Z0-9_]; Envoy replaces anything else with '_'. */
function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));
}
