import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_HEALTH_CHECK, DEFAULT_ROUTING } from '../../../../src/control-plane/model/defaults.js';
import { DEFAULT_SERVICE_SETTINGS, validateCreateService, validateServiceUpdate } from '../../../../src/control-plane/model/validate-service.js';

interface Case {
  name: string;
  input: unknown;
  /** Expected `path: message` lines, in order; absent = must be valid. */
  errors?: string[];
}

const bad = (input: unknown, ...errors: string[]) => ({ input, errors });

const cases: Case[] = [
  { name: 'a name alone is valid', input: { name: 'web' } },
  { name: 'every setting at its bounds is valid', input: { name: 'a', tenant: 'acme', region: 'eu-1', port: 65535, healthCheck: { protocol: 'HTTP', path: '/healthz', intervalMs: 20000, timeoutMs: 1000, healthyThreshold: 20, unhealthyThreshold: 1 }, autoscaling: { minInstances: 25, maxInstances: 25, maxConcurrency: 200 }, routing: { requestTimeoutMs: 0, idleTimeoutMs: 0, retries: { numRetries: 10, retryOn: ['5xx'], perTryTimeoutMs: 1 }, lbPolicy: 'MAGLEV' }, rateLimit: { requestsPerSecond: 1, burst: 1 }, deployment: { strategy: 'manual' } } },
  { name: 'a 40-character name is valid', input: { name: 'a'.repeat(40) } },
  { name: 'nulls are allowed where the settings are nullable', input: { name: 'web', routing: { idleTimeoutMs: null, retries: { perTryTimeoutMs: null } }, rateLimit: { requestsPerSecond: null, burst: null } } },
  { name: 'the body must be an object', ...bad([], ': must be an object, got a list') },
  { name: 'an absent body says so', ...bad(undefined, ': must be an object, got nothing') },
  { name: 'name is required', ...bad({}, 'name: is required') },
  { name: 'name must be a string', ...bad({ name: 7 }, 'name: must be a string, got 7') },
  { name: 'an empty name', ...bad({ name: '' }, 'name: must be 1–40 characters, got 0') },
  { name: 'a 41-character name', ...bad({ name: 'a'.repeat(41) }, 'name: must be 1–40 characters, got 41') },
  { name: 'uppercase in a name', ...bad({ name: 'Web' }, 'name: must contain only lowercase letters, digits and \'-\', got "Web"') },
  { name: 'a leading dash', ...bad({ name: '-web' }, 'name: must not start or end with \'-\', got "-web"') },
  { name: 'a trailing dash', ...bad({ name: 'web-' }, 'name: must not start or end with \'-\', got "web-"') },
  { name: "'---' is reserved for tags", ...bad({ name: 'a---b' }, "name: must not contain '---' (it separates revision tags from the service host), got \"a---b\"") },
  { name: 'an underscore', ...bad({ name: 'my_app' }, 'name: must contain only lowercase letters, digits and \'-\', got "my_app"') },
  { name: 'interval 0 names the range', ...bad({ name: 'web', healthCheck: { intervalMs: 0 } }, 'healthCheck.intervalMs: must be 1000–20000, got 0') },
  { name: 'interval above 20 s', ...bad({ name: 'web', healthCheck: { intervalMs: 20001 } }, 'healthCheck.intervalMs: must be 1000–20000, got 20001') },
  { name: 'a fractional timeout', ...bad({ name: 'web', healthCheck: { timeoutMs: 1500.5 } }, 'healthCheck.timeoutMs: must be an integer, got 1500.5') },
  { name: 'thresholds 0 and 21', ...bad({ name: 'web', healthCheck: { healthyThreshold: 0, unhealthyThreshold: 21 } }, 'healthCheck.healthyThreshold: must be 1–20, got 0', 'healthCheck.unhealthyThreshold: must be 1–20, got 21') },
  { name: 'an unknown protocol', ...bad({ name: 'web', healthCheck: { protocol: 'UDP' } }, 'healthCheck.protocol: must be one of TCP, HTTP, got "UDP"') },
  { name: 'a relative health check path', ...bad({ name: 'web', healthCheck: { path: 'health' } }, 'healthCheck.path: must be an absolute path starting with \'/\' without spaces, \'?\' or \'#\', got "health"') },
  { name: 'port 0', ...bad({ name: 'web', port: 0 }, 'port: must be 1–65535, got 0') },
  { name: 'a string port', ...bad({ name: 'web', port: '8080' }, 'port: must be an integer, got "8080"') },
  { name: 'unknown fields are errors, at any depth', ...bad({ name: 'web', healtCheck: {}, routing: { retry: 1 } }, 'healtCheck: is not a known field (allowed: name, tenant, region, port, healthCheck, autoscaling, routing, rateLimit, deployment)', 'routing.retry: is not a known field (allowed: requestTimeoutMs, idleTimeoutMs, retries, lbPolicy)') },
  { name: 'every error at once', ...bad({ name: 'Web', port: 0, healthCheck: { intervalMs: 0 } }, 'name: must contain only lowercase letters, digits and \'-\', got "Web"', 'port: must be 1–65535, got 0', 'healthCheck.intervalMs: must be 1000–20000, got 0') },
  { name: 'null where not nullable', ...bad({ name: 'web', healthCheck: null }, 'healthCheck: must not be null') },
  { name: 'an unknown retry condition', ...bad({ name: 'web', routing: { retries: { retryOn: ['5xx', 'sometimes'] } } }, 'routing.retries.retryOn[1]: must be one of 5xx, gateway-error, reset, reset-before-request, connect-failure, envoy-ratelimited, retriable-4xx, refused-stream, retriable-status-codes, retriable-headers, http3-post-connect-failure, got "sometimes"') },
  { name: 'an unknown lb policy', ...bad({ name: 'web', routing: { lbPolicy: 'FASTEST' } }, 'routing.lbPolicy: must be one of ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV, got "FASTEST"') },
  { name: 'an unknown deployment strategy', ...bad({ name: 'web', deployment: { strategy: 'blue-green' } }, 'deployment.strategy: must be one of all-at-once, manual, got "blue-green"') },
  { name: 'min above max instances', ...bad({ name: 'web', autoscaling: { minInstances: 5, maxInstances: 2 } }, 'autoscaling.minInstances: must not exceed autoscaling.maxInstances (2), got 5') },
  { name: 'concurrency above App Runner’s 200', ...bad({ name: 'web', autoscaling: { maxConcurrency: 201 } }, 'autoscaling.maxConcurrency: must be 1–200, got 201') },
  { name: 'timeout longer than the interval', ...bad({ name: 'web', healthCheck: { intervalMs: 2000, timeoutMs: 3000 } }, 'healthCheck.timeoutMs: must not exceed healthCheck.intervalMs (2000), got 3000') },
  { name: 'a burst without a rate', ...bad({ name: 'web', rateLimit: { burst: 10 } }, 'rateLimit.burst: needs rateLimit.requestsPerSecond') },
  { name: 'a per-try timeout above the request timeout', ...bad({ name: 'web', routing: { requestTimeoutMs: 1000, retries: { perTryTimeoutMs: 2000 } } }, 'routing.retries.perTryTimeoutMs: must not exceed routing.requestTimeoutMs (1000), got 2000') },
  { name: 'cross-field rules are reported beside shape errors', ...bad({ name: 'Web', autoscaling: { minInstances: 5, maxInstances: 2 } }, 'name: must contain only lowercase letters, digits and \'-\', got "Web"', 'autoscaling.minInstances: must not exceed autoscaling.maxInstances (2), got 5') },
  { name: 'a cross-field rule is skipped when one of its fields is invalid', ...bad({ name: 'web', healthCheck: { intervalMs: 0, timeoutMs: 6000 } }, 'healthCheck.intervalMs: must be 1000–20000, got 0') },
  { name: 'a tenant that is not a DNS label', ...bad({ name: 'web', tenant: 'Acme Inc' }, 'tenant: must contain only lowercase letters, digits and \'-\', got "Acme Inc"') },
];

for (const c of cases) {
  test(`validateCreateService: ${c.name}`, () => {
    const r = validateCreateService(c.input);
    if (c.errors === undefined) assert.ok(r.ok, `unexpected errors: ${!r.ok ? JSON.stringify(r.errors) : ''}`);
    else {
      assert.ok(!r.ok, 'expected errors');
      assert.deepEqual(r.errors.map((e) => `${e.path}: ${e.message}`), c.errors);
    }
  });
}

test('validateCreateService fills every default (App Runner health check) and leaves tenant/region to the store', () => {
  const r = validateCreateService({ name: 'web' });
  assert.ok(r.ok);
  assert.deepEqual(r.value, { name: 'web', tenant: null, region: null, ...DEFAULT_SERVICE_SETTINGS });
  assert.deepEqual(r.value.healthCheck, { protocol: 'TCP', path: '/', intervalMs: 5000, timeoutMs: 2000, healthyThreshold: 1, unhealthyThreshold: 5 });
});

test('validateCreateService merges partial settings over the defaults, one level into routing.retries', () => {
  const r = validateCreateService({ name: 'web', healthCheck: { protocol: 'HTTP', path: '/ready' }, routing: { retries: { numRetries: 3 } } });
  assert.ok(r.ok);
  assert.deepEqual(r.value.healthCheck, { ...DEFAULT_HEALTH_CHECK, protocol: 'HTTP', path: '/ready' });
  assert.deepEqual(r.value.routing, { ...DEFAULT_ROUTING, retries: { ...DEFAULT_ROUTING.retries, numRetries: 3 } });
});

test('validateServiceUpdate merges over the current settings and re-checks cross-field rules', () => {
  const current = { ...DEFAULT_SERVICE_SETTINGS, autoscaling: { minInstances: 3, maxInstances: 10, maxConcurrency: 50 } };
  const r = validateServiceUpdate({ autoscaling: { maxInstances: 12 } }, current);
  assert.ok(r.ok);
  assert.deepEqual(r.value.autoscaling, { minInstances: 3, maxInstances: 12, maxConcurrency: 50 });
  const broken = validateServiceUpdate({ autoscaling: { maxInstances: 2 } }, current);
  assert.ok(!broken.ok);
  assert.deepEqual(broken.errors, [{ path: 'autoscaling.minInstances', message: 'must not exceed autoscaling.maxInstances (2), got 3' }]);
});

test('validateServiceUpdate refuses name, tenant and region (they are not settings)', () => {
  const r = validateServiceUpdate({ name: 'x', region: 'b' }, DEFAULT_SERVICE_SETTINGS);
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => e.path), ['name', 'region']);
});
