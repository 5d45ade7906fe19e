import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { decodeCluster } from '../../../../src/xds/resources/cluster.js';
import type { Cluster } from '../../../../src/xds/resources/cluster.types.js';
import { OUTLIER_DETECTION_DEFAULTS } from '../../../../src/xds/resources/outlier-detection.js';
import { HTTP_PROTOCOL_OPTIONS_TYPE_URL } from '../../../../src/xds/type-urls.js';

const LA = {
  cluster_name: 'backend',
  endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 8080 } } } }] }],
};

/** A valid STATIC cluster plus `extra`. */
function cluster(extra: ProtoObject = {}): ProtoObject {
  return { name: 'backend', load_assignment: LA, ...extra };
}

function eds(extra: ProtoObject = {}): ProtoObject {
  return { name: 'svc--rev-1', type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, ...extra };
}

function expectOk(msg: ProtoObject): Cluster {
  const r = decodeCluster(msg, '');
  assert.ok(r.ok, `unexpected errors: ${!r.ok ? JSON.stringify(r.errors) : ''}`);
  return r.value;
}

const HC = { timeout: { seconds: 1, nanos: 0 }, interval: { seconds: 5, nanos: 0 }, unhealthy_threshold: { value: 3 }, healthy_threshold: { value: 2 } };
const TYPED_HTTP2 = {
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
    '@type': HTTP_PROTOCOL_OPTIONS_TYPE_URL,
    explicit_http_config: { http2_protocol_options: {} },
    common_http_protocol_options: { idle_timeout: { seconds: 60, nanos: 0 }, max_requests_per_connection: { value: 100 } },
  },
};

test('a minimal STATIC cluster gets every Envoy default', () => {
  const c = expectOk(cluster());
  const { loadAssignment, ...rest } = c;
  assert.deepStrictEqual(rest, {
    name: 'backend',
    type: 'STATIC',
    edsServiceName: '',
    edsConfig: null,
    connectTimeoutMs: 5000,
    lbPolicy: 'ROUND_ROBIN',
    leastRequestChoiceCount: 2,
    leastRequestActiveRequestBias: 1,
    ringHashMinimumRingSize: 1024,
    ringHashMaximumRingSize: 8_388_608,
    maglevTableSize: 65_537,
    healthyPanicThresholdPercent: 50,
    circuitBreakers: [],
    healthChecks: [],
    outlierDetection: null,
    upstreamProtocol: 'http1',
    upstreamIdleTimeoutMs: 3_600_000,
    maxRequestsPerConnection: 0,
    perConnectionBufferLimitBytes: 1_048_576,
    ignoreHealthOnHostRemoval: false,
    lrsServer: null,
    upstreamBindAddress: null,
  });
  assert.equal(loadAssignment?.endpoints[0].lbEndpoints[0].address.port, 8080);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(loadAssignment?.endpoints), 'deep-frozen');
});

const okCases: { name: string; input: ProtoObject; check: (c: Cluster) => void }[] = [
  {
    name: 'EDS: service_name defaults to the cluster name',
    input: eds(),
    check: (c) => {
      assert.equal(c.type, 'EDS');
      assert.equal(c.edsServiceName, 'svc--rev-1');
      assert.deepStrictEqual(c.edsConfig, { kind: 'ads', resourceApiVersion: 'V3' });
      assert.equal(c.loadAssignment, null);
    },
  },
  {
    name: 'EDS with an explicit service_name',
    input: eds({ eds_cluster_config: { eds_config: { ads: {} }, service_name: 'other' } }),
    check: (c) => assert.equal(c.edsServiceName, 'other'),
  },
  {
    name: 'STRICT_DNS may use hostnames',
    input: cluster({
      type: 'STRICT_DNS',
      dns_lookup_family: 'V4_ONLY',
      load_assignment: { cluster_name: 'x', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'api.internal', port_value: 443 } } } }] }] },
    }),
    check: (c) => assert.equal(c.loadAssignment?.endpoints[0].lbEndpoints[0].address.host, 'api.internal'),
  },
  {
    name: 'connect_timeout',
    input: cluster({ connect_timeout: { seconds: 0, nanos: 250_000_000 } }),
    check: (c) => assert.equal(c.connectTimeoutMs, 250),
  },
  {
    name: 'LEAST_REQUEST with its config',
    input: cluster({ lb_policy: 'LEAST_REQUEST', least_request_lb_config: { choice_count: { value: 3 }, active_request_bias: { default_value: 0.5, runtime_key: 'x' } } }),
    check: (c) => assert.deepStrictEqual([c.lbPolicy, c.leastRequestChoiceCount, c.leastRequestActiveRequestBias], ['LEAST_REQUEST', 3, 0.5]),
  },
  {
    name: 'RING_HASH with sizes',
    input: cluster({ lb_policy: 'RING_HASH', ring_hash_lb_config: { minimum_ring_size: { value: 64 }, maximum_ring_size: { value: 4096 }, hash_function: 'XX_HASH' } }),
    check: (c) => assert.deepStrictEqual([c.ringHashMinimumRingSize, c.ringHashMaximumRingSize], [64, 4096]),
  },
  {
    name: 'MAGLEV with a prime table',
    input: cluster({ lb_policy: 'MAGLEV', maglev_lb_config: { table_size: { value: 251 } } }),
    check: (c) => assert.deepStrictEqual([c.lbPolicy, c.maglevTableSize], ['MAGLEV', 251]),
  },
  {
    name: 'RANDOM',
    input: cluster({ lb_policy: 'RANDOM' }),
    check: (c) => assert.equal(c.lbPolicy, 'RANDOM'),
  },
  {
    name: 'panic threshold truncated to whole percents; 0 disables',
    input: cluster({ common_lb_config: { healthy_panic_threshold: { value: 33.9 }, update_merge_window: { seconds: 1, nanos: 0 } } }),
    check: (c) => assert.equal(c.healthyPanicThresholdPercent, 33),
  },
  {
    name: 'circuit breakers: defaults per threshold, first per priority wins',
    input: cluster({
      circuit_breakers: {
        thresholds: [
          { max_connections: { value: 10 }, track_remaining: true },
          { priority: 'HIGH', retry_budget: {} },
          { max_connections: { value: 99 } },
        ],
      },
    }),
    check: (c) =>
      assert.deepStrictEqual(c.circuitBreakers, [
        { priority: 'DEFAULT', maxConnections: 10, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3, retryBudget: null, trackRemaining: true },
        {
          priority: 'HIGH',
          maxConnections: 1024,
          maxPendingRequests: 1024,
          maxRequests: 1024,
          maxRetries: 3,
          retryBudget: { budgetPercent: 20, minRetryConcurrency: 3 },
          trackRemaining: false,
        },
      ]),
  },
  {
    name: 'retry budget values',
    input: cluster({ circuit_breakers: { thresholds: [{ retry_budget: { budget_percent: { value: 12.5 }, min_retry_concurrency: { value: 1 } } }] } }),
    check: (c) => assert.deepStrictEqual(c.circuitBreakers[0].retryBudget, { budgetPercent: 12.5, minRetryConcurrency: 1 }),
  },
  {
    name: 'HTTP health check defaults cascade from interval',
    input: cluster({ health_checks: [{ ...HC, http_health_check: { path: '/healthz' } }] }),
    check: (c) =>
      assert.deepStrictEqual(c.healthChecks, [
        {
          timeoutMs: 1000,
          intervalMs: 5000,
          intervalJitterMs: 0,
          intervalJitterPercent: 0,
          unhealthyThreshold: 3,
          healthyThreshold: 2,
          noTrafficIntervalMs: 60_000,
          unhealthyIntervalMs: 5000,
          healthyEdgeIntervalMs: 5000,
          unhealthyEdgeIntervalMs: 5000,
          eventLogPath: '',
          alwaysLogHealthCheckFailures: false,
          alwaysLogHealthCheckSuccess: false,
          initialJitterMs: 0,
          reuseConnection: true,
          checker: { kind: 'http', host: '', path: '/healthz', expectedStatuses: [[200, 201]], retriableStatuses: [], method: 'GET' },
        },
      ]),
  },
  {
    name: 'HTTP health check with everything set; unhealthy_edge_interval defaults to unhealthy_interval',
    input: cluster({
      health_checks: [
        {
          ...HC,
          interval_jitter: { seconds: 0, nanos: 100_000_000 },
          interval_jitter_percent: 10,
          no_traffic_interval: { seconds: 30, nanos: 0 },
          unhealthy_interval: { seconds: 2, nanos: 0 },
          healthy_edge_interval: { seconds: 1, nanos: 0 },
          event_log_path: '/tmp/hc.log',
          always_log_health_check_failures: true,
          always_log_health_check_success: true,
          initial_jitter: { seconds: 0, nanos: 250_000_000 },
          reuse_connection: { value: false },
          http_health_check: {
            host: 'svc',
            path: '/ready',
            expected_statuses: [{ start: 200, end: 300 }, { start: 404, end: 405 }],
            retriable_statuses: [{ start: 500, end: 600 }],
            method: 'HEAD',
          },
        },
      ],
    }),
    check: (c) => {
      const hc = c.healthChecks[0];
      assert.deepStrictEqual(
        [hc.intervalJitterMs, hc.intervalJitterPercent, hc.noTrafficIntervalMs, hc.unhealthyIntervalMs, hc.healthyEdgeIntervalMs, hc.unhealthyEdgeIntervalMs],
        [100, 10, 30_000, 2000, 1000, 2000],
      );
      assert.deepStrictEqual([hc.eventLogPath, hc.alwaysLogHealthCheckFailures], ['/tmp/hc.log', true]);
      assert.deepStrictEqual([hc.alwaysLogHealthCheckSuccess, hc.initialJitterMs, hc.reuseConnection], [true, 250, false]);
      assert.deepStrictEqual(hc.checker, { kind: 'http', host: 'svc', path: '/ready', expectedStatuses: [[200, 300], [404, 405]], retriableStatuses: [[500, 600]], method: 'HEAD' });
    },
  },
  {
    name: 'TCP health check with hex and binary payloads',
    input: cluster({ health_checks: [{ ...HC, tcp_health_check: { send: { text: '50494E47' }, receive: [{ binary: Buffer.from('PONG') }] } }] }),
    check: (c) => assert.deepStrictEqual(c.healthChecks[0].checker, { kind: 'tcp', send: Buffer.from('PING'), receive: [Buffer.from('PONG')] }),
  },
  {
    name: 'TCP health check connect-only',
    input: cluster({ health_checks: [{ ...HC, tcp_health_check: {} }] }),
    check: (c) => assert.deepStrictEqual(c.healthChecks[0].checker, { kind: 'tcp', send: null, receive: [] }),
  },
  {
    name: 'outlier detection: empty message = all Envoy defaults',
    input: cluster({ outlier_detection: {} }),
    check: (c) => assert.deepStrictEqual(c.outlierDetection, OUTLIER_DETECTION_DEFAULTS),
  },
  {
    name: 'outlier detection: values, including explicit zeros',
    input: cluster({
      outlier_detection: {
        consecutive_5xx: { value: 3 },
        enforcing_consecutive_5xx: { value: 0 },
        interval: { seconds: 1, nanos: 0 },
        base_ejection_time: { seconds: 2, nanos: 0 },
        max_ejection_percent: { value: 50 },
        split_external_local_origin_errors: true,
        successful_active_health_check_uneject_host: { value: true },
      },
    }),
    check: (c) => {
      const o = c.outlierDetection;
      assert.deepStrictEqual(
        [o?.consecutive5xx, o?.enforcingConsecutive5xx, o?.intervalMs, o?.baseEjectionTimeMs, o?.maxEjectionTimeMs, o?.maxEjectionPercent, o?.splitExternalLocalOriginErrors],
        [3, 0, 1000, 2000, 300_000, 50, true],
      );
    },
  },
  {
    name: 'HTTP/2 upstream through typed_extension_protocol_options',
    input: cluster({ typed_extension_protocol_options: TYPED_HTTP2 }),
    check: (c) => assert.deepStrictEqual([c.upstreamProtocol, c.upstreamIdleTimeoutMs, c.maxRequestsPerConnection], ['http2', 60_000, 100]),
  },
  {
    name: 'explicit HTTP/1 through typed_extension_protocol_options',
    input: cluster({
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': HTTP_PROTOCOL_OPTIONS_TYPE_URL, explicit_http_config: { http_protocol_options: {} } },
      },
    }),
    check: (c) => assert.deepStrictEqual([c.upstreamProtocol, c.upstreamIdleTimeoutMs], ['http1', 3_600_000]),
  },
  {
    name: 'HTTP/2 upstream through the deprecated fields',
    input: cluster({ http2_protocol_options: {}, common_http_protocol_options: { idle_timeout: { seconds: 0, nanos: 0 } }, max_requests_per_connection: { value: 7 } }),
    check: (c) => assert.deepStrictEqual([c.upstreamProtocol, c.upstreamIdleTimeoutMs, c.maxRequestsPerConnection], ['http2', 0, 7]),
  },
  {
    name: 'buffer limit, host removal, LRS, bind address',
    input: cluster({
      per_connection_buffer_limit_bytes: { value: 32_768 },
      ignore_health_on_host_removal: true,
      lrs_server: { self: {} },
      upstream_bind_config: { source_address: { address: '10.1.1.1', port_value: 0 } },
    }),
    check: (c) => {
      assert.equal(c.perConnectionBufferLimitBytes, 32_768);
      assert.equal(c.ignoreHealthOnHostRemoval, true);
      assert.deepStrictEqual(c.lrsServer, { kind: 'self', resourceApiVersion: 'V3' });
      assert.deepStrictEqual(c.upstreamBindAddress, { host: '10.1.1.1', port: 0 });
    },
  },
];

for (const c of okCases) test(`accepts: ${c.name}`, () => c.check(expectOk(c.input)));

const errorCases: { name: string; input: ProtoObject; errors: { path: string; message: RegExp }[] }[] = [
  { name: 'name required', input: { load_assignment: LA }, errors: [{ path: 'name', message: /is required/ }] },
  { name: 'ORIGINAL_DST type', input: cluster({ type: 'ORIGINAL_DST' }), errors: [{ path: 'type', message: /must be one of STATIC, STRICT_DNS, LOGICAL_DNS, EDS/ }] },
  { name: 'custom cluster_type', input: cluster({ cluster_type: { name: 'envoy.clusters.aggregate' } }), errors: [{ path: 'clusterType', message: /not supported/ }] },
  { name: 'STATIC without load_assignment', input: { name: 'x' }, errors: [{ path: 'loadAssignment', message: /is required for STATIC clusters/ }] },
  { name: 'EDS with load_assignment', input: eds({ load_assignment: LA }), errors: [{ path: 'loadAssignment', message: /must not be set for EDS/ }] },
  { name: 'EDS without eds_cluster_config', input: { name: 'x', type: 'EDS' }, errors: [{ path: 'edsClusterConfig', message: /is required for EDS/ }] },
  { name: 'EDS without eds_config', input: { name: 'x', type: 'EDS', eds_cluster_config: {} }, errors: [{ path: 'edsClusterConfig.edsConfig', message: /is required/ }] },
  {
    name: 'STATIC with a hostname',
    input: cluster({ load_assignment: { cluster_name: 'x', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'db', port_value: 1 } } } }] }] } }),
    errors: [{ path: 'loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.address', message: /must be an IP address/ }],
  },
  {
    name: 'LOGICAL_DNS with two endpoints',
    input: cluster({
      type: 'LOGICAL_DNS',
      load_assignment: {
        cluster_name: 'x',
        endpoints: [
          {
            lb_endpoints: [
              { endpoint: { address: { socket_address: { address: 'a', port_value: 1 } } } },
              { endpoint: { address: { socket_address: { address: 'b', port_value: 1 } } } },
            ],
          },
        ],
      },
    }),
    errors: [{ path: 'loadAssignment.endpoints', message: /single locality_lb_endpoint and a single lb_endpoint/ }],
  },
  { name: 'connect_timeout 0', input: cluster({ connect_timeout: { seconds: 0, nanos: 0 } }), errors: [{ path: 'connectTimeout', message: /greater than 0/ }] },
  { name: 'CLUSTER_PROVIDED', input: cluster({ lb_policy: 'CLUSTER_PROVIDED' }), errors: [{ path: 'lbPolicy', message: /CLUSTER_PROVIDED is not supported/ }] },
  { name: 'LOAD_BALANCING_POLICY_CONFIG', input: cluster({ lb_policy: 'LOAD_BALANCING_POLICY_CONFIG' }), errors: [{ path: 'lbPolicy', message: /not supported/ }] },
  { name: 'load_balancing_policy', input: cluster({ load_balancing_policy: { policies: [{}] } }), errors: [{ path: 'loadBalancingPolicy', message: /not supported/ }] },
  {
    name: 'choice_count 1',
    input: cluster({ lb_policy: 'LEAST_REQUEST', least_request_lb_config: { choice_count: { value: 1 } } }),
    errors: [{ path: 'leastRequestLbConfig.choiceCount', message: /at least 2, got 1/ }],
  },
  {
    name: 'negative active_request_bias',
    input: cluster({ lb_policy: 'LEAST_REQUEST', least_request_lb_config: { active_request_bias: { default_value: -1 } } }),
    errors: [{ path: 'leastRequestLbConfig.activeRequestBias.defaultValue', message: /at least 0.0/ }],
  },
  {
    name: 'ring hash config on ROUND_ROBIN',
    input: cluster({ ring_hash_lb_config: {} }),
    errors: [{ path: 'ringHashLbConfig', message: /only valid with lbPolicy RING_HASH, got ROUND_ROBIN/ }],
  },
  {
    name: 'ring hash min > max',
    input: cluster({ lb_policy: 'RING_HASH', ring_hash_lb_config: { minimum_ring_size: { value: 4096 }, maximum_ring_size: { value: 1024 } } }),
    errors: [{ path: 'ringHashLbConfig.minimumRingSize', message: /4096 > 1024/ }],
  },
  {
    name: 'ring hash above 8M',
    input: cluster({ lb_policy: 'RING_HASH', ring_hash_lb_config: { maximum_ring_size: { value: 8_388_609 } } }),
    errors: [{ path: 'ringHashLbConfig.maximumRingSize', message: /must be 0–8388608/ }],
  },
  {
    name: 'ring hash MURMUR_HASH_2',
    input: cluster({ lb_policy: 'RING_HASH', ring_hash_lb_config: { hash_function: 'MURMUR_HASH_2' } }),
    errors: [{ path: 'ringHashLbConfig.hashFunction', message: /only XX_HASH/ }],
  },
  {
    name: 'maglev table not prime',
    input: cluster({ lb_policy: 'MAGLEV', maglev_lb_config: { table_size: { value: 65_536 } } }),
    errors: [{ path: 'maglevLbConfig.tableSize', message: /prime number, got 65536/ }],
  },
  {
    name: 'slow start',
    input: cluster({ round_robin_lb_config: { slow_start_config: { slow_start_window: { seconds: 10, nanos: 0 } } } }),
    errors: [{ path: 'roundRobinLbConfig.slowStartConfig', message: /not supported/ }],
  },
  {
    name: 'panic threshold above 100',
    input: cluster({ common_lb_config: { healthy_panic_threshold: { value: 150 } } }),
    errors: [{ path: 'commonLbConfig.healthyPanicThreshold.value', message: /must be 0–100, got 150/ }],
  },
  {
    name: 'locality weighted lb',
    input: cluster({ common_lb_config: { locality_weighted_lb_config: {} } }),
    errors: [{ path: 'commonLbConfig.localityWeightedLbConfig', message: /not supported/ }],
  },
  {
    name: 'two health checks',
    input: cluster({ health_checks: [{ ...HC, tcp_health_check: {} }, { ...HC, tcp_health_check: {} }] }),
    errors: [{ path: 'healthChecks', message: /at most one/ }],
  },
  {
    name: 'health check without timeout, interval, thresholds',
    input: cluster({ health_checks: [{ tcp_health_check: {} }] }),
    errors: [
      { path: 'healthChecks[0].timeout', message: /is required/ },
      { path: 'healthChecks[0].interval', message: /is required/ },
      { path: 'healthChecks[0].unhealthyThreshold', message: /is required/ },
      { path: 'healthChecks[0].healthyThreshold', message: /is required/ },
    ],
  },
  {
    name: 'health check interval 0',
    input: cluster({ health_checks: [{ ...HC, interval: { seconds: 0, nanos: 0 }, tcp_health_check: {} }] }),
    errors: [{ path: 'healthChecks[0].interval', message: /greater than 0/ }],
  },
  { name: 'health check without a checker', input: cluster({ health_checks: [HC] }), errors: [{ path: 'healthChecks[0]', message: /must set httpHealthCheck or tcpHealthCheck/ }] },
  {
    name: 'gRPC health check',
    input: cluster({ health_checks: [{ ...HC, grpc_health_check: {} }] }),
    errors: [{ path: 'healthChecks[0].grpcHealthCheck', message: /not supported/ }],
  },
  {
    name: 'HTTP health check without path',
    input: cluster({ health_checks: [{ ...HC, http_health_check: { host: 'x' } }] }),
    errors: [{ path: 'healthChecks[0].httpHealthCheck.path', message: /is required/ }],
  },
  {
    name: 'HTTP health check bad status range',
    input: cluster({ health_checks: [{ ...HC, http_health_check: { path: '/', expected_statuses: [{ start: 200, end: 200 }, { start: 99, end: 200 }] } }] }),
    errors: [
      { path: 'healthChecks[0].httpHealthCheck.expectedStatuses[0].end', message: /must be 201–600, got 200/ },
      { path: 'healthChecks[0].httpHealthCheck.expectedStatuses[1].start', message: /must be 100–599, got 99/ },
    ],
  },
  {
    name: 'HTTP health check CONNECT',
    input: cluster({ health_checks: [{ ...HC, http_health_check: { path: '/', method: 'CONNECT' } }] }),
    errors: [{ path: 'healthChecks[0].httpHealthCheck.method', message: /must be one of GET, HEAD/ }],
  },
  {
    name: 'HTTP health check over HTTP2',
    input: cluster({ health_checks: [{ ...HC, http_health_check: { path: '/', codec_client_type: 'HTTP2' } }] }),
    errors: [{ path: 'healthChecks[0].httpHealthCheck.codecClientType', message: /only HTTP1/ }],
  },
  {
    name: 'HTTP health check request headers',
    input: cluster({ health_checks: [{ ...HC, http_health_check: { path: '/', request_headers_to_add: [{ header: { key: 'a', value: 'b' } }] } }] }),
    errors: [{ path: 'healthChecks[0].httpHealthCheck.requestHeadersToAdd', message: /not supported/ }],
  },
  {
    name: 'TCP payload not hex',
    input: cluster({ health_checks: [{ ...HC, tcp_health_check: { send: { text: 'PING' } } }] }),
    errors: [{ path: 'healthChecks[0].tcpHealthCheck.send.text', message: /hex-encoded/ }],
  },
  {
    name: 'TCP payload empty',
    input: cluster({ health_checks: [{ ...HC, tcp_health_check: { receive: [{}] } }] }),
    errors: [{ path: 'healthChecks[0].tcpHealthCheck.receive[0]', message: /must set text \(hex\) or binary/ }],
  },
  {
    name: 'outlier max_ejection_percent above 100',
    input: cluster({ outlier_detection: { max_ejection_percent: { value: 101 } } }),
    errors: [{ path: 'outlierDetection.maxEjectionPercent', message: /must be 0–100, got 101/ }],
  },
  {
    name: 'outlier interval 0',
    input: cluster({ outlier_detection: { interval: { seconds: 0, nanos: 0 } } }),
    errors: [{ path: 'outlierDetection.interval', message: /greater than 0/ }],
  },
  {
    name: 'outlier max ejection below base',
    input: cluster({ outlier_detection: { base_ejection_time: { seconds: 60, nanos: 0 }, max_ejection_time: { seconds: 30, nanos: 0 } } }),
    errors: [{ path: 'outlierDetection.maxEjectionTime', message: /must not be smaller than baseEjectionTime/ }],
  },
  {
    name: 'outlier uneject false',
    input: cluster({ outlier_detection: { successful_active_health_check_uneject_host: { value: false } } }),
    errors: [{ path: 'outlierDetection.successfulActiveHealthCheckUnejectHost', message: /false is not supported/ }],
  },
  {
    name: 'circuit breaker max_connection_pools',
    input: cluster({ circuit_breakers: { thresholds: [{ max_connection_pools: { value: 1 } }] } }),
    errors: [{ path: 'circuitBreakers.thresholds[0].maxConnectionPools', message: /not supported/ }],
  },
  {
    name: 'retry budget above 100%',
    input: cluster({ circuit_breakers: { thresholds: [{ retry_budget: { budget_percent: { value: 120 } } }] } }),
    errors: [{ path: 'circuitBreakers.thresholds[0].retryBudget.budgetPercent.value', message: /must be 0–100, got 120/ }],
  },
  {
    name: 'both protocol spellings',
    input: cluster({ http2_protocol_options: {}, typed_extension_protocol_options: TYPED_HTTP2 }),
    errors: [{ path: 'http2ProtocolOptions', message: /cannot be set together/ }],
  },
  {
    name: 'unknown protocol options extension',
    input: cluster({ typed_extension_protocol_options: { 'envoy.filters.network.thrift_proxy': { '@type': 'x' } } }),
    errors: [{ path: 'typedExtensionProtocolOptions["envoy.filters.network.thrift_proxy"]', message: /not supported/ }],
  },
  {
    name: 'HTTP/3 upstream',
    input: cluster({
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': HTTP_PROTOCOL_OPTIONS_TYPE_URL, explicit_http_config: { http3_protocol_options: {} } },
      },
    }),
    errors: [{ path: 'typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].explicitHttpConfig.http3ProtocolOptions', message: /not supported/ }],
  },
  {
    name: 'auto upstream protocol',
    input: cluster({
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': HTTP_PROTOCOL_OPTIONS_TYPE_URL, auto_config: {} },
      },
    }),
    errors: [{ path: 'typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].autoConfig', message: /not supported/ }],
  },
  {
    name: 'USE_DOWNSTREAM_PROTOCOL',
    input: cluster({ protocol_selection: 'USE_DOWNSTREAM_PROTOCOL' }),
    errors: [{ path: 'protocolSelection', message: /only USE_CONFIGURED_PROTOCOL/ }],
  },
  {
    name: 'upstream TLS',
    input: cluster({ transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: { '@type': 'x' } } }),
    errors: [{ path: 'transportSocket', message: /not supported/ }],
  },
  {
    name: 'bind config freebind',
    input: cluster({ upstream_bind_config: { source_address: { address: '10.0.0.1', port_value: 0 }, freebind: { value: true } } }),
    errors: [{ path: 'upstreamBindConfig.freebind', message: /not supported/ }],
  },
  {
    name: 'lrs_server not ads/self',
    input: cluster({ lrs_server: { path: '/x' } }),
    errors: [{ path: 'lrsServer', message: /./ }],
  },
];

for (const c of errorCases) {
  test(`rejects: ${c.name}`, () => {
    const r = decodeCluster(c.input, '');
    assert.ok(!r.ok, 'expected errors');
    assert.deepStrictEqual(
      r.errors.map((e) => e.path),
      c.errors.map((e) => e.path),
      JSON.stringify(r.errors),
    );
    c.errors.forEach((e, i) => assert.match(r.errors[i].message, e.message));
  });
}

test('all errors are collected, under the caller path', () => {
  const r = decodeCluster({ lb_policy: 'MAGLEV', maglev_lb_config: { table_size: { value: 4 } }, connect_timeout: { seconds: -1, nanos: 0 } }, 'staticResources.clusters[2]');
  assert.ok(!r.ok);
  assert.deepStrictEqual(r.errors.map((e) => e.path).sort(), [
    'staticResources.clusters[2].connectTimeout',
    'staticResources.clusters[2].loadAssignment',
    'staticResources.clusters[2].maglevLbConfig.tableSize',
    'staticResources.clusters[2].name',
  ]);
});
