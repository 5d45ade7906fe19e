import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { InvalidArgumentError } from '../../../src/common/errors.js';
import { decodeMessage, encodeMessage, packAny, unpackAny } from '../../../src/xds/any.js';
import type { ProtoObject } from '../../../src/xds/proto-object.js';
import { parseProtoJson } from '../../../src/xds/proto-json.js';
import { lookupMessageType } from '../../../src/xds/protos.js';
import { BOOTSTRAP_TYPE_URL, CLUSTER_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, LISTENER_TYPE_URL, typeNameOf, typeUrlFor } from '../../../src/xds/type-urls.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/bootstrap');

function parsed(typeUrl: string, json: unknown): ProtoObject {
  const result = parseProtoJson(typeNameOf(typeUrl), json);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return { '@type': typeUrl, ...result.value };
}

const roundTrips: { name: string; typeUrl: string; json: unknown }[] = [
  { name: 'the static bootstrap fixture', typeUrl: BOOTSTRAP_TYPE_URL, json: parse(readFileSync(join(FIXTURES, 'envoy-static.yaml'), 'utf8')) },
  { name: 'the ADS bootstrap fixture', typeUrl: BOOTSTRAP_TYPE_URL, json: parse(readFileSync(join(FIXTURES, 'envoy-ads.yaml'), 'utf8')) },
  {
    name: 'a cluster with wrappers, enums, a zero-valued oneof member and Struct metadata',
    typeUrl: CLUSTER_TYPE_URL,
    json: {
      name: 'c',
      type: 'STRICT_DNS',
      lb_policy: 'LEAST_REQUEST',
      least_request_lb_config: { choice_count: 3 },
      per_connection_buffer_limit_bytes: 0,
      circuit_breakers: { thresholds: [{ priority: 'HIGH', max_connections: 10 }] },
      metadata: { filter_metadata: { 'switchyard.io': { tenant: 't1', weights: [1, 2.5, null], nested: { ok: true } } } },
      load_assignment: { cluster_name: 'c', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'a', port_value: 0 } } } }] }] },
    },
  },
  {
    name: 'a listener whose HCM carries Any-typed filters and per-route configs',
    typeUrl: LISTENER_TYPE_URL,
    json: {
      name: 'l',
      address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
      filter_chains: [
        {
          filters: [
            {
              name: 'hcm',
              typed_config: {
                '@type': HTTP_CONNECTION_MANAGER_TYPE_URL,
                stat_prefix: 's',
                rds: { route_config_name: 'r', config_source: { ads: {}, resource_api_version: 'V3' } },
                http_filters: [
                  {
                    name: 'envoy.filters.http.local_ratelimit',
                    typed_config: {
                      '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                      stat_prefix: 'rl',
                      token_bucket: { max_tokens: 10, tokens_per_fill: 5, fill_interval: '1s' },
                    },
                  },
                  { name: 'router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } },
                ],
              },
            },
          ],
        },
      ],
    },
  },
];

for (const c of roundTrips) {
  test(`parseProtoJson → packAny → unpackAny round trip: ${c.name}`, () => {
    const obj = parsed(c.typeUrl, c.json);
    const packed = packAny(obj);
    assert.equal(packed.type_url, c.typeUrl);
    assert.ok(Buffer.isBuffer(packed.value) && packed.value.length > 0);
    const back = unpackAny(packed);
    assert.ok(back.ok, JSON.stringify(!back.ok && back.errors));
    assert.deepStrictEqual(back.value, obj);
  });
}

test('unpackAny: an unknown top-level type is an error at @type', () => {
  const result = unpackAny({ type_url: 'type.googleapis.com/acme.Nope', value: new Uint8Array() }, 'resources[2]');
  assert.ok(!result.ok);
  assert.deepStrictEqual(result.errors.map((e) => e.path), ['resources[2].@type']);
  assert.match(result.errors[0].message, /unknown type "type.googleapis.com\/acme.Nope"/);
});

test('unpackAny: a nested Any of an unknown type is marked @unknown, not an error', () => {
  const filterType = lookupMessageType('envoy.config.listener.v3.Filter');
  assert.ok(filterType);
  const bytes = filterType.encode({ name: 'x', typed_config: { type_url: 'type.googleapis.com/acme.Filter', value: Buffer.from([8, 1]) } }).finish();
  const result = unpackAny({ type_url: typeUrlFor('envoy.config.listener.v3.Filter'), value: bytes });
  assert.ok(result.ok);
  assert.deepStrictEqual(result.value, {
    '@type': 'type.googleapis.com/envoy.config.listener.v3.Filter',
    name: 'x',
    typed_config: { '@type': 'type.googleapis.com/acme.Filter', '@unknown': true },
  });
});

test('unpackAny: malformed bytes are an error, not a throw', () => {
  const result = unpackAny({ type_url: CLUSTER_TYPE_URL, value: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) });
  assert.ok(!result.ok);
  assert.match(result.errors[0].message, /cannot decode envoy.config.cluster.v3.Cluster/);
});

test('decodeMessage: implicit proto3 defaults on the wire are left out, explicit presence kept', () => {
  const clusterType = lookupMessageType('envoy.config.cluster.v3.Cluster');
  assert.ok(clusterType);
  // An encoder that writes defaults explicitly (name '', lb_policy 0, per_connection_buffer_limit_bytes {value: 0}).
  const bytes = clusterType.encode({ name: '', lb_policy: 0, per_connection_buffer_limit_bytes: { value: 0 }, connect_timeout: {} }).finish();
  const result = decodeMessage('envoy.config.cluster.v3.Cluster', bytes);
  assert.ok(result.ok);
  assert.deepStrictEqual(result.value, { per_connection_buffer_limit_bytes: { value: 0 }, connect_timeout: { seconds: 0, nanos: 0 } });
});

test('decodeMessage: 64-bit integers become numbers, bytes Buffers, enums names', () => {
  const encoded = encodeMessage('envoy.type.v3.Int64Range', { start: -(2 ** 40), end: 2 ** 52 });
  const range = decodeMessage('envoy.type.v3.Int64Range', encoded);
  assert.ok(range.ok);
  assert.deepStrictEqual(range.value, { start: -(2 ** 40), end: 2 ** 52 });
  const ds = decodeMessage('envoy.config.core.v3.DataSource', encodeMessage('envoy.config.core.v3.DataSource', { inline_bytes: Buffer.from([0, 1, 2]) }));
  assert.ok(ds.ok);
  assert.ok(Buffer.isBuffer(ds.value.inline_bytes));
  assert.deepStrictEqual(ds.value.inline_bytes, Buffer.from([0, 1, 2]));
});

const wellKnownAnys: { name: string; obj: ProtoObject }[] = [
  { name: 'Duration', obj: { '@type': 'type.googleapis.com/google.protobuf.Duration', seconds: 3, nanos: 7 } },
  { name: 'UInt32Value', obj: { '@type': 'type.googleapis.com/google.protobuf.UInt32Value', value: 42 } },
  { name: 'Struct', obj: { '@type': 'type.googleapis.com/google.protobuf.Struct', value: { a: 1, b: ['x', null], c: { d: false } } } },
  { name: 'Empty', obj: { '@type': 'type.googleapis.com/google.protobuf.Empty' } },
  {
    name: 'TypedStruct',
    obj: { '@type': 'type.googleapis.com/xds.type.v3.TypedStruct', type_url: 'type.googleapis.com/acme.Cfg', value: { limit: 5 } },
  },
];

for (const c of wellKnownAnys) {
  test(`packAny/unpackAny: well-known type ${c.name} inside an Any`, () => {
    const back = unpackAny(packAny(c.obj));
    assert.ok(back.ok, JSON.stringify(!back.ok && back.errors));
    assert.deepStrictEqual(back.value, c.obj);
  });
}

test('encodeMessage: a wrapper may be given as a plain value', () => {
  const a = encodeMessage('envoy.config.route.v3.WeightedCluster.ClusterWeight', { name: 'x', weight: 5 });
  const b = encodeMessage('envoy.config.route.v3.WeightedCluster.ClusterWeight', { name: 'x', weight: { value: 5 } });
  assert.deepStrictEqual(a, b);
});

const misuse: { name: string; run: () => unknown; error: RegExp }[] = [
  { name: 'unknown field', run: () => encodeMessage('envoy.config.cluster.v3.Cluster', { nmae: 'x' }), error: /nmae: unknown field/ },
  { name: 'unknown enum name', run: () => encodeMessage('envoy.config.cluster.v3.Cluster', { lb_policy: 'FASTEST' }), error: /lbPolicy: must be one of/ },
  { name: 'Any without @type', run: () => packAny({ name: 'x' }), error: /@type: is required/ },
  { name: 'Any of unknown type', run: () => packAny({ '@type': 'type.googleapis.com/acme.X' }), error: /unknown type/ },
  { name: 'an @unknown Any cannot be re-encoded', run: () => packAny({ '@type': 'type.googleapis.com/acme.X', '@unknown': true }), error: /unknown type/ },
  { name: 'unknown message type', run: () => encodeMessage('acme.Nope', {}), error: /unknown message type/ },
];

for (const c of misuse) {
  test(`encodeMessage/packAny throw InvalidArgumentError: ${c.name}`, () => {
    assert.throws(c.run, (err: unknown) => err instanceof InvalidArgumentError && c.error.test(err.message));
  });
}
