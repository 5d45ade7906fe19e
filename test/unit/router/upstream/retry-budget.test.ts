import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResourceManager, DEFAULT_THRESHOLDS } from '../../../../src/router/upstream/resource-manager.js';
import { retryBudgetMax } from '../../../../src/router/upstream/retry-budget.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';

const cases = [
  { name: 'no load: the floor (min_retry_concurrency)', percent: 20, min: 3, active: 0, pending: 0, expected: 3 },
  { name: '20% of 10 active is below the floor', percent: 20, min: 3, active: 10, pending: 0, expected: 3 },
  { name: '20% of 100 active', percent: 20, min: 3, active: 100, pending: 0, expected: 20 },
  { name: 'pending requests count as load', percent: 20, min: 3, active: 60, pending: 40, expected: 20 },
  { name: 'the product is truncated', percent: 25, min: 1, active: 7, pending: 0, expected: 1 },
  { name: 'truncated above the floor', percent: 25, min: 1, active: 23, pending: 0, expected: 5 },
  { name: '100% budget', percent: 100, min: 0, active: 8, pending: 2, expected: 10 },
  { name: 'zero floor and no load', percent: 20, min: 0, active: 0, pending: 0, expected: 0 },
];
for (const c of cases) {
  test(`retryBudgetMax: ${c.name}`, () => {
    assert.equal(retryBudgetMax(c.percent, c.min, c.active, c.pending), c.expected);
  });
}

test('ResourceManager: a retry budget replaces max_retries and follows the load', () => {
  const rm = new ResourceManager({ ...DEFAULT_THRESHOLDS, maxRetries: 100, retryBudget: { budgetPercent: 20, minRetryConcurrency: 3 } });
  for (let i = 0; i < 3; i++) {
    assert.ok(rm.canRetry());
    rm.incRetries();
  }
  assert.equal(rm.canRetry(), false, 'the floor of 3 is reached although max_retries is 100');
  for (let i = 0; i < 20; i++) rm.incRequests();
  assert.equal(rm.maxRetries(), 4);
  assert.ok(rm.canRetry());
  rm.decRetries();
  rm.decRetries();
  assert.ok(rm.canRetry());
});

test('ResourceManager: without a budget max_retries applies (Envoy default 3)', () => {
  const rm = new ResourceManager(DEFAULT_THRESHOLDS);
  for (let i = 0; i < 3; i++) rm.incRetries();
  assert.equal(rm.canRetry(), false);
  rm.decRetries();
  assert.ok(rm.canRetry());
});

test('ResourceManager gauges: *_open at the limit, remaining_* with track_remaining', () => {
  const store = new StatsStore();
  const rm = new ResourceManager({ ...DEFAULT_THRESHOLDS, maxRequests: 2, maxConnections: 1, trackRemaining: true }, store, 'c');
  const g = (n: string): number => store.gauge(`cluster.c.circuit_breakers.default.${n}`).value;
  assert.equal(g('remaining_rq'), 2);
  assert.equal(g('remaining_retries'), 3);
  rm.incRequests();
  assert.equal(g('rq_open'), 0);
  rm.incRequests();
  assert.equal(g('rq_open'), 1);
  assert.equal(g('remaining_rq'), 0);
  rm.decRequests();
  assert.equal(g('rq_open'), 0);
  assert.equal(g('remaining_rq'), 1);
  rm.incConnections();
  assert.equal(g('cx_open'), 1);
  assert.equal(g('remaining_cx'), 0);
});

test('ResourceManager gauges: with a retry budget remaining_retries stays 0 (Envoy)', () => {
  const store = new StatsStore();
  new ResourceManager({ ...DEFAULT_THRESHOLDS, trackRemaining: true, retryBudget: { budgetPercent: 20, minRetryConcurrency: 3 } }, store, 'b');
  assert.equal(store.gauge('cluster.b.circuit_breakers.default.remaining_retries').value, 0);
  assert.equal(store.gauge('cluster.b.circuit_breakers.default.rq_retry_open').value, 0);
});
