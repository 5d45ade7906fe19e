/**
 * Checks every translator test applies to emitted resources: they encode with the real Envoy
 * protos (packAny → unpackAny) and pass the router's decoders (src/xds/resources) with no error.
 */
import assert from 'node:assert/strict';
import { packAny, unpackAny } from '../../../../src/xds/any.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { decodeCluster } from '../../../../src/xds/resources/cluster.js';
import { decodeClusterLoadAssignment } from '../../../../src/xds/resources/cluster-load-assignment.js';
import { decodeListener } from '../../../../src/xds/resources/listener.js';
import { decodeRouteConfiguration } from '../../../../src/xds/resources/route-configuration.js';
import type { TranslatedResources } from '../../../../src/control-plane/translate/translate-platform.js';
import { formatErrors, type ValidationResult } from '../../../../src/xds/validation.js';

/** packAny then unpackAny: the resource as a router receives it. */
export function wireRoundTrip(resource: ProtoObject): ProtoObject {
  const unpacked = unpackAny(packAny(resource));
  assert.ok(unpacked.ok, `does not decode: ${!unpacked.ok ? formatErrors(unpacked.errors) : ''}`);
  return unpacked.value;
}

export function expectValid<T>(what: string, result: ValidationResult<T>): T {
  assert.ok(result.ok, `${what} is rejected by the router's decoder:\n${!result.ok ? formatErrors(result.errors) : ''}`);
  return result.value;
}

/** Every resource through the wire and its decoder; returns the decoded views. */
export function decodeAll(resources: TranslatedResources) {
  return {
    listeners: resources.listeners.map((l) => expectValid(`listener ${String(l.name)}`, decodeListener(wireRoundTrip(l), ''))),
    routeConfigurations: resources.routeConfigurations.map((r) => expectValid(`route configuration ${String(r.name)}`, decodeRouteConfiguration(wireRoundTrip(r), ''))),
    clusters: resources.clusters.map((c) => expectValid(`cluster ${String(c.name)}`, decodeCluster(wireRoundTrip(c), ''))),
    clusterLoadAssignments: resources.clusterLoadAssignments.map((a) =>
      expectValid(`assignment ${String(a.cluster_name)}`, decodeClusterLoadAssignment(wireRoundTrip(a), '')),
    ),
  };
}
