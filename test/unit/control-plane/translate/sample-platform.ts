/**
 * Builders for platform model values in translator tests, and the small platform the golden files
 * are made from. Tests state only what they care about; the rest is the model's defaults.
 */
import {
  DEFAULT_AUTOSCALING,
  DEFAULT_BASE_DOMAIN,
  DEFAULT_DEPLOYMENT,
  DEFAULT_HEALTH_CHECK,
  DEFAULT_RATE_LIMIT,
  DEFAULT_REGION,
  DEFAULT_ROUTING,
  DEFAULT_TENANT,
} from '../../../../src/control-plane/model/defaults.js';
import type { Endpoint, PlatformState, Revision, Service, ServiceState, TrafficTarget } from '../../../../src/control-plane/model/types.js';

const CREATED_AT = '2026-01-01T00:00:00.000Z';

export function makeService(id: string, name: string, overrides: Partial<Service> = {}): Service {
  const region = overrides.region ?? DEFAULT_REGION;
  const host = `${name}-${id}.${region}.${DEFAULT_BASE_DOMAIN}`;
  return {
    id,
    tenant: DEFAULT_TENANT,
    name,
    region,
    port: 8080,
    url: `http://${host}`,
    host,
    status: 'RUNNING',
    healthCheck: DEFAULT_HEALTH_CHECK,
    autoscaling: DEFAULT_AUTOSCALING,
    routing: DEFAULT_ROUTING,
    rateLimit: DEFAULT_RATE_LIMIT,
    deployment: DEFAULT_DEPLOYMENT,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

export function makeRevision(serviceId: string, number: number, endpoints: readonly Endpoint[]): Revision {
  return { serviceId, name: `rev-${number}`, number, command: null, args: [], env: {}, endpoints, createdAt: CREATED_AT };
}

export function target(revision: string, percent: number, tag: string | null = null): TrafficTarget {
  return { revision, percent, tag };
}

export function makeServiceState(
  service: Service,
  revisions: readonly Revision[],
  traffic: readonly TrafficTarget[],
  domains: readonly string[] = [],
): ServiceState {
  return { service, revisions, traffic, domains: domains.map((name) => ({ name, serviceId: service.id, createdAt: CREATED_AT })) };
}

export function makeState(services: readonly ServiceState[], overrides: Partial<PlatformState> = {}): PlatformState {
  return { version: 1, region: DEFAULT_REGION, baseDomain: DEFAULT_BASE_DOMAIN, listenAddress: '127.0.0.1', httpPort: 8080, services, ...overrides };
}

/**
 * The golden platform:
 * - shop: rev-1 (2 instances) 90% / rev-2 (1 instance) 10% tagged "canary", custom domain
 *   shop.example.com, default routing (LEAST_REQUEST, TCP health check);
 * - api: one revision, HTTP health check on /healthz, 50 rps (burst 100), round robin, a per-try
 *   timeout and an idle timeout;
 * - idle: a revision with an instance but no traffic (its host answers 503).
 */
export function samplePlatform(): PlatformState {
  const shop = makeService('a1b2c3d4', 'shop');
  const api = makeService('b2c3d4e5', 'api', {
    healthCheck: { ...DEFAULT_HEALTH_CHECK, protocol: 'HTTP', path: '/healthz', intervalMs: 10_000, healthyThreshold: 2 },
    rateLimit: { requestsPerSecond: 50, burst: 100 },
    routing: { ...DEFAULT_ROUTING, lbPolicy: 'ROUND_ROBIN', idleTimeoutMs: 60_000, retries: { numRetries: 2, retryOn: ['5xx', 'reset'], perTryTimeoutMs: 2_500 } },
  });
  const idle = makeService('c3d4e5f6', 'idle');
  return makeState([
    makeServiceState(
      shop,
      [
        makeRevision(shop.id, 1, [
          { address: '127.0.0.1', port: 41001 },
          { address: '127.0.0.1', port: 41000 },
        ]),
        makeRevision(shop.id, 2, [{ address: '127.0.0.1', port: 41002 }]),
      ],
      [target('rev-1', 90), target('rev-2', 10, 'canary')],
      ['shop.example.com'],
    ),
    makeServiceState(api, [makeRevision(api.id, 1, [{ address: '10.0.0.7', port: 8080 }])], [target('rev-1', 100)]),
    makeServiceState(idle, [makeRevision(idle.id, 1, [{ address: '127.0.0.1', port: 41003 }])], []),
  ]);
}
