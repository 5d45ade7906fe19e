/**
 * The platform API's request bodies as schemas: what validate-*.ts enforces and what
 * GET /openapi.json publishes. Ranges are App Runner's where App Runner has them (DESIGN §5).
 * Every settings field is optional; an absent field keeps the default (or the current value on
 * PATCH), see model/defaults.ts.
 */
import { DEFAULT_AUTOSCALING, DEFAULT_DEPLOYMENT, DEFAULT_HEALTH_CHECK, DEFAULT_RATE_LIMIT, DEFAULT_ROUTING, DEFAULT_SERVICE_PORT, DEFAULT_REGION, DEFAULT_TENANT } from './defaults.js';
import { MAX_SERVICE_NAME_LENGTH } from './names.js';
import { array, integer, object, string, stringEnum, type ObjectSchema } from './schema.js';

const MAX_TIMEOUT_MS = 3_600_000;
export const RETRY_ON_CONDITIONS = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited',
  'retriable-4xx', 'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
] as const; // Envoy router filter x-envoy-retry-on values
export const LB_POLICIES = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'RING_HASH', 'MAGLEV'] as const;
export const DEPLOYMENT_STRATEGIES = ['all-at-once', 'manual'] as const;

const dnsLabel = (description: string, extra: Parameters<typeof string>[0] = {}): ReturnType<typeof string> =>
  string({ format: 'dns-label', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$', description, ...extra });

export const HEALTH_CHECK_SCHEMA = object({
  protocol: stringEnum(['TCP', 'HTTP'], { default: DEFAULT_HEALTH_CHECK.protocol }),
  path: string({ format: 'http-path', minLength: 1, maxLength: 1024, default: DEFAULT_HEALTH_CHECK.path, description: 'Checked with GET when protocol is HTTP.' }),
  intervalMs: integer(1_000, 20_000, { default: DEFAULT_HEALTH_CHECK.intervalMs }),
  timeoutMs: integer(1_000, 20_000, { default: DEFAULT_HEALTH_CHECK.timeoutMs }),
  healthyThreshold: integer(1, 20, { default: DEFAULT_HEALTH_CHECK.healthyThreshold }),
  unhealthyThreshold: integer(1, 20, { default: DEFAULT_HEALTH_CHECK.unhealthyThreshold }),
});

export const AUTOSCALING_SCHEMA = object({
  minInstances: integer(1, 25, { default: DEFAULT_AUTOSCALING.minInstances }),
  maxInstances: integer(1, 25, { default: DEFAULT_AUTOSCALING.maxInstances }),
  maxConcurrency: integer(1, 200, { default: DEFAULT_AUTOSCALING.maxConcurrency, description: 'Concurrent requests per instance before another is added.' }),
});

export const RETRIES_SCHEMA = object({
  numRetries: integer(0, 10, { default: DEFAULT_ROUTING.retries.numRetries }),
  retryOn: array(stringEnum(RETRY_ON_CONDITIONS), RETRY_ON_CONDITIONS.length, { default: DEFAULT_ROUTING.retries.retryOn, description: "Envoy's retry_on conditions." }),
  perTryTimeoutMs: integer(1, MAX_TIMEOUT_MS, { nullable: true, default: null }),
});

export const ROUTING_SCHEMA = object({
  requestTimeoutMs: integer(0, MAX_TIMEOUT_MS, { default: DEFAULT_ROUTING.requestTimeoutMs, description: 'Route timeout; 0 disables it, as in Envoy.' }),
  idleTimeoutMs: integer(0, MAX_TIMEOUT_MS, { nullable: true, default: null, description: "Route idle timeout; null keeps the connection manager's." }),
  retries: RETRIES_SCHEMA,
  lbPolicy: stringEnum(LB_POLICIES, { default: DEFAULT_ROUTING.lbPolicy }),
});

export const RATE_LIMIT_SCHEMA = object({
  requestsPerSecond: integer(1, 1_000_000, { nullable: true, default: DEFAULT_RATE_LIMIT.requestsPerSecond, description: 'Per router; null = no limit.' }),
  burst: integer(1, 10_000_000, { nullable: true, default: DEFAULT_RATE_LIMIT.burst, description: 'Token bucket size; null = requestsPerSecond.' }),
});

export const DEPLOYMENT_SCHEMA = object({
  strategy: stringEnum(DEPLOYMENT_STRATEGIES, { default: DEFAULT_DEPLOYMENT.strategy, description: "'all-at-once' moves 100% of traffic to each new revision that has endpoints; 'manual' leaves traffic alone." }),
});

const SETTINGS_PROPERTIES = {
  port: integer(1, 65_535, { default: DEFAULT_SERVICE_PORT, description: 'The port instances listen on.' }),
  healthCheck: HEALTH_CHECK_SCHEMA,
  autoscaling: AUTOSCALING_SCHEMA,
  routing: ROUTING_SCHEMA,
  rateLimit: RATE_LIMIT_SCHEMA,
  deployment: DEPLOYMENT_SCHEMA,
};

/** POST /v1/services */
export const CREATE_SERVICE_SCHEMA: ObjectSchema = object(
  {
    name: string({ format: 'service-name', minLength: 1, maxLength: MAX_SERVICE_NAME_LENGTH, pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$', description: "DNS label, 1–40 characters, no '---'; unique per tenant." }),
    tenant: dnsLabel('Admin only; a tenant token may name only its own tenant.', { default: DEFAULT_TENANT }),
    region: dnsLabel('Region the service runs in.', { default: DEFAULT_REGION }),
    ...SETTINGS_PROPERTIES,
  },
  ['name'],
);

/** PATCH /v1/services/{id}: settings merged over the current ones. */
export const UPDATE_SERVICE_SCHEMA: ObjectSchema = object(SETTINGS_PROPERTIES);

export const ENDPOINT_SCHEMA = object(
  { address: string({ format: 'ip-address', maxLength: 45, description: 'IPv4 or IPv6 address of an instance.' }), port: integer(1, 65_535) },
  ['address', 'port'],
);

/** POST /v1/services/{id}/revisions */
export const CREATE_REVISION_SCHEMA = object({
  command: string({ minLength: 1, maxLength: 4096, nullable: true }),
  args: array(string({ maxLength: 4096 }), 256),
  env: { type: 'object', additionalProperties: string({ maxLength: 32_768 }), maxProperties: 256, description: 'Environment variable name → value.' },
  endpoints: array(ENDPOINT_SCHEMA, 256, { description: 'Static instances of this revision.' }),
});

export const TRAFFIC_TARGET_SCHEMA = object(
  {
    revision: string({ format: 'revision-name', maxLength: 16, pattern: '^rev-[1-9][0-9]*$' }),
    percent: integer(0, 100),
    tag: dnsLabel('Gives the revision its own host, <tag>---<service host>.', { nullable: true }),
  },
  ['revision', 'percent'],
);

/** PUT /v1/services/{id}/traffic */
export const TRAFFIC_SCHEMA = object({ targets: array(TRAFFIC_TARGET_SCHEMA, 100, { minItems: 1, description: 'Percents are integers that sum to 100.' }) }, ['targets']);

/** POST /v1/services/{id}/domains */
export const CREATE_DOMAIN_SCHEMA = object({ name: string({ format: 'domain', minLength: 1, maxLength: 253, description: 'A custom domain; it belongs to one service across all tenants.' }) }, ['name']);

/** POST /v1/tenants */
export const CREATE_TENANT_SCHEMA = object({ name: dnsLabel('Tenant name.', { maxLength: 40 }) }, ['name']);
