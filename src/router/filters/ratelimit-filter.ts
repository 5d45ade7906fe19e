/**
 * envoy.filters.http.ratelimit (global rate limiting) on the request path. One instance per
 * connection manager config; the stream calls it once routed, and only for routes that carry
 * rate_limits (routes without them never reach this file: no call, no allocation).
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/rate_limit_filter
 *
 *   start(route, stream)
 *     request_type does not apply / no rate_limits of this stage / no target cluster → Continue
 *     descriptors (descriptor-builder.ts) empty                                        → Continue
 *     else ShouldRateLimit(domain, descriptors) with deadline = timeout  → StopIteration (the stream waits)
 *   onRlsResponse (a RateLimitCall per waiting request)
 *     the stream is gone (client reset, stream timeout)   → answer dropped
 *     OK                  → ratelimit.ok,           stream.resumeAfterFilters()
 *     OVER_LIMIT          → ratelimit.over_limit,   local reply rate_limited_status (429), body = RLS raw_body,
 *                           x-envoy-ratelimited: true (unless disabled), RLS + configured response headers,
 *                           x-ratelimit-* (DRAFT_VERSION_03), flag RL, details request_rate_limited
 *     error / timeout / UNKNOWN → ratelimit.error, then failure_mode_deny ? status_on_error (500) flag RLSE
 *                           : ratelimit.failure_mode_allowed and resumeAfterFilters()
 *
 * Stats are Envoy's, on the route's target cluster: `cluster.<cluster>.ratelimit[.<stat_prefix>].{ok,
 * over_limit,error,failure_mode_allowed}`. The rate limit service is the envoy_grpc cluster of
 * rate_limit_service, looked up among the worker's clusters (a static cluster of the bootstrap):
 * its first endpoint is dialled over HTTP/2 (rls-client.ts). Not done: RLS response headers on
 * allowed requests, request_headers_to_add, per-route RateLimitPerRoute, gRPC status mapping
 * (rate_limited_as_resource_exhausted is accepted; local replies here are plain HTTP).
 */
import type { ProtoObject } from '../../xds/proto-object.js';
import type { RlsResponse, RlsDescriptorStatus } from '../../xds/ratelimit-service-protos.js';
import type { HttpFilter } from '../../xds/resources/listener.types.js';
import { decodeRateLimitFilter, type RateLimitFilterConfig } from '../../xds/resources/ratelimit-filter.js';
import { RATELIMIT_FILTER_TYPE_URL } from '../../xds/type-urls.js';
import { ResponseFlag } from '../codec/response-flags.js';
import { clientAddress } from '../http/client-address.js';
import type { ClusterLookup } from '../http/connection-manager-config.js';
import { DescriptorBuilder } from '../ratelimit/descriptor-builder.js';
import { callShouldRateLimit, rlsClient, type RlsCallHandler } from '../ratelimit/rls-client.js';
import type { CompiledRoute } from '../routing/route-table.js';
import type { RouteRequest } from '../routing/route-request.js';
import type { Counter, StatsStore } from '../stats/stats-store.js';

/** What the filter needs of a stream. */
export interface RateLimitFilterStream {
  readonly requestHeaders: string[];
  readonly downstream: { readonly remoteAddress: string };
  routeRequest(): RouteRequest;
  sendLocalReply(status: number, body: string, flag: string, details: string, extraHeaders: string[] | null): void;
  /** True while the stream still waits for the filter (false once it ended: client gone, timeout). */
  readonly waitingForFilters: boolean;
  /** Continues exactly where the stream stopped for the filter (routing done → action). */
  resumeAfterFilters(): void;
}

interface RateLimitStats {
  readonly ok: Counter;
  readonly overLimit: Counter;
  readonly error: Counter;
  readonly failureModeAllowed: Counter;
}

export class RateLimitFilter {
  /** A route's compiled descriptors (null: nothing at this stage). Filled on the route's first request. */
  private readonly byRoute = new WeakMap<CompiledRoute, DescriptorBuilder | null>();
  private readonly statsByCluster = new Map<string, RateLimitStats>();
  private readonly limitedHeaders: readonly string[];

  constructor(
    readonly config: RateLimitFilterConfig,
    private readonly clusters: ClusterLookup,
    private readonly store: StatsStore,
    private readonly useRemoteAddress: boolean,
    private readonly xffNumTrustedHops: number,
  ) {
    const headers: string[] = [];
    if (!config.disableXEnvoyRatelimitedHeader) headers.push('x-envoy-ratelimited', 'true');
    for (const h of config.responseHeadersToAdd) headers.push(h.key, h.value);
    this.limitedHeaders = headers;
    // Dial the RLS now, so the first request's short deadline is not spent on the handshake.
    const target = this.target();
    if (target !== null) rlsClient(target);
  }

  /** The filter of an HCM's http_filters, or null when it has none. */
  static fromFilters(filters: readonly HttpFilter[], clusters: ClusterLookup, store: StatsStore, useRemoteAddress: boolean, xffNumTrustedHops: number): RateLimitFilter | null {
    for (const f of filters) {
      if (f.typeUrl !== RATELIMIT_FILTER_TYPE_URL || f.disabled) continue;
      // Validated when the listener was decoded; decoding again only builds the view.
      return new RateLimitFilter(decodeRateLimitFilter(f.config as ProtoObject, '', []), clusters, store, useRemoteAddress, xffNumTrustedHops);
    }
    return null;
  }

  /**
   * Called by the stream once routed, for a route with rate_limits. Returns false to continue at
   * once; true when the stream stops here: a call is in flight (the stream waits and is resumed or
   * answered from onRlsResponse), or the request was already answered (failure_mode_deny).
   */
  start(route: CompiledRoute, stream: RateLimitFilterStream): boolean {
    const config = this.config;
    if (config.requestType !== 'both') {
      const internal = internalRequest(stream.requestHeaders);
      if (internal !== (config.requestType === 'internal')) return false;
    }
    let builder = this.byRoute.get(route);
    if (builder === undefined) {
      builder = DescriptorBuilder.compile(route.rateLimits, config.stage);
      this.byRoute.set(route, builder);
    }
    if (builder === null) return false;
    // Envoy skips the call when the route has no target cluster (direct responses, redirects, unknown clusters).
    const clusterName = route.pickCluster(stream.requestHeaders, Math.random());
    if (clusterName === null || this.clusters.get(clusterName) === undefined) return false;
    const request = stream.routeRequest();
    const remoteAddress = clientAddress(this.useRemoteAddress, this.xffNumTrustedHops, stream.downstream.remoteAddress, stream.requestHeaders);
    const descriptors = builder.build({ request, remoteAddress, clusterName });
    if (descriptors.length === 0) return false;
    const stats = this.statsFor(clusterName);
    const target = this.target();
    const call = new RateLimitCall(this, stream, stats);
    if (target === null) {
      call.onRlsResponse(null, `rate limit service cluster "${config.clusterName}" has no endpoint`);
      return true;
    }
    callShouldRateLimit(target, { domain: config.domain, descriptors, hits_addend: 0 }, config.timeoutMs, call);
    return true;
  }

  /** The local reply for OVER_LIMIT. */
  replyOverLimit(stream: RateLimitFilterStream, response: RlsResponse): void {
    const c = this.config;
    let headers = this.limitedHeaders as string[];
    const fromRls = response.response_headers_to_add ?? [];
    if (fromRls.length > 0 || c.enableXRatelimitHeaders) {
      headers = headers.slice();
      if (c.enableXRatelimitHeaders) addXRateLimitHeaders(headers, response.statuses);
      for (const h of fromRls) headers.push(h.key.toLowerCase(), h.value);
    }
    const body = response.raw_body !== undefined && response.raw_body.length > 0 ? response.raw_body.toString('utf8') : '';
    stream.sendLocalReply(c.rateLimitedStatus, body, ResponseFlag.RateLimited, 'request_rate_limited', headers);
  }

  /** The rate limit service's address ("host:port"), or null when its cluster has no endpoint. */
  private target(): string | null {
    const cluster = this.clusters.get(this.config.clusterName);
    const endpoint = cluster?.config.loadAssignment?.endpoints[0]?.lbEndpoints[0];
    if (endpoint === undefined) return null;
    const { host, port } = endpoint.address;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  private statsFor(clusterName: string): RateLimitStats {
    let stats = this.statsByCluster.get(clusterName);
    if (stats === undefined) {
      const p = `cluster.${clusterName}.ratelimit.${this.config.statPrefix === '' ? '' : `${this.config.statPrefix}.`}`;
      const s = this.store;
      stats = { ok: s.counter(`${p}ok`), overLimit: s.counter(`${p}over_limit`), error: s.counter(`${p}error`), failureModeAllowed: s.counter(`${p}failure_mode_allowed`) };
      this.statsByCluster.set(clusterName, stats);
    }
    return stats;
  }
}

/** One request waiting for the rate limit service. */
class RateLimitCall implements RlsCallHandler {
  constructor(
    private readonly filter: RateLimitFilter,
    private readonly stream: RateLimitFilterStream,
    private readonly stats: RateLimitStats,
  ) {}

  onRlsResponse(response: RlsResponse | null, _error: string): void {
    const stream = this.stream;
    // The client went away (or a stream timer answered) while we waited: drop the answer.
    if (!stream.waitingForFilters) return;
    const code = response === null ? 'ERROR' : response.overall_code;
    if (code === 'OK') {
      this.stats.ok.inc();
      stream.resumeAfterFilters();
      return;
    }
    if (code === 'OVER_LIMIT') {
      this.stats.overLimit.inc();
      this.filter.replyOverLimit(stream, response!);
      return;
    }
    this.stats.error.inc();
    const config = this.filter.config;
    if (config.failureModeDeny) {
      stream.sendLocalReply(config.statusOnError, '', ResponseFlag.RateLimitServiceError, 'rate_limiter_error', null);
      return;
    }
    this.stats.failureModeAllowed.inc();
    stream.resumeAfterFilters();
  }
}

function internalRequest(headers: readonly string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === 'x-envoy-internal') return headers[i + 1] === 'true';
  return false;
}

/**
 * RateLimit header draft 03, as Envoy writes it: the descriptor with the least remaining quota
 * gives x-ratelimit-remaining and -reset; x-ratelimit-limit lists every limit with its window.
 */
function addXRateLimitHeaders(headers: string[], statuses: readonly RlsDescriptorStatus[]): void {
  let min: RlsDescriptorStatus | null = null;
  const quotas: string[] = [];
  for (const s of statuses) {
    const limit = s.current_limit;
    if (limit === undefined || limit === null) continue;
    if (min === null || s.limit_remaining < min.limit_remaining) min = s;
    const window = UNIT_SECONDS[limit.unit] ?? 0;
    if (window > 0) quotas.push(`${limit.requests_per_unit};w=${window}${limit.name ? `;name="${limit.name}"` : ''}`);
  }
  if (min === null) return;
  headers.push('x-ratelimit-limit', [String(min.current_limit!.requests_per_unit), ...quotas].join(', '));
  headers.push('x-ratelimit-remaining', String(min.limit_remaining));
  const reset = min.duration_until_reset;
  if (reset !== undefined && reset !== null) headers.push('x-ratelimit-reset', String(Number(reset.seconds)));
}

const UNIT_SECONDS: Record<string, number> = { SECOND: 1, MINUTE: 60, HOUR: 3600, DAY: 86_400, MONTH: 2_592_000, YEAR: 31_536_000 };
