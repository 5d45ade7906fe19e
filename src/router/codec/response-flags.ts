/**
 * Envoy's response flags: the short codes that %RESPONSE_FLAGS% prints and that explain why a
 * request ended as it did. https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-response-flags
 */
export const ResponseFlag = {
  /** No healthy upstream host. */
  NoHealthyUpstream: 'UH',
  /** Upstream connection failure. */
  UpstreamConnectionFailure: 'UF',
  /** Upstream overflow (circuit breaker). */
  UpstreamOverflow: 'UO',
  /** No route configured for the request. */
  NoRouteFound: 'NR',
  /** Upstream retry limit exceeded. */
  UpstreamRetryLimitExceeded: 'URX',
  /** Upstream request timeout. */
  UpstreamRequestTimeout: 'UT',
  /** Upstream connection termination (reset after connect, before or during the response). */
  UpstreamConnectionTermination: 'UC',
  /** Upstream remote reset. */
  UpstreamRemoteReset: 'UR',
  /** Local reset. */
  LocalReset: 'LR',
  /** Downstream connection termination (client went away). */
  DownstreamConnectionTermination: 'DC',
  /** Stream idle timeout. */
  StreamIdleTimeout: 'SI',
  /** Request rate-limited locally or globally. */
  RateLimited: 'RL',
  /** The rate limit service failed (error or timeout) and failure_mode_deny refused the request. */
  RateLimitServiceError: 'RLSE',
  /** Downstream protocol error (malformed request). */
  DownstreamProtocolError: 'DPE',
  /** Upstream protocol error (malformed response). */
  UpstreamProtocolError: 'UPE',
  /** Max stream duration reached on the upstream. */
  UpstreamMaxStreamDurationReached: 'UMSDR',
  /** Drop overload. */
  DropOverload: 'DO',
  /** No cluster found for the route's cluster name. */
  NoClusterFound: 'NC',
  /** Upstream was ejected by outlier detection at pick time (reserved). */
  DurationTimeout: 'DT',
} as const;

export type ResponseFlag = (typeof ResponseFlag)[keyof typeof ResponseFlag];

/**
 * A failure on the request path. It is a value, never thrown out of the connection manager: the
 * connection manager turns it into a local reply and a stat (STYLE.md error style).
 */
export class ProxyError {
  constructor(
    readonly flag: ResponseFlag,
    readonly source: 'upstream' | 'downstream' | 'internal',
    readonly retryable: boolean,
    readonly details: string,
    readonly cause?: unknown,
  ) {}
}
