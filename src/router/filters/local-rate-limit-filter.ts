/**
 * envoy.filters.http.local_ratelimit on the request path. One instance per connection manager
 * config (per listener snapshot); it decides, once per request after routing, whether the request
 * may go on or gets the local reply (429 "local_rate_limited", `x-envoy-ratelimited: true`, flag RL).
 *
 *   route/vhost typed_per_filter_config[filter name]   (most specific wins, resolved by routing)
 *     else the filter's own config in http_filters
 *   → descriptors configured and the route's rate_limits (of the filter's stage) produce some that
 *     match them (an empty configured value matches any): those buckets, every one must have a
 *     token; no match: the default token_bucket
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
import { clientAddress } from '../http/client-address.js';
import { DescriptorBuilder } from '../ratelimit/descriptor-builder.js';
import type { RouteRequest } from '../routing/route-request.js';
import { TokenBucket } from './token-bucket.js';

/** What the filter needs of a stream: what descriptors read, and its local reply. */
export interface RateLimitedStream {
  readonly requestHeaders: readonly string[];
  readonly downstream: { readonly remoteAddress: string };
  routeRequest(): RouteRequest;
  sendLocalReply(status: number, body: string, flag: string, details: string, extraHeaders: string[] | null): void;
}

/** Worker processes sharing the configured per-process limit (set by the primary when it forks). */
const WORKERS = Math.max(1, Number(process.env.SWITCHYARD_WORKERS ?? 1) || 1);
const registry = new Map<string, TokenBucket>();

interface DescriptorLimit {
  readonly entries: readonly { readonly key: string; readonly value: string }[];
  readonly bucket: TokenBucket;
}

function bucketFor(key: string, b: { maxTokens: number; tokensPerFill: number; fillIntervalMs: number }): TokenBucket {
  let bucket = registry.get(key);
  if (bucket === undefined) {
    bucket = new TokenBucket(b.maxTokens / WORKERS, b.tokensPerFill / WORKERS, b.fillIntervalMs, Date.now());
    registry.set(key, bucket);
  }
  return bucket;
}

class Limit {
  readonly bucket: TokenBucket | null;
  readonly stage: number;
  readonly descriptors: readonly DescriptorLimit[];
  readonly enabled: FractionalPercent;
  readonly enforced: FractionalPercent;
  readonly headers: string[];
  readonly xRatelimit: boolean;
  readonly stats: { enabled: Counter; ok: Counter; rateLimited: Counter; enforced: Counter };
  readonly status: number;
  readonly limitText: string;

  constructor(config: LocalRateLimit, key: string, store: StatsStore) {
    const b = config.tokenBucket;
    this.bucket = b === null ? null : bucketFor(key, b);
    this.stage = config.stage;
    this.descriptors = config.descriptors.map((d, i) => ({ entries: d.entries, bucket: bucketFor(`${key}\u0000${i}`, d.tokenBucket) }));
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
  /** A route's descriptor builder for this filter's stage (null: none). */
  private readonly builders = new WeakMap<CompiledRoute, DescriptorBuilder | null>();

  private constructor(
    private readonly filterName: string,
    listenerConfig: ProtoObject,
    private readonly store: StatsStore,
    private readonly useRemoteAddress: boolean,
    private readonly xffNumTrustedHops: number,
  ) {
    this.listenerLimit = this.limitFor(listenerConfig);
  }

  /** The filter of an HCM's http_filters, or null when it has none (the common case costs nothing). */
  static fromFilters(filters: readonly HttpFilter[], store: StatsStore, useRemoteAddress = false, xffNumTrustedHops = 0): LocalRateLimitFilter | null {
    for (const f of filters) {
      if (f.typeUrl === LOCAL_RATELIMIT_TYPE_URL && !f.disabled) return new LocalRateLimitFilter(f.name, f.config, store, useRemoteAddress, xffNumTrustedHops);
    }
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
    const matched = l.descriptors.length > 0 && route.rateLimits.length > 0 ? this.matchDescriptors(l, route, stream) : null;
    const bucket = matched === null ? l.bucket : matched[0];
    if (bucket === null || !hits(l.enabled, roll)) return false;
    l.stats.enabled.inc();
    const now = Date.now();
    if (matched === null ? bucket.take(now) : takeAll(matched, now)) {
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

  /** The buckets of the configured descriptors this request's descriptors match, or null for none. */
  private matchDescriptors(l: Limit, route: CompiledRoute, stream: RateLimitedStream): TokenBucket[] | null {
    let builder = this.builders.get(route);
    if (builder === undefined) {
      builder = DescriptorBuilder.compile(route.rateLimits, l.stage);
      this.builders.set(route, builder);
    }
    if (builder === null) return null;
    const remoteAddress = clientAddress(this.useRemoteAddress, this.xffNumTrustedHops, stream.downstream.remoteAddress, stream.requestHeaders);
    const produced = builder.build({ request: stream.routeRequest(), remoteAddress, clusterName: route.pickCluster(stream.requestHeaders, 0) ?? '' });
    let out: TokenBucket[] | null = null;
    for (const d of produced) {
      for (const configured of l.descriptors) {
        if (!sameEntries(configured.entries, d.entries)) continue;
        (out ??= []).push(configured.bucket);
        break;
      }
    }
    return out;
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

/** Entries equal key by key; a configured empty value matches any value (Envoy's wildcard descriptor). */
function sameEntries(configured: readonly { key: string; value: string }[], produced: readonly { key: string; value: string }[]): boolean {
  if (configured.length !== produced.length) return false;
  for (let i = 0; i < configured.length; i++) {
    if (configured[i].key !== produced[i].key) return false;
    if (configured[i].value !== '' && configured[i].value !== produced[i].value) return false;
  }
  return true;
}

/** One token from every bucket, or none when any is empty. */
function takeAll(buckets: readonly TokenBucket[], nowMs: number): boolean {
  for (let i = 0; i < buckets.length; i++) if (!buckets[i].hasToken(nowMs)) return false;
  for (let i = 0; i < buckets.length; i++) buckets[i].take(nowMs);
  return true;
}
