/**
 * Outlier detector math on real Host objects with an injected clock: consecutive errors,
 * ejection time × ejection count with a cap, max_ejection_percent, success rate and failure
 * percentage over synthetic counters, local-origin split, unejection by a passing health check.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createSeededRandom } from '../../../../src/common/random.js';
import { closeEventLogFiles, EventLogFile } from '../../../../src/router/health/event-log-file.js';
import { OutlierDetector, successRateEjectionThreshold } from '../../../../src/router/health/outlier-detector.js';
import { OutlierEventLogger } from '../../../../src/router/health/outlier-event-logger.js';
import { OutlierDetectionStats } from '../../../../src/router/health/outlier-stats.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { HealthFlag, OutlierResult, type Host } from '../../../../src/router/upstream/host.js';
import type { OutlierDetection } from '../../../../src/xds/resources/cluster.types.js';
import { counterValue, gaugeValue, makeHost, outlierConfig, RecordingTarget } from './fixtures.js';

const P = 'cluster.c.outlier_detection.';

function setup(n: number, overrides: Partial<OutlierDetection> = {}, logger?: (clock: () => number) => OutlierEventLogger) {
  let now = 1_000_000;
  const clock = () => now;
  const hosts = Array.from({ length: n }, (_, i) => makeHost(10_000 + i));
  const target = new RecordingTarget('c', hosts);
  const store = new StatsStore();
  const detector = new OutlierDetector(outlierConfig(overrides), target, {
    stats: new OutlierDetectionStats(store, 'c'),
    clock,
    random: createSeededRandom(1),
    eventLogger: logger?.(clock) ?? null,
  });
  detector.updateHosts(hosts); // as start() does, without arming the timer
  return {
    hosts,
    target,
    store,
    detector,
    advance(ms: number) {
      now += ms;
    },
  };
}

const ejected = (h: Host): boolean => (h.healthFlags & HealthFlag.FailedOutlierCheck) !== 0;
const send = (h: Host, status: number, times: number): void => {
  for (let i = 0; i < times; i++) h.outlier!.putHttpResponseCode(status);
};

test('5 consecutive 5xx eject a host; a success in between resets the count', () => {
  const { hosts, target, store } = setup(10);
  send(hosts[0], 500, 4);
  send(hosts[0], 200, 1);
  send(hosts[0], 500, 4);
  assert.equal(ejected(hosts[0]), false);
  send(hosts[0], 500, 1);
  assert.equal(ejected(hosts[0]), true);
  assert.equal(target.changes, 1);
  assert.equal(counterValue(store, P + 'ejections_detected_consecutive_5xx'), 1);
  assert.equal(counterValue(store, P + 'ejections_enforced_consecutive_5xx'), 1);
  assert.equal(counterValue(store, P + 'ejections_enforced_total'), 1);
  assert.equal(gaugeValue(store, P + 'ejections_active'), 1);
});

test('the ejection lasts base_ejection_time, checked on the interval tick', () => {
  const { hosts, detector, advance, store } = setup(10, { baseEjectionTimeMs: 30_000, intervalMs: 10_000 });
  send(hosts[0], 503, 5);
  assert.equal(ejected(hosts[0]), true);
  advance(29_999);
  detector.evaluate();
  assert.equal(ejected(hosts[0]), true);
  advance(1);
  detector.evaluate();
  assert.equal(ejected(hosts[0]), false);
  assert.equal(gaugeValue(store, P + 'ejections_active'), 0);
  // Counters were reset: four more errors do not re-eject.
  send(hosts[0], 500, 4);
  assert.equal(ejected(hosts[0]), false);
});

test('repeated ejections last base × count, capped at max_ejection_time', () => {
  const base = 10_000;
  const { hosts, detector, advance } = setup(10, { baseEjectionTimeMs: base, maxEjectionTimeMs: 30_000, intervalMs: 1_000_000 });
  const durations: number[] = [];
  for (let round = 0; round < 5; round++) {
    send(hosts[0], 500, 5);
    assert.equal(ejected(hosts[0]), true, `round ${round} ejected`);
    let waited = 0;
    while (ejected(hosts[0]) && waited < 1_000_000) {
      advance(1_000);
      waited += 1_000;
      detector.evaluate();
    }
    durations.push(waited);
  }
  // The backoff is not decremented: the interval (1000 s) never passes after an unejection.
  assert.deepEqual(durations, [10_000, 20_000, 30_000, 30_000, 30_000]);
  assert.equal(detector.monitorOf(hosts[0])!.numEjections, 5);
});

test('a host healthy for a whole interval after unejection earns a shorter next ejection', () => {
  const { hosts, detector, advance } = setup(10, { baseEjectionTimeMs: 10_000, intervalMs: 10_000 });
  send(hosts[0], 500, 5);
  advance(10_000);
  detector.evaluate(); // unejected, backoff 1
  send(hosts[0], 500, 5); // backoff 2: 20 s
  advance(20_000);
  detector.evaluate();
  assert.equal(ejected(hosts[0]), false);
  advance(10_000);
  detector.evaluate(); // healthy an interval since unejection: backoff 2 → 1
  advance(10_000);
  detector.evaluate(); // → 0
  send(hosts[0], 500, 5); // backoff 0 → 1: 10 s again
  advance(10_000);
  detector.evaluate();
  assert.equal(ejected(hosts[0]), false);
});

test('max_ejection_percent caps ejections (10% of 10 hosts = 1) and counts the overflow', () => {
  const { hosts, store } = setup(10);
  send(hosts[0], 500, 5);
  send(hosts[1], 500, 5);
  assert.deepEqual([ejected(hosts[0]), ejected(hosts[1])], [true, false]);
  assert.equal(counterValue(store, P + 'ejections_overflow'), 1);
  assert.equal(counterValue(store, P + 'ejections_detected_consecutive_5xx'), 2);
});

test('with 3 hosts the default 10% allows no ejection at all; 50% allows one', () => {
  const a = setup(3);
  send(a.hosts[0], 500, 5);
  assert.equal(ejected(a.hosts[0]), false);
  const b = setup(3, { maxEjectionPercent: 50 });
  send(b.hosts[0], 500, 5);
  send(b.hosts[1], 500, 5);
  assert.deepEqual(b.hosts.map(ejected), [true, false, false]);
});

test('consecutive gateway failures are detected but not enforced by default (enforcing 0)', () => {
  const { hosts, store } = setup(10, { consecutive5xx: 100 });
  send(hosts[0], 502, 5);
  assert.equal(ejected(hosts[0]), false);
  assert.equal(counterValue(store, P + 'ejections_detected_consecutive_gateway_failure'), 1);
  assert.equal(counterValue(store, P + 'ejections_enforced_consecutive_gateway_failure'), 0);
  const enforcing = setup(10, { consecutive5xx: 100, enforcingConsecutiveGatewayFailure: 100 });
  send(enforcing.hosts[0], 500, 1); // a non-gateway 5xx resets the gateway count
  send(enforcing.hosts[0], 504, 4);
  assert.equal(ejected(enforcing.hosts[0]), false);
  send(enforcing.hosts[0], 503, 1);
  assert.equal(ejected(enforcing.hosts[0]), true);
});

test('enforcing_consecutive_5xx 0 detects without ejecting', () => {
  const { hosts, store } = setup(10, { enforcingConsecutive5xx: 0 });
  send(hosts[0], 500, 5);
  assert.equal(ejected(hosts[0]), false);
  assert.equal(counterValue(store, P + 'ejections_detected_consecutive_5xx'), 1);
  assert.equal(counterValue(store, P + 'ejections_enforced_total'), 0);
});

test('without the split, connect failures count as 503 and timeouts as 504', () => {
  const { hosts } = setup(10);
  for (let i = 0; i < 3; i++) hosts[0].outlier!.putResult(OutlierResult.LocalOriginConnectFailed);
  hosts[0].outlier!.putResult(OutlierResult.LocalOriginConnectSuccess); // not a result without the split
  for (let i = 0; i < 2; i++) hosts[0].outlier!.putResult(OutlierResult.LocalOriginTimeout);
  assert.equal(ejected(hosts[0]), true);
});

test('split_external_local_origin_errors: local failures have their own counter', () => {
  const { hosts, store } = setup(10, { splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailure: 3 });
  const m = hosts[0].outlier!;
  m.putResult(OutlierResult.LocalOriginConnectFailed);
  m.putResult(OutlierResult.LocalOriginConnectFailed);
  m.putResult(OutlierResult.LocalOriginConnectSuccess); // resets
  m.putResult(OutlierResult.LocalOriginConnectFailed);
  m.putResult(OutlierResult.LocalOriginTimeout);
  assert.equal(ejected(hosts[0]), false);
  send(hosts[0], 500, 4); // external errors do not add to the local count
  m.putResult(OutlierResult.LocalOriginConnectFailed);
  assert.equal(ejected(hosts[0]), true);
  assert.equal(counterValue(store, P + 'ejections_enforced_consecutive_local_origin_failure'), 1);
});

test('success-rate threshold: Envoy example {50,100,100,100,100} × 1.9 → mean 90, threshold 52', () => {
  const rates = [50, 100, 100, 100, 100].map((r) => [null, r] as const);
  const { mean, threshold } = successRateEjectionThreshold(450, rates, 1.9);
  assert.equal(mean, 90);
  assert.equal(threshold, 52);
});

test('success rate ejects the host below mean − 1.9 × stdev over the interval just closed', () => {
  const { hosts, detector, store } = setup(10, { maxEjectionPercent: 100, consecutive5xx: 0 });
  // 9 hosts at 100% and one at 50%, 200 requests each: mean 95, stdev 15, threshold 66.5.
  for (let i = 0; i < 10; i++) {
    send(hosts[i], 200, i === 3 ? 100 : 200);
    if (i === 3) send(hosts[i], 500, 100);
  }
  detector.evaluate();
  assert.deepEqual(hosts.map(ejected), hosts.map((_, i) => i === 3));
  assert.equal(counterValue(store, P + 'ejections_detected_success_rate'), 1);
  assert.equal(counterValue(store, P + 'ejections_enforced_success_rate'), 1);
  assert.equal(detector.monitorOf(hosts[3])!.successRate, 50);
});

test('success rate needs success_rate_minimum_hosts hosts with success_rate_request_volume requests', () => {
  const { hosts, detector } = setup(10, { maxEjectionPercent: 100, consecutive5xx: 0 });
  for (let i = 0; i < 4; i++) send(hosts[i], 200, 200);
  for (let i = 4; i < 10; i++) send(hosts[i], 200, 99); // below the volume of 100
  send(hosts[4], 500, 0);
  send(hosts[0], 500, 150);
  detector.evaluate();
  assert.equal(hosts.some(ejected), false, 'only 4 hosts had enough volume');
});

test('counts of an earlier interval do not carry over (buckets are swapped each tick)', () => {
  const { hosts, detector } = setup(5, { maxEjectionPercent: 100, consecutive5xx: 0, enforcingFailurePercentage: 100 });
  for (let i = 0; i < 5; i++) send(hosts[i], 200, 100);
  send(hosts[0], 500, 400);
  detector.evaluate(); // evaluates and ejects host 0 (80% failures)
  assert.equal(ejected(hosts[0]), true);
  detector.evaluate(); // the next interval saw nothing: nobody else is ejected
  assert.deepEqual(hosts.map(ejected), [true, false, false, false, false]);
});

test('failure percentage ejects hosts at or above the threshold when enforced', () => {
  const { hosts, detector, store } = setup(5, { maxEjectionPercent: 100, consecutive5xx: 0, enforcingSuccessRate: 0, enforcingFailurePercentage: 100, failurePercentageThreshold: 50 });
  const failures = [0, 50, 49, 60, 0];
  for (let i = 0; i < 5; i++) {
    send(hosts[i], 200, 100 - failures[i]);
    send(hosts[i], 500, failures[i]);
  }
  detector.evaluate();
  assert.deepEqual(hosts.map(ejected), [false, true, false, true, false]);
  assert.equal(counterValue(store, P + 'ejections_detected_failure_percentage'), 2);
  assert.equal(counterValue(store, P + 'ejections_enforced_failure_percentage'), 2);
});

test('failure percentage is detected but not enforced by default (enforcing_failure_percentage 0)', () => {
  const { hosts, detector, store } = setup(5, { maxEjectionPercent: 100, consecutive5xx: 0, enforcingSuccessRate: 0 });
  for (let i = 0; i < 5; i++) send(hosts[i], i === 0 ? 500 : 200, 60);
  detector.evaluate();
  assert.equal(hosts.some(ejected), false);
  assert.equal(counterValue(store, P + 'ejections_detected_failure_percentage'), 1);
});

test('a passing active health check unejects at once', () => {
  const { hosts, detector, target } = setup(10);
  send(hosts[0], 500, 5);
  detector.onActiveHealthCheckSuccess(hosts[0]);
  assert.equal(ejected(hosts[0]), false);
  assert.equal(target.changes, 2);
});

test('membership: removed hosts lose their monitor and their ejection; new hosts get one', () => {
  const { hosts, detector, store } = setup(10);
  send(hosts[0], 500, 5);
  const fresh = makeHost(20_000);
  detector.updateHosts([...hosts.slice(1), fresh]);
  assert.equal(hosts[0].outlier, null);
  assert.notEqual(fresh.outlier, null);
  assert.equal(gaugeValue(store, P + 'ejections_active'), 0);
  detector.stop();
  assert.equal(fresh.outlier, null);
});

test('eject and uneject events are written as Envoy OutlierDetectionEvent JSON lines', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'outlier-events-'));
  const file = path.join(dir, 'outlier.log');
  const { hosts, detector, advance } = setup(10, { baseEjectionTimeMs: 1000, intervalMs: 1000 }, (clock) => new OutlierEventLogger(EventLogFile.forPath(file), 'c', clock, () => Date.UTC(2026, 0, 2, 3, 4, 5)));
  send(hosts[0], 500, 5);
  advance(2500);
  detector.evaluate();
  await closeEventLogFiles();
  const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines, [
    {
      type: 'CONSECUTIVE_5XX',
      timestamp: '2026-01-02T03:04:05.000Z',
      cluster_name: 'c',
      upstream_url: hosts[0].address,
      action: 'EJECT',
      num_ejections: 1,
      enforced: true,
      eject_consecutive_event: {},
    },
    {
      type: 'CONSECUTIVE_5XX',
      timestamp: '2026-01-02T03:04:05.000Z',
      secs_since_last_action: '2',
      cluster_name: 'c',
      upstream_url: hosts[0].address,
      action: 'UNEJECT',
      num_ejections: 1,
      enforced: false,
    },
  ]);
});
