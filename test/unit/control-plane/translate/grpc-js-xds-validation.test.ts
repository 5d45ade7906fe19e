/**
 * What a proxyless gRPC client gets must pass @grpc/grpc-js-xds's own resource validation, not
 * only ours: each resource a client for `xds:///<host>` would fetch (its API listener with the
 * inline routes, the `--grpc` clusters, the assignments) goes through the library's decoder.
 * These classes are grpc-js-xds internals (build/src/xds-resource-type), pinned by package.json.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { register } from '@grpc/grpc-js-xds';
import { ClusterResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/cluster-resource-type.js';
import { EndpointResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/endpoint-resource-type.js';
import { ListenerResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/listener-resource-type.js';
import type { XdsDecodeContext, XdsResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/xds-resource-type.js';
import { GRPC_CLUSTER_SUFFIX } from '../../../../src/control-plane/translate/names.js';
import { translatePlatform } from '../../../../src/control-plane/translate/translate-platform.js';
import { packAny } from '../../../../src/xds/any.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { DEFAULT_ROUTING } from '../../../../src/control-plane/model/defaults.js';
import { makeRevision, makeService, makeServiceState, makeState, samplePlatform, target } from './sample-platform.js';

// What every client does first: registers the xds resolver and, with it, the HTTP filters it knows.
register();

/** Only transport-socket validation reads the context; none of our resources has one. */
const CONTEXT = {
  server: { server_uri: '127.0.0.1:18000', channel_creds: [{ type: 'insecure' }], server_features: [] },
  bootstrap: { certificateProviders: {} },
} as unknown as XdsDecodeContext;

function expectAccepted(type: XdsResourceType, resource: ProtoObject): void {
  const result = type.decode(CONTEXT, packAny(resource));
  assert.equal(result.error, undefined, `grpc-js-xds rejects ${result.name}: ${result.error}`);
}

const lbPlatform = makeState(
  (['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'RING_HASH', 'MAGLEV'] as const).map((lbPolicy, i) => {
    const service = makeService(`e${i}e${i}e${i}e${i}`, `lb${i}`, { routing: { ...DEFAULT_ROUTING, lbPolicy } });
    return makeServiceState(service, [makeRevision(service.id, 1, [{ address: '::1', port: 9000 + i }])], [target('rev-1', 100)]);
  }),
);

for (const [name, state] of [
  ['the sample platform', samplePlatform()],
  ['a platform using every lb policy', lbPlatform],
] as const) {
  test(`grpc-js-xds accepts every API listener, gRPC cluster and assignment of ${name}`, () => {
    const resources = translatePlatform(state);
    const apiListeners = resources.listeners.filter((l) => l.api_listener !== undefined);
    assert.ok(apiListeners.length > 0);
    for (const l of apiListeners) expectAccepted(ListenerResourceType.get(), l);
    const grpcClusters = resources.clusters.filter((c) => (c.name as string).endsWith(GRPC_CLUSTER_SUFFIX));
    assert.equal(grpcClusters.length, resources.clusterLoadAssignments.length);
    for (const c of grpcClusters) expectAccepted(ClusterResourceType.get(), c);
    for (const a of resources.clusterLoadAssignments) expectAccepted(EndpointResourceType.get(), a);
  });
}

test('grpc-js-xds would refuse the router clusters of a LEAST_REQUEST service (why the --grpc twins exist)', () => {
  const resources = translatePlatform(lbPlatform);
  const leastRequest = resources.clusters.find((c) => c.lb_policy === 'LEAST_REQUEST');
  assert.ok(leastRequest !== undefined);
  const result = ClusterResourceType.get().decode(CONTEXT, packAny(leastRequest));
  assert.match(result.error ?? '', /lb_policy/);
});
