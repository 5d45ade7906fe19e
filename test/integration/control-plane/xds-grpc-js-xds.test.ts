/**
 * Interop: @grpc/grpc-js-xds, an independently written xDS client, resolves `xds:///echo-svc`
 * through our XdsServer and splits real gRPC calls between two real backends by the route's
 * weighted_clusters (XDS.md §2). The bootstrap is read once per process, so this file runs alone
 * in its own process (node --test isolates files) and sets GRPC_XDS_BOOTSTRAP_CONFIG before the
 * first import of @grpc/grpc-js-xds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '../../../src/xds/type-urls.js';
import type { NackEvent } from '../../../src/control-plane/xds-server/server/callbacks.js';
import { apiListener, edsCluster, inlineApiListener, loadAssignment, weightedRoute } from '../../unit/control-plane/xds-server/xds-fixtures.js';
import { countCalls as countCallsByBackend, startGrpcBackend as startBackend } from '../../helpers/grpc-backend.js';
import { startXdsServer } from './xds-test-server.js';

const CALLS = 400;
const FOLLOW_TIMEOUT_MS = 20_000;

/** Calls per backend, as a plain object for deepEqual. */
async function countCalls(client: grpc.Client, n: number): Promise<Record<string, number>> {
  return Object.fromEntries(await countCallsByBackend(client, n));
}

function snapshotResources(ports: [number, number], weights: [number, number]) {
  return {
    listeners: [
      apiListener('echo-svc', 'echo-svc-route'),
      // The inline variant: the HCM carries its RouteConfiguration, no RDS round trip.
      inlineApiListener('echo-inline', weightedRoute('echo-inline-route', ['echo-inline'], [['echo-svc-v1', 1]])),
    ],
    routeConfigurations: [weightedRoute('echo-svc-route', ['echo-svc'], [['echo-svc-v1', weights[0]], ['echo-svc-v2', weights[1]]])],
    clusters: [edsCluster('echo-svc-v1', 'echo-svc-v1'), edsCluster('echo-svc-v2', 'echo-svc-v2')],
    clusterLoadAssignments: [loadAssignment('echo-svc-v1', [ports[0]]), loadAssignment('echo-svc-v2', [ports[1]])],
  };
}

test('grpc-js-xds follows our weighted split 80/20 (RDS), an inline route_config listener, then a new snapshot moving all traffic to v2', async (t) => {
  const ports: [number, number] = [await startBackend(t, 'v1'), await startBackend(t, 'v2')];
  const x = await startXdsServer(t);
  const nacks: NackEvent[] = [];
  x.server.on('nack', (e) => nacks.push(e));
  x.publish('1', snapshotResources(ports, [80, 20]));

  process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify({
    xds_servers: [{ server_uri: `127.0.0.1:${x.port}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
    node: { id: 'grpc-js-xds-test', cluster: 'interop', locality: { zone: 'local' }, metadata: {} },
  });
  const xds = await import('@grpc/grpc-js-xds');
  xds.register();
  const client = new grpc.Client('xds:///echo-svc', grpc.credentials.createInsecure());
  t.after(() => client.close());

  const first = await countCalls(client, CALLS);
  const v1Share = (first.v1 ?? 0) / CALLS;
  assert.ok(Math.abs(v1Share - 0.8) <= 0.08, `v1 got ${(v1Share * 100).toFixed(1)}% of ${CALLS} calls (${JSON.stringify(first)})`);
  assert.deepEqual(nacks, []);

  const [status] = x.server.clients();
  assert.equal(status.nodeId, 'grpc-js-xds-test');
  assert.equal(status.group, 'local', 'no region → default group');
  assert.equal(status.streamKind, 'ads');
  for (const type of [LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]) {
    assert.equal(status.types[type]?.ackedVersion, '1', `${type} ACKed`);
    assert.equal(status.types[type]?.lastNack, null);
  }
  assert.deepEqual(status.types[CLUSTER_TYPE_URL].subscribed, ['echo-svc-v1', 'echo-svc-v2']);
  assert.deepEqual(status.types[LISTENER_TYPE_URL].subscribed, ['echo-svc']);

  const inline = new grpc.Client('xds:///echo-inline', grpc.credentials.createInsecure());
  t.after(() => inline.close());
  assert.deepEqual(await countCalls(inline, 20), { v1: 20 }, 'inline route_config listener');

  x.publish('2', snapshotResources(ports, [0, 100]));
  // Follow: bounded in calls and time; once a whole batch lands on v2 the new route is in force.
  const deadline = Date.now() + FOLLOW_TIMEOUT_MS;
  let followed = false;
  while (!followed && Date.now() < deadline) {
    const batch = await countCalls(client, 20);
    followed = (batch.v2 ?? 0) === 20;
  }
  assert.ok(followed, 'traffic moved to v2 within the time limit');
  const after = await countCalls(client, 100);
  assert.deepEqual(after, { v2: 100 });
  assert.deepEqual(await countCalls(inline, 20), { v1: 20 }, 'the inline listener is unaffected');
  assert.equal(x.server.clients()[0].types[ROUTE_CONFIGURATION_TYPE_URL].ackedVersion, '2');
  assert.deepEqual(nacks, []);
  // Close the channels while the xDS server is still up (after hooks would close it first): the
  // xds client then drops its watches instead of re-subscribing to a closed server with ref'd
  // 15 s does-not-exist timers, which could keep this process alive after the test passed.
  client.close();
  inline.close();
});
