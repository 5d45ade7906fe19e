/**
 * Assembles the resources the router holds into one complete RouterConfig for the workers, with
 * Envoy's warming [xDS protocol, "Resource warming"; XDS.md §22]:
 *
 *   Cluster   warm ⇔ not EDS, or its ClusterLoadAssignment (by EDS service name) has arrived
 *   Listener  warm ⇔ every HTTP connection manager's route is inline or its RDS RouteConfiguration has arrived
 *
 * A resource that is not warm is not used. If an older version of it is active, that version keeps
 * serving (with the endpoints / routes it was using) until the new one warms, as Envoy keeps the
 * active cluster or listener while the replacement warms. Static resources always stay; a dynamic
 * resource that shares a static one's name is ignored (Envoy refuses to replace static resources).
 *
 * Routes are not warmed and not cross-checked: a route naming a cluster that does not exist is
 * valid and answers 503 (NC) at request time, as in Envoy. One deliberate difference: a cluster
 * that CDS removes while a served route still names it is kept until the routes move on (see
 * `retainedClusters`), so "remove the cluster, then the route" never drops requests.
 *
 * Pure: the primary calls it after every accepted xDS update and swaps the whole result in.
 */
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { ClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.types.js';
import type { Listener } from '../../xds/resources/listener.types.js';
import type { RouteConfiguration } from '../../xds/resources/route-configuration.types.js';
import { decodeClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.js';
import { decodeRouteConfiguration } from '../../xds/resources/route-configuration.js';
import { rdsNamesOfListener } from '../xds-client/subscription-names.js';
import type { RouterConfig } from '../worker/messages.js';

/** A dynamic resource with the version it was accepted at. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: string;
}

export interface AssemblerInput {
  readonly staticListeners: readonly Listener[];
  readonly staticClusters: readonly Cluster[];
  readonly listeners: ReadonlyMap<string, Versioned<Listener>>;
  readonly routeConfigs: ReadonlyMap<string, Versioned<RouteConfiguration>>;
  readonly clusters: ReadonlyMap<string, Versioned<Cluster>>;
  /** By ClusterLoadAssignment.cluster_name (= the EDS service name). */
  readonly endpoints: ReadonlyMap<string, Versioned<ClusterLoadAssignment>>;
  /**
   * 'rds/<name>' and 'eds/<name>' the control plane does not have (timed out, or Delta
   * removed_resources): what waits for them is warm with an empty RouteConfiguration (404 NR) or
   * an empty ClusterLoadAssignment (503 UH), as Envoy's initial_fetch_timeout does.
   */
  readonly missing?: ReadonlySet<string>;
}

/** The assembled config plus what /config_dump and the warming gauges need. */
export interface AssembledConfig {
  readonly listeners: readonly Listener[];
  readonly clusters: readonly Cluster[];
  readonly routeConfigs: readonly RouteConfiguration[];
  readonly endpoints: readonly ClusterLoadAssignment[];
  /** Active dynamic resources by name, with the version each came from. */
  readonly activeListeners: ReadonlyMap<string, Versioned<Listener>>;
  readonly activeClusters: ReadonlyMap<string, Versioned<Cluster>>;
  readonly activeRouteConfigs: ReadonlyMap<string, Versioned<RouteConfiguration>>;
  readonly activeEndpoints: ReadonlyMap<string, Versioned<ClusterLoadAssignment>>;
  /** Dynamic resources received but not warm yet (their older version may be active). */
  readonly warmingListeners: ReadonlyMap<string, Versioned<Listener>>;
  readonly warmingClusters: ReadonlyMap<string, Versioned<Cluster>>;
  /** Clusters CDS removed that stay active because a served route still names them. */
  readonly retainedClusters: ReadonlyMap<string, Versioned<Cluster>>;
}

export const EMPTY_ASSEMBLY: AssembledConfig = {
  listeners: [],
  clusters: [],
  routeConfigs: [],
  endpoints: [],
  activeListeners: new Map(),
  activeClusters: new Map(),
  activeRouteConfigs: new Map(),
  activeEndpoints: new Map(),
  warmingListeners: new Map(),
  warmingClusters: new Map(),
  retainedClusters: new Map(),
};

export function assembleConfig(input: AssemblerInput, previous: AssembledConfig = EMPTY_ASSEMBLY): AssembledConfig {
  const missing = input.missing ?? NONE_MISSING;
  const staticClusterNames = new Set(input.staticClusters.map((c) => c.name));
  const staticListenerNames = new Set(input.staticListeners.map((l) => l.name));

  // Listeners and the routes they serve first: which clusters the served routes name decides
  // which removed clusters must stay a little longer (below).
  const activeListeners = new Map<string, Versioned<Listener>>();
  const warmingListeners = new Map<string, Versioned<Listener>>();
  for (const [name, listener] of input.listeners) {
    if (staticListenerNames.has(name)) continue;
    if (listenerIsWarm(listener.value, input.routeConfigs, missing)) {
      activeListeners.set(name, listener);
      continue;
    }
    warmingListeners.set(name, listener);
    const old = previous.activeListeners.get(name);
    if (old !== undefined) activeListeners.set(name, old);
  }
  const activeRouteConfigs = new Map<string, Versioned<RouteConfiguration>>();
  const allListeners = [...input.staticListeners, ...[...activeListeners.values()].map((l) => l.value)];
  for (const listener of allListeners) {
    for (const name of rdsNamesOfListener(listener)) {
      if (activeRouteConfigs.has(name)) continue;
      const rc = input.routeConfigs.get(name) ?? previous.activeRouteConfigs.get(name) ?? (missing.has(`rds/${name}`) ? emptyRouteConfig(name) : undefined);
      if (rc !== undefined) activeRouteConfigs.set(name, rc);
    }
  }

  const activeClusters = new Map<string, Versioned<Cluster>>();
  const warmingClusters = new Map<string, Versioned<Cluster>>();
  for (const [name, cluster] of input.clusters) {
    if (staticClusterNames.has(name)) continue;
    if (clusterIsWarm(cluster.value, input.endpoints, missing)) {
      activeClusters.set(name, cluster);
      continue;
    }
    warmingClusters.set(name, cluster);
    const old = previous.activeClusters.get(name);
    if (old !== undefined) activeClusters.set(name, old);
  }
  // Make before break, enforced here too: a cluster CDS removed while a served route still names
  // it stays (its last version and endpoints) until the routes stop naming it. A control plane
  // that sends CDS before RDS — go-control-plane's order — thus never causes a burst of 503s in
  // the window between the two; a cluster that was never active is still unknown (503 NC).
  const routed = clusterNamesOf(activeRouteConfigs.values());
  const retainedClusters = new Map<string, Versioned<Cluster>>();
  for (const [name, old] of previous.activeClusters) {
    if (input.clusters.has(name) || staticClusterNames.has(name) || !routed.has(name)) continue;
    activeClusters.set(name, old);
    retainedClusters.set(name, old);
  }
  const activeEndpoints = new Map<string, Versioned<ClusterLoadAssignment>>();
  const allClusters = [...input.staticClusters, ...[...activeClusters.values()].map((c) => c.value)];
  for (const cluster of allClusters) {
    if (cluster.type !== 'EDS' || activeEndpoints.has(cluster.edsServiceName)) continue;
    const name = cluster.edsServiceName;
    const cla = input.endpoints.get(name) ?? previous.activeEndpoints.get(name) ?? (missing.has(`eds/${name}`) ? emptyLoadAssignment(name) : undefined);
    if (cla !== undefined) activeEndpoints.set(name, cla);
  }

  return {
    listeners: allListeners,
    clusters: allClusters,
    routeConfigs: [...activeRouteConfigs.values()].map((r) => r.value),
    endpoints: [...activeEndpoints.values()].map((e) => e.value),
    activeListeners,
    activeClusters,
    activeRouteConfigs,
    activeEndpoints,
    warmingListeners,
    warmingClusters,
    retainedClusters,
  };
}

/** Every cluster name the routes of these route configs can send a request to. */
function clusterNamesOf(routeConfigs: Iterable<Versioned<RouteConfiguration>>): Set<string> {
  const names = new Set<string>();
  for (const rc of routeConfigs) {
    for (const vh of rc.value.virtualHosts) {
      for (const route of vh.routes) {
        const action = route.action;
        if (action.kind !== 'route') continue;
        const c = action.cluster;
        if (c.kind === 'cluster') names.add(c.name);
        else if (c.kind === 'weightedClusters') for (const w of c.clusters) names.add(w.name);
      }
    }
  }
  return names;
}

function clusterIsWarm(cluster: Cluster, endpoints: ReadonlyMap<string, unknown>, missing: ReadonlySet<string>): boolean {
  return cluster.type !== 'EDS' || endpoints.has(cluster.edsServiceName) || missing.has(`eds/${cluster.edsServiceName}`);
}

function listenerIsWarm(listener: Listener, routeConfigs: ReadonlyMap<string, unknown>, missing: ReadonlySet<string>): boolean {
  for (const name of rdsNamesOfListener(listener)) if (!routeConfigs.has(name) && !missing.has(`rds/${name}`)) return false;
  return true;
}

const NONE_MISSING: ReadonlySet<string> = new Set();
const emptyRoutes = new Map<string, Versioned<RouteConfiguration>>();
const emptyAssignments = new Map<string, Versioned<ClusterLoadAssignment>>();

/** The RouteConfiguration a missing RDS name stands for: no virtual hosts (every request 404 NR). One object per name, so the served config stays identical across assemblies. */
function emptyRouteConfig(name: string): Versioned<RouteConfiguration> {
  let v = emptyRoutes.get(name);
  if (v === undefined) {
    const decoded = decodeRouteConfiguration({ name }, '');
    if (!decoded.ok) throw new Error(`empty RouteConfiguration "${name}" does not decode`);
    v = { value: decoded.value, version: '' };
    emptyRoutes.set(name, v);
  }
  return v;
}

/** The ClusterLoadAssignment a missing EDS name stands for: no endpoints (503 UH). */
function emptyLoadAssignment(name: string): Versioned<ClusterLoadAssignment> {
  let v = emptyAssignments.get(name);
  if (v === undefined) {
    const decoded = decodeClusterLoadAssignment({ cluster_name: name }, '');
    if (!decoded.ok) throw new Error(`empty ClusterLoadAssignment "${name}" does not decode`);
    v = { value: decoded.value, version: '' };
    emptyAssignments.set(name, v);
  }
  return v;
}

/** True when the two assemblies would give the workers the same config (same objects, in order). */
export function sameServedConfig(a: AssembledConfig, b: AssembledConfig): boolean {
  return sameItems(a.listeners, b.listeners) && sameItems(a.clusters, b.clusters) && sameItems(a.routeConfigs, b.routeConfigs) && sameItems(a.endpoints, b.endpoints);
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The worker-facing config of an assembly. */
export function toRouterConfig(assembled: AssembledConfig, version: string): RouterConfig {
  return { version, listeners: assembled.listeners, clusters: assembled.clusters, routeConfigs: assembled.routeConfigs, endpoints: assembled.endpoints };
}
