/**
 * One route as the connection manager uses it: matching, the action, and everything the request
 * path needs already resolved — cluster picker, path rewrite, header mutation levels in their final
 * order, timeouts, retry policy (route's, else the virtual host's), hash policies, upgrade
 * switches, rate limits and typed_per_filter_config merged by precedence. Built by compile-route.ts;
 * immutable; shared by every request of a config snapshot.
 */
import { defaultRandom, type RandomSource } from '../../common/random.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import type { RateLimit, RetryPolicy, Route, RouteAction } from '../../xds/resources/route-configuration.types.js';
import type { CompiledRetryPolicy } from './compiled-retry-policy.js';
import { applyHeaderMutationLevels, type HeaderMutationLevel, type HeaderValueEvaluator } from './header-mutations.js';
import { HashPolicyEvaluator, type HashKeyInput } from './hash-key.js';
import { buildRedirectLocation, type CompiledRedirect, type PathRewriter } from './path-rewrite.js';
import type { CompiledRouteMatch } from './route-match.js';
import { firstHeaderValue, type RouteRequest } from './route-request.js';
import type { WeightedClusterPicker } from './weighted-cluster-picker.js';

/** One weighted_clusters entry with its own mutation levels and filter configs. */
export class WeightedClusterEntry {
  constructor(
    readonly name: string,
    readonly weight: number,
    /** Cluster level first, then the route's levels (Envoy WeightedClusterEntry::finalizeRequestHeaders). */
    readonly requestMutations: readonly HeaderMutationLevel[],
    readonly responseMutations: readonly HeaderMutationLevel[],
    /** filter name → most specific config (cluster > route > virtual host). */
    readonly perFilterConfig: ReadonlyMap<string, ProtoObject>,
  ) {}
}

/** What `lbContext` reads of the stream; the connection manager's HttpStream fits it. */
export interface LbContextSource {
  readonly requestHeaders: readonly string[];
  /** :path with the query. */
  readonly path: string;
  readonly method?: string;
  readonly authority?: string;
  readonly downstream: { readonly remoteAddress: string };
}

/** Context passed to header mutation formatters; `cluster` selects the weighted entry's levels. */
export interface HeaderMutationContext {
  readonly cluster?: { readonly name: string } | null;
}

/** The LbContext (router/upstream/lb) of one attempt, plus a Set-Cookie from a cookie hash policy. */
export class RouteLbContext {
  constructor(
    readonly hashKey: number | null,
    readonly random: RandomSource,
    /** A generated hash-policy cookie to send downstream in Set-Cookie, or null. */
    readonly setCookie: string | null,
    /** retry_policy.host_selection_retry_max_attempts when retry host predicates are set, else 0. */
    readonly hostSelectionRetryMaxAttempts: number,
  ) {}
}

const NO_HOST_REWRITE: RouteAction['hostRewrite'] = { kind: 'none' };

/** Parts compile-route.ts resolves; see the fields of CompiledRoute. */
export interface CompiledRouteParts {
  readonly name: string;
  readonly configuredName: string;
  readonly virtualHostName: string;
  readonly action: Route['action'];
  readonly match: CompiledRouteMatch | null;
  readonly isSslRedirect: boolean;
  readonly rewriter: PathRewriter | null;
  readonly redirect: CompiledRedirect | null;
  readonly picker: WeightedClusterPicker<WeightedClusterEntry> | null;
  readonly requestMutations: readonly HeaderMutationLevel[];
  readonly responseMutations: readonly HeaderMutationLevel[];
  readonly perFilterConfig: ReadonlyMap<string, ProtoObject>;
  readonly retryPolicy: RetryPolicy | null;
  readonly compiledRetryPolicy: CompiledRetryPolicy | null;
  readonly retryBufferLimitBytes: number;
  readonly rateLimits: readonly RateLimit[];
  readonly includeAttemptCount: boolean;
  readonly includeAttemptCountInResponse: boolean;
  readonly upgrades: ReadonlyMap<string, boolean>;
  readonly hashPolicy: HashPolicyEvaluator | null;
}

export class CompiledRoute {
  /** Stable: the configured name, else '<virtual host>/routes[<index>]'. */
  readonly name: string;
  /** Route.name as configured ('' when unset): Envoy's %ROUTE_NAME%. */
  readonly configuredName: string;
  readonly virtualHostName: string;
  readonly action: Route['action'];
  /** The virtual host's require_tls redirect (Location https://<authority><path>). */
  readonly isSslRedirect: boolean;
  /** RouteAction fields, or Envoy defaults / 0 for other actions. */
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxStreamDurationMs: number;
  readonly grpcTimeoutHeaderMaxMs: number | null;
  readonly hostRewrite: RouteAction['hostRewrite'];
  /** The route's retry policy, else the virtual host's. */
  readonly retryPolicy: RetryPolicy | null;
  /** `retryPolicy` compiled: retry_on bits, matchers, the retry decisions. */
  readonly compiledRetryPolicy: CompiledRetryPolicy | null;
  /**
   * Request body bytes buffered for replaying on a retry: per_request_buffer_limit_bytes of the
   * route, else of the virtual host, else the listener's per_connection_buffer_limit_bytes.
   */
  readonly retryBufferLimitBytes: number;
  /** Route rate limits, plus the virtual host's when include_vh_rate_limits or the route has none. */
  readonly rateLimits: readonly RateLimit[];
  /** virtual_host.include_request_attempt_count: send x-envoy-attempt-count upstream. */
  readonly includeAttemptCount: boolean;
  /** virtual_host.include_attempt_count_in_response: x-envoy-attempt-count on the response. */
  readonly includeAttemptCountInResponse: boolean;
  readonly hashPolicy: HashPolicyEvaluator | null;
  /** Request header mutation levels in application order (no weighted cluster picked). */
  readonly requestMutations: readonly HeaderMutationLevel[];
  readonly responseMutations: readonly HeaderMutationLevel[];
  private readonly match: CompiledRouteMatch | null;
  private readonly rewriter: PathRewriter | null;
  private readonly redirect: CompiledRedirect | null;
  private readonly picker: WeightedClusterPicker<WeightedClusterEntry> | null;
  private readonly weightedByName: ReadonlyMap<string, WeightedClusterEntry> | null;
  private readonly perFilterConfig: ReadonlyMap<string, ProtoObject>;
  private readonly upgrades: ReadonlyMap<string, boolean>;
  /** The LbContext of attempts without a hash key, shared. */
  private readonly noHashContext: RouteLbContext;

  constructor(p: CompiledRouteParts) {
    this.name = p.name;
    this.configuredName = p.configuredName;
    this.virtualHostName = p.virtualHostName;
    this.action = p.action;
    this.isSslRedirect = p.isSslRedirect;
    const a = p.action.kind === 'route' ? p.action : null;
    this.timeoutMs = a === null ? 0 : a.timeoutMs;
    this.idleTimeoutMs = a === null ? -1 : a.idleTimeoutMs;
    this.maxStreamDurationMs = a === null ? 0 : a.maxStreamDurationMs;
    this.grpcTimeoutHeaderMaxMs = a === null ? null : a.grpcTimeoutHeaderMaxMs;
    this.hostRewrite = a === null ? NO_HOST_REWRITE : a.hostRewrite;
    this.retryPolicy = p.retryPolicy;
    this.compiledRetryPolicy = p.compiledRetryPolicy;
    this.retryBufferLimitBytes = p.retryBufferLimitBytes;
    this.rateLimits = p.rateLimits;
    this.includeAttemptCount = p.includeAttemptCount;
    this.includeAttemptCountInResponse = p.includeAttemptCountInResponse;
    this.hashPolicy = p.hashPolicy;
    this.requestMutations = p.requestMutations;
    this.responseMutations = p.responseMutations;
    this.match = p.match;
    this.rewriter = p.rewriter;
    this.redirect = p.redirect;
    this.picker = p.picker;
    let byName: Map<string, WeightedClusterEntry> | null = null;
    if (p.picker !== null) {
      byName = new Map();
      for (const e of p.picker.entries) if (!byName.has(e.name)) byName.set(e.name, e);
    }
    this.weightedByName = byName;
    this.perFilterConfig = p.perFilterConfig;
    this.upgrades = p.upgrades;
    const retry = p.retryPolicy;
    const reselect = retry !== null && retry.retryHostPredicates.length > 0 ? retry.hostSelectionRetryMaxAttempts : 0;
    this.noHashContext = new RouteLbContext(null, defaultRandom, null, reselect);
  }

  /** Does this route take the request? `random` is a non-negative integer (see CompiledVirtualHost). */
  matches(req: RouteRequest, random: number): boolean {
    return this.match !== null && this.match.matches(req, random);
  }

  /**
   * The upstream cluster for this request: the cluster, a weighted pick (header_name bucket or
   * `random`, a float in [0,1) or a non-negative integer), or the cluster_header's first value.
   * Null for non-forwarding actions or a missing cluster header (Envoy answers 503 NC).
   */
  pickCluster(headers: readonly string[], random: number): string | null {
    const action = this.action;
    if (action.kind !== 'route') return null;
    const spec = action.cluster;
    if (spec.kind === 'cluster') return spec.name;
    if (spec.kind === 'weightedClusters') return this.picker!.pickForRequest(headers, random).name;
    const v = firstHeaderValue(headers, spec.header);
    return v === null || v === '' ? null : v;
  }

  /** The weighted_clusters entry for this request, or null when the route is not weighted. */
  pickWeightedCluster(headers: readonly string[], random: number): WeightedClusterEntry | null {
    return this.picker === null ? null : this.picker.pickForRequest(headers, random);
  }

  /** The weighted entry named `clusterName`, or null. */
  weightedCluster(clusterName: string): WeightedClusterEntry | null {
    return this.weightedByName === null ? null : (this.weightedByName.get(clusterName) ?? null);
  }

  /** The forwarded :path after prefix_rewrite / regex_rewrite, or null when the route has none. */
  rewritePath(pathWithQuery: string): string | null {
    return this.rewriter === null ? null : this.rewriter.rewrite(pathWithQuery);
  }

  /** The Location header of a redirect route ('' for other actions). */
  redirectLocation(req: RouteRequest, authority: string): string {
    if (this.isSslRedirect) return req.query === '' ? `https://${authority}${req.path}` : `https://${authority}${req.path}?${req.query}`;
    return this.redirect === null ? '' : buildRedirectLocation(this.redirect, req, authority);
  }

  /** The route's upgrade_configs switch for `upgradeType` (lower-case), or null to defer to the HCM. */
  upgradeEnabled(upgradeType: string): boolean | null {
    const v = this.upgrades.get(upgradeType);
    return v === undefined ? null : v;
  }

  /** The LbContext for one attempt: the hash key of the route's hash policies. */
  lbContext(source: LbContextSource): RouteLbContext {
    const policy = this.hashPolicy;
    if (policy === null) return this.noHashContext;
    const path = source.path;
    const q = path.indexOf('?');
    const input: HashKeyInput = {
      headers: source.requestHeaders,
      query: q === -1 ? '' : path.slice(q + 1),
      remoteAddress: source.downstream.remoteAddress,
      authority: source.authority,
      method: source.method,
      pathWithQuery: path,
    };
    const r = policy.evaluate(input);
    if (r.hash === null && r.setCookie === null) return this.noHashContext;
    return new RouteLbContext(r.hash, defaultRandom, r.setCookie, this.noHashContext.hostSelectionRetryMaxAttempts);
  }

  /**
   * typed_per_filter_config for `filterName`, most specific first: the weighted cluster's (when
   * `clusterName` names one), the route's, the virtual host's.
   */
  filterConfig(filterName: string, clusterName: string | null = null): ProtoObject | undefined {
    if (clusterName !== null) {
      const e = this.weightedCluster(clusterName);
      if (e !== null) return e.perFilterConfig.get(filterName);
    }
    return this.perFilterConfig.get(filterName);
  }

  /** Applies request_headers_to_add/remove of every level to the upstream request headers. */
  applyRequestHeaderMutations(headers: string[], context: HeaderMutationContext | null = null, evaluate: HeaderValueEvaluator | null = null): void {
    const e = this.entryFor(context);
    applyHeaderMutationLevels(headers, e === null ? this.requestMutations : e.requestMutations, context, evaluate);
  }

  /** Applies response_headers_to_add/remove of every level to the downstream response headers. */
  applyResponseHeaderMutations(headers: string[], context: HeaderMutationContext | null = null, evaluate: HeaderValueEvaluator | null = null): void {
    const e = this.entryFor(context);
    applyHeaderMutationLevels(headers, e === null ? this.responseMutations : e.responseMutations, context, evaluate);
  }

  private entryFor(context: HeaderMutationContext | null): WeightedClusterEntry | null {
    if (this.weightedByName === null || context === null) return null;
    const cluster = context.cluster;
    return cluster === undefined || cluster === null ? null : (this.weightedByName.get(cluster.name) ?? null);
  }
}
