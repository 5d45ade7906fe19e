/**
 * ResourceSnapshot: one immutable, versioned set of xDS resources for one node group, the unit the
 * SnapshotCache stores and the xDS server serves (go-control-plane `pkg/cache/v3/snapshot.go`).
 *
 *   snapshot.version            one version string for every type (go-control-plane NewSnapshot)
 *   snapshot.resources
 *     ├─ LISTENER_TYPE_URL                  name → Listener                  (always present, maybe empty)
 *     ├─ ROUTE_CONFIGURATION_TYPE_URL       name → RouteConfiguration
 *     ├─ CLUSTER_TYPE_URL                   name → Cluster
 *     └─ CLUSTER_LOAD_ASSIGNMENT_TYPE_URL   cluster_name → ClusterLoadAssignment
 *
 * Resources are in the ProtoObject form (src/xds/proto-object.ts) and carry their '@type'.
 * The whole snapshot is deep-frozen: a new configuration replaces it by pointer, never by edit.
 */
import type { ProtoObject } from '../../../xds/proto-object.js';
import { ANY_TYPE_KEY } from '../../../xds/proto-object.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '../../../xds/type-urls.js';
import { deepFreeze } from '../../../xds/validation.js';
import { InvalidArgumentError } from '../../../common/errors.js';

/**
 * A versioned set of resources, keyed by type URL then by resource name. Produced by
 * `buildSnapshot`, published with `SnapshotCache.setSnapshot`, read by the xDS server's streams.
 */
export interface ResourceSnapshot {
  /** Sent as `version_info` (SotW) and `system_version_info` (Delta) for every type. */
  readonly version: string;
  /** type URL → (resource name → resource with '@type'). The four xDS types are always present. */
  readonly resources: ReadonlyMap<string /* type URL */, ReadonlyMap<string /* name */, ProtoObject>>;
}

/** The resources of a snapshot, by xDS type. Every field is optional (absent = none of that type). */
export interface SnapshotResources {
  readonly listeners?: readonly ProtoObject[];
  readonly routeConfigurations?: readonly ProtoObject[];
  readonly clusters?: readonly ProtoObject[];
  readonly clusterLoadAssignments?: readonly ProtoObject[];
}

/** The four resource types a snapshot holds, in the order ADS pushes them (CDS → EDS → LDS → RDS, XDS.md §23). */
export const SNAPSHOT_TYPE_URLS: readonly string[] = [
  CLUSTER_TYPE_URL,
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
];

/**
 * The name a resource is known by on the wire: `cluster_name` for a ClusterLoadAssignment, `name`
 * for every other type (Envoy's resource naming, xds_protocol "Resource names").
 */
export function resourceName(typeUrl: string, resource: ProtoObject): string {
  const key = typeUrl === CLUSTER_LOAD_ASSIGNMENT_TYPE_URL ? 'cluster_name' : 'name';
  const name = resource[key];
  return typeof name === 'string' ? name : '';
}

/**
 * Builds a frozen snapshot. Names come from `.name` (`.cluster_name` for CLAs). A resource without
 * '@type' gets the type of the list it is in.
 *
 * Called by the control plane's publisher (and tests) with translate/ output. Throws
 * InvalidArgumentError for caller bugs: an empty version, a resource without a name, two
 * resources of one type with the same name (xds_protocol "Duplicate Resource Names": a client
 * must NACK such a response, so it can never be served), or a '@type' that contradicts its list.
 * Cross-resource references are checked separately by `checkConsistency`.
 */
export function buildSnapshot(version: string, byType: SnapshotResources): ResourceSnapshot {
  if (typeof version !== 'string' || version === '') throw new InvalidArgumentError('snapshot version must be a non-empty string');
  const lists: [string, readonly ProtoObject[] | undefined, string][] = [
    [CLUSTER_TYPE_URL, byType.clusters, 'clusters'],
    [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, byType.clusterLoadAssignments, 'clusterLoadAssignments'],
    [LISTENER_TYPE_URL, byType.listeners, 'listeners'],
    [ROUTE_CONFIGURATION_TYPE_URL, byType.routeConfigurations, 'routeConfigurations'],
  ];
  const resources = new Map<string, ReadonlyMap<string, ProtoObject>>();
  for (const [typeUrl, list, field] of lists) {
    const byName = new Map<string, ProtoObject>();
    (list ?? []).forEach((resource, i) => {
      const declared = resource[ANY_TYPE_KEY];
      if (declared !== undefined && declared !== typeUrl) {
        throw new InvalidArgumentError(`${field}[${i}]: '@type' is "${String(declared)}", expected "${typeUrl}"`);
      }
      const name = resourceName(typeUrl, resource);
      if (name === '') throw new InvalidArgumentError(`${field}[${i}]: resource has no name`);
      if (byName.has(name)) throw new InvalidArgumentError(`${field}[${i}]: duplicate name "${name}"`);
      byName.set(name, declared === undefined ? { [ANY_TYPE_KEY]: typeUrl, ...resource } : resource);
    });
    resources.set(typeUrl, byName);
  }
  const snapshot: ResourceSnapshot = { version, resources };
  for (const byName of resources.values()) for (const r of byName.values()) deepFreeze(r);
  Object.freeze(snapshot);
  return snapshot;
}

/** The resources of one type (an empty map for a type the snapshot does not hold). */
export function resourcesOfType(snapshot: ResourceSnapshot, typeUrl: string): ReadonlyMap<string, ProtoObject> {
  return snapshot.resources.get(typeUrl) ?? EMPTY;
}

const EMPTY: ReadonlyMap<string, ProtoObject> = new Map();
