/**
 * A virtual host's routes in config order; the first route that matches wins (Envoy
 * VirtualHostImpl::getRouteFromRoutes). require_tls is checked before any route: ALL redirects
 * every non-https request, EXTERNAL_ONLY those without `x-envoy-internal: true`.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-virtualhost
 */
import type { ProtoObject } from '../../xds/proto-object.js';
import type { RateLimit, RetryPolicy, VirtualHost } from '../../xds/resources/route-configuration.types.js';
import type { CompiledRoute } from './compiled-route.js';
import { firstHeaderValue, type RouteRequest } from './route-request.js';

const TWO_POW_32 = 4294967296;

const TLS_NONE = 0;
const TLS_EXTERNAL_ONLY = 1;
const TLS_ALL = 2;

export class CompiledVirtualHost {
  readonly name: string;
  readonly domains: readonly string[];
  readonly routes: readonly CompiledRoute[];
  readonly retryPolicy: RetryPolicy | null;
  readonly rateLimits: readonly RateLimit[];
  readonly typedPerFilterConfig: Readonly<Record<string, ProtoObject>>;
  private readonly requireTls: number;
  private readonly sslRedirect: CompiledRoute;

  constructor(view: VirtualHost, routes: readonly CompiledRoute[], sslRedirect: CompiledRoute) {
    this.name = view.name;
    this.domains = view.domains;
    this.routes = routes;
    this.retryPolicy = view.retryPolicy;
    this.rateLimits = view.rateLimits;
    this.typedPerFilterConfig = view.typedPerFilterConfig;
    this.requireTls = view.requireTls === 'ALL' ? TLS_ALL : view.requireTls === 'EXTERNAL_ONLY' ? TLS_EXTERNAL_ONLY : TLS_NONE;
    this.sslRedirect = sslRedirect;
  }

  /**
   * The first route that matches `req`, or null (the connection manager answers 404 NR).
   *
   * @param randomValue the request's random value for runtime_fraction: a non-negative integer
   *   (Envoy uses one per stream), or a float in [0, 1) such as Math.random(), which is scaled to
   *   a uint32. A route with runtime_fraction n/d matches when `value % d < n`.
   */
  matchRoute(req: RouteRequest, randomValue: number): CompiledRoute | null {
    if (this.requireTls !== TLS_NONE && req.scheme !== 'https') {
      if (this.requireTls === TLS_ALL || firstHeaderValue(req.headers, 'x-envoy-internal') !== 'true') return this.sslRedirect;
    }
    const random = randomValue < 1 ? Math.floor(randomValue * TWO_POW_32) : Math.floor(randomValue);
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) if (routes[i].matches(req, random)) return routes[i];
    return null;
  }
}
