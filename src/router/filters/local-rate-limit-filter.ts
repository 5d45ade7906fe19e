/**
 * envoy.filters.http.local_ratelimit on the request path. One instance per connection manager
 * config (per listener snapshot); it decides, once per request after routing, whether the request
 * may go on or gets the local reply (429 "local_rate_limited", `x-envoy-ratelimited: true`, flag RL).
 *
 *   route/vhost typed_per_filter_config[filter name]   (most specific wins, resolved by routing)
 *     else the filter's own config in http_filters
 *   → config without token_bucket: not limited here
 *   → filter_enabled roll: not enabled → not counted
 *   → bucket.take(): ok, or rate_limited → filter_enforced roll: enforced → 429; else pass on
 *
 * Buckets live in a per-process registry keyed by the config's content, so an xDS update that
 * leaves a tenant's limit alone keeps its bucket (and its spent tokens): a control plane pushing
 * other tenants' changes cannot reset anyone's limit. Stats are Envoy's:
 * `<stat_prefix>.http_local_rate_limit.{enabled,ok,rate_limited,enforced}`.
 */
import type { ProtoObject } from '../../xds/proto-object.js';
import type { FractionalPercent } from '../../xds/resources/common.types.js';
import type { HttpFilter } from '../../xds/resources/listener.types.js';
import { decodeLocalRateLimit, type LocalRateLimit } from '../../xds/resources/local-rate-limit.js';
import { LOCAL_RATELIMIT_TYPE_URL } from '../../xds/type-urls.js';
import { ResponseFlag } from '../codec/response-flags.js';
import type { CompiledRoute } from '../routing/route-table.js';
import type { Counter, StatsStore } from '../stats/stats-store.js';
import { TokenBucket } from './token-bucket.js';

/** What the filter needs of a stream: its local reply. */
export interface RateLimitedStream {
  sendLocalReply(status: number, body: string, flag: string, details: string, extraHeaders: string[] | null): void;
}

/** Worker processes sharing the configured per-process limit (set by the primary when it forks). */
const WORKERS = Math.max(1, Number(process.env.SWITCHYARD_WORKERS ?? 1) || 1);
const registry = new Map<string, TokenBucket>();

class Limit {
  readonly bucket: TokenBucket | null;
  readonly enabled: FractionalPercent;
  readonly enforced: FractionalPercent;
  readonly headers: string[];
  readonly xRatelimit: boolean;
  readonly stats: { enabled: Counter; ok: Counter; rateLimited: Counter; enforced: Counter };
  readonly status: number;
  readonly limitText: string;

  constructor(config: LocalRateLimit, key: string, store: StatsStore) {
    const b = config.tokenBucket;
    let bucket: TokenBucket | null = null;
    if (b !== null) {
      bucket = registry.get(key) ?? null;
      if (bucket === null) {
        bucket = new TokenBucket(b.maxTokens / WORKERS, b.tokensPerFill / WORKERS, b.fillIntervalMs, Date.now());
        registry.set(key, bucket);
      }
    }
    this.bucket = bucket;
    this.enabled = config.filterEnabled;
    this.enforced = config.filterEnforced;
    this.status = config.status;
    this.headers = ['x-envoy-ratelimited', 'true'];
    for (const h of config.responseHeadersToAdd) this.headers.push(h.key, h.value);
    this.xRatelimit = config.enableXRatelimitHeaders;
    this.limitText = b === null ? '' : String(b.maxTokens);
    const p = `${config.statPrefix}.http_local_rate_limit.`;
    this.stats = { enabled: store.counter(`${p}enabled`), ok: store.counter(`${p}ok`), rateLimited: store.counter(`${p}rate_limited`), enforced: store.counter(`${p}enforced`) };
  }
}

export class LocalRateLimitFilter {
  private readonly listenerLimit: Limit;
  /** A route's resolved limit; null = the listener-level one. Filled on a route's first request. */
  private readonly byRoute = new WeakMap<CompiledRoute, Limit | null>();

  private constructor(
    private readonly filterName: string,
    listenerConfig: ProtoObject,
    private readonly store: StatsStore,
  ) {
    this.listenerLimit = this.limitFor(listenerConfig);
  }

  /** The filter of an HCM's http_filters, or null when it has none (the common case costs nothing). */
  static fromFilters(filters: readonly HttpFilter[], store: StatsStore): LocalRateLimitFilter | null {
    for (const f of filters) if (f.typeUrl === LOCAL_RATELIMIT_TYPE_URL && !f.disabled) return new LocalRateLimitFilter(f.name, f.config, store);
    return null;
  }

  /**
   * Called by the stream once routed. Returns true when it answered the request itself (limited);
   * the stream then stops. `roll` is a uniform [0,1) draw for filter_enabled / filter_enforced.
   */
  limit(route: CompiledRoute, stream: RateLimitedStream, roll: number): boolean {
    let limit = this.byRoute.get(route);
    if (limit === undefined) {
      const own = route.filterConfig(this.filterName);
      limit = own === undefined ? null : this.limitFor(own);
      this.byRoute.set(route, limit);
    }
    const l = limit ?? this.listenerLimit;
    const bucket = l.bucket;
    if (bucket === null || !hits(l.enabled, roll)) return false;
    l.stats.enabled.inc();
    const now = Date.now();
    if (bucket.take(now)) {
      l.stats.ok.inc();
      return false;
    }
    l.stats.rateLimited.inc();
    if (!hits(l.enforced, roll)) return false;
    l.stats.enforced.inc();
    let headers = l.headers;
    if (l.xRatelimit) {
      headers = [...l.headers, 'x-ratelimit-limit', l.limitText, 'x-ratelimit-remaining', '0', 'x-ratelimit-reset', String(Math.ceil(bucket.msUntilFill(now) / 1000))];
    }
    stream.sendLocalReply(l.status, 'local_rate_limited', ResponseFlag.RateLimited, 'local_rate_limited', headers);
    return true;
  }

  private limitFor(config: ProtoObject): Limit {
    // Validated when the resource was decoded; decoding again only builds the view.
    const view = decodeLocalRateLimit(config, '', []);
    return new Limit(view, `${this.filterName}\u0000${JSON.stringify(config)}`, this.store);
  }
}

function hits(p: FractionalPercent, roll: number): boolean {
  return p.numerator >= p.denominator || roll * p.denominator < p.numerator;
}
