import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../../../../src/common/random.js';
import { RetryState, RetryStatus, ResetReason } from '../../../../src/router/http/retry-state.js';
import { CompiledRetryPolicy } from '../../../../src/router/routing/compiled-retry-policy.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { UpstreamCluster } from '../../../../src/router/upstream/upstream-cluster.js';
import { decodeCluster } from '../../../../src/xds/resources/cluster.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import type { RetryPolicy } from '../../../../src/xds/resources/route-configuration.types.js';
import { xdsEdsCluster } from '../../../helpers/xds-resources.js';

const NO_TIMERS = { onTimer(): void {} };

function setup(policy: Partial<RetryPolicy> = {}, thresholds: ProtoObject = {}) {
  const store = new StatsStore();
  const decoded = decodeCluster(xdsEdsCluster('c', { circuit_breakers: { thresholds: [thresholds] } }), '');
  assert.ok(decoded.ok, JSON.stringify(!decoded.ok && decoded.errors));
  const cluster = new UpstreamCluster(decoded.value, store);
  const compiled = CompiledRetryPolicy.compile({
    retryOn: ['5xx', 'connect-failure'],
    numRetries: 2,
    perTryTimeoutMs: 0,
    perTryIdleTimeoutMs: 0,
    retryBackOff: { baseIntervalMs: 25, maxIntervalMs: 250 },
    retriableStatusCodes: [],
    retriableHeaders: [],
    retriableRequestHeaders: [],
    retryHostPredicates: [],
    hostSelectionRetryMaxAttempts: 1,
    rateLimitedRetryBackOff: null,
    ...policy,
  });
  assert.ok(compiled.ok);
  const make = (enabled = true) => new RetryState(compiled.policy, cluster, enabled, 15_000, 1024, false, NO_TIMERS, createSeededRandom(1));
  const counter = (n: string): number => store.counter(`cluster.c.${n}`).value;
  return { cluster, make, counter };
}

test('num_retries 2: Yes, Yes, then NoRetryLimitExceeded; each retry holds one retries slot until decided', () => {
  const { cluster, make, counter } = setup();
  const r = make();
  assert.equal(r.shouldRetryHeaders(503, []), RetryStatus.Yes);
  assert.equal(cluster.resources.retries, 1);
  assert.ok(r.lastBackOffMs >= 1 && r.lastBackOffMs < 25);
  assert.equal(r.shouldRetryReset(ResetReason.ConnectFailure, false), RetryStatus.Yes);
  assert.equal(cluster.resources.retries, 1, 'the first slot was given back when the retry was decided');
  assert.ok(r.lastBackOffMs >= 1 && r.lastBackOffMs < 50);
  assert.equal(r.shouldRetryHeaders(503, []), RetryStatus.NoRetryLimitExceeded);
  assert.equal(cluster.resources.retries, 0);
  assert.equal(counter('upstream_rq_retry'), 2);
  assert.equal(counter('upstream_rq_retry_limit_exceeded'), 1);
  assert.equal(counter('upstream_rq_retry_success'), 0);
  assert.equal(counter('upstream_rq_retry_backoff_exponential'), 2);
});

test('a retried request whose next answer is not retriable counts upstream_rq_retry_success', () => {
  const { cluster, make, counter } = setup();
  const r = make();
  assert.equal(r.shouldRetryHeaders(502, []), RetryStatus.Yes);
  assert.equal(r.shouldRetryHeaders(200, []), RetryStatus.No);
  assert.equal(counter('upstream_rq_retry_success'), 1);
  assert.equal(cluster.resources.retries, 0);
  // A request that was never retried counts nothing.
  assert.equal(make().shouldRetryHeaders(200, []), RetryStatus.No);
  assert.equal(counter('upstream_rq_retry_success'), 1);
});

test('max_retries 1: a second request retrying at the same time overflows (NoOverflow)', () => {
  const { cluster, make, counter } = setup({}, { max_retries: { value: 1 } });
  const a = make();
  const b = make();
  assert.equal(a.shouldRetryHeaders(503, []), RetryStatus.Yes);
  assert.equal(b.shouldRetryHeaders(503, []), RetryStatus.NoOverflow);
  assert.equal(counter('upstream_rq_retry_overflow'), 1);
  a.release();
  assert.equal(cluster.resources.retries, 0, 'release gives the slot back');
  assert.equal(b.shouldRetryHeaders(503, []), RetryStatus.Yes, 'b has one retry left and a free slot');
  b.release();
});

test('retry_budget: the floor (min_retry_concurrency) bounds concurrent retries with no load', () => {
  const { make } = setup({}, { max_retries: { value: 100 }, retry_budget: { budget_percent: { value: 20 }, min_retry_concurrency: { value: 2 } } });
  const states = [make(), make(), make()];
  assert.equal(states[0].shouldRetryHeaders(503, []), RetryStatus.Yes);
  assert.equal(states[1].shouldRetryHeaders(503, []), RetryStatus.Yes);
  assert.equal(states[2].shouldRetryHeaders(503, []), RetryStatus.NoOverflow);
  for (const s of states) s.release();
});

test('disabled (no match of retriable_request_headers, or body past the buffer): never retries, no URX', () => {
  const { make } = setup();
  const r = make(false);
  assert.equal(r.shouldRetryHeaders(503, []), RetryStatus.No);
  assert.equal(r.shouldRetryReset(ResetReason.ConnectFailure, false), RetryStatus.No);
});

test('previous_hosts: a tried host is to be avoided, others are fine', () => {
  const { make } = setup({ retryHostPredicates: ['envoy.retry_host_predicates.previous_hosts'], hostSelectionRetryMaxAttempts: 3 });
  const r = make();
  const h1 = { address: 'a', weight: 1, activeRequests: 0, available: true };
  const h2 = { address: 'b', weight: 1, activeRequests: 0, available: true };
  r.onHostAttempted(h1);
  assert.equal(r.shouldSelectAnotherHost(h1), true);
  assert.equal(r.shouldSelectAnotherHost(h2), false);
  assert.equal(r.hostSelectionRetryMaxAttempts, 3);
});

test('without previous_hosts the balancer never re-picks', () => {
  const { make } = setup();
  const r = make();
  const h = { address: 'a', weight: 1, activeRequests: 0, available: true };
  r.onHostAttempted(h);
  assert.equal(r.shouldSelectAnotherHost(h), false);
  assert.equal(r.hostSelectionRetryMaxAttempts, 0);
});

test('per_try_timeout not below the route timeout is ignored (Envoy)', () => {
  const { cluster } = setup();
  const compiled = CompiledRetryPolicy.compile({
    retryOn: ['5xx'], numRetries: 1, perTryTimeoutMs: 20_000, perTryIdleTimeoutMs: 0, retryBackOff: { baseIntervalMs: 25, maxIntervalMs: 250 },
    retriableStatusCodes: [], retriableHeaders: [], retriableRequestHeaders: [], retryHostPredicates: [], hostSelectionRetryMaxAttempts: 1, rateLimitedRetryBackOff: null,
  });
  assert.ok(compiled.ok);
  assert.equal(new RetryState(compiled.policy, cluster, true, 15_000, 0, false, NO_TIMERS).perTryTimeoutMs, 0);
  assert.equal(new RetryState(compiled.policy, cluster, true, 0, 0, false, NO_TIMERS).perTryTimeoutMs, 20_000);
});
