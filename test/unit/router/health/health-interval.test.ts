/** Check scheduling: which interval applies, and jitter bounds with a seeded random source. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../../../../src/common/random.js';
import { HealthState, intervalWithJitter, nextCheckDelayMs } from '../../../../src/router/health/health-interval.js';
import { HealthTransition } from '../../../../src/router/health/health-transition.js';
import { healthCheckConfig } from './fixtures.js';

const config = healthCheckConfig({ intervalMs: 1000, unhealthyIntervalMs: 2000, healthyEdgeIntervalMs: 300, unhealthyEdgeIntervalMs: 400, noTrafficIntervalMs: 60_000 });
const none = () => 0;

const cases = [
  { name: 'healthy, settled → interval', state: HealthState.Healthy, transition: HealthTransition.Unchanged, traffic: true, ms: 1000 },
  { name: 'healthy after a change → interval', state: HealthState.Healthy, transition: HealthTransition.Changed, traffic: true, ms: 1000 },
  { name: 'passing towards healthy → healthy_edge_interval', state: HealthState.Healthy, transition: HealthTransition.ChangePending, traffic: true, ms: 300 },
  { name: 'unhealthy, settled → unhealthy_interval', state: HealthState.Unhealthy, transition: HealthTransition.Unchanged, traffic: true, ms: 2000 },
  { name: 'failing towards unhealthy → unhealthy_edge_interval', state: HealthState.Unhealthy, transition: HealthTransition.ChangePending, traffic: true, ms: 400 },
  { name: 'cluster never had traffic → no_traffic_interval', state: HealthState.Healthy, transition: HealthTransition.Unchanged, traffic: false, ms: 60_000 },
  { name: 'no traffic wins over edge intervals too', state: HealthState.Unhealthy, transition: HealthTransition.ChangePending, traffic: false, ms: 60_000 },
];

for (const c of cases) {
  test(`interval: ${c.name}`, () => {
    assert.equal(nextCheckDelayMs(config, c.state, c.transition, c.traffic, none), c.ms);
  });
}

test('interval_jitter adds [0, jitter) and stays within bounds over 10,000 draws', () => {
  const random = createSeededRandom(42);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < 10_000; i++) {
    const ms = intervalWithJitter(1000, 250, 0, random);
    min = Math.min(min, ms);
    max = Math.max(max, ms);
  }
  assert.ok(min >= 1000 && min < 1010, `min ${min}`);
  assert.ok(max <= 1249 && max > 1240, `max ${max}`);
});

test('interval_jitter_percent adds [0, percent × base / 100) on top of interval_jitter', () => {
  const random = createSeededRandom(7);
  for (let i = 0; i < 10_000; i++) {
    const ms = intervalWithJitter(2000, 100, 10, random);
    assert.ok(ms >= 2000 && ms < 2000 + 200 + 100, `got ${ms}`);
  }
});

test('the same seed gives the same schedule', () => {
  const a = createSeededRandom(3);
  const b = createSeededRandom(3);
  for (let i = 0; i < 100; i++) assert.equal(intervalWithJitter(500, 500, 50, a), intervalWithJitter(500, 500, 50, b));
});

test('an interval is never below 1 ms (Envoy forces non-zero to avoid a live lock)', () => {
  assert.equal(intervalWithJitter(0, 0, 0, none), 1);
});
