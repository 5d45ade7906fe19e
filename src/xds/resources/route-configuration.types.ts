/**
 * View of envoy.config.route.v3.RouteConfiguration and everything under it.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto
 */
import type { ProtoObject } from '../proto-object.js';
import type { FractionalPercent, HeaderValueOption, StringMatcher } from './common.types.js';

/** Header additions/removals at one level (route config, virtual host, route, weighted cluster). */
export interface HeaderMutations {
  readonly requestHeadersToAdd: readonly HeaderValueOption[];
  /** Lower-case names. */
  readonly requestHeadersToRemove: readonly string[];
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  readonly responseHeadersToRemove: readonly string[];
}

export interface RouteConfiguration extends HeaderMutations {
  readonly name: string;
  readonly virtualHosts: readonly VirtualHost[];
  /** Lower-case header names that are never forwarded upstream... (internal_only_headers). */
  readonly internalOnlyHeaders: readonly string[];
  /** Envoy default true: rewrite route-level headers with most specific level winning. */
  readonly mostSpecificHeaderMutationsWins: boolean;
}

export interface VirtualHost extends HeaderMutations {
  readonly name: string;
  /** As given: exact host, '*.suffix', 'prefix*', or '*'; may carry ':port'. Lower-cased. */
  readonly domains: readonly string[];
  readonly routes: readonly Route[];
  readonly requireTls: 'NONE' | 'EXTERNAL_ONLY' | 'ALL';
  readonly retryPolicy: RetryPolicy | null;
  /** Filter name → decoded per-route filter config (typed_per_filter_config). */
  readonly typedPerFilterConfig: Readonly<Record<string, ProtoObject>>;
  readonly rateLimits: readonly RateLimit[];
  readonly includeRequestAttemptCount: boolean;
  /** include_attempt_count_in_response: x-envoy-attempt-count on the downstream response. Envoy default false. */
  readonly includeAttemptCountInResponse: boolean;
  /** per_request_buffer_limit_bytes (retry buffer); null = the listener's per_connection_buffer_limit_bytes. */
  readonly perRequestBufferLimitBytes: number | null;
}

export interface Route extends HeaderMutations {
  readonly name: string;
  readonly match: RouteMatch;
  readonly action: RouteAction | RedirectAction | DirectResponseAction | NonForwardingAction;
  readonly typedPerFilterConfig: Readonly<Record<string, ProtoObject>>;
  /** per_request_buffer_limit_bytes; null = the virtual host's. */
  readonly perRequestBufferLimitBytes: number | null;
}

export type PathSpecifier =
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'path'; readonly value: string }
  | { readonly kind: 'safeRegex'; readonly value: string }
  | { readonly kind: 'pathSeparatedPrefix'; readonly value: string }
  | { readonly kind: 'connectMatcher' };

export interface RouteMatch {
  readonly path: PathSpecifier;
  /** Envoy default true. Applies to prefix and path (not regex). */
  readonly caseSensitive: boolean;
  readonly headers: readonly HeaderMatcher[];
  readonly queryParameters: readonly QueryParameterMatcher[];
  /** runtime_fraction.default_value; the route matches that fraction of requests. */
  readonly runtimeFraction: FractionalPercent | null;
  /** match.grpc: only requests with content-type application/grpc*. */
  readonly grpc: boolean;
}

/** envoy.config.route.v3.HeaderMatcher. Deprecated exact/prefix/suffix/contains/safe_regex fields map onto `string`. */
export interface HeaderMatcher {
  /** Lower-case; ':authority', ':method', ':path', ':scheme' are the pseudo-headers. */
  readonly name: string;
  readonly invertMatch: boolean;
  /** Envoy: when true, an absent header matches an inverted matcher too. Default false. */
  readonly treatMissingHeaderAsEmpty: boolean;
  readonly match:
    | { readonly kind: 'string'; readonly matcher: StringMatcher }
    /** [start, end) on the header's integer value. */
    | { readonly kind: 'range'; readonly start: number; readonly end: number }
    | { readonly kind: 'present'; readonly present: boolean };
}

export interface QueryParameterMatcher {
  readonly name: string;
  readonly match:
    | { readonly kind: 'string'; readonly matcher: StringMatcher }
    | { readonly kind: 'present'; readonly present: boolean };
}

export interface WeightedCluster extends HeaderMutations {
  readonly name: string;
  readonly weight: number;
  readonly typedPerFilterConfig: Readonly<Record<string, ProtoObject>>;
}

export type ClusterSpecifier =
  | { readonly kind: 'cluster'; readonly name: string }
  | {
      readonly kind: 'weightedClusters';
      readonly clusters: readonly WeightedCluster[];
      /** Sum of the weights (total_weight is deprecated in Envoy; when given it must equal the sum). */
      readonly totalWeight: number;
      /** weighted_clusters.header_name: a header whose integer value picks the bucket instead of a random draw. */
      readonly headerName: string | null;
    }
  | { readonly kind: 'clusterHeader'; readonly header: string };

export type HashPolicy = (
  | { readonly kind: 'header'; readonly headerName: string }
  | { readonly kind: 'cookie'; readonly name: string; readonly ttlMs: number | null; readonly path: string }
  | { readonly kind: 'sourceIp' }
  | { readonly kind: 'queryParameter'; readonly name: string }
) & { readonly terminal: boolean };

export interface RetryBackOff {
  /** Envoy default 25 ms. */
  readonly baseIntervalMs: number;
  /** Envoy default 10 × base. */
  readonly maxIntervalMs: number;
}

/** envoy.config.route.v3.RetryPolicy. */
export interface RetryPolicy {
  /** Comma-split retry_on conditions ('5xx', 'gateway-error', 'reset', 'connect-failure', …). */
  readonly retryOn: readonly string[];
  /** Envoy default 1. */
  readonly numRetries: number;
  /** 0 = the route timeout applies to each try. */
  readonly perTryTimeoutMs: number;
  readonly perTryIdleTimeoutMs: number;
  readonly retryBackOff: RetryBackOff;
  readonly retriableStatusCodes: readonly number[];
  readonly retriableHeaders: readonly HeaderMatcher[];
  readonly retriableRequestHeaders: readonly HeaderMatcher[];
  /** retry_host_predicate names, e.g. 'envoy.retry_host_predicates.previous_hosts'. */
  readonly retryHostPredicates: readonly string[];
  /** Envoy default 1. */
  readonly hostSelectionRetryMaxAttempts: number;
  readonly rateLimitedRetryBackOff: { readonly resetHeaders: readonly { readonly name: string; readonly format: 'SECONDS' | 'UNIX_TIMESTAMP' }[]; readonly maxIntervalMs: number } | null;
}

/** envoy.config.route.v3.RateLimit: descriptor actions, evaluated per request for the global rate limit filter. */
export interface RateLimit {
  readonly stage: number;
  readonly actions: readonly ProtoObject[];
}

export interface UpgradeConfig {
  readonly upgradeType: string;
  readonly enabled: boolean;
}

export interface RouteAction {
  readonly kind: 'route';
  readonly cluster: ClusterSpecifier;
  readonly prefixRewrite: string | null;
  readonly regexRewrite: { readonly pattern: string; readonly substitution: string } | null;
  readonly hostRewrite:
    | { readonly kind: 'none' }
    | { readonly kind: 'literal'; readonly value: string }
    | { readonly kind: 'auto' }
    | { readonly kind: 'header'; readonly header: string };
  /** Envoy default 15000; 0 disables. */
  readonly timeoutMs: number;
  /** -1 = not set (the HCM's stream_idle_timeout applies); 0 disables the idle timeout for the route. */
  readonly idleTimeoutMs: number;
  readonly retryPolicy: RetryPolicy | null;
  readonly hashPolicy: readonly HashPolicy[];
  readonly maxStreamDurationMs: number;
  readonly grpcTimeoutHeaderMaxMs: number | null;
  readonly upgradeConfigs: readonly UpgradeConfig[];
  readonly rateLimits: readonly RateLimit[];
  readonly includeVhRateLimits: boolean;
}

export interface RedirectAction {
  readonly kind: 'redirect';
  readonly schemeRedirect: string | null;
  readonly hostRedirect: string | null;
  readonly portRedirect: number | null;
  readonly pathRedirect: string | null;
  readonly prefixRewrite: string | null;
  readonly regexRewrite: { readonly pattern: string; readonly substitution: string } | null;
  /** 301 (Envoy default MOVED_PERMANENTLY), 302, 303, 307, 308. */
  readonly responseCode: 301 | 302 | 303 | 307 | 308;
  readonly stripQuery: boolean;
}

export interface DirectResponseAction {
  readonly kind: 'directResponse';
  readonly status: number;
  /** body.inline_string / inline_bytes, decoded; null when absent. */
  readonly body: string | null;
}

export interface NonForwardingAction {
  readonly kind: 'nonForwarding';
}
