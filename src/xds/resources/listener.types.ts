/**
 * Views of envoy.config.listener.v3.Listener and the HTTP connection manager network filter.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto
 */
import type { ProtoObject } from '../proto-object.js';
import type { ConfigSource, SocketAddress } from './common.types.js';
import type { RouteConfiguration, UpgradeConfig } from './route-configuration.types.js';

/** One HTTP filter of the chain. `config` is the decoded typed_config (an '@type' ProtoObject). */
export interface HttpFilter {
  readonly name: string;
  readonly typeUrl: string;
  readonly config: ProtoObject;
  readonly isOptional: boolean;
  readonly disabled: boolean;
}

export type AccessLogFormat =
  | { readonly kind: 'text'; readonly template: string }
  | { readonly kind: 'json'; readonly fields: Readonly<Record<string, unknown>> };

/** envoy.config.accesslog.v3.AccessLog with the stdout / stderr / file loggers. */
export interface AccessLog {
  readonly name: string;
  readonly sink: { readonly kind: 'stdout' } | { readonly kind: 'stderr' } | { readonly kind: 'file'; readonly path: string };
  /** Envoy's default text format when the logger gives none. */
  readonly format: AccessLogFormat;
  /** Only status_code_filter / response_flag_filter style filters for now: null = log every request. */
  readonly filter: ProtoObject | null;
}

export interface HttpConnectionManager {
  readonly statPrefix: string;
  readonly codecType: 'AUTO' | 'HTTP1' | 'HTTP2';
  readonly route:
    | { readonly kind: 'inline'; readonly routeConfig: RouteConfiguration }
    | { readonly kind: 'rds'; readonly routeConfigName: string; readonly configSource: ConfigSource };
  readonly httpFilters: readonly HttpFilter[];
  readonly accessLog: readonly AccessLog[];
  readonly useRemoteAddress: boolean;
  readonly xffNumTrustedHops: number;
  readonly skipXffAppend: boolean;
  /** Envoy default true. */
  readonly generateRequestId: boolean;
  readonly preserveExternalRequestId: boolean;
  /** Envoy default 60, at most 8192. */
  readonly maxRequestHeadersKb: number;
  /** common_http_protocol_options.max_headers_count, Envoy default 100. */
  readonly maxHeadersCount: number;
  /** 0 = disabled (Envoy default). */
  readonly requestHeadersTimeoutMs: number;
  /** 0 = disabled (Envoy default). */
  readonly requestTimeoutMs: number;
  /** Envoy default 300000. */
  readonly streamIdleTimeoutMs: number;
  /** common_http_protocol_options.idle_timeout, Envoy default 3600000. */
  readonly idleTimeoutMs: number;
  /** Envoy default 5000. */
  readonly drainTimeoutMs: number;
  /** Envoy default 1000. */
  readonly delayedCloseTimeoutMs: number;
  readonly upgradeConfigs: readonly UpgradeConfig[];
  /** Envoy default 'envoy'. */
  readonly serverName: string;
  readonly serverHeaderTransformation: 'OVERWRITE' | 'APPEND_IF_ABSENT' | 'PASS_THROUGH';
  readonly stripMatchingHostPort: boolean;
  readonly stripAnyHostPort: boolean;
  readonly normalizePath: boolean;
  readonly mergeSlashes: boolean;
  /** Envoy default false: x-envoy-* request headers from outside are removed only when false... (see docs). */
  readonly suppressEnvoyHeaders: boolean;
  readonly stripTrailingHostDot: boolean;
}

export interface FilterChain {
  readonly name: string;
  /** filter_chain_match.server_names (SNI), lower-case; empty matches any. */
  readonly serverNames: readonly string[];
  readonly transportSocket: { readonly kind: 'plaintext' } | { readonly kind: 'tls'; readonly config: ProtoObject };
  readonly httpConnectionManager: HttpConnectionManager;
}

export interface Listener {
  readonly name: string;
  /** null for an API listener (proxyless gRPC). */
  readonly address: SocketAddress | null;
  readonly filterChains: readonly FilterChain[];
  readonly defaultFilterChain: FilterChain | null;
  /** api_listener.api_listener, when this is an API listener. */
  readonly apiListener: HttpConnectionManager | null;
  /** Envoy default 1 MiB. */
  readonly perConnectionBufferLimitBytes: number;
  readonly drainType: 'DEFAULT' | 'MODIFY_ONLY';
  readonly statPrefix: string;
  /** connection_balance_config / enable_reuse_port etc. are ignored. */
  readonly metadata: ProtoObject | null;
}
