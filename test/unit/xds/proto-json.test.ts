import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProtoObject } from '../../../src/xds/proto-object.js';
import { parseProtoJson } from '../../../src/xds/proto-json.js';

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap';
const CLUSTER = 'envoy.config.cluster.v3.Cluster';
const HCM_URL = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

/** A STATIC cluster with endpoints on the given ports; `endpoint` overrides the second endpoint's `endpoint` message. */
function clusterJson(extra: Record<string, unknown> = {}, endpoint: Record<string, unknown> | null = null): Record<string, unknown> {
  return {
    name: 'backend',
    type: 'STATIC',
    loadAssignment: {
      clusterName: 'backend',
      endpoints: [
        {
          lbEndpoints: [
            { endpoint: { address: { socketAddress: { address: '127.0.0.1', portValue: 8080 } } } },
            { endpoint: endpoint ?? { address: { socketAddress: { address: '127.0.0.1', portValue: 8081 } } } },
          ],
        },
      ],
    },
    ...extra,
  };
}

interface OkCase {
  readonly name: string;
  readonly type: string;
  readonly input: unknown;
  readonly expected: ProtoObject;
}

const okCases: OkCase[] = [
  {
    name: 'proto field names and lowerCamel json names are both accepted',
    type: 'envoy.config.core.v3.SocketAddress',
    input: { address: '0.0.0.0', portValue: 10000, resolver_name: 'dns' },
    expected: { address: '0.0.0.0', port_value: 10000, resolver_name: 'dns' },
  },
  {
    name: 'durations in every JSON spelling become {seconds, nanos}',
    type: CLUSTER,
    input: { name: 'a', connect_timeout: '1.5s', dns_refresh_rate: '0.250s', cleanup_interval: { seconds: 7, nanos: 5 }, wait_for_warm_on_init: true },
    expected: {
      name: 'a',
      connect_timeout: { seconds: 1, nanos: 500_000_000 },
      dns_refresh_rate: { seconds: 0, nanos: 250_000_000 },
      cleanup_interval: { seconds: 7, nanos: 5 },
      wait_for_warm_on_init: { value: true },
    },
  },
  {
    name: 'wrappers given as plain values become {value}',
    type: 'envoy.config.route.v3.WeightedCluster.ClusterWeight',
    input: { name: 'blue', weight: 80 },
    expected: { name: 'blue', weight: { value: 80 } },
  },
  {
    name: 'enums by name or by number become names; the zero value is left out (proto3 default)',
    type: CLUSTER,
    input: { name: 'a', type: 3, lb_policy: 'ROUND_ROBIN', dns_lookup_family: 'V4_ONLY' },
    expected: { name: 'a', type: 'EDS', dns_lookup_family: 'V4_ONLY' },
  },
  {
    name: 'int64 as number or string',
    type: 'envoy.type.v3.Int64Range',
    input: { start: '-5', end: 9007199254740991 },
    expected: { start: -5, end: 9007199254740991 },
  },
  {
    name: 'bytes as base64 become a Buffer',
    type: 'envoy.config.core.v3.DataSource',
    input: { inline_bytes: Buffer.from('hello').toString('base64') },
    expected: { inline_bytes: Buffer.from('hello') },
  },
  {
    name: 'Struct is kept as plain JSON, null included',
    type: 'envoy.config.core.v3.Node',
    input: { id: 'n', metadata: { a: [1, 'x', null, { b: true }] } },
    expected: { id: 'n', metadata: { a: [1, 'x', null, { b: true }] } },
  },
  {
    name: 'null means not set; empty lists and implicit defaults are left out',
    type: 'envoy.config.core.v3.Node',
    input: { id: '', cluster: null, client_features: [], user_agent_name: 'x' },
    expected: { user_agent_name: 'x' },
  },
  {
    name: 'a oneof member keeps its value even when it is the default',
    type: 'envoy.config.core.v3.SocketAddress',
    input: { address: '::', port_value: 0 },
    expected: { address: '::', port_value: 0 },
  },
  {
    name: 'maps of Any are parsed per entry',
    type: CLUSTER,
    input: {
      name: 'grpc',
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
          explicitHttpConfig: { http2ProtocolOptions: {} },
        },
      },
    },
    expected: {
      name: 'grpc',
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
          explicit_http_config: { http2_protocol_options: {} },
        },
      },
    },
  },
  {
    name: 'Any is parsed recursively with its own fields',
    type: 'envoy.config.listener.v3.Filter',
    input: { name: 'hcm', typed_config: { '@type': HCM_URL, statPrefix: 'ingress', rds: { route_config_name: 'r', config_source: { ads: {} } } } },
    expected: {
      name: 'hcm',
      typed_config: { '@type': HCM_URL, stat_prefix: 'ingress', rds: { route_config_name: 'r', config_source: { ads: {} } } },
    },
  },
  {
    name: 'a well-known type inside an Any takes its JSON form under "value"',
    type: 'envoy.config.core.v3.TypedExtensionConfig',
    input: { name: 'd', typed_config: { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '2s' } },
    expected: { name: 'd', typed_config: { '@type': 'type.googleapis.com/google.protobuf.Duration', seconds: 2, nanos: 0 } },
  },
  {
    name: 'Timestamp from RFC 3339 becomes {seconds, nanos}',
    type: 'envoy.data.accesslog.v3.AccessLogCommon',
    input: { start_time: '2024-01-02T03:04:05.5Z', time_to_last_rx_byte: '0.001s' },
    expected: { start_time: { seconds: 1704164645, nanos: 500_000_000 }, time_to_last_rx_byte: { seconds: 0, nanos: 1_000_000 } },
  },
  {
    name: 'empty maps are left out',
    type: 'envoy.config.core.v3.Node',
    input: { dynamic_parameters: {} },
    expected: {},
  },
];

for (const c of okCases) {
  test(`parseProtoJson: ${c.name}`, () => {
    const result = parseProtoJson(c.type, c.input);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepStrictEqual(result.value, c.expected);
  });
}

interface ErrorCase {
  readonly name: string;
  readonly type: string;
  readonly input: unknown;
  /** Every error must be listed, in order: [path, message pattern]. */
  readonly errors: readonly (readonly [string, RegExp])[];
}

const errorCases: ErrorCase[] = [
  {
    name: 'unknown field deep inside a bootstrap names its full camelCase path',
    type: BOOTSTRAP,
    input: { staticResources: { clusters: [clusterJson({}, { adress: { socketAddress: { address: '127.0.0.1', portValue: 8081 } } })] } },
    errors: [['staticResources.clusters[0].loadAssignment.endpoints[0].lbEndpoints[1].endpoint.adress', /unknown field "adress"/]],
  },
  {
    name: 'wrong enum name lists the allowed names',
    type: BOOTSTRAP,
    input: { static_resources: { clusters: [clusterJson({ lb_policy: 'ROUND_ROBBIN' })] } },
    errors: [['staticResources.clusters[0].lbPolicy', /must be one of ROUND_ROBIN, LEAST_REQUEST.*got "ROUND_ROBBIN"/]],
  },
  {
    name: 'two members of one oneof',
    type: 'envoy.config.core.v3.Address',
    input: { socket_address: { address: '1.2.3.4', port_value: 80, named_port: 'http' } },
    errors: [['socketAddress.namedPort', /only one of portValue, namedPort may be set \(oneof port_specifier\)/]],
  },
  {
    name: 'bad duration "5 sec"',
    type: CLUSTER,
    input: { name: 'a', connect_timeout: '5 sec' },
    errors: [['connectTimeout', /must be a duration such as "1.5s".*got "5 sec"/]],
  },
  {
    name: 'unknown @type of an Any',
    type: 'envoy.config.listener.v3.Filter',
    input: { name: 'x', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.nope.v3.Nope' } },
    errors: [['typedConfig.@type', /unknown type "type.googleapis.com\/envoy.extensions.filters.network.nope.v3.Nope"/]],
  },
  {
    name: 'Any without @type',
    type: 'envoy.config.listener.v3.Filter',
    input: { name: 'x', typed_config: { stat_prefix: 'a' } },
    errors: [['typedConfig.@type', /is required/]],
  },
  {
    name: 'the same field spelled both ways',
    type: 'envoy.config.core.v3.SocketAddress',
    input: { address: 'a', port_value: 1, portValue: 2 },
    errors: [['portValue', /given twice, as "port_value" and "portValue"/]],
  },
  {
    name: 'wrong scalar shapes are each reported (all errors collected)',
    type: CLUSTER,
    input: { name: 7, per_connection_buffer_limit_bytes: 'lots', respect_dns_ttl: 'yes', max_requests_per_connection: -1, load_assignment: [] },
    errors: [
      ['name', /must be a string, got 7/],
      ['perConnectionBufferLimitBytes', /must be an integer \(uint32\), got "lots"/],
      ['respectDnsTtl', /must be a boolean, got "yes"/],
      ['maxRequestsPerConnection', /must be 0–4294967295 \(uint32\), got -1/],
      ['loadAssignment', /must be an object \(ClusterLoadAssignment\), got a list/],
    ],
  },
  {
    name: 'repeated field given a single object',
    type: 'envoy.config.core.v3.Node',
    input: { client_features: 'a' },
    errors: [['clientFeatures', /must be a list/]],
  },
  {
    name: 'bad base64 bytes',
    type: 'envoy.config.core.v3.DataSource',
    input: { inline_bytes: 'not base64!' },
    errors: [['inlineBytes', /must be base64 bytes/]],
  },
  {
    name: 'a non-object Struct and a bad nested scalar',
    type: 'envoy.config.core.v3.Node',
    input: { metadata: [1], locality: { region: 1 } },
    errors: [
      ['metadata', /must be an object, got a list/],
      ['locality.region', /must be a string/],
    ],
  },
  {
    name: 'the top level must be an object',
    type: BOOTSTRAP,
    input: 'node: x',
    errors: [['', /must be an object \(Bootstrap\)/]],
  },
  {
    name: 'unknown message type is an error, not a throw',
    type: 'envoy.nope.Nope',
    input: {},
    errors: [['', /unknown message type "envoy.nope.Nope"/]],
  },
];

for (const c of errorCases) {
  test(`parseProtoJson rejects: ${c.name}`, () => {
    const result = parseProtoJson(c.type, c.input);
    assert.ok(!result.ok, 'expected errors');
    assert.deepStrictEqual(
      result.errors.map((e) => e.path),
      c.errors.map(([path]) => path),
    );
    for (let i = 0; i < c.errors.length; i++) assert.match(result.errors[i].message, c.errors[i][1]);
  });
}

test('parseProtoJson: path prefix is prepended', () => {
  const result = parseProtoJson(CLUSTER, { nmae: 'x' }, 'resources[3]');
  assert.ok(!result.ok);
  assert.equal(result.errors[0].path, 'resources[3].nmae');
});
