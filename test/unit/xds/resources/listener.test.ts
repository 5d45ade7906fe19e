import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { DEFAULT_ACCESS_LOG_FORMAT } from '../../../../src/xds/resources/access-log.js';
import { decodeHttpConnectionManager, decodeListener } from '../../../../src/xds/resources/listener.js';
import type { HttpConnectionManager, Listener } from '../../../../src/xds/resources/listener.types.js';
import {
  DOWNSTREAM_TLS_CONTEXT_TYPE_URL,
  FILE_ACCESS_LOG_TYPE_URL,
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  LOCAL_RATELIMIT_TYPE_URL,
  ROUTER_FILTER_TYPE_URL,
  STDERR_ACCESS_LOG_TYPE_URL,
  STDOUT_ACCESS_LOG_TYPE_URL,
} from '../../../../src/xds/type-urls.js';
import type { FieldError } from '../../../../src/xds/validation.js';

const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_FILTER_TYPE_URL } };
const LOCAL_RL = { name: 'envoy.filters.http.local_ratelimit', typed_config: { '@type': LOCAL_RATELIMIT_TYPE_URL, stat_prefix: 'rl' } };
const ROUTE_CONFIG = {
  name: 'local_route',
  virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'backend' } }] }],
};

/** An HCM typed_config with RDS from ADS, plus `extra`. */
function hcm(extra: ProtoObject = {}): ProtoObject {
  return {
    '@type': HTTP_CONNECTION_MANAGER_TYPE_URL,
    stat_prefix: 'ingress_http',
    rds: { route_config_name: 'ingress', config_source: { ads: {}, resource_api_version: 'V3' } },
    http_filters: [ROUTER],
    ...extra,
  };
}

function chain(hcmConfig: ProtoObject = hcm(), extra: ProtoObject = {}): ProtoObject {
  return { filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcmConfig }], ...extra };
}

function listener(extra: ProtoObject = {}): ProtoObject {
  return { name: 'ingress', address: { socket_address: { address: '0.0.0.0', port_value: 8080 } }, filter_chains: [chain()], ...extra };
}

function expectOk(msg: ProtoObject): Listener {
  const r = decodeListener(msg, '');
  assert.ok(r.ok, `unexpected errors: ${!r.ok ? JSON.stringify(r.errors) : ''}`);
  return r.value;
}

function expectHcm(extra: ProtoObject): HttpConnectionManager {
  return expectOk(listener({ filter_chains: [chain(hcm(extra))] })).filterChains[0].httpConnectionManager;
}

const HCM_PATH = 'filterChains[0].filters[0].typedConfig';

test('a minimal listener and HCM get every Envoy default', () => {
  const l = expectOk(listener());
  const { filterChains, ...rest } = l;
  assert.deepStrictEqual(rest, {
    name: 'ingress',
    address: { host: '0.0.0.0', port: 8080 },
    defaultFilterChain: null,
    apiListener: null,
    perConnectionBufferLimitBytes: 1_048_576,
    drainType: 'DEFAULT',
    statPrefix: '',
    metadata: null,
  });
  assert.equal(filterChains.length, 1);
  assert.deepStrictEqual([filterChains[0].name, filterChains[0].serverNames, filterChains[0].transportSocket], ['', [], { kind: 'plaintext' }]);
  assert.deepStrictEqual(filterChains[0].httpConnectionManager, {
    statPrefix: 'ingress_http',
    codecType: 'AUTO',
    route: { kind: 'rds', routeConfigName: 'ingress', configSource: { kind: 'ads', resourceApiVersion: 'V3' } },
    httpFilters: [{ name: 'envoy.filters.http.router', typeUrl: ROUTER_FILTER_TYPE_URL, config: { '@type': ROUTER_FILTER_TYPE_URL }, isOptional: false, disabled: false }],
    accessLog: [],
    useRemoteAddress: false,
    xffNumTrustedHops: 0,
    skipXffAppend: false,
    generateRequestId: true,
    preserveExternalRequestId: false,
    maxRequestHeadersKb: 60,
    maxHeadersCount: 100,
    requestHeadersTimeoutMs: 0,
    requestTimeoutMs: 0,
    streamIdleTimeoutMs: 300_000,
    idleTimeoutMs: 3_600_000,
    drainTimeoutMs: 5000,
    delayedCloseTimeoutMs: 1000,
    upgradeConfigs: [],
    serverName: 'envoy',
    serverHeaderTransformation: 'OVERWRITE',
    stripMatchingHostPort: false,
    stripAnyHostPort: false,
    normalizePath: false,
    mergeSlashes: false,
    suppressEnvoyHeaders: false,
    stripTrailingHostDot: false,
  });
  assert.ok(Object.isFrozen(l.filterChains[0].httpConnectionManager.httpFilters[0]), 'deep-frozen');
});

test('Envoy default access log format', () => {
  assert.equal(
    DEFAULT_ACCESS_LOG_FORMAT,
    '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% ' +
      '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n',
  );
});

const hcmCases: { name: string; extra: ProtoObject; check: (h: HttpConnectionManager) => void }[] = [
  {
    name: 'inline route_config is decoded with decodeRouteConfiguration',
    extra: { rds: undefined, route_config: ROUTE_CONFIG },
    check: (h) => {
      assert.equal(h.route.kind, 'inline');
      if (h.route.kind === 'inline') assert.equal(h.route.routeConfig.name, 'local_route');
    },
  },
  {
    name: 'rds from self',
    extra: { rds: { route_config_name: 'r', config_source: { self: {} } } },
    check: (h) => assert.deepStrictEqual(h.route, { kind: 'rds', routeConfigName: 'r', configSource: { kind: 'self', resourceApiVersion: 'V3' } }),
  },
  {
    name: 'local_ratelimit before the router; optional unknown filter skipped; disabled kept',
    extra: {
      http_filters: [
        { ...LOCAL_RL, disabled: true },
        { name: 'envoy.filters.http.cors', is_optional: true, typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors' } },
        { ...ROUTER, typed_config: { '@type': ROUTER_FILTER_TYPE_URL, suppress_envoy_headers: true } },
      ],
    },
    check: (h) => {
      assert.deepStrictEqual(
        h.httpFilters.map((f) => [f.name, f.disabled]),
        [
          ['envoy.filters.http.local_ratelimit', true],
          ['envoy.filters.http.router', false],
        ],
      );
      assert.equal(h.httpFilters[0].config.stat_prefix, 'rl');
      assert.equal(h.suppressEnvoyHeaders, true);
    },
  },
  {
    name: 'access logs: stdout default format, stderr text, file inline string, file json, deprecated format',
    extra: {
      access_log: [
        { name: 'envoy.access_loggers.stdout', typed_config: { '@type': STDOUT_ACCESS_LOG_TYPE_URL } },
        { name: 'err', typed_config: { '@type': STDERR_ACCESS_LOG_TYPE_URL, log_format: { text_format: '%RESPONSE_CODE%\n' } } },
        {
          name: 'envoy.access_loggers.file',
          filter: { status_code_filter: { comparison: { op: 'GE', value: { default_value: 500, runtime_key: 'k' } } } },
          typed_config: { '@type': FILE_ACCESS_LOG_TYPE_URL, path: '/tmp/a.log', log_format: { text_format_source: { inline_string: '%DURATION%\n' } } },
        },
        { name: 'json', typed_config: { '@type': FILE_ACCESS_LOG_TYPE_URL, path: '/tmp/j.log', log_format: { json_format: { code: '%RESPONSE_CODE%', n: 1 } } } },
        { name: 'old', typed_config: { '@type': FILE_ACCESS_LOG_TYPE_URL, path: '/tmp/o.log', format: '%PROTOCOL%\n' } },
        { name: 'old-json', typed_config: { '@type': FILE_ACCESS_LOG_TYPE_URL, path: '/tmp/oj.log', json_format: { p: '%PROTOCOL%' } } },
      ],
    },
    check: (h) =>
      assert.deepStrictEqual(h.accessLog, [
        { name: 'envoy.access_loggers.stdout', sink: { kind: 'stdout' }, format: { kind: 'text', template: DEFAULT_ACCESS_LOG_FORMAT }, filter: null },
        { name: 'err', sink: { kind: 'stderr' }, format: { kind: 'text', template: '%RESPONSE_CODE%\n' }, filter: null },
        {
          name: 'envoy.access_loggers.file',
          sink: { kind: 'file', path: '/tmp/a.log' },
          format: { kind: 'text', template: '%DURATION%\n' },
          filter: { status_code_filter: { comparison: { op: 'GE', value: { default_value: 500, runtime_key: 'k' } } } },
        },
        { name: 'json', sink: { kind: 'file', path: '/tmp/j.log' }, format: { kind: 'json', fields: { code: '%RESPONSE_CODE%', n: 1 } }, filter: null },
        { name: 'old', sink: { kind: 'file', path: '/tmp/o.log' }, format: { kind: 'text', template: '%PROTOCOL%\n' }, filter: null },
        { name: 'old-json', sink: { kind: 'file', path: '/tmp/oj.log' }, format: { kind: 'json', fields: { p: '%PROTOCOL%' } }, filter: null },
      ]),
  },
  {
    name: 'every scalar option set',
    extra: {
      codec_type: 'HTTP2',
      use_remote_address: { value: true },
      xff_num_trusted_hops: 2,
      skip_xff_append: true,
      generate_request_id: { value: false },
      preserve_external_request_id: true,
      max_request_headers_kb: { value: 96 },
      common_http_protocol_options: { max_headers_count: { value: 50 }, idle_timeout: { seconds: 30, nanos: 0 }, headers_with_underscores_action: 'ALLOW' },
      request_headers_timeout: { seconds: 10, nanos: 0 },
      request_timeout: { seconds: 60, nanos: 0 },
      stream_idle_timeout: { seconds: 0, nanos: 0 },
      drain_timeout: { seconds: 1, nanos: 0 },
      delayed_close_timeout: { seconds: 0, nanos: 500_000_000 },
      upgrade_configs: [{ upgrade_type: 'WebSocket' }, { upgrade_type: 'CONNECT', enabled: { value: false } }],
      server_name: 'switchyard',
      server_header_transformation: 'PASS_THROUGH',
      strip_any_host_port: true,
      normalize_path: { value: true },
      merge_slashes: true,
      strip_trailing_host_dot: true,
      forward_client_cert_details: 'SANITIZE',
      http2_protocol_options: { max_concurrent_streams: { value: 10 } },
    },
    check: (h) => {
      const { route, httpFilters, accessLog, ...rest } = h;
      assert.deepStrictEqual(rest, {
        statPrefix: 'ingress_http',
        codecType: 'HTTP2',
        useRemoteAddress: true,
        xffNumTrustedHops: 2,
        skipXffAppend: true,
        generateRequestId: false,
        preserveExternalRequestId: true,
        maxRequestHeadersKb: 96,
        maxHeadersCount: 50,
        requestHeadersTimeoutMs: 10_000,
        requestTimeoutMs: 60_000,
        streamIdleTimeoutMs: 0,
        idleTimeoutMs: 30_000,
        drainTimeoutMs: 1000,
        delayedCloseTimeoutMs: 500,
        upgradeConfigs: [
          { upgradeType: 'websocket', enabled: true },
          { upgradeType: 'connect', enabled: false },
        ],
        serverName: 'switchyard',
        serverHeaderTransformation: 'PASS_THROUGH',
        stripMatchingHostPort: false,
        stripAnyHostPort: true,
        normalizePath: true,
        mergeSlashes: true,
        suppressEnvoyHeaders: false,
        stripTrailingHostDot: true,
      });
    },
  },
];

for (const c of hcmCases) test(`HCM accepts: ${c.name}`, () => c.check(expectHcm(c.extra)));

const listenerCases: { name: string; input: ProtoObject; check: (l: Listener) => void }[] = [
  {
    name: 'TLS chains by SNI plus a default chain',
    input: listener({
      listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector' } }],
      filter_chains: [
        chain(hcm(), {
          name: 'a',
          filter_chain_match: { server_names: ['A.example.com', '*.a.example.com'], transport_protocol: 'tls' },
          transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: { '@type': DOWNSTREAM_TLS_CONTEXT_TYPE_URL, require_client_certificate: { value: false } } },
        }),
        chain(hcm(), { name: 'b', filter_chain_match: { server_names: ['b.example.com'] }, transport_socket: { name: 'tls', typed_config: { '@type': DOWNSTREAM_TLS_CONTEXT_TYPE_URL } } }),
      ],
      default_filter_chain: chain(),
      per_connection_buffer_limit_bytes: { value: 65_536 },
      drain_type: 'MODIFY_ONLY',
      stat_prefix: 'edge',
      metadata: { filter_metadata: { a: { b: 1 } } },
      tcp_backlog_size: { value: 1024 },
      enable_reuse_port: { value: true },
    }),
    check: (l) => {
      assert.deepStrictEqual(
        l.filterChains.map((c) => [c.name, c.serverNames, c.transportSocket.kind]),
        [
          ['a', ['a.example.com', '*.a.example.com'], 'tls'],
          ['b', ['b.example.com'], 'tls'],
        ],
      );
      const tls = l.filterChains[0].transportSocket;
      assert.deepStrictEqual(tls.kind === 'tls' ? tls.config : null, { '@type': DOWNSTREAM_TLS_CONTEXT_TYPE_URL, require_client_certificate: { value: false } });
      assert.equal(l.defaultFilterChain?.transportSocket.kind, 'plaintext');
      assert.deepStrictEqual([l.perConnectionBufferLimitBytes, l.drainType, l.statPrefix], [65_536, 'MODIFY_ONLY', 'edge']);
      assert.deepStrictEqual(l.metadata, { filter_metadata: { a: { b: 1 } } });
    },
  },
  {
    name: 'only a default filter chain',
    input: listener({ filter_chains: undefined, default_filter_chain: chain() }),
    check: (l) => assert.deepStrictEqual([l.filterChains.length, l.defaultFilterChain?.httpConnectionManager.statPrefix], [0, 'ingress_http']),
  },
  {
    name: 'API listener without address',
    input: { name: 'grpc.example.com', api_listener: { api_listener: hcm() } },
    check: (l) => {
      assert.equal(l.address, null);
      assert.equal(l.apiListener?.route.kind, 'rds');
      assert.deepStrictEqual(l.filterChains, []);
    },
  },
  {
    name: 'raw_buffer transport socket is plaintext',
    input: listener({
      filter_chains: [chain(hcm(), { transport_socket: { name: 'raw', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer' } } })],
    }),
    check: (l) => assert.deepStrictEqual(l.filterChains[0].transportSocket, { kind: 'plaintext' }),
  },
];

for (const c of listenerCases) test(`listener accepts: ${c.name}`, () => c.check(expectOk(c.input)));

const errorCases: { name: string; input: ProtoObject; errors: { path: string; message: RegExp }[] }[] = [
  { name: 'name required', input: listener({ name: undefined }), errors: [{ path: 'name', message: /is required/ }] },
  { name: 'address required', input: listener({ address: undefined }), errors: [{ path: 'address', message: /is required/ }] },
  { name: 'pipe address', input: listener({ address: { pipe: { path: '/tmp/s' } } }), errors: [{ path: 'address.pipe', message: /not supported/ }] },
  { name: 'named port', input: listener({ address: { socket_address: { address: '0.0.0.0', named_port: 'http' } } }), errors: [{ path: 'address.socketAddress.namedPort', message: /not supported/ }] },
  { name: 'no filter chains', input: listener({ filter_chains: [] }), errors: [{ path: 'filterChains', message: /no filter chains specified/ }] },
  {
    name: 'match on destination port',
    input: listener({ filter_chains: [chain(hcm(), { filter_chain_match: { destination_port: { value: 443 } } })] }),
    errors: [{ path: 'filterChains[0].filterChainMatch.destinationPort', message: /not supported/ }],
  },
  {
    name: 'match on ALPN',
    input: listener({ filter_chains: [chain(hcm(), { filter_chain_match: { application_protocols: ['h2'] } })] }),
    errors: [{ path: 'filterChains[0].filterChainMatch.applicationProtocols', message: /not supported/ }],
  },
  {
    name: 'transport_protocol tls on a plaintext chain',
    input: listener({ filter_chains: [chain(hcm(), { filter_chain_match: { transport_protocol: 'tls' } })] }),
    errors: [{ path: 'filterChains[0].filterChainMatch.transportProtocol', message: /must match the chain's transport socket \("raw_buffer"\)/ }],
  },
  {
    name: 'partial wildcard server name',
    input: listener({ filter_chains: [chain(hcm(), { filter_chain_match: { server_names: ['www.*.com'] } })] }),
    errors: [{ path: 'filterChains[0].filterChainMatch.serverNames[0]', message: /partial wildcards/ }],
  },
  {
    name: 'two catch-all chains',
    input: listener({ filter_chains: [chain(), chain()] }),
    errors: [{ path: 'filterChains[1]', message: /same match as filterChains\[0\]/ }],
  },
  {
    name: 'same server name in two chains',
    input: listener({
      filter_chains: [chain(hcm(), { filter_chain_match: { server_names: ['a.com'] } }), chain(hcm(), { filter_chain_match: { server_names: ['b.com', 'A.com'] } })],
    }),
    errors: [{ path: 'filterChains[1]', message: /server name "a.com"/ }],
  },
  {
    name: 'unknown transport socket',
    input: listener({ filter_chains: [chain(hcm(), { transport_socket: { name: 'alts', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.alts.v3.Alts' } } })] }),
    errors: [{ path: 'filterChains[0].transportSocket.typedConfig.@type', message: /must be .*DownstreamTlsContext/ }],
  },
  {
    name: 'tcp_proxy network filter',
    input: listener({
      filter_chains: [{ filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy' } }] }],
    }),
    errors: [{ path: 'filterChains[0].filters[0].typedConfig.@type', message: /unsupported network filter/ }],
  },
  { name: 'no network filter', input: listener({ filter_chains: [{}] }), errors: [{ path: 'filterChains[0].filters', message: /must hold the HTTP connection manager/ }] },
  {
    name: 'two HCMs in one chain',
    input: listener({ filter_chains: [{ filters: [chain().filters as never, chain().filters as never].flat() }] }),
    errors: [{ path: 'filterChains[0].filters[1]', message: /only one HTTP connection manager/ }],
  },
  { name: 'use_proxy_proto', input: listener({ filter_chains: [chain(hcm(), { use_proxy_proto: { value: true } })] }), errors: [{ path: 'filterChains[0].useProxyProto', message: /not supported/ }] },
  {
    name: 'proxy_protocol listener filter',
    input: listener({ listener_filters: [{ name: 'envoy.filters.listener.proxy_protocol', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol' } }] }),
    errors: [{ path: 'listenerFilters[0]', message: /unsupported listener filter/ }],
  },
  { name: 'use_original_dst', input: listener({ use_original_dst: { value: true } }), errors: [{ path: 'useOriginalDst', message: /not supported/ }] },
  { name: 'bind_to_port false', input: listener({ bind_to_port: { value: false } }), errors: [{ path: 'bindToPort', message: /false is not supported/ }] },
  { name: 'listener access_log', input: listener({ access_log: [{ name: 'x' }] }), errors: [{ path: 'accessLog', message: /not supported/ }] },
  {
    name: 'api_listener holding something else',
    input: { name: 'x', api_listener: { api_listener: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy' } } },
    errors: [{ path: 'apiListener.apiListener.@type', message: /must be .*HttpConnectionManager/ }],
  },
];

/** HCM errors, given as the HCM's extra fields; paths are under HCM_PATH. */
const hcmErrorCases: { name: string; extra: ProtoObject; errors: { path: string; message: RegExp }[] }[] = [
  { name: 'stat_prefix required', extra: { stat_prefix: undefined }, errors: [{ path: 'statPrefix', message: /is required/ }] },
  { name: 'HTTP3 codec', extra: { codec_type: 'HTTP3' }, errors: [{ path: 'codecType', message: /HTTP3 is not supported/ }] },
  { name: 'no route specifier', extra: { rds: undefined }, errors: [{ path: '', message: /must set routeConfig or rds/ }] },
  { name: 'both route_config and rds', extra: { route_config: ROUTE_CONFIG }, errors: [{ path: 'rds', message: /cannot be set together with routeConfig/ }] },
  { name: 'scoped_routes', extra: { rds: undefined, scoped_routes: { name: 's' } }, errors: [{ path: 'scopedRoutes', message: /not supported/ }] },
  { name: 'rds without name', extra: { rds: { config_source: { ads: {} } } }, errors: [{ path: 'rds.routeConfigName', message: /is required/ }] },
  { name: 'rds without config_source', extra: { rds: { route_config_name: 'r' } }, errors: [{ path: 'rds.configSource', message: /is required/ }] },
  { name: 'no http filters', extra: { http_filters: [] }, errors: [{ path: 'httpFilters', message: /must not be empty/ }] },
  { name: 'router not last', extra: { http_filters: [ROUTER, LOCAL_RL] }, errors: [{ path: 'httpFilters[0]', message: /router filter must be the last/ }, { path: 'httpFilters[1]', message: /last HTTP filter must be the router/ }] },
  { name: 'no router', extra: { http_filters: [LOCAL_RL] }, errors: [{ path: 'httpFilters[0]', message: /last HTTP filter must be the router/ }] },
  { name: 'duplicate filter names', extra: { http_filters: [LOCAL_RL, LOCAL_RL, ROUTER] }, errors: [{ path: 'httpFilters[1].name', message: /duplicate HTTP filter name/ }] },
  {
    name: 'unknown filter not optional',
    extra: { http_filters: [{ name: 'cors', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors' } }, ROUTER] },
    errors: [{ path: 'httpFilters[0].typedConfig.@type', message: /unsupported HTTP filter .*isOptional/ }],
  },
  { name: 'filter without typed_config', extra: { http_filters: [{ name: 'envoy.filters.http.router' }] }, errors: [{ path: 'httpFilters[0].typedConfig', message: /is required/ }] },
  {
    name: 'router upstream_log',
    extra: { http_filters: [{ ...ROUTER, typed_config: { '@type': ROUTER_FILTER_TYPE_URL, upstream_log: [{ name: 'x' }] } }] },
    errors: [{ path: 'httpFilters[0].typedConfig.upstreamLog', message: /not supported/ }],
  },
  {
    name: 'unknown access logger',
    extra: { access_log: [{ name: 'grpc', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig' } }] },
    errors: [{ path: 'accessLog[0].typedConfig.@type', message: /unsupported access logger/ }],
  },
  {
    name: 'file access log without path',
    extra: { access_log: [{ name: 'f', typed_config: { '@type': FILE_ACCESS_LOG_TYPE_URL } }] },
    errors: [{ path: 'accessLog[0].typedConfig.path', message: /is required/ }],
  },
  {
    name: 'access log format from a file',
    extra: { access_log: [{ name: 'f', typed_config: { '@type': STDOUT_ACCESS_LOG_TYPE_URL, log_format: { text_format_source: { filename: '/etc/fmt' } } } }] },
    errors: [{ path: 'accessLog[0].typedConfig.logFormat.textFormatSource', message: /only inlineString/ }],
  },
  {
    name: 'access log omit_empty_values',
    extra: { access_log: [{ name: 'f', typed_config: { '@type': STDOUT_ACCESS_LOG_TYPE_URL, log_format: { text_format: 'x', omit_empty_values: true } } }] },
    errors: [{ path: 'accessLog[0].typedConfig.logFormat.omitEmptyValues', message: /not supported/ }],
  },
  { name: 'max_request_headers_kb 0', extra: { max_request_headers_kb: { value: 0 } }, errors: [{ path: 'maxRequestHeadersKb', message: /must be 1–8192, got 0/ }] },
  { name: 'max_request_headers_kb 8193', extra: { max_request_headers_kb: { value: 8193 } }, errors: [{ path: 'maxRequestHeadersKb', message: /must be 1–8192, got 8193/ }] },
  {
    name: 'max_headers_count 0',
    extra: { common_http_protocol_options: { max_headers_count: { value: 0 } } },
    errors: [{ path: 'commonHttpProtocolOptions.maxHeadersCount', message: /at least 1/ }],
  },
  {
    name: 'max_stream_duration',
    extra: { common_http_protocol_options: { max_stream_duration: { seconds: 1, nanos: 0 } } },
    errors: [{ path: 'commonHttpProtocolOptions.maxStreamDuration', message: /not supported/ }],
  },
  {
    name: 'headers with underscores rejected',
    extra: { common_http_protocol_options: { headers_with_underscores_action: 'REJECT_REQUEST' } },
    errors: [{ path: 'commonHttpProtocolOptions.headersWithUnderscoresAction', message: /only ALLOW/ }],
  },
  { name: 'strip both host ports', extra: { strip_matching_host_port: true, strip_any_host_port: true }, errors: [{ path: 'stripAnyHostPort', message: /cannot be set together/ }] },
  { name: 'tracing', extra: { tracing: {} }, errors: [{ path: 'tracing', message: /not supported/ }] },
  { name: 'forward client cert', extra: { forward_client_cert_details: 'APPEND_FORWARD' }, errors: [{ path: 'forwardClientCertDetails', message: /only SANITIZE/ }] },
  { name: 'escaped slashes', extra: { path_with_escaped_slashes_action: 'REJECT_REQUEST' }, errors: [{ path: 'pathWithEscapedSlashesAction', message: /only IMPLEMENTATION_SPECIFIC_DEFAULT, KEEP_UNCHANGED/ }] },
  { name: 'local_reply_config', extra: { local_reply_config: { mappers: [] , body_format: { text_format: 'x' } } }, errors: [{ path: 'localReplyConfig', message: /not supported/ }] },
  { name: 'HTTP/1.0', extra: { http_protocol_options: { accept_http_10: true } }, errors: [{ path: 'httpProtocolOptions.acceptHttp10', message: /not supported/ }] },
  {
    name: 'duplicate upgrade types',
    extra: { upgrade_configs: [{ upgrade_type: 'websocket' }, { upgrade_type: 'WebSocket' }] },
    errors: [{ path: 'upgradeConfigs[1].upgradeType', message: /duplicate upgrade type "websocket"/ }],
  },
  {
    name: 'upgrade with its own filters',
    extra: { upgrade_configs: [{ upgrade_type: 'websocket', filters: [ROUTER] }] },
    errors: [{ path: 'upgradeConfigs[0].filters', message: /not supported/ }],
  },
];

function assertErrors(actual: readonly FieldError[], expected: { path: string; message: RegExp }[], prefix = ''): void {
  const want = expected.map((e) => (e.path === '' ? prefix : prefix === '' ? e.path : `${prefix}.${e.path}`));
  assert.deepStrictEqual(
    actual.map((e) => e.path),
    want,
    JSON.stringify(actual),
  );
  expected.forEach((e, i) => assert.match(actual[i].message, e.message));
}

for (const c of errorCases) {
  test(`listener rejects: ${c.name}`, () => {
    const r = decodeListener(c.input, '');
    assert.ok(!r.ok, 'expected errors');
    assertErrors(r.errors, c.errors);
  });
}

for (const c of hcmErrorCases) {
  test(`HCM rejects: ${c.name}`, () => {
    const r = decodeListener(listener({ filter_chains: [chain(hcm(c.extra))] }), '');
    assert.ok(!r.ok, 'expected errors');
    assertErrors(r.errors, c.errors, HCM_PATH);
  });
}

test('inline route_config errors come through under routeConfig', () => {
  const r = decodeListener(listener({ filter_chains: [chain(hcm({ rds: undefined, route_config: { name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{}] }] } }))] }), '');
  assert.ok(!r.ok, 'expected errors');
  assert.ok(r.errors.length > 0 && r.errors.every((e) => e.path.startsWith(`${HCM_PATH}.routeConfig.`)), JSON.stringify(r.errors));
});

test('decodeHttpConnectionManager pushes into the caller list under its path', () => {
  const errors: FieldError[] = [];
  const h = decodeHttpConnectionManager(hcm({ stat_prefix: undefined }), 'x', errors);
  assert.equal(h.codecType, 'AUTO');
  assert.deepStrictEqual(errors, [{ path: 'x.statPrefix', message: 'is required' }]);
});

test('listener errors are prefixed with the caller path', () => {
  const r = decodeListener(listener({ name: undefined, filter_chains: [chain(hcm({ stat_prefix: undefined }))] }), 'staticResources.listeners[1]');
  assert.ok(!r.ok);
  assert.deepStrictEqual(
    r.errors.map((e) => e.path),
    ['staticResources.listeners[1].name', `staticResources.listeners[1].${HCM_PATH}.statPrefix`],
  );
});
