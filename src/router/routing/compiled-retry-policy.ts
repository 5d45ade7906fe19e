/**
 * A route's retry_policy compiled once per config: retry_on as a bit set, header matchers
 * compiled, and the decisions Envoy's RetryStateImpl makes (wouldRetryFromHeaders,
 * wouldRetryFromReset) as allocation-free methods. Pure: no timers, no I/O; the per-request
 * state (retries left, back-off, hosts tried) lives in router/http/retry-state.ts.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-retrypolicy
 *
 *   response head ─► retryOnResponse(status, headers) ─► true = retriable
 *   reset / connect failure / per-try timeout ─► retryOnReset(reason, started) ─► true = retriable
 */
import type { RetryPolicy } from '../../xds/resources/route-configuration.types.js';
import { CompiledHeaderMatcher } from './header-matcher.js';
import { joinedHeaderValue, type RouteRequest } from './route-request.js';

/** retry_on conditions as bits (Envoy RetryPolicy::RETRY_ON_*). */
export const RetryOn = {
  FiveXx: 1 << 0,
  GatewayError: 1 << 1,
  Reset: 1 << 2,
  ResetBeforeRequest: 1 << 3,
  ConnectFailure: 1 << 4,
  EnvoyRateLimited: 1 << 5,
  Retriable4xx: 1 << 6,
  RefusedStream: 1 << 7,
  RetriableStatusCodes: 1 << 8,
  RetriableHeaders: 1 << 9,
  Http3PostConnectFailure: 1 << 10,
  GrpcCancelled: 1 << 11,
  GrpcDeadlineExceeded: 1 << 12,
  GrpcInternal: 1 << 13,
  GrpcResourceExhausted: 1 << 14,
  GrpcUnavailable: 1 << 15,
} as const;

const BY_NAME: Readonly<Record<string, number>> = {
  '5xx': RetryOn.FiveXx,
  'gateway-error': RetryOn.GatewayError,
  reset: RetryOn.Reset,
  'reset-before-request': RetryOn.ResetBeforeRequest,
  'connect-failure': RetryOn.ConnectFailure,
  'envoy-ratelimited': RetryOn.EnvoyRateLimited,
  'retriable-4xx': RetryOn.Retriable4xx,
  'refused-stream': RetryOn.RefusedStream,
  'retriable-status-codes': RetryOn.RetriableStatusCodes,
  'retriable-headers': RetryOn.RetriableHeaders,
  'http3-post-connect-failure': RetryOn.Http3PostConnectFailure,
  cancelled: RetryOn.GrpcCancelled,
  'deadline-exceeded': RetryOn.GrpcDeadlineExceeded,
  internal: RetryOn.GrpcInternal,
  'resource-exhausted': RetryOn.GrpcResourceExhausted,
  unavailable: RetryOn.GrpcUnavailable,
};

/** Why an attempt failed without a response (Envoy Http::StreamResetReason, coarsened). */
export const ResetReason = {
  /** Connecting failed or timed out (Local/RemoteConnectionFailure, ConnectionTimeout). */
  ConnectFailure: 0,
  /** The connection closed or reset after connecting, or sent garbage (RemoteReset, ProtocolError). */
  Reset: 1,
  /** The peer refused the stream (HTTP/2 REFUSED_STREAM). */
  RefusedStream: 2,
  /** We reset it: per-try (idle) timeout (LocalReset). */
  LocalReset: 3,
  /** A circuit breaker refused the attempt (Overflow): never retried. */
  Overflow: 4,
} as const;
export type ResetReason = (typeof ResetReason)[keyof typeof ResetReason];

/** Envoy: 409 is the only "retriable 4xx". */
const CONFLICT = 409;
const RETRY_ON_RESET_ANY = RetryOn.FiveXx | RetryOn.GatewayError | RetryOn.Reset;
const GRPC_BITS = RetryOn.GrpcCancelled | RetryOn.GrpcDeadlineExceeded | RetryOn.GrpcInternal | RetryOn.GrpcResourceExhausted | RetryOn.GrpcUnavailable;

export class CompiledRetryPolicy {
  readonly policy: RetryPolicy;
  /** retry_on as RetryOn bits; 0 = no condition, so no retries (per-try timeouts still apply). */
  readonly retryOn: number;
  readonly numRetries: number;
  readonly perTryTimeoutMs: number;
  readonly perTryIdleTimeoutMs: number;
  readonly baseIntervalMs: number;
  readonly maxIntervalMs: number;
  /** retry_host_predicate previous_hosts is configured. */
  readonly previousHosts: boolean;
  readonly hostSelectionRetryMaxAttempts: number;
  /** retriable_request_headers are set: retriesAllowed needs the request. */
  readonly hasRequestHeaderMatchers: boolean;
  private readonly statusCodes: readonly number[];
  private readonly retriableHeaders: readonly CompiledHeaderMatcher[];
  private readonly requestHeaders: readonly CompiledHeaderMatcher[];

  private constructor(policy: RetryPolicy, retriableHeaders: CompiledHeaderMatcher[], requestHeaders: CompiledHeaderMatcher[]) {
    this.policy = policy;
    let bits = 0;
    for (let i = 0; i < policy.retryOn.length; i++) bits |= BY_NAME[policy.retryOn[i]] ?? 0;
    this.retryOn = bits;
    this.numRetries = policy.numRetries;
    this.perTryTimeoutMs = policy.perTryTimeoutMs;
    this.perTryIdleTimeoutMs = policy.perTryIdleTimeoutMs;
    this.baseIntervalMs = policy.retryBackOff.baseIntervalMs;
    this.maxIntervalMs = policy.retryBackOff.maxIntervalMs;
    this.previousHosts = policy.retryHostPredicates.includes('envoy.retry_host_predicates.previous_hosts');
    this.hostSelectionRetryMaxAttempts = policy.hostSelectionRetryMaxAttempts;
    this.statusCodes = policy.retriableStatusCodes;
    this.retriableHeaders = retriableHeaders;
    this.requestHeaders = requestHeaders;
    this.hasRequestHeaderMatchers = requestHeaders.length > 0;
  }

  /** Compiles `policy`; fails only when a header matcher's regex does not compile. */
  static compile(policy: RetryPolicy): { ok: true; policy: CompiledRetryPolicy } | { ok: false; message: string } {
    const response: CompiledHeaderMatcher[] = [];
    const request: CompiledHeaderMatcher[] = [];
    for (const m of policy.retriableHeaders) {
      const r = CompiledHeaderMatcher.compile(m);
      if (!r.ok) return { ok: false, message: `retriableHeaders: ${r.message}` };
      response.push(r.matcher);
    }
    for (const m of policy.retriableRequestHeaders) {
      const r = CompiledHeaderMatcher.compile(m);
      if (!r.ok) return { ok: false, message: `retriableRequestHeaders: ${r.message}` };
      request.push(r.matcher);
    }
    return { ok: true, policy: new CompiledRetryPolicy(policy, response, request) };
  }

  /**
   * May this request be retried at all? Envoy creates no retry state when retry_on is empty or
   * when retriable_request_headers are set and none matches the request.
   */
  retriesAllowed(req: RouteRequest): boolean {
    if (this.retryOn === 0) return false;
    const matchers = this.requestHeaders;
    if (matchers.length === 0) return true;
    for (let i = 0; i < matchers.length; i++) if (matchers[i].matches(req)) return true;
    return false;
  }

  /**
   * Envoy wouldRetryFromHeaders: is this upstream response retriable? `headers` is the flat
   * lower-cased response header list; `:status` in a retriable_headers matcher sees `status`.
   */
  retryOnResponse(status: number, headers: readonly string[]): boolean {
    const on = this.retryOn;
    // Never retry when an upstream Envoy says it is overloaded.
    if (hasHeader(headers, 'x-envoy-overloaded')) return false;
    // A rate-limited answer from an upstream Envoy is retried only under envoy-ratelimited.
    if (hasHeader(headers, 'x-envoy-ratelimited')) return (on & RetryOn.EnvoyRateLimited) !== 0;
    if (on & RetryOn.FiveXx && status >= 500 && status < 600) return true;
    if (on & RetryOn.GatewayError && status >= 502 && status <= 504) return true;
    if (on & RetryOn.Retriable4xx && status === CONFLICT) return true;
    if (on & RetryOn.RetriableStatusCodes) {
      const codes = this.statusCodes;
      for (let i = 0; i < codes.length; i++) if (codes[i] === status) return true;
    }
    if (on & RetryOn.RetriableHeaders) {
      const matchers = this.retriableHeaders;
      for (let i = 0; i < matchers.length; i++) {
        const name = matchers[i].name;
        const value = name === ':status' ? String(status) : joinedHeaderValue(headers, name);
        if (matchers[i].matchesValue(value)) return true;
      }
    }
    if (on & GRPC_BITS) {
      const grpc = joinedHeaderValue(headers, 'grpc-status');
      if (grpc !== null) {
        const code = Number(grpc);
        if (code === 1 && on & RetryOn.GrpcCancelled) return true;
        if (code === 4 && on & RetryOn.GrpcDeadlineExceeded) return true;
        if (code === 13 && on & RetryOn.GrpcInternal) return true;
        if (code === 8 && on & RetryOn.GrpcResourceExhausted) return true;
        if (code === 14 && on & RetryOn.GrpcUnavailable) return true;
      }
    }
    return false;
  }

  /**
   * Envoy wouldRetryFromReset: is an attempt that ended without a response retriable?
   * `requestStarted` = request bytes were written upstream (for reset-before-request).
   */
  retryOnReset(reason: ResetReason, requestStarted: boolean): boolean {
    const on = this.retryOn;
    if (reason === ResetReason.Overflow) return false;
    if (reason === ResetReason.ConnectFailure && on & RetryOn.ConnectFailure) return true;
    if (on & RetryOn.ResetBeforeRequest && !requestStarted) return true;
    // 5xx and gateway-error include "no response at all", as reset does.
    if (on & RETRY_ON_RESET_ANY) return true;
    return reason === ResetReason.RefusedStream && (on & RetryOn.RefusedStream) !== 0;
  }
}

function hasHeader(headers: readonly string[], name: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return true;
  return false;
}
