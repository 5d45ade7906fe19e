import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryRateLimitCounters } from '../../../../src/control-plane/ratelimit/memory-rate-limit-counters.js';
import { RateLimitServer } from '../../../../src/control-plane/ratelimit/rate-limit-server.js';
import { ruleFor } from '../../../../src/control-plane/ratelimit/rate-limit-rule.js';
import { ServiceLimits } from '../../../../src/control-plane/ratelimit/service-limits.js';
import type { Service } from '../../../../src/control-plane/model/types.js';

test('memory counters: fixed epoch-aligned windows with an injected clock', () => {
  let now = 10_250;
  const c = new MemoryRateLimitCounters(() => now);
  assert.deepEqual(c.hit('k', 1000, 1), { count: 1, resetMs: 750 });
  assert.deepEqual(c.hit('k', 1000, 1), { count: 2, resetMs: 750 });
  now = 10_999;
  assert.deepEqual(c.hit('k', 1000, 3), { count: 5, resetMs: 1 });
  now = 11_000; // the next window starts at the second boundary
  assert.deepEqual(c.hit('k', 1000, 1), { count: 1, resetMs: 1000 });
  assert.deepEqual(c.hit('other', 1000, 1), { count: 1, resetMs: 1000 }, 'keys count apart');
  assert.deepEqual(c.hit('k', 2000, 1), { count: 1, resetMs: 1000 }, 'window lengths count apart');
});

test('memory counters: idle windows are swept', () => {
  let now = 0;
  const c = new MemoryRateLimitCounters(() => now);
  for (let i = 0; i < 50; i++) c.hit(`k${i}`, 1000, 1);
  assert.equal(c.size, 50);
  now = 10_000;
  c.hit('fresh', 1000, 1);
  assert.equal(c.size, 1);
});

const ruleCases = [
  { name: '5 rps', settings: { requestsPerSecond: 5, burst: null }, expected: { limit: 5, windowMs: 1000, requestsPerSecond: 5 } },
  { name: '5 rps burst 10 → 10 per 2 s', settings: { requestsPerSecond: 5, burst: 10 }, expected: { limit: 10, windowMs: 2000, requestsPerSecond: 5 } },
  { name: '0.5 rps → 1 per 2 s', settings: { requestsPerSecond: 0.5, burst: null }, expected: { limit: 1, windowMs: 2000, requestsPerSecond: 0.5 } },
  { name: 'burst under the rate caps each second', settings: { requestsPerSecond: 100, burst: 50 }, expected: { limit: 50, windowMs: 1000, requestsPerSecond: 100 } },
  { name: 'no limit', settings: { requestsPerSecond: null, burst: null }, expected: null },
];
for (const c of ruleCases) test(`rule: ${c.name}`, () => assert.deepEqual(ruleFor(c.settings), c.expected));

test('rate limit server: the service descriptor is limited, unknown descriptors and domains are OK', async () => {
  const now = 5_000;
  const services = new Map([['svc1', { rateLimit: { requestsPerSecond: 2, burst: null } } as unknown as Service]]);
  const server = new RateLimitServer({ limits: new ServiceLimits({ getService: (id) => services.get(id) ?? null }, () => now), counters: new MemoryRateLimitCounters(() => now) });
  const ask = (domain: string, key: string, value: string) => server.shouldRateLimit({ domain, descriptors: [{ entries: [{ key, value }] }], hits_addend: 0 });
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await ask('switchyard', 'service', 'svc1')).overall_code);
  assert.deepEqual(codes, ['OK', 'OK', 'OVER_LIMIT']);
  const over = await ask('switchyard', 'service', 'svc1');
  assert.deepEqual(over.statuses[0].current_limit, { requests_per_unit: 2, unit: 'SECOND', name: '' });
  assert.equal(over.statuses[0].limit_remaining, 0);
  assert.equal((await ask('switchyard', 'service', 'nope')).overall_code, 'OK');
  assert.equal((await ask('switchyard', 'tenant', 'svc1')).overall_code, 'OK');
  assert.equal((await ask('elsewhere', 'service', 'svc1')).overall_code, 'OK');
});
