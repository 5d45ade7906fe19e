/**
 * The cross-reference step of a static bootstrap, like Envoy's `validate_clusters` for inline
 * route configs: when clusters do not come from CDS, every cluster a static listener's inline
 * route_config names must be a static cluster, or the route could never be served.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route.proto (validate_clusters)
 *
 * It walks the ProtoObject rather than the decoded views so that error paths name the exact
 * filter (`filterChains[0].filters[0].typedConfig.routeConfig…`).
 */
import type { ProtoObject, ProtoValue } from '../proto-object.js';
import { HTTP_CONNECTION_MANAGER_TYPE_URL } from '../type-urls.js';
import { joinPath } from '../validation.js';
import { camel, isObject, typeUrlOf, type Errors } from './fields.js';

function items(msg: ProtoObject, field: string): readonly ProtoValue[] {
  const v = msg[field];
  return Array.isArray(v) ? v : [];
}

/** Pushes `unknown cluster "x"` for each route cluster of a static listener missing from `clusters`. */
export function checkStaticClusterReferences(staticResources: ProtoObject, path: string, clusters: ReadonlySet<string>, errors: Errors): void {
  const listeners = items(staticResources, 'listeners');
  for (let i = 0; i < listeners.length; i++) {
    const listener = listeners[i];
    if (!isObject(listener)) continue;
    const listenerPath = joinPath(joinPath(path, 'listeners'), i);
    const chains = items(listener, 'filter_chains');
    for (let c = 0; c < chains.length; c++) {
      const chain = chains[c];
      if (isObject(chain)) checkFilterChain(chain, joinPath(joinPath(listenerPath, 'filterChains'), c), clusters, errors);
    }
    if (isObject(listener.default_filter_chain)) {
      checkFilterChain(listener.default_filter_chain, joinPath(listenerPath, 'defaultFilterChain'), clusters, errors);
    }
    const api = listener.api_listener;
    if (isObject(api) && isObject(api.api_listener)) {
      checkHcm(api.api_listener, joinPath(joinPath(listenerPath, 'apiListener'), 'apiListener'), clusters, errors);
    }
  }
}

function checkFilterChain(chain: ProtoObject, path: string, clusters: ReadonlySet<string>, errors: Errors): void {
  const filters = items(chain, 'filters');
  for (let f = 0; f < filters.length; f++) {
    const filter = filters[f];
    if (isObject(filter) && isObject(filter.typed_config)) {
      checkHcm(filter.typed_config, joinPath(joinPath(joinPath(path, 'filters'), f), 'typedConfig'), clusters, errors);
    }
  }
}

function checkHcm(hcm: ProtoObject, path: string, clusters: ReadonlySet<string>, errors: Errors): void {
  if (typeUrlOf(hcm) !== HTTP_CONNECTION_MANAGER_TYPE_URL || !isObject(hcm.route_config)) return;
  const vhostsPath = joinPath(joinPath(path, 'routeConfig'), 'virtualHosts');
  const vhosts = items(hcm.route_config, 'virtual_hosts');
  for (let v = 0; v < vhosts.length; v++) {
    const vhost = vhosts[v];
    if (!isObject(vhost)) continue;
    const routes = items(vhost, 'routes');
    for (let r = 0; r < routes.length; r++) {
      const route = routes[r];
      if (!isObject(route) || !isObject(route.route)) continue;
      checkRouteAction(route.route, joinPath(joinPath(joinPath(joinPath(vhostsPath, v), 'routes'), r), 'route'), clusters, errors);
    }
  }
}

function checkRouteAction(action: ProtoObject, path: string, clusters: ReadonlySet<string>, errors: Errors): void {
  const check = (name: ProtoValue | undefined, at: string): void => {
    if (typeof name === 'string' && name !== '' && !clusters.has(name)) errors.push({ path: at, message: `unknown cluster "${name}"` });
  };
  check(action.cluster, joinPath(path, 'cluster'));
  const weighted = action.weighted_clusters;
  if (!isObject(weighted)) return;
  const weightedPath = joinPath(joinPath(path, camel('weighted_clusters')), 'clusters');
  const list = items(weighted, 'clusters');
  for (let w = 0; w < list.length; w++) {
    const entry = list[w];
    if (isObject(entry)) check(entry.name, joinPath(joinPath(weightedPath, w), 'name'));
  }
}
