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
 *   snapshot.namedOnly
 *     ├─ LISTENER_TYPE_URL                  names served only to a subscription that names them
 *     └─ CLUSTER_TYPE_URL                   (same, for clusters)
 *
 * Resources are in the ProtoObject form (src/xds/proto-object.ts) and carry their '@type'.
 * The whole snapshot is deep-frozen: a new configuration replaces it by pointer, never by edit.
 *
 * Named-only resources. A wildcard subscription (LDS/CDS only, XDS.md §9) asks the server to pick
 * the set; some resources are meant for clients that ask for them by name and for nobody else —
 * the translator's API listeners and `--grpc` twin clusters exist for proxyless gRPC clients,
 * which always name what they want (§9, §2), while routers (and Envoy, which may reject an
 * api_listener in LDS) subscribe by wildcard. `buildSnapshot(version, resources, { namedOnly })`
 * marks them; the xDS server then applies one rule everywhere (SotW, Delta, the single-type
 * services and Fetch):
 *
 *   wildcard set  = every resource of the type except the named-only ones
 *   a stream sees = (wildcard ? wildcard set : ∅) ∪ (explicitly subscribed names that exist)
 *
 * so an explicit name always wins, a SotW full-state LDS/CDS response for a wildcard+explicit
 * stream carries the wildcard set ∪ its explicit names (§11), and a Delta wildcard stream never
 * sees a named-only resource appear or disappear. Only LDS and CDS can hold named-only names:
 * RDS/EDS are never wildcard-capable, so every RDS/EDS subscription is explicit already.
 * Consistency (consistency.ts) is unaffected: references must resolve whether or not the
 * resource they name is named-only.
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
  /**
   * type URL → names of that type's resources a wildcard subscription does not get (file
   * comment). Only LDS/CDS appear; a type without named-only resources has no entry. Optional so
   * hand-built snapshots stay valid: absent = none.
   */
  readonly namedOnly?: ReadonlyMap<string /* type URL */, ReadonlySet<string /* name */>>;
}

/** The resources of a snapshot, by xDS type. Every field is optional (absent = none of that type). */
export interface SnapshotResources {
  readonly listeners?: readonly ProtoObject[];
  readonly routeConfigurations?: readonly ProtoObject[];
  readonly clusters?: readonly ProtoObject[];
  readonly clusterLoadAssignments?: readonly ProtoObject[];
}

/** `buildSnapshot` options. */
export interface SnapshotOptions {
  /**
   * Names of resources served only to subscriptions that name them, never as part of a wildcard
   * set (file comment). Each name must be a resource of that type in the same snapshot.
   */
  readonly namedOnly?: {
    readonly listeners?: readonly string[];
    readonly clusters?: readonly string[];
  };
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
 * must NACK such a response, so it can never be served), a '@type' that contradicts its list,
 * or a named-only name that is not a resource of its type in this snapshot.
 * Cross-resource references are checked separately by `checkConsistency`.
 */
export function buildSnapshot(version: string, byType: SnapshotResources, options: SnapshotOptions = {}): ResourceSnapshot {
  if (typeof version !== 'string' || version === '') throw new InvalidArgumentError('snapshot version must be a non-empty string');
  const lists: [string, readonly ProtoObject[] | undefined, string][] = [
    [CLUSTER_TYPE_URL, byType.clusters, 'clusters'],
    [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, byType.clusterLoadAssignments, 'clusterLoadAssignments'],
    [LISTENER_TYPE_URL, byType.listeners, 'listeners'],
    [ROUTE_CONFIGURATION_TYPE_URL, byType.routeConfigurations, 'routeConfigurations'],
  ];
  const resources = new Map<string, ReadonlyMap<string, ProtoObject>>();
  for (const [typeUrl, list, field] of lists) resources.set(typeUrl, resourceMap(typeUrl, list ?? [], field));
  const namedOnly = new Map<string, ReadonlySet<string>>();
  const marked: [string, readonly string[] | undefined, string][] = [
    [LISTENER_TYPE_URL, options.namedOnly?.listeners, 'namedOnly.listeners'],
    [CLUSTER_TYPE_URL, options.namedOnly?.clusters, 'namedOnly.clusters'],
  ];
  for (const [typeUrl, names, field] of marked) {
    if (names === undefined || names.length === 0) continue;
    const present = resources.get(typeUrl)!;
    const memo = Object.isFrozen(names) ? namedOnlySets.get(names) : undefined;
    if (memo !== undefined && memo.of === present) {
      namedOnly.set(typeUrl, memo.set);
      continue;
    }
    names.forEach((name, i) => {
      if (!present.has(name)) throw new InvalidArgumentError(`${field}[${i}]: "${name}" is not a resource of that type in the snapshot`);
    });
    const set: ReadonlySet<string> = new Set(names);
    if (Object.isFrozen(names)) namedOnlySets.set(names, { of: present, set });
    namedOnly.set(typeUrl, set);
  }
  const snapshot: ResourceSnapshot = { version, resources, namedOnly };
  Object.freeze(snapshot);
  return snapshot;
}

/**
 * Identity memos, so a publisher that hands over the same frozen list (a type nothing touched,
 * see translate/sorted-by-name.ts) gets the very map of last time: no walk over its resources,
 * and every later stage keyed on the map (encodings, consistency, SotW content) reuses its work.
 * Only frozen inputs are memoized: a mutable one could change under the memo.
 */
const mapsByList = new WeakMap<readonly ProtoObject[], { readonly typeUrl: string; readonly byName: ReadonlyMap<string, ProtoObject> }>();
/** A resource without '@type' gets its typed copy once, so the copy (and its encoding) is the same object every snapshot. */
const typedCopies = new WeakMap<ProtoObject, ProtoObject>();
const namedOnlySets = new WeakMap<readonly string[], { readonly of: ReadonlyMap<string, ProtoObject>; readonly set: ReadonlySet<string> }>();
/** The maps buildSnapshot made: never changed after, so memos may key on them (isSealedResourceMap). */
const sealedMaps = new WeakSet<ReadonlyMap<string, ProtoObject>>();

/** True for a resource map buildSnapshot made (immutable); hand-built snapshots' maps are not memoized. */
export function isSealedResourceMap(map: ReadonlyMap<string, ProtoObject>): boolean {
  return sealedMaps.has(map);
}

function resourceMap(typeUrl: string, list: readonly ProtoObject[], field: string): ReadonlyMap<string, ProtoObject> {
  const frozen = Object.isFrozen(list);
  const memo = frozen ? mapsByList.get(list) : undefined;
  if (memo !== undefined && memo.typeUrl === typeUrl) return memo.byName;
  const byName = new Map<string, ProtoObject>();
  list.forEach((resource, i) => {
    const declared = resource[ANY_TYPE_KEY];
    if (declared !== undefined && declared !== typeUrl) {
      throw new InvalidArgumentError(`${field}[${i}]: '@type' is "${String(declared)}", expected "${typeUrl}"`);
    }
    const name = resourceName(typeUrl, resource);
    if (name === '') throw new InvalidArgumentError(`${field}[${i}]: resource has no name`);
    if (byName.has(name)) throw new InvalidArgumentError(`${field}[${i}]: duplicate name "${name}"`);
    byName.set(name, declared === undefined ? typedCopy(typeUrl, resource) : deepFreeze(resource));
  });
  sealedMaps.add(byName);
  if (frozen) mapsByList.set(list, { typeUrl, byName });
  return byName;
}

function typedCopy(typeUrl: string, resource: ProtoObject): ProtoObject {
  const memo = Object.isFrozen(resource) ? typedCopies.get(resource) : undefined;
  if (memo !== undefined) return memo;
  const copy = deepFreeze({ [ANY_TYPE_KEY]: typeUrl, ...resource });
  if (Object.isFrozen(resource)) typedCopies.set(resource, copy);
  return copy;
}

/** Whether `name` of `typeUrl` is named-only in `snapshot` (never part of a wildcard set). */
export function isNamedOnly(snapshot: ResourceSnapshot, typeUrl: string, name: string): boolean {
  return snapshot.namedOnly?.get(typeUrl)?.has(name) === true;
}

/** The resources of one type (an empty map for a type the snapshot does not hold). */
export function resourcesOfType(snapshot: ResourceSnapshot, typeUrl: string): ReadonlyMap<string, ProtoObject> {
  return snapshot.resources.get(typeUrl) ?? EMPTY;
}

const EMPTY: ReadonlyMap<string, ProtoObject> = new Map();
