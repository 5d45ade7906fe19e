import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMessage, encodeMessage } from '../../../src/xds/any.js';
import { getProtoRoot, lookupMessageType, protoLoadTimeMs } from '../../../src/xds/protos.js';
import * as urls from '../../../src/xds/type-urls.js';

test('getProtoRoot loads once and is cached', () => {
  const root = getProtoRoot();
  assert.equal(getProtoRoot(), root);
  assert.ok(protoLoadTimeMs() > 0);
});

const typeNames = [
  'envoy.config.bootstrap.v3.Bootstrap',
  'envoy.service.discovery.v3.DiscoveryRequest',
  'envoy.service.discovery.v3.DeltaDiscoveryResponse',
  'envoy.service.load_stats.v3.LoadStatsRequest',
  'envoy.service.metrics.v3.StreamMetricsMessage',
  'envoy.service.accesslog.v3.StreamAccessLogsMessage',
  'envoy.service.ratelimit.v3.RateLimitRequest',
  'envoy.service.health.v3.HealthCheckRequestOrEndpointHealthResponse',
  'udpa.type.v1.TypedStruct',
  'xds.type.v3.TypedStruct',
];

for (const name of typeNames) {
  test(`lookupMessageType finds ${name}`, () => assert.equal(lookupMessageType(name)?.fullName, `.${name}`));
}

test('lookupMessageType returns null for unknown names and non-messages', () => {
  assert.equal(lookupMessageType('acme.Nope'), null);
  assert.equal(lookupMessageType('envoy.config.cluster.v3.Cluster.LbPolicy'), null);
});

test('every *_TYPE_URL constant names a message in the root', () => {
  const constants = Object.entries(urls).filter(([k]) => k.endsWith('_TYPE_URL'));
  assert.ok(constants.length >= 16);
  for (const [key, url] of constants) {
    assert.ok(typeof url === 'string' && url.startsWith(urls.TYPE_URL_PREFIX), key);
    assert.ok(lookupMessageType(urls.typeNameOf(url)), `${key}: ${url}`);
  }
  assert.equal(urls.typeUrlFor('.a.B'), 'type.googleapis.com/a.B');
  assert.equal(urls.typeNameOf('example.com/x/a.B'), 'a.B');
});

test('Envoy metrics service messages decode with the in-code prometheus model', () => {
  const msg = {
    identifier: { node: { id: 'r1' } },
    envoy_metrics: [
      { name: 'cluster.a.upstream_rq_total', type: 'COUNTER', metric: [{ counter: { value: 3 }, timestamp_ms: 1_700_000_000_000 }] },
      { name: 'cluster.a.upstream_rq_time', type: 'HISTOGRAM', metric: [{ histogram: { sample_count: 2, sample_sum: 7.5, bucket: [{ cumulative_count: 1, upper_bound: 5 }] } }] },
    ],
  };
  const back = decodeMessage('envoy.service.metrics.v3.StreamMetricsMessage', encodeMessage('envoy.service.metrics.v3.StreamMetricsMessage', msg));
  assert.ok(back.ok, JSON.stringify(!back.ok && back.errors));
  assert.deepStrictEqual(back.value, msg);
});
