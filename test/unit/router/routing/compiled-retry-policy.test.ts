import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompiledRetryPolicy, ResetReason } from '../../../../src/router/routing/compiled-retry-policy.js';
import type { HeaderMatcher, RetryPolicy } from '../../../../src/xds/resources/route-configuration.types.js';

function policy(retryOn: string[], extra: Partial<RetryPolicy> = {}): CompiledRetryPolicy {
  const view: RetryPolicy = {
    retryOn,
    numRetries: 1,
    perTryTimeoutMs: 0,
    perTryIdleTimeoutMs: 0,
    retryBackOff: { baseIntervalMs: 25, maxIntervalMs: 250 },
    retriableStatusCodes: [],
    retriableHeaders: [],
    retriableRequestHeaders: [],
    retryHostPredicates: [],
    hostSelectionRetryMaxAttempts: 1,
    rateLimitedRetryBackOff: null,
    ...extra,
  };
  const r = CompiledRetryPolicy.compile(view);
  if (!r.ok) throw new Error(r.message);
  return r.policy;
}

const exact = (name: string, value: string): HeaderMatcher => ({
  name,
  invertMatch: false,
  treatMissingHeaderAsEmpty: false,
  match: { kind: 'string', matcher: { kind: 'exact', value, ignoreCase: false } },
});

// status × retry_on → retried?
const statusCases: { retryOn: string[]; status: number; headers?: string[]; expected: boolean; extra?: Partial<RetryPolicy> }[] = [
  { retryOn: ['5xx'], status: 500, expected: true },
  { retryOn: ['5xx'], status: 503, expected: true },
  { retryOn: ['5xx'], status: 599, expected: true },
  { retryOn: ['5xx'], status: 429, expected: false },
  { retryOn: ['5xx'], status: 409, expected: false },
  { retryOn: ['5xx'], status: 200, expected: false },
  { retryOn: ['gateway-error'], status: 502, expected: true },
  { retryOn: ['gateway-error'], status: 503, expected: true },
  { retryOn: ['gateway-error'], status: 504, expected: true },
  { retryOn: ['gateway-error'], status: 500, expected: false },
  { retryOn: ['retriable-4xx'], status: 409, expected: true },
  { retryOn: ['retriable-4xx'], status: 429, expected: false },
  { retryOn: ['retriable-4xx'], status: 503, expected: false },
  { retryOn: ['retriable-status-codes'], status: 429, expected: true, extra: { retriableStatusCodes: [429, 418] } },
  { retryOn: ['retriable-status-codes'], status: 418, expected: true, extra: { retriableStatusCodes: [429, 418] } },
  { retryOn: ['retriable-status-codes'], status: 503, expected: false, extra: { retriableStatusCodes: [429] } },
  { retryOn: ['5xx'], status: 429, expected: false, extra: { retriableStatusCodes: [429] } },
  { retryOn: ['reset', 'connect-failure'], status: 503, expected: false },
  { retryOn: ['retriable-headers'], status: 200, headers: ['x-retry-me', 'yes'], expected: true, extra: { retriableHeaders: [exact('x-retry-me', 'yes')] } },
  { retryOn: ['retriable-headers'], status: 200, headers: ['x-retry-me', 'no'], expected: false, extra: { retriableHeaders: [exact('x-retry-me', 'yes')] } },
  { retryOn: ['retriable-headers'], status: 503, expected: true, extra: { retriableHeaders: [exact(':status', '503')] } },
  { retryOn: ['5xx'], status: 503, headers: ['x-envoy-overloaded', 'true'], expected: false },
  { retryOn: ['5xx'], status: 429, headers: ['x-envoy-ratelimited', 'true'], expected: false },
  { retryOn: ['envoy-ratelimited'], status: 429, headers: ['x-envoy-ratelimited', 'true'], expected: true },
  { retryOn: ['unavailable'], status: 200, headers: ['grpc-status', '14'], expected: true },
  { retryOn: ['cancelled'], status: 200, headers: ['grpc-status', '14'], expected: false },
];
for (const c of statusCases) {
  test(`retry_on ${c.retryOn.join(',')}: status ${c.status}${c.headers ? ` with ${c.headers[0]}: ${c.headers[1]}` : ''} → ${c.expected ? 'retry' : 'no retry'}`, () => {
    assert.equal(policy(c.retryOn, c.extra).retryOnResponse(c.status, c.headers ?? []), c.expected);
  });
}

// reset reason × retry_on → retried?
const R = ResetReason;
const resetCases: { retryOn: string[]; reason: ResetReason; started: boolean; expected: boolean }[] = [
  { retryOn: ['connect-failure'], reason: R.ConnectFailure, started: false, expected: true },
  { retryOn: ['connect-failure'], reason: R.Reset, started: true, expected: false },
  { retryOn: ['connect-failure'], reason: R.LocalReset, started: true, expected: false },
  { retryOn: ['5xx'], reason: R.ConnectFailure, started: false, expected: true },
  { retryOn: ['5xx'], reason: R.Reset, started: true, expected: true },
  { retryOn: ['5xx'], reason: R.LocalReset, started: true, expected: true },
  { retryOn: ['gateway-error'], reason: R.Reset, started: true, expected: true },
  { retryOn: ['gateway-error'], reason: R.ConnectFailure, started: false, expected: true },
  { retryOn: ['reset'], reason: R.Reset, started: true, expected: true },
  { retryOn: ['reset'], reason: R.ConnectFailure, started: false, expected: true },
  { retryOn: ['reset-before-request'], reason: R.Reset, started: false, expected: true },
  { retryOn: ['reset-before-request'], reason: R.Reset, started: true, expected: false },
  { retryOn: ['refused-stream'], reason: R.RefusedStream, started: true, expected: true },
  { retryOn: ['refused-stream'], reason: R.Reset, started: true, expected: false },
  { retryOn: ['retriable-4xx', 'retriable-status-codes'], reason: R.Reset, started: true, expected: false },
  { retryOn: ['5xx', 'reset', 'connect-failure'], reason: R.Overflow, started: false, expected: false },
];
const reasonName = (r: ResetReason): string => Object.entries(ResetReason).find(([, v]) => v === r)![0];
for (const c of resetCases) {
  test(`retry_on ${c.retryOn.join(',')}: ${reasonName(c.reason)}${c.started ? '' : ' before the request'} → ${c.expected ? 'retry' : 'no retry'}`, () => {
    assert.equal(policy(c.retryOn).retryOnReset(c.reason, c.started), c.expected);
  });
}

test('retriable_request_headers: retries only for requests that match one', () => {
  const p = policy(['5xx'], { retriableRequestHeaders: [exact(':method', 'GET')] });
  const req = (method: string) => ({ method, path: '/', query: '', headers: [], scheme: 'http' as const });
  assert.equal(p.hasRequestHeaderMatchers, true);
  assert.equal(p.retriesAllowed(req('GET')), true);
  assert.equal(p.retriesAllowed(req('POST')), false);
});

test('an empty retry_on allows no retries', () => {
  const p = policy([]);
  assert.equal(p.retryOn, 0);
  assert.equal(p.retriesAllowed({ method: 'GET', path: '/', query: '', headers: [], scheme: 'http' }), false);
});
