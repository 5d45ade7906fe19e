import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_HEALTH_CHECK, DEFAULT_ROUTING } from '../../../../src/control-plane/model/defaults.js';
import type { Service } from '../../../../src/control-plane/model/types.js';
import { toClusterLoadAssignment } from '../../../../src/control-plane/translate/to-cluster-load-assignment.js';
import { grpcLbPolicy, toCluster, toGrpcCluster } from '../../../../src/control-plane/translate/to-cluster.js';
import { decodeCluster } from '../../../../src/xds/resources/cluster.js';
import { decodeClusterLoadAssignment } from '../../../../src/xds/resources/cluster-load-assignment.js';
import type { Cluster } from '../../../../src/xds/resources/cluster.types.js';
import { expectValid, wireRoundTrip } from './resource-checks.js';
import { makeRevision, makeService } from './sample-platform.js';

const REV = makeRevision('a1b2c3d4', 3, [{ address: '127.0.0.1', port: 9000 }]);

function decoded(service: Service): Cluster {
  return expectValid('cluster', decodeCluster(wireRoundTrip(toCluster(service, REV)), ''));
}

test('a revision cluster: EDS over ADS named after the revision, Envoy defaults spelled out', () => {
  const c = decoded(makeService('a1b2c3d4', 'shop'));
  assert.deepStrictEqual(
    [c.name, c.type, c.edsServiceName, c.edsConfig, c.connectTimeoutMs, c.lbPolicy, c.healthyPanicThresholdPercent],
    ['a1b2c3d4--rev-3', 'EDS', 'a1b2c3d4--rev-3', { kind: 'ads', resourceApiVersion: 'V3' }, 5000, 'LEAST_REQUEST', 50],
  );
  assert.deepStrictEqual(
    [c.outlierDetection?.consecutive5xx, c.outlierDetection?.intervalMs, c.outlierDetection?.baseEjectionTimeMs, c.outlierDetection?.maxEjectionPercent],
    [5, 10_000, 30_000, 10],
  );
});

const healthCases: { name: string; settings: Service['healthCheck']; checker: Cluster['healthChecks'][number]['checker']['kind']; path?: string }[] = [
  { name: 'TCP (App Runner default): connect only', settings: DEFAULT_HEALTH_CHECK, checker: 'tcp' },
  { name: 'HTTP: GET the path', settings: { ...DEFAULT_HEALTH_CHECK, protocol: 'HTTP', path: '/healthz' }, checker: 'http', path: '/healthz' },
];

for (const c of healthCases) {
  test(`health check ${c.name}; interval, timeout and thresholds carried over`, () => {
    const settings = { ...c.settings, intervalMs: 7_000, timeoutMs: 1_500, healthyThreshold: 3, unhealthyThreshold: 4 };
    const [hc] = decoded(makeService('a1b2c3d4', 'shop', { healthCheck: settings })).healthChecks;
    assert.deepStrictEqual(
      [hc.intervalMs, hc.noTrafficIntervalMs, hc.timeoutMs, hc.healthyThreshold, hc.unhealthyThreshold, hc.checker.kind],
      [7_000, 7_000, 1_500, 3, 4, c.checker],
    );
    if (hc.checker.kind === 'http') assert.equal(hc.checker.path, c.path);
  });
}

const lbCases = [
  { policy: 'ROUND_ROBIN', grpc: 'ROUND_ROBIN' },
  { policy: 'LEAST_REQUEST', grpc: 'ROUND_ROBIN' },
  { policy: 'RANDOM', grpc: 'ROUND_ROBIN' },
  { policy: 'RING_HASH', grpc: 'RING_HASH' },
  { policy: 'MAGLEV', grpc: 'ROUND_ROBIN' },
] as const;

for (const c of lbCases) {
  test(`lb_policy ${c.policy} on the router cluster, ${c.grpc} on its gRPC twin`, () => {
    const service = makeService('a1b2c3d4', 'shop', { routing: { ...DEFAULT_ROUTING, lbPolicy: c.policy } });
    assert.equal(decoded(service).lbPolicy, c.policy);
    assert.equal(grpcLbPolicy(c.policy), c.grpc);
    const twin = expectValid('grpc cluster', decodeCluster(wireRoundTrip(toGrpcCluster(service, REV)), ''));
    assert.deepStrictEqual([twin.name, twin.edsServiceName, twin.lbPolicy, twin.healthChecks], ['a1b2c3d4--rev-3--grpc', 'a1b2c3d4--rev-3', c.grpc, []]);
  });
}

test('an assignment: one weighted locality at priority 0, endpoints sorted, duplicates and non-IP addresses left out', () => {
  const revision = makeRevision('a1b2c3d4', 1, [
    { address: '10.0.0.2', port: 80 },
    { address: '10.0.0.1', port: 81 },
    { address: '10.0.0.1', port: 80 },
    { address: '10.0.0.2', port: 80 },
    { address: 'localhost', port: 80 },
    { address: '10.0.0.3', port: 0 },
  ]);
  const a = expectValid('assignment', decodeClusterLoadAssignment(wireRoundTrip(toClusterLoadAssignment(makeService('a1b2c3d4', 'shop'), revision, 'eu-west')), ''));
  assert.equal(a.clusterName, 'a1b2c3d4--rev-1');
  assert.equal(a.endpoints.length, 1);
  const [locality] = a.endpoints;
  assert.deepStrictEqual([locality.locality, locality.loadBalancingWeight, locality.priority], [{ region: 'eu-west', zone: 'eu-west', subZone: '' }, 1, 0]);
  assert.deepStrictEqual(
    locality.lbEndpoints.map((e) => [e.address.host, e.address.port, e.healthStatus, e.loadBalancingWeight]),
    [
      ['10.0.0.1', 80, 'UNKNOWN', 1],
      ['10.0.0.1', 81, 'UNKNOWN', 1],
      ['10.0.0.2', 80, 'UNKNOWN', 1],
    ],
  );
});

test('a revision without endpoints gets an assignment with no localities', () => {
  const a = expectValid('assignment', decodeClusterLoadAssignment(wireRoundTrip(toClusterLoadAssignment(makeService('a1b2c3d4', 'shop'), makeRevision('a1b2c3d4', 1, []), 'local')), ''));
  assert.deepStrictEqual([a.clusterName, a.endpoints], ['a1b2c3d4--rev-1', []]);
});
