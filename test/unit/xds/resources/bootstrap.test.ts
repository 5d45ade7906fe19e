import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadBootstrapFile, loadBootstrapText } from '../../../../src/router/bootstrap/load-bootstrap.js';
import type { Bootstrap } from '../../../../src/xds/resources/bootstrap.types.js';
import { ROUTER_FILTER_TYPE_URL } from '../../../../src/xds/type-urls.js';
import type { ValidationResult } from '../../../../src/xds/validation.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/bootstrap');

function expectOk(result: ValidationResult<Bootstrap>): Bootstrap {
  assert.ok(result.ok, `unexpected errors:\n${!result.ok ? result.errors.map((e) => `${e.path}: ${e.message}`).join('\n') : ''}`);
  return result.value;
}

/** A listener on :10000 whose inline route sends `/` to `routeCluster`, plus the given clusters. */
function staticYaml(opts: { routeCluster?: string; clusters?: string; cluster?: string; extra?: string; route?: string } = {}): string {
  const route = opts.route ?? `cluster: ${opts.routeCluster ?? 'backend'}`;
  const clusters =
    opts.clusters ??
    `
  - name: backend
    type: STATIC
${opts.cluster ?? ''}
    load_assignment:
      cluster_name: backend
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address: { address: 127.0.0.1, port_value: 8080 }`;
  return `
static_resources:
  listeners:
  - name: listener_0
    address:
      socket_address: { address: 0.0.0.0, port_value: 10000 }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: ingress_http
          route_config:
            name: local_route
            virtual_hosts:
            - name: local_service
              domains: ["*"]
              routes:
              - match: { prefix: "/" }
                route:
                  ${route}
          http_filters:
          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:${clusters}
${opts.extra ?? ''}`;
}

const ADS = `
dynamic_resources:
  ads_config:
    api_type: GRPC
    grpc_services:
    - envoy_grpc: { cluster_name: backend }
  cds_config: { ads: {} }
`;

test('the Envoy docs static bootstrap loads into the Bootstrap view', async () => {
  const b = expectOk(await loadBootstrapFile(join(FIXTURES, 'envoy-static.yaml')));
  assert.deepStrictEqual(b.node, {
    id: 'switchyard-router-1',
    cluster: 'edge',
    locality: { region: 'eu-west-1', zone: 'eu-west-1a', subZone: '' },
    metadata: { tier: 'edge', canary: false },
    userAgentName: '',
  });
  assert.deepStrictEqual(b.admin, { address: { host: '127.0.0.1', port: 9901 }, accessLogPath: '/dev/null' });
  assert.equal(b.statsFlushIntervalMs, 10_000);
  assert.equal(b.dynamicResources, null);
  assert.equal(b.staticListeners.length, 1);
  const listener = b.staticListeners[0];
  assert.equal(listener.name, 'listener_0');
  assert.deepStrictEqual(listener.address, { host: '0.0.0.0', port: 10000 });
  const hcm = listener.filterChains[0].httpConnectionManager;
  assert.equal(hcm.route.kind, 'inline');
  assert.equal(hcm.httpFilters[0].typeUrl, ROUTER_FILTER_TYPE_URL);
  assert.equal(hcm.accessLog[0].sink.kind, 'stdout');
  assert.deepStrictEqual(b.staticClusters.map((c) => [c.name, c.type, c.connectTimeoutMs]), [
    ['service_envoyproxy_io', 'STATIC', 1500],
    ['service_backup', 'STATIC', 5000],
  ]);
  assert.equal(b.staticClusters[0].loadAssignment?.endpoints[0].lbEndpoints.length, 2);
  assert.ok(Object.isFrozen(b) && Object.isFrozen(b.staticClusters), 'the view is deep-frozen');
});

test('the ADS bootstrap names its xDS cluster and takes LDS and CDS from ADS', async () => {
  const b = expectOk(await loadBootstrapFile(join(FIXTURES, 'envoy-ads.yaml')));
  assert.deepStrictEqual(b.dynamicResources, {
    adsConfig: { apiType: 'GRPC', grpcServices: [{ kind: 'envoyGrpc', clusterName: 'xds_cluster' }], setNodeOnFirstMessageOnly: true },
    ldsFromAds: true,
    cdsFromAds: true,
  });
  assert.equal(b.node.id, 'router-a');
  assert.equal(b.staticListeners.length, 0);
  assert.equal(b.statsFlushIntervalMs, 5000, 'Envoy default');
});

const okCases: { name: string; yaml: string; check: (b: Bootstrap) => void }[] = [
  {
    name: 'node.id defaults to empty and stats_flush_interval to 5s',
    yaml: staticYaml(),
    check: (b) => {
      assert.equal(b.node.id, '');
      assert.equal(b.statsFlushIntervalMs, 5000);
      assert.equal(b.admin, null);
    },
  },
  {
    name: 'cluster_manager.outlier_detection.event_log_path is the outlier event log (absent: none)',
    yaml: `${staticYaml()}\ncluster_manager: { outlier_detection: { event_log_path: /tmp/outlier.log } }\n`,
    check: (b) => assert.equal(b.outlierEventLogPath, '/tmp/outlier.log'),
  },
  {
    name: 'no cluster_manager: no outlier event log',
    yaml: staticYaml(),
    check: (b) => assert.equal(b.outlierEventLogPath, ''),
  },
  {
    name: 'a weighted split over two static clusters',
    yaml: staticYaml({
      route: 'weighted_clusters: { clusters: [{ name: backend, weight: 1 }, { name: other, weight: 3 }] }',
      clusters: `
  - { name: backend, type: STATIC, load_assignment: { cluster_name: backend, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 1 } } } }] }] } }
  - { name: other, type: STATIC, load_assignment: { cluster_name: other, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 2 } } } }] }] } }`,
    }),
    check: (b) => assert.deepStrictEqual(b.staticClusters.map((c) => c.name), ['backend', 'other']),
  },
  {
    name: 'with CDS from ADS, a route may name a cluster that is not static',
    yaml: staticYaml({ routeCluster: 'from_cds', extra: ADS }),
    check: (b) => assert.equal(b.dynamicResources?.cdsFromAds, true),
  },
  {
    name: 'google_grpc target and DELTA_GRPC',
    yaml: `${staticYaml()}
dynamic_resources:
  ads_config: { api_type: DELTA_GRPC, grpc_services: [{ google_grpc: { target_uri: "127.0.0.1:18000", stat_prefix: xds } }] }
  lds_config: { ads: {}, resource_api_version: V3 }
`,
    check: (b) =>
      assert.deepStrictEqual(b.dynamicResources, {
        adsConfig: { apiType: 'DELTA_GRPC', grpcServices: [{ kind: 'googleGrpc', targetUri: '127.0.0.1:18000' }], setNodeOnFirstMessageOnly: false },
        ldsFromAds: true,
        cdsFromAds: false,
      }),
  },
];

for (const c of okCases) {
  test(`bootstrap accepts: ${c.name}`, () => c.check(expectOk(loadBootstrapText(c.yaml, 'yaml'))));
}

const ROUTE_PATH = 'staticResources.listeners[0].filterChains[0].filters[0].typedConfig.routeConfig.virtualHosts[0].routes[0].route';

const errorCases: { name: string; yaml: string; path: string; error: RegExp }[] = [
  {
    name: 'unknown field',
    yaml: staticYaml().replace('port_value: 8080', 'port_value: 8080, adress: x'),
    path: 'staticResources.clusters[0].loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.adress',
    error: /unknown field "adress"/,
  },
  {
    name: 'wrong enum',
    yaml: staticYaml({ cluster: '    lb_policy: ROUND_ROBBIN' }),
    path: 'staticResources.clusters[0].lbPolicy',
    error: /must be one of ROUND_ROBIN, .*got "ROUND_ROBBIN"/,
  },
  {
    name: 'two oneof members',
    yaml: staticYaml().replace('port_value: 10000', 'port_value: 10000, named_port: http'),
    path: 'staticResources.listeners[0].address.socketAddress.namedPort',
    error: /only one of portValue, namedPort may be set/,
  },
  {
    name: 'bad duration "5 sec"',
    yaml: staticYaml({ cluster: '    connect_timeout: 5 sec' }),
    path: 'staticResources.clusters[0].connectTimeout',
    error: /must be a duration such as "1.5s".*got "5 sec"/,
  },
  {
    name: 'duplicate cluster names',
    yaml: staticYaml({
      clusters: `
  - { name: backend, type: STATIC, load_assignment: { cluster_name: backend, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 1 } } } }] }] } }
  - { name: backend, type: STATIC, load_assignment: { cluster_name: backend, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 2 } } } }] }] } }`,
    }),
    path: 'staticResources.clusters[1].name',
    error: /duplicate cluster name "backend" \(also staticResources.clusters\[0\]\)/,
  },
  {
    name: 'duplicate listener names',
    yaml: staticYaml().replace(
      'static_resources:\n  listeners:\n',
      'static_resources:\n  listeners:\n  - { name: listener_0, address: { socket_address: { address: 0.0.0.0, port_value: 10001 } }, filter_chains: [] }\n',
    ),
    path: 'staticResources.listeners[1].name',
    error: /duplicate listener name "listener_0"/,
  },
  {
    name: 'route to an undefined cluster',
    yaml: staticYaml({ routeCluster: 'nowhere' }),
    path: `${ROUTE_PATH}.cluster`,
    error: /unknown cluster "nowhere"/,
  },
  {
    name: 'weighted cluster naming an undefined cluster',
    yaml: staticYaml({ route: 'weighted_clusters: { clusters: [{ name: backend, weight: 1 }, { name: ghost, weight: 1 }] }' }),
    path: `${ROUTE_PATH}.weightedClusters.clusters[1].name`,
    error: /unknown cluster "ghost"/,
  },
  {
    name: 'ADS through a cluster that is not static',
    yaml: staticYaml({ extra: ADS.replace('cluster_name: backend', 'cluster_name: xds') }),
    path: 'dynamicResources.adsConfig.grpcServices[0].envoyGrpc.clusterName',
    error: /unknown cluster "xds": must be a static cluster/,
  },
  {
    name: 'ADS api_type REST',
    yaml: staticYaml({ extra: ADS.replace('api_type: GRPC', 'api_type: REST') }),
    path: 'dynamicResources.adsConfig.apiType',
    error: /must be one of GRPC, DELTA_GRPC, got "REST"/,
  },
  {
    name: 'ADS without grpc services',
    yaml: `${staticYaml()}\ndynamic_resources:\n  ads_config: { api_type: GRPC }\n`,
    path: 'dynamicResources.adsConfig.grpcServices',
    error: /at least one/,
  },
  {
    name: 'lds_config that is not ads',
    yaml: `${staticYaml({ extra: ADS })}  lds_config: { path_config_source: { path: /etc/lds.yaml } }\n`,
    path: 'dynamicResources.ldsConfig',
    error: /must be "ads: \{\}"/,
  },
  {
    name: 'cds_config from ads without ads_config',
    yaml: `${staticYaml()}\ndynamic_resources:\n  cds_config: { ads: {} }\n`,
    path: 'dynamicResources.adsConfig',
    error: /is required when ldsConfig or cdsConfig use ads/,
  },
  {
    name: 'stats_flush_interval out of range',
    yaml: `${staticYaml()}\nstats_flush_interval: 301s\n`,
    path: 'statsFlushInterval',
    error: /must be 1–299999/,
  },
  {
    name: 'outlier events to an event service',
    yaml: `${staticYaml()}\ncluster_manager: { outlier_detection: { event_service: { grpc_service: { envoy_grpc: { cluster_name: backend } } } } }\n`,
    path: 'clusterManager.outlierDetection.eventService',
    error: /is not supported, use eventLogPath/,
  },
  {
    name: 'admin on a pipe',
    yaml: `${staticYaml()}\nadmin: { address: { pipe: { path: /tmp/admin.sock } } }\n`,
    path: 'admin.address.pipe',
    error: /only socketAddress is supported/,
  },
];

for (const c of errorCases) {
  test(`bootstrap rejects: ${c.name}`, () => {
    const result = loadBootstrapText(c.yaml, 'yaml');
    assert.ok(!result.ok, 'expected errors');
    const hit = result.errors.find((e) => e.path === c.path);
    assert.ok(hit, `no error at ${c.path}; got:\n${result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
    assert.match(hit.message, c.error);
  });
}

test('bootstrap collects every error, not only the first', () => {
  const yaml = staticYaml({ routeCluster: 'nowhere', extra: ADS.replace('cds_config: { ads: {} }', 'lds_config: { ads: {} }').replace('api_type: GRPC', 'api_type: REST') });
  const result = loadBootstrapText(yaml, 'yaml');
  assert.ok(!result.ok);
  assert.deepStrictEqual(result.errors.map((e) => e.path).sort(), ['dynamicResources.adsConfig.apiType', `${ROUTE_PATH}.cluster`].sort());
});
