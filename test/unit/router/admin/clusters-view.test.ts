/** /clusters rendering of host health: text flags merged across workers, Envoy's HostHealthStatus in JSON. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthStatusJson, renderClustersJson, renderClustersText } from '../../../../src/router/admin/clusters-view.js';
import type { HostStatus } from '../../../../src/router/worker/messages.js';

function host(address: string, healthFlags: string): HostStatus {
  return { address, hostname: '', healthFlags, weight: 1, priority: 0, activeRequests: 0, rqTotal: 1, rqSuccess: 1, rqError: 0, cxTotal: 1 };
}

const cases = [
  { name: 'healthy', flags: 'healthy', expected: { eds_health_status: 'HEALTHY', flags: 'healthy' } },
  { name: 'active check failed', flags: '/failed_active_hc', expected: { failed_active_health_check: true, eds_health_status: 'HEALTHY', flags: '/failed_active_hc' } },
  {
    name: 'ejected and failing EDS',
    flags: '/failed_outlier_check/failed_eds_health',
    expected: { failed_outlier_check: true, eds_health_status: 'UNHEALTHY', flags: '/failed_outlier_check/failed_eds_health' },
  },
];
for (const c of cases) {
  test(`health_status JSON: ${c.name}`, () => assert.deepEqual(healthStatusJson(c.flags), c.expected));
}

test('a host one worker sees failing is shown failing; counters are summed', () => {
  const workers = [[{ name: 'svc', hosts: [host('127.0.0.1:1', 'healthy')] }], [{ name: 'svc', hosts: [host('127.0.0.1:1', '/failed_active_hc')] }]];
  const text = renderClustersText(workers);
  assert.match(text, /^svc::127\.0\.0\.1:1::health_flags::\/failed_active_hc$/m);
  assert.match(text, /^svc::127\.0\.0\.1:1::rq_total::2$/m);
  const json = JSON.parse(renderClustersJson(workers)) as { cluster_statuses: { host_statuses: { health_status: Record<string, unknown> }[] }[] };
  assert.equal(json.cluster_statuses[0].host_statuses[0].health_status.failed_active_health_check, true);
});

test('outlier success rates: -1 when not evaluated, the first evaluated worker value otherwise', () => {
  const workers = [
    [{ name: 'svc', hosts: [{ ...host('127.0.0.1:1', 'healthy'), successRate: -1, localOriginSuccessRate: -1 }] }],
    [{ name: 'svc', hosts: [{ ...host('127.0.0.1:1', 'healthy'), successRate: 97.5, localOriginSuccessRate: -1 }] }],
  ];
  const text = renderClustersText(workers);
  assert.match(text, /^svc::127\.0\.0\.1:1::success_rate::97\.5$/m);
  assert.match(text, /^svc::127\.0\.0\.1:1::local_origin_success_rate::-1$/m);
  const json = JSON.parse(renderClustersJson(workers)) as { cluster_statuses: { host_statuses: Record<string, unknown>[] }[] };
  const h = json.cluster_statuses[0].host_statuses[0];
  assert.deepEqual(h.success_rate, { value: 97.5 });
  assert.equal(h.local_origin_success_rate, undefined);
});

test('circuit-breaker thresholds: default_priority lines in text, circuit_breakers.thresholds in JSON', () => {
  const circuitBreakers = { maxConnections: 10, maxPendingRequests: 20, maxRequests: 30, maxRetries: 4 };
  const workers = [[{ name: 'svc', circuitBreakers, hosts: [host('127.0.0.1:1', 'healthy')] }], [{ name: 'svc', circuitBreakers, hosts: [host('127.0.0.1:1', 'healthy')] }]];
  const text = renderClustersText(workers);
  for (const line of ['max_connections::10', 'max_pending_requests::20', 'max_requests::30', 'max_retries::4']) {
    assert.equal(text.split('\n').filter((l) => l === `svc::default_priority::${line}`).length, 1, line);
  }
  const json = JSON.parse(renderClustersJson(workers)) as { cluster_statuses: { circuit_breakers: unknown }[] };
  assert.deepEqual(json.cluster_statuses[0].circuit_breakers, { thresholds: [{ max_connections: 10, max_pending_requests: 20, max_requests: 30, max_retries: 4 }] });
});
