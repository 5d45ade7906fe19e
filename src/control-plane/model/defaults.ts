/**
 * Per-service defaults, one commented object per settings type (STYLE.md "Config validation").
 * Each value names its source.
 */
import type { AutoscalingSettings, DeploymentSettings, HealthCheckSettings, RateLimitSettings, RoutingSettings } from './types.js';

export const DEFAULT_REGION = 'local';
export const DEFAULT_BASE_DOMAIN = 'switchyard.localhost';
export const DEFAULT_TENANT = 'default';
/** App Runner default instance port. */
export const DEFAULT_SERVICE_PORT = 8080;
/** The one RouteConfiguration every router's HTTP listener uses (DESIGN §3). */
export const INGRESS_ROUTE_CONFIG_NAME = 'ingress';
export const INGRESS_HTTP_LISTENER_NAME = 'ingress_http';

export const DEFAULT_HEALTH_CHECK: HealthCheckSettings = {
  protocol: 'TCP', // App Runner default
  path: '/', // App Runner default (used when protocol is HTTP)
  intervalMs: 5_000, // App Runner default, 1–20 s
  timeoutMs: 2_000, // App Runner default, 1–20 s
  healthyThreshold: 1, // App Runner default, 1–20
  unhealthyThreshold: 5, // App Runner default, 1–20
};

export const DEFAULT_AUTOSCALING: AutoscalingSettings = {
  minInstances: 1, // App Runner default
  maxInstances: 25, // App Runner default
  maxConcurrency: 100, // App Runner default
};

export const DEFAULT_ROUTING: RoutingSettings = {
  requestTimeoutMs: 15_000, // Envoy route timeout default
  idleTimeoutMs: null, // Envoy default: the connection manager's stream_idle_timeout
  retries: { numRetries: 1, retryOn: ['connect-failure', 'reset', 'refused-stream'], perTryTimeoutMs: null }, // Envoy num_retries default 1; retry only what never reached the app
  lbPolicy: 'LEAST_REQUEST', // what App Runner-style request routing wants for concurrent requests
};

export const DEFAULT_RATE_LIMIT: RateLimitSettings = { requestsPerSecond: null, burst: null };

export const DEFAULT_DEPLOYMENT: DeploymentSettings = { strategy: 'all-at-once' };
