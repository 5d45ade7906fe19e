import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MergedStats } from '../../../../src/router/stats/merged-stats.js';
import { compileStatsFilter, renderJson, renderPrometheus, renderText } from '../../../../src/router/stats/render.js';
import { storeSource } from '../../../../src/router/stats/stats-reading.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { extractTags } from '../../../../src/router/stats/tag-extractor.js';

function fixture(): MergedStats {
  const w = new StatsStore();
  w.counter('cluster.a.upstream_rq_200').add(3);
  w.counter('cluster.a.upstream_rq_2xx').add(3);
  w.counter('cluster.a.upstream_rq_retry'); // declared, never written
  w.gauge('cluster.a.upstream_rq_active').set(1);
  w.counter('http.ingress.downstream_rq_total').add(3);
  w.counter('listener.0.0.0.0_8080.downstream_cx_total').add(2);
  const h = w.histogram('cluster.a.upstream_rq_time', 'ms');
  for (let i = 0; i < 4; i++) h.record(1);
  w.histogram('http.ingress.downstream_rq_time', 'ms');
  const merged = new MergedStats({ flushIntervalMs: 60_000 });
  merged.apply(1, w.snapshot());
  return merged;
}

const ONES = 'P0(nan,1) P25(nan,1) P50(nan,1) P75(nan,1) P90(nan,1) P95(nan,1) P99(nan,1) P99.5(nan,1) P99.9(nan,1) P100(nan,1)';

test('text: counters and gauges sorted together, then histograms (Envoy quantile summary)', () => {
  assert.equal(
    renderText(fixture()),
    [
      'cluster.a.upstream_rq_200: 3',
      'cluster.a.upstream_rq_2xx: 3',
      'cluster.a.upstream_rq_active: 1',
      'cluster.a.upstream_rq_retry: 0',
      'http.ingress.downstream_rq_total: 3',
      'listener.0.0.0.0_8080.downstream_cx_total: 2',
      `cluster.a.upstream_rq_time: ${ONES}`,
      'http.ingress.downstream_rq_time: No recorded values',
      '',
    ].join('\n'),
  );
});

test('text: usedonly and regex filter', () => {
  const out = renderText(fixture(), { usedOnly: true, filter: 'upstream_rq_(2|r)' });
  assert.equal(out, 'cluster.a.upstream_rq_200: 3\ncluster.a.upstream_rq_2xx: 3\n');
  assert.equal(renderText(fixture(), { filter: '^http\\.' }), 'http.ingress.downstream_rq_total: 3\nhttp.ingress.downstream_rq_time: No recorded values\n');
  assert.equal(compileStatsFilter('(').ok, false);
  assert.equal(compileStatsFilter('a(b').ok, false);
  assert.match(renderText(fixture(), { filter: '(' }), /^$/, 'invalid regex degrades to a literal substring');
});

test('json: Envoy shape, NaN interval as null', () => {
  const parsed = JSON.parse(renderJson(fixture(), { usedOnly: true })) as { stats: Record<string, unknown>[] };
  assert.deepEqual(parsed.stats[0], { name: 'cluster.a.upstream_rq_200', value: 3 });
  const last = parsed.stats[parsed.stats.length - 1] as { histograms: { supported_quantiles: number[]; computed_quantiles: { name: string; values: unknown[] }[] } };
  assert.deepEqual(last.histograms.supported_quantiles, [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100]);
  assert.equal(last.histograms.computed_quantiles.length, 1);
  assert.equal(last.histograms.computed_quantiles[0].name, 'cluster.a.upstream_rq_time');
  assert.deepEqual(last.histograms.computed_quantiles[0].values[0], { cumulative: 1, interval: null });
  assert.equal(parsed.stats.length, 6);
  const none = JSON.parse(renderJson(fixture(), { filter: 'nothing-matches' }));
  assert.deepEqual(none, { stats: [] });
});

const tagCases = [
  { name: 'cluster.a.upstream_rq_2xx', expected: { name: 'cluster.upstream_rq_xx', tags: [['envoy.response_code_class', '2'], ['envoy.cluster_name', 'a']] } },
  { name: 'cluster.svc-1--rev-2.upstream_rq_503', expected: { name: 'cluster.upstream_rq', tags: [['envoy.response_code', '503'], ['envoy.cluster_name', 'svc-1--rev-2']] } },
  { name: 'http.ingress.downstream_rq_5xx', expected: { name: 'http.downstream_rq_xx', tags: [['envoy.response_code_class', '5'], ['envoy.http_conn_manager_prefix', 'ingress']] } },
  { name: 'listener.0.0.0.0_8080.downstream_cx_total', expected: { name: 'listener.downstream_cx_total', tags: [['envoy.listener_address', '0.0.0.0_8080']] } },
  { name: 'listener.[__1]_443.http.ingress.downstream_rq_2xx', expected: { name: 'listener.http.downstream_rq_xx', tags: [['envoy.response_code_class', '2'], ['envoy.http_conn_manager_prefix', 'ingress'], ['envoy.listener_address', '[__1]_443']] } },
  { name: 'listener.admin.downstream_cx_total', expected: { name: 'listener.admin.downstream_cx_total', tags: [] } },
  { name: 'server.live', expected: { name: 'server.live', tags: [] } },
];
for (const c of tagCases) {
  test(`tag extraction: ${c.name}`, () => {
    const got = extractTags(c.name);
    assert.deepEqual({ name: got.name, tags: got.tags.map((t) => [t.name, t.value]) }, c.expected);
  });
}

test('prometheus: envoy_ prefix, tags, TYPE lines, histogram buckets', () => {
  const out = renderPrometheus(fixture(), { usedOnly: true });
  const expectedHead = [
    '# TYPE envoy_cluster_upstream_rq counter',
    'envoy_cluster_upstream_rq{envoy_response_code="200",envoy_cluster_name="a"} 3',
    '',
    '# TYPE envoy_cluster_upstream_rq_xx counter',
    'envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",envoy_cluster_name="a"} 3',
    '',
    '# TYPE envoy_http_downstream_rq_total counter',
    'envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix="ingress"} 3',
    '',
    '# TYPE envoy_listener_downstream_cx_total counter',
    'envoy_listener_downstream_cx_total{envoy_listener_address="0.0.0.0_8080"} 2',
    '',
    '# TYPE envoy_cluster_upstream_rq_active gauge',
    'envoy_cluster_upstream_rq_active{envoy_cluster_name="a"} 1',
    '',
    '# TYPE envoy_cluster_upstream_rq_time histogram',
    'envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="a",le="0.5"} 0',
    'envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="a",le="1"} 4',
    'envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="a",le="5"} 4',
  ].join('\n');
  assert.ok(out.startsWith(expectedHead), out);
  assert.match(out, /envoy_cluster_upstream_rq_time_bucket\{envoy_cluster_name="a",le="3600000"\} 4\n/);
  assert.match(out, /envoy_cluster_upstream_rq_time_bucket\{envoy_cluster_name="a",le="\+Inf"\} 4\n/);
  assert.match(out, /envoy_cluster_upstream_rq_time_sum\{envoy_cluster_name="a"\} 4\n/);
  assert.match(out, /envoy_cluster_upstream_rq_time_count\{envoy_cluster_name="a"\} 4\n\n$/);
  assert.doesNotMatch(out, /downstream_rq_time/, 'usedonly drops the empty histogram');
  assert.equal((out.match(/^# TYPE /gm) ?? []).length, 6);
});

test('prometheus: a tagless stat renders with empty braces; a single store can be rendered', () => {
  const store = new StatsStore();
  store.gauge('server.live').set(1);
  assert.equal(renderPrometheus(storeSource(store)), '# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n\n');
});
