import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConsistency, checkRouteClusters, findUnreferenced } from '../../../../src/control-plane/xds-server/cache/consistency.js';
import { buildSnapshot, type SnapshotResources } from '../../../../src/control-plane/xds-server/cache/resource-snapshot.js';
import { apiListener, edsCluster, inlineApiListener, loadAssignment, tcpListener, weightedRoute } from './xds-fixtures.js';

interface Case {
  name: string;
  input: SnapshotResources;
  expected: { path: string; message: RegExp }[];
}

const route = weightedRoute('r1', ['svc'], [['c1', 100]]);
const staticCluster = { name: 'static', type: 'STATIC', load_assignment: { cluster_name: 'static', endpoints: [] } };

const cases: Case[] = [
  { name: 'an empty snapshot is consistent', input: {}, expected: [] },
  {
    name: 'a listener and its RouteConfiguration, a cluster and its CLA are consistent',
    input: { listeners: [apiListener('l1', 'r1')], routeConfigurations: [route], clusters: [edsCluster('c1')], clusterLoadAssignments: [loadAssignment('c1', [1])] },
    expected: [],
  },
  {
    name: 'an api_listener naming a missing RouteConfiguration is an error',
    input: { listeners: [apiListener('l1', 'missing')] },
    expected: [{ path: 'listeners["l1"].apiListener.apiListener.rds.routeConfigName', message: /RouteConfiguration "missing"/ }],
  },
  {
    name: 'a filter-chain HCM naming a missing RouteConfiguration is an error',
    input: { listeners: [tcpListener('ingress', 8080, 'gone')] },
    expected: [{ path: 'listeners["ingress"].filterChains[0].filters[0].typedConfig.rds.routeConfigName', message: /"gone"/ }],
  },
  {
    name: 'an inline route_config references nothing',
    input: { listeners: [inlineApiListener('l1', route)] },
    expected: [],
  },
  {
    name: 'an EDS cluster without its CLA is an error (named by the cluster name)',
    input: { clusters: [edsCluster('c1')] },
    expected: [{ path: 'clusters["c1"].name', message: /ClusterLoadAssignment "c1"/ }],
  },
  {
    name: 'an EDS cluster with service_name needs the CLA of that service name',
    input: { clusters: [edsCluster('c1', 'svc-a')], clusterLoadAssignments: [loadAssignment('c1', [1])] },
    expected: [{ path: 'clusters["c1"].edsClusterConfig.serviceName', message: /"svc-a"/ }],
  },
  {
    name: 'two clusters may share one service_name',
    input: { clusters: [edsCluster('c1', 's'), edsCluster('c2', 's')], clusterLoadAssignments: [loadAssignment('s', [1])] },
    expected: [],
  },
  {
    name: 'a STATIC cluster needs no CLA',
    input: { clusters: [staticCluster] },
    expected: [],
  },
  {
    name: 'unreferenced RouteConfigurations and CLAs are allowed (decision in consistency.ts)',
    input: { routeConfigurations: [route], clusterLoadAssignments: [loadAssignment('orphan', [1])] },
    expected: [],
  },
  {
    name: 'every error is collected',
    input: { listeners: [apiListener('l1', 'x'), apiListener('l2', 'y')], clusters: [edsCluster('c1'), edsCluster('c2')] },
    expected: [
      { path: 'listeners["l1"].apiListener.apiListener.rds.routeConfigName', message: /"x"/ },
      { path: 'listeners["l2"].apiListener.apiListener.rds.routeConfigName', message: /"y"/ },
      { path: 'clusters["c1"].name', message: /"c1"/ },
      { path: 'clusters["c2"].name', message: /"c2"/ },
    ],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const errors = checkConsistency(buildSnapshot('1', c.input));
    assert.deepEqual(
      errors.map((e) => e.path),
      c.expected.map((e) => e.path),
    );
    errors.forEach((e, i) => assert.match(e.message, c.expected[i].message));
  });
}

test('findUnreferenced lists RDS and EDS resources nothing points at', () => {
  const s = buildSnapshot('1', {
    listeners: [apiListener('l1', 'r1')],
    routeConfigurations: [route, weightedRoute('r-orphan', ['x'], [['c1', 1]])],
    clusters: [edsCluster('c1')],
    clusterLoadAssignments: [loadAssignment('c1', [1]), loadAssignment('cla-orphan', [1])],
  });
  assert.deepEqual(findUnreferenced(s), { routeConfigurations: ['r-orphan'], clusterLoadAssignments: ['cla-orphan'] });
});

test('checkRouteClusters (optional rule) names every route cluster missing from CDS, in RDS and inline route_configs', () => {
  const s = buildSnapshot('1', {
    listeners: [inlineApiListener('inline', weightedRoute('x', ['a'], [['c1', 1]])), inlineApiListener('inline2', weightedRoute('y', ['b'], [['gone', 1]]))],
    routeConfigurations: [weightedRoute('r1', ['svc'], [['c1', 50], ['missing', 50]])],
    clusters: [edsCluster('c1')],
    clusterLoadAssignments: [loadAssignment('c1', [1])],
  });
  assert.deepEqual(checkRouteClusters(s), [
    { path: 'routeConfigurations["r1"].virtualHosts[0].routes[0].route.weightedClusters.clusters[1].name', message: 'Cluster "missing" is not in the snapshot' },
    { path: 'listeners["inline2"].apiListener.apiListener.routeConfig.virtualHosts[0].routes[0].route.cluster', message: 'Cluster "gone" is not in the snapshot' },
  ]);
  assert.deepEqual(checkConsistency(s), [], 'not part of the default check');
});
