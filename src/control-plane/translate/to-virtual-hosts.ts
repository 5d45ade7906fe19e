/**
 * One service → its virtual hosts, before domains are settled across the route configuration
 * (assemble-virtual-hosts.ts does that):
 *
 *   <service-id>              domains [service host, custom domains…]  → weighted split (or 503)
 *   <service-id>--tag--<tag>  domains [<tag>---<service host>]         → 100% to the tagged revision
 *
 * Every cluster a virtual host names is one of this service's revisions: the tenant boundary.
 * The 'grpc' flavor is for a proxyless gRPC client's API listener: only the service host (no
 * custom domains), routes to the gRPC clusters, no rate limit (grpc-js-xds refuses per-filter
 * configs of filters it doesn't know) and no direct_response (grpc-js-xds refuses the action:
 * a host with nothing serving has no route, and calls fail UNAVAILABLE at once).
 */
import type { Revision, ServiceState } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { hasEndpoints } from './endpoints.js';
import { serviceRateLimits } from './global-rate-limit.js';
import { LOCAL_RATELIMIT_FILTER_NAME, localRateLimitPerRoute } from './local-rate-limit.js';
import { clusterName, grpcClusterName, tagHost, tagVirtualHostName, virtualHostName } from './names.js';
import { forwardingRoute, unavailableRoute, type ClusterWeight } from './to-route.js';
import { planTraffic } from './traffic-plan.js';

export type VirtualHostFlavor = 'ingress' | 'grpc';

/** A virtual host whose domains are not yet settled. */
export interface VirtualHostSpec {
  readonly name: string;
  readonly serviceId: string;
  /** Platform-made hosts (service host, tag host): claimed before any custom domain. */
  readonly platformDomains: readonly string[];
  readonly customDomains: readonly string[];
  /** Every VirtualHost field but name and domains. */
  readonly body: ProtoObject;
}

/**
 * The virtual host specs of one service, main host first, then tags in tag order. `globalRateLimit`:
 * the limit goes as rate_limits for the global filter instead of a local token bucket.
 */
export function toServiceVirtualHosts(serviceState: ServiceState, flavor: VirtualHostFlavor, globalRateLimit: boolean): VirtualHostSpec[] {
  const { service } = serviceState;
  const plan = planTraffic(serviceState);
  const cluster = (revision: Revision): string => (flavor === 'grpc' ? grpcClusterName(service.id, revision.name) : clusterName(service.id, revision.name));
  const perFilter = flavor === 'ingress' && !globalRateLimit ? localRateLimitPerRoute(service) : null;
  const rateLimits = flavor === 'ingress' && globalRateLimit ? serviceRateLimits(service) : null;
  const body = (clusters: readonly ClusterWeight[] | null): ProtoObject => {
    const routes = clusters !== null ? [forwardingRoute(service.routing, clusters)] : flavor === 'ingress' ? [unavailableRoute()] : [];
    // VirtualHost.typed_per_filter_config: the service's token bucket applies to all its hosts.
    if (rateLimits !== null) return { routes, rate_limits: rateLimits };
    return perFilter === null ? { routes } : { routes, typed_per_filter_config: { [LOCAL_RATELIMIT_FILTER_NAME]: perFilter } };
  };

  const specs: VirtualHostSpec[] = [
    {
      name: virtualHostName(service.id),
      serviceId: service.id,
      platformDomains: [service.host],
      customDomains: flavor === 'ingress' ? serviceState.domains.filter((d) => d.serviceId === service.id).map((d) => d.name) : [],
      body: body(plan.serving ? plan.weighted.map((w) => ({ name: cluster(w.revision), weight: w.weight })) : null),
    },
  ];
  for (const { tag, revision } of plan.tags) {
    specs.push({
      name: tagVirtualHostName(service.id, tag),
      serviceId: service.id,
      platformDomains: [tagHost(tag, service.host)],
      customDomains: [],
      body: body(hasEndpoints(revision) ? [{ name: cluster(revision), weight: 100 }] : null),
    });
  }
  return specs;
}
