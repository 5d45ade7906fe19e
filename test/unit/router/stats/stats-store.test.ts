import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketIndex, computeQuantiles, cumulativeBuckets, SUPPORTED_BUCKETS } from '../../../../src/router/stats/histogram.js';
import { MergedStats } from '../../../../src/router/stats/merged-stats.js';
import { StatsStore, type StatsSnapshot } from '../../../../src/router/stats/stats-store.js';

test('counter, gauge and histogram lookups are idempotent and scopes prefix names', () => {
  const store = new StatsStore();
  const c = store.counter('cluster.a.upstream_rq_total');
  assert.equal(store.counter('cluster.a.upstream_rq_total'), c);
  const scope = store.scope('cluster.a.');
  assert.equal(scope.counter('upstream_rq_total'), c);
  assert.equal(scope.scope('x.').gauge('g'), store.gauge('cluster.a.x.g'));
  assert.equal(store.histogram('h', 'ms'), store.histogram('h', 'ms'));
  c.inc();
  c.add(4);
  assert.equal(c.value, 5);
  const g = store.gauge('http.in.downstream_cx_active');
  g.inc();
  g.inc();
  g.dec();
  assert.equal(g.value, 1);
  g.set(7);
  assert.equal(g.value, 7);
  assert.equal(store.gauge('cluster.a.membership_total').importMode, 'neverImport');
  assert.equal(g.importMode, 'accumulate');
  assert.throws(() => store.counter(''), /non-empty/);
});

const bucketCases = [
  { value: 0, index: 0 },
  { value: 0.5, index: 0 },
  { value: 0.6, index: 1 },
  { value: 1, index: 1 },
  { value: 5, index: 2 },
  { value: 3_600_000, index: 18 },
  { value: 3_600_001, index: 19 },
];
for (const c of bucketCases) {
  test(`bucketIndex(${c.value}) = ${c.index} (le semantics)`, () => assert.equal(bucketIndex(c.value), c.index));
}

test('quantiles interpolate inside buckets and clamp to min/max', () => {
  const store = new StatsStore();
  const h = store.histogram('t', 'ms');
  // 100 samples: 1..100 ms.
  for (let i = 1; i <= 100; i++) h.record(i);
  const q = computeQuantiles(h.data());
  assert.equal(q[0], 1, 'P0 is the minimum');
  assert.equal(q[9], 100, 'P100 is the maximum');
  // P50: rank 50 lies in bucket (25, 50] holding samples 26..50 (25 of them), 25 before → 25 + 25*25/25 = 50.
  assert.equal(q[2], 50);
  // P90: rank 90 in (50, 100] holding 50 samples, 50 before → 50 + 50*40/50 = 90.
  assert.equal(q[4], 90);
  const cum = cumulativeBuckets(h.data());
  assert.equal(cum.length, SUPPORTED_BUCKETS.length);
  assert.deepEqual(cum.slice(0, 7), [0, 1, 5, 10, 25, 50, 100]);
  assert.equal(h.data().sum, 5050);
  assert.ok(computeQuantiles(new StatsStore().histogram('e', 'ms').data()).every(Number.isNaN));
});

test('snapshots carry only changed stats, with absolute values, and are JSON-safe', () => {
  const store = new StatsStore();
  const a = store.counter('a');
  const b = store.counter('b');
  const h = store.histogram('h', 'ms');
  a.inc();
  const first = store.snapshot();
  assert.equal(first.full, true);
  assert.deepEqual(first.counters, [['a', 1, true], ['b', 0, false]]);
  assert.deepEqual(first.histograms[0].slice(3), [0, 0, null, null]);
  b.add(2);
  h.record(3);
  const second = JSON.parse(JSON.stringify(store.snapshot())) as StatsSnapshot;
  assert.equal(second.full, false);
  assert.deepEqual(second.counters, [['b', 2, true]]);
  assert.equal(second.histograms.length, 1);
  assert.deepEqual(second.histograms[0].slice(3), [1, 3, 3, 3]);
  assert.deepEqual(store.snapshot(false).counters, []);
  assert.equal(store.snapshot(true).counters.length, 2);
});

function worker(): StatsStore {
  const s = new StatsStore();
  return s;
}

test('merge across two workers: counters and accumulate gauges sum, neverImport gauges do not, histograms merge bucket-wise', () => {
  const merged = new MergedStats({ flushIntervalMs: 0 });
  const w1 = worker();
  const w2 = worker();
  w1.counter('cluster.c.upstream_rq_total').add(3);
  w2.counter('cluster.c.upstream_rq_total').add(4);
  w1.gauge('http.in.downstream_cx_active').set(2);
  w2.gauge('http.in.downstream_cx_active').set(5);
  w1.gauge('cluster.c.membership_total').set(3);
  w2.gauge('cluster.c.membership_total').set(3);
  w1.histogram('cluster.c.upstream_rq_time', 'ms').record(1);
  w2.histogram('cluster.c.upstream_rq_time', 'ms').record(100);
  merged.apply(1, JSON.parse(JSON.stringify(w1.snapshot())));
  merged.apply(2, JSON.parse(JSON.stringify(w2.snapshot())));
  const value = (list: readonly { name: string; value: number }[], name: string) => list.find((s) => s.name === name)?.value;
  let r = merged.read();
  assert.equal(value(r.counters, 'cluster.c.upstream_rq_total'), 7);
  assert.equal(value(r.gauges, 'http.in.downstream_cx_active'), 7);
  assert.equal(value(r.gauges, 'cluster.c.membership_total'), 3);
  const h = r.histograms.find((x) => x.name === 'cluster.c.upstream_rq_time')!;
  assert.equal(h.cumulative.count, 2);
  assert.equal(h.cumulative.sum, 101);
  assert.equal(h.cumulative.min, 1);
  assert.equal(h.cumulative.max, 100);

  // Second round: absolute values, applied twice (a duplicate must not double count).
  w1.counter('cluster.c.upstream_rq_total').add(10);
  w1.histogram('cluster.c.upstream_rq_time', 'ms').record(7);
  const snap = JSON.parse(JSON.stringify(w1.snapshot()));
  merged.apply(1, snap);
  r = merged.read();
  assert.equal(r.histograms[0].interval.count, 1, 'interval = samples between the last two latches');
  merged.apply(1, snap);
  r = merged.read();
  assert.equal(value(r.counters, 'cluster.c.upstream_rq_total'), 17);
  assert.equal(r.histograms[0].cumulative.count, 3);
  assert.equal(r.histograms[0].interval.count, 0, 'nothing new in the last interval');

  // Worker 2 exits: its counters stay, its gauges go.
  merged.forget(2);
  r = merged.read();
  assert.equal(value(r.counters, 'cluster.c.upstream_rq_total'), 17);
  assert.equal(value(r.gauges, 'http.in.downstream_cx_active'), 2);
  assert.equal(r.histograms[0].cumulative.count, 3);
  assert.deepEqual(merged.workerIds(), [1]);
});

test('a lost snapshot only delays: the next absolute value heals the total', () => {
  const merged = new MergedStats();
  const w = worker();
  const c = w.counter('x');
  c.add(1);
  merged.apply(1, w.snapshot());
  c.add(1);
  w.snapshot(); // lost in transit
  c.add(1);
  merged.apply(1, w.snapshot());
  assert.equal(merged.read().counters[0].value, 3);
});
