/**
 * The ingress RouteConfiguration (DESIGN §3): one virtual host per service, plus one per revision
 * tag, sorted by name. Routers' ingress listener fetches it over RDS by the name `ingress`.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route.proto
 */
import type { PlatformState } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { ROUTE_CONFIGURATION_TYPE_URL } from '../../xds/type-urls.js';
import { assembleVirtualHosts } from './assemble-virtual-hosts.js';
import { liveServices } from './live-services.js';
import { INGRESS_ROUTE_CONFIG_NAME } from './names.js';
import { toServiceVirtualHosts } from './to-virtual-hosts.js';

/**
 * The `ingress` RouteConfiguration for every live service of `state`, as a ProtoObject with '@type'
 * (ready for packAny). Each domain is in exactly one virtual host; no route names a cluster of
 * another service.
 */
export function toIngressRouteConfiguration(state: PlatformState): ProtoObject {
  const global = (state.globalRateLimit ?? null) !== null;
  const specs = liveServices(state).flatMap((s) => toServiceVirtualHosts(s, 'ingress', global));
  return {
    '@type': ROUTE_CONFIGURATION_TYPE_URL,
    name: INGRESS_ROUTE_CONFIG_NAME,
    virtual_hosts: assembleVirtualHosts(specs),
  };
}
