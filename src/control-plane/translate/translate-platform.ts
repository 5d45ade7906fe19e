/**
 * The translator's entry point: the platform model for one region → every Envoy v3 resource the
 * control plane publishes for it. Pure and deterministic: the same state gives deep-equal output,
 * each list sorted by resource name, all of it deep-frozen.
 *
 *   Listener            ingress_http (RDS `ingress`) + one API listener per service (gRPC clients)
 *   RouteConfiguration  ingress
 *   Cluster             <service-id>--<revision> per revision, + its `--grpc` twin (to-cluster.ts)
 *   ClusterLoadAssignment  <service-id>--<revision> per revision (shared by both clusters)
 *
 * The API listeners and the `--grpc` twins are listed in `namedOnly`: the snapshot serves them
 * only to subscriptions that name them (proxyless gRPC clients always do, XDS.md §9), never to the
 * routers' wildcard LDS/CDS, which have no use for them (and Envoy may reject api_listener in LDS).
 */
import type { PlatformState } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { ROUTE_CONFIGURATION_TYPE_URL } from '../../xds/type-urls.js';
import { deepFreeze } from '../../xds/validation.js';
import { assembleVirtualHosts } from './assemble-virtual-hosts.js';
import { liveServices } from './live-services.js';
import { INGRESS_ROUTE_CONFIG_NAME } from './names.js';
import { sortedBy } from './order.js';
import { toIngressListener } from './to-listener.js';
import { translateService, type ServiceResources } from './translate-service.js';

/** Resources in the ProtoObject form, each carrying '@type' (ready for packAny). */
export interface TranslatedResources {
  /** ingress_http and the API listeners; sorted by name. */
  readonly listeners: readonly ProtoObject[];
  /** The one `ingress` RouteConfiguration (API listeners carry theirs inline). */
  readonly routeConfigurations: readonly ProtoObject[];
  /** Sorted by name. */
  readonly clusters: readonly ProtoObject[];
  /** Sorted by cluster_name; exactly one per EDS service_name any cluster names. */
  readonly clusterLoadAssignments: readonly ProtoObject[];
  /**
   * For `buildSnapshot(version, resources, { namedOnly })`: the API listeners and the `--grpc`
   * twin clusters, each list sorted by name.
   */
  readonly namedOnly: { readonly listeners: readonly string[]; readonly clusters: readonly string[] };
}

/**
 * Translates `state` (every live service of one region, as the publisher read it from the store).
 * The result goes to the xDS snapshot cache. DELETED services produce nothing. The publisher
 * uses IncrementalTranslator, which gives the same result while reusing unchanged services' objects.
 */
export function translatePlatform(state: PlatformState): TranslatedResources {
  const global = (state.globalRateLimit ?? null) !== null;
  const perService = liveServices(state).map((s) => translateService(s, state.region, global));
  return assembleTranslation(deepFreeze(toIngressListener(state)), perService);
}

/**
 * The region's resources from the ingress listener and each live service's share. The ingress
 * RouteConfiguration is rebuilt here every time: it is the one resource that spans services.
 */
export function assembleTranslation(ingressListener: ProtoObject, perService: readonly ServiceResources[]): TranslatedResources {
  const listeners: ProtoObject[] = [ingressListener];
  const clusters: ProtoObject[] = [];
  const assignments: ProtoObject[] = [];
  const specs = [];
  const namedOnlyListeners: string[] = [];
  const namedOnlyClusters: string[] = [];
  for (const s of perService) {
    listeners.push(s.apiListener);
    namedOnlyListeners.push(s.apiListener.name as string);
    for (const c of s.clusters) clusters.push(c);
    for (const n of s.namedOnlyClusters) namedOnlyClusters.push(n);
    for (const a of s.clusterLoadAssignments) assignments.push(a);
    for (const v of s.virtualHostSpecs) specs.push(v);
  }
  const ingressRoutes: ProtoObject = { '@type': ROUTE_CONFIGURATION_TYPE_URL, name: INGRESS_ROUTE_CONFIG_NAME, virtual_hosts: assembleVirtualHosts(specs) };
  return deepFreeze({
    listeners: sortedBy(listeners, (l) => l.name as string),
    routeConfigurations: [ingressRoutes],
    clusters: sortedBy(clusters, (c) => c.name as string),
    clusterLoadAssignments: sortedBy(assignments, (a) => a.cluster_name as string),
    namedOnly: { listeners: namedOnlyListeners.sort(), clusters: namedOnlyClusters.sort() },
  });
}
