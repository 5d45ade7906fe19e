/**
 * The platform model: what a tenant sees and the store keeps (App Runner / Knative vocabulary).
 * Plain readonly data, no behaviour; validation lives in `validate-*.ts` beside this file and the
 * translation to Envoy resources in `control-plane/translate/`.
 *
 *   Tenant 1─* Service 1─* Revision (immutable) 1─* Endpoint (instance address)
 *                      1─* TrafficTarget (revision, percent, tag)  — the split the router applies
 *                      1─* Domain (custom; one service across all tenants)
 *
 * Durations are milliseconds (`…Ms`), as everywhere in our own structures.
 */
import type { GlobalRateLimitSettings } from './rate-limit-contract.js';

/** A tenant's services are visible only to the admin token and that tenant's token. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** App Runner health check: TCP by default; HTTP checks `path`. */
export interface HealthCheckSettings {
  readonly protocol: 'TCP' | 'HTTP';
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export interface AutoscalingSettings {
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Concurrent requests per instance before the autoscaler adds one. */
  readonly maxConcurrency: number;
}

export interface RetrySettings {
  readonly numRetries: number;
  /** Envoy `retry_on` conditions, e.g. ['5xx', 'reset', 'connect-failure']. */
  readonly retryOn: readonly string[];
  readonly perTryTimeoutMs: number | null;
}

export interface RoutingSettings {
  /** Route `timeout`. */
  readonly requestTimeoutMs: number;
  /** Route `idle_timeout`; null leaves Envoy's default (the HCM stream idle timeout). */
  readonly idleTimeoutMs: number | null;
  readonly retries: RetrySettings;
  readonly lbPolicy: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'RING_HASH' | 'MAGLEV';
}

export interface RateLimitSettings {
  /** Local token bucket per router; null = no limit. */
  readonly requestsPerSecond: number | null;
  readonly burst: number | null;
}

export interface DeploymentSettings {
  /** 'all-at-once' shifts 100% to a new revision once it is healthy; 'manual' leaves traffic alone. */
  readonly strategy: 'all-at-once' | 'manual';
}

export interface Service {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly region: string;
  /** The port instances listen on (App Runner default 8080). */
  readonly port: number;
  /** `http://<name>-<id>.<region>.<base-domain>` (DESIGN §3). */
  readonly url: string;
  /** The host part of `url`: the virtual host domain and the proxyless-gRPC listener name. */
  readonly host: string;
  readonly status: 'CREATED' | 'RUNNING' | 'DELETED';
  readonly healthCheck: HealthCheckSettings;
  readonly autoscaling: AutoscalingSettings;
  readonly routing: RoutingSettings;
  readonly rateLimit: RateLimitSettings;
  readonly deployment: DeploymentSettings;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** An immutable version of a service. Its cluster is `<service-id>--<name>`. */
export interface Revision {
  readonly serviceId: string;
  /** `rev-N`, N counting from 1 per service. */
  readonly name: string;
  readonly number: number;
  readonly command: string | null;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Static instances for now; process-managed instances come with the platform work. */
  readonly endpoints: readonly Endpoint[];
  readonly createdAt: string;
}

export interface TrafficTarget {
  readonly revision: string;
  readonly percent: number;
  /** A tag gets its own host: `<tag>---<service host>`. */
  readonly tag: string | null;
}

export interface Domain {
  readonly name: string;
  readonly serviceId: string;
  readonly createdAt: string;
}

/** One service with everything the translator needs to emit its resources. */
export interface ServiceState {
  readonly service: Service;
  readonly revisions: readonly Revision[];
  readonly traffic: readonly TrafficTarget[];
  readonly domains: readonly Domain[];
}

/** What the publisher hands the translator for one region: every live service in it. */

export interface PlatformState {
  /** The store's config version this state was read at (bumped by every change). */
  readonly version: number;
  readonly region: string;
  readonly baseDomain: string;
  /** Where routers bind the ingress listener: '0.0.0.0' in production, '127.0.0.1' on a laptop. */
  readonly listenAddress: string;
  /** Listener port published to routers (DESIGN §2 `--http-port`). */
  readonly httpPort: number;
  readonly services: readonly ServiceState[];
  /**
   * Set when the control plane runs the global rate limit service: limited services get the RLS
   * filter and virtual host rate_limits instead of local token buckets. Absent/null = local.
   */
  readonly globalRateLimit?: GlobalRateLimitSettings | null;
}

/**
 * What changed in one region after a config version (Store.readChangedServices): applied to the
 * services read at `since`, it gives the region's services at `version`.
 */
export interface PlatformChanges {
  /** The store's config version this read matches. */
  readonly version: number;
  /** The version the changes are relative to. */
  readonly since: number;
  /** Every live service of the region touched after `since`, complete (revisions, traffic, domains), oldest first. */
  readonly changed: readonly ServiceState[];
  /** Ids of the region's services deleted after `since` (a service created and deleted in between is listed too). */
  readonly removed: readonly string[];
}

/** The per-service settings a tenant chooses (POST/PATCH /v1/services); validated, defaults filled in. */
export interface ServiceSettings {
  readonly port: number;
  readonly healthCheck: HealthCheckSettings;
  readonly autoscaling: AutoscalingSettings;
  readonly routing: RoutingSettings;
  readonly rateLimit: RateLimitSettings;
  readonly deployment: DeploymentSettings;
}

/** A validated POST /v1/services body. `tenant` and `region` are null when the caller named none (the store's defaults apply). */
export interface NewService extends ServiceSettings {
  readonly name: string;
  readonly tenant: string | null;
  readonly region: string | null;
}

/** A validated POST /v1/services/{id}/revisions body; the store assigns the name. */
export interface NewRevision {
  readonly command: string | null;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly endpoints: readonly Endpoint[];
}
