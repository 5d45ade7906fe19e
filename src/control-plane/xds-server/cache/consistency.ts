/**
 * Cross-resource consistency of a snapshot, checked before it is published
 * (go-control-plane `Snapshot.Consistent()` in pkg/cache/v3/snapshot.go; DESIGN STYLE example 7).
 *
 * Rules (each violation is one FieldError, all are collected):
 * 1. Every RDS name a Listener references (`rds.route_config_name` of an HttpConnectionManager in
 *    `api_listener.api_listener`, in any `filter_chains[].filters[]` or in `default_filter_chain`)
 *    exists as a RouteConfiguration.
 * 2. Every EDS cluster (`type: EDS`) has a ClusterLoadAssignment named by
 *    `eds_cluster_config.service_name`, or by the cluster's name when that is empty.
 *
 * Decision on unreferenced RDS/EDS resources: they are **not** errors. go-control-plane demands
 * equal lengths only because its ADS mode answers a request only when it names every resource of
 * the type; our server answers with exactly the requested names, so an unreferenced
 * RouteConfiguration or ClusterLoadAssignment is harmless (nobody asks for it). Allowing them lets
 * a publisher pre-warm endpoints before the cluster that uses them (make-before-break, XDS.md §23).
 * `findUnreferenced` lists them for logs.
 *
 * Optional third rule, `checkRouteClusters` (SnapshotCache `requireRouteClusters`): every
 * cluster a route names (`route.cluster`, `route.weighted_clusters.clusters[].name`, in RDS
 * resources and inline `route_config`s) exists in CDS. Routes are not warmed (XDS.md §22), so a
 * dangling one fails requests at once; it is off by default because go-control-plane does not
 * check it and a publisher may legitimately route to a cluster another group serves.
 *
 * Not checked here: anything inside a single resource (src/xds/resources/ decoders).
 */
import { Buffer } from 'node:buffer';
import type { ProtoObject, ProtoValue } from '../../../xds/proto-object.js';
import { ANY_TYPE_KEY } from '../../../xds/proto-object.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '../../../xds/type-urls.js';
import type { FieldError } from '../../../xds/validation.js';
import { isSealedResourceMap, resourcesOfType, type ResourceSnapshot } from './resource-snapshot.js';

/** One reference from a parent resource to a child, with the path of the field that holds it. */
interface Reference {
  readonly child: string;
  readonly path: string;
}

/**
 * Returns every dangling LDS→RDS and CDS→EDS reference of the snapshot; [] means consistent.
 * Paths use the camelCase field names, as every FieldError does: `listeners["ingress"].apiListener.apiListener.rds.routeConfigName`.
 */
export function checkConsistency(s: ResourceSnapshot): FieldError[] {
  const routes = resourcesOfType(s, ROUTE_CONFIGURATION_TYPE_URL);
  const routeErrors = danglingOnce(resourcesOfType(s, LISTENER_TYPE_URL), routes, () =>
    routeReferences(s)
      .filter((ref) => !routes.has(ref.child))
      .map((ref) => ({ path: ref.path, message: `RouteConfiguration "${ref.child}" is not in the snapshot` })),
  );
  const assignments = resourcesOfType(s, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
  const endpointErrors = danglingOnce(resourcesOfType(s, CLUSTER_TYPE_URL), assignments, () =>
    endpointReferences(s)
      .filter((ref) => !assignments.has(ref.child))
      .map((ref) => ({ path: ref.path, message: `ClusterLoadAssignment "${ref.child}" is not in the snapshot` })),
  );
  return [...routeErrors, ...endpointErrors];
}

/**
 * The dangling references of `parents` into `children`, computed once per pair of maps when both
 * are buildSnapshot's (immutable): a publisher that carries a type over unchanged checks it for free.
 */
function danglingOnce(parents: ReadonlyMap<string, ProtoObject>, children: ReadonlyMap<string, ProtoObject>, compute: () => FieldError[]): readonly FieldError[] {
  if (!isSealedResourceMap(parents) || !isSealedResourceMap(children)) return compute();
  const known = checked.get(parents);
  if (known !== undefined && known.children === children) return known.errors;
  const errors = compute();
  checked.set(parents, { children, errors });
  return errors;
}

const checked = new WeakMap<ReadonlyMap<string, ProtoObject>, { readonly children: ReadonlyMap<string, ProtoObject>; readonly errors: readonly FieldError[] }>();

/**
 * One resource's references, by object: resources are frozen, so they are found once however
 * many snapshots carry the resource (the walk builds a path string per reference).
 */
function memoized(name: string, resource: ProtoObject, find: () => Reference[]): readonly Reference[] {
  if (!Object.isFrozen(resource)) return find();
  const known = referencesOf.get(resource);
  if (known !== undefined && known.name === name) return known.refs;
  const refs = find();
  referencesOf.set(resource, { name, refs });
  return refs;
}

/** By resource object, with the name the paths were spelled with. */
const referencesOf = new WeakMap<ProtoObject, { readonly name: string; readonly refs: readonly Reference[] }>();

/** RDS and EDS resources no Listener / Cluster references (allowed; see the file comment). */
export function findUnreferenced(s: ResourceSnapshot): { routeConfigurations: string[]; clusterLoadAssignments: string[] } {
  const usedRoutes = new Set(routeReferences(s).map((r) => r.child));
  const usedAssignments = new Set(endpointReferences(s).map((r) => r.child));
  return {
    routeConfigurations: [...resourcesOfType(s, ROUTE_CONFIGURATION_TYPE_URL).keys()].filter((n) => !usedRoutes.has(n)),
    clusterLoadAssignments: [...resourcesOfType(s, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL).keys()].filter((n) => !usedAssignments.has(n)),
  };
}

/** Every route → cluster reference whose cluster is not in the snapshot (optional rule 3). */
export function checkRouteClusters(s: ResourceSnapshot): FieldError[] {
  const clusters = resourcesOfType(s, CLUSTER_TYPE_URL);
  const refs: Reference[] = [];
  for (const [name, route] of resourcesOfType(s, ROUTE_CONFIGURATION_TYPE_URL)) addClusterReferences(route, `routeConfigurations[${JSON.stringify(name)}]`, refs);
  for (const [name, listener] of resourcesOfType(s, LISTENER_TYPE_URL)) {
    const base = `listeners[${JSON.stringify(name)}]`;
    const inline = (any: ProtoObject | null, path: string): void => {
      if (any === null || any[ANY_TYPE_KEY] !== HTTP_CONNECTION_MANAGER_TYPE_URL) return;
      const rc = asObject(any.route_config);
      if (rc !== null) addClusterReferences(rc, `${path}.routeConfig`, refs);
    };
    inline(asObject(asObject(listener.api_listener)?.api_listener), `${base}.apiListener.apiListener`);
    const chains = [...asArray(listener.filter_chains).map((c, i) => [asObject(c), `${base}.filterChains[${i}]`] as const), [asObject(listener.default_filter_chain), `${base}.defaultFilterChain`] as const];
    for (const [chain, path] of chains) {
      if (chain === null) continue;
      asArray(chain.filters).forEach((f, i) => inline(asObject(asObject(f)?.typed_config), `${path}.filters[${i}].typedConfig`));
    }
  }
  return refs.filter((r) => !clusters.has(r.child)).map((r) => ({ path: r.path, message: `Cluster "${r.child}" is not in the snapshot` }));
}

function addClusterReferences(routeConfig: ProtoObject, base: string, refs: Reference[]): void {
  asArray(routeConfig.virtual_hosts).forEach((vh, v) => {
    asArray(asObject(vh)?.routes).forEach((r, i) => {
      const action = asObject(asObject(r)?.route);
      if (action === null) return;
      const path = `${base}.virtualHosts[${v}].routes[${i}].route`;
      if (typeof action.cluster === 'string' && action.cluster !== '') refs.push({ child: action.cluster, path: `${path}.cluster` });
      asArray(asObject(action.weighted_clusters)?.clusters).forEach((wc, w) => {
        const n = asObject(wc)?.name;
        if (typeof n === 'string' && n !== '') refs.push({ child: n, path: `${path}.weightedClusters.clusters[${w}].name` });
      });
    });
  });
}

function routeReferences(s: ResourceSnapshot): Reference[] {
  const refs: Reference[] = [];
  for (const [name, listener] of resourcesOfType(s, LISTENER_TYPE_URL)) {
    for (const ref of memoized(name, listener, () => listenerRouteReferences(name, listener))) refs.push(ref);
  }
  return refs;
}

function listenerRouteReferences(name: string, listener: ProtoObject): Reference[] {
  const refs: Reference[] = [];
  const base = `listeners[${JSON.stringify(name)}]`;
  const api = asObject(asObject(listener.api_listener)?.api_listener);
  if (api !== null) addHcmReference(api, `${base}.apiListener.apiListener`, refs);
  asArray(listener.filter_chains).forEach((chain, i) => addChainReferences(asObject(chain), `${base}.filterChains[${i}]`, refs));
  addChainReferences(asObject(listener.default_filter_chain), `${base}.defaultFilterChain`, refs);
  return refs;
}

function addChainReferences(chain: ProtoObject | null, path: string, refs: Reference[]): void {
  if (chain === null) return;
  asArray(chain.filters).forEach((filter, i) => {
    const typed = asObject(asObject(filter)?.typed_config);
    if (typed !== null) addHcmReference(typed, `${path}.filters[${i}].typedConfig`, refs);
  });
}

function addHcmReference(any: ProtoObject, path: string, refs: Reference[]): void {
  if (any[ANY_TYPE_KEY] !== HTTP_CONNECTION_MANAGER_TYPE_URL) return;
  const name = asObject(any.rds)?.route_config_name;
  if (typeof name === 'string' && name !== '') refs.push({ child: name, path: `${path}.rds.routeConfigName` });
}

function endpointReferences(s: ResourceSnapshot): Reference[] {
  const refs: Reference[] = [];
  for (const [name, cluster] of resourcesOfType(s, CLUSTER_TYPE_URL)) {
    if (cluster.type !== 'EDS') continue;
    for (const ref of memoized(name, cluster, () => clusterEndpointReference(name, cluster))) refs.push(ref);
  }
  return refs;
}

function clusterEndpointReference(name: string, cluster: ProtoObject): Reference[] {
  const serviceName = asObject(cluster.eds_cluster_config)?.service_name;
  const base = `clusters[${JSON.stringify(name)}]`;
  if (typeof serviceName === 'string' && serviceName !== '') return [{ child: serviceName, path: `${base}.edsClusterConfig.serviceName` }];
  return [{ child: name, path: `${base}.name` }];
}

function asObject(v: ProtoValue | undefined): ProtoObject | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) ? (v as ProtoObject) : null;
}

function asArray(v: ProtoValue | undefined): readonly ProtoValue[] {
  return Array.isArray(v) ? v : [];
}
