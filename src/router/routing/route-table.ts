/**
 * The compiled RouteConfiguration of one listener: a VirtualHostIndex over every domain and the
 * compiled virtual hosts and routes. Built once per config snapshot (on each worker), then read
 * by every request of that snapshot:
 *
 *   const vhost = table.selectVirtualHost(authority);          // exact / *.suffix / prefix* / '*'
 *   const route = vhost?.matchRoute(request, random) ?? null;   // first match in config order
 *
 * Pure: no I/O, no timers. Regexes are RE2 (xds/safe-regex.ts), compiled here once.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route.proto
 */
import { InvalidArgumentError } from '../../common/errors.js';
import type { RouteConfiguration, VirtualHost } from '../../xds/resources/route-configuration.types.js';
import { fail, formatErrors, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';
import { normalizeAuthority, stripPort, type AuthorityOptions } from './authority.js';
import { compileRoute, compileSslRedirectRoute, compileVirtualHostLevels } from './compile-route.js';
import type { CompiledRoute } from './compiled-route.js';
import { CompiledVirtualHost } from './compiled-virtual-host.js';
import type { HeaderValueFormatterFactory } from './header-mutations.js';
import type { RouteRequest } from './route-request.js';
import { VirtualHostIndex } from './virtual-host-index.js';

export type { CompiledRoute } from './compiled-route.js';
export type { CompiledVirtualHost } from './compiled-virtual-host.js';
export type { RouteRequest } from './route-request.js';

/** Listener and HCM settings the table needs, plus optional hooks. */
export interface RouteTableOptions extends AuthorityOptions {
  /** Compiles header values holding %COMMAND% operators (e.g. with the access-log formatter). */
  readonly headerValueFormatter?: HeaderValueFormatterFactory;
  /**
   * The listener's per_connection_buffer_limit_bytes: the retry buffer of routes whose route and
   * virtual host set no per_request_buffer_limit_bytes (Envoy default 1 MiB).
   */
  readonly defaultRequestBufferLimitBytes?: number;
}

export class RouteTable {
  readonly name: string;
  readonly virtualHosts: readonly CompiledVirtualHost[];
  /** internal_only_headers: lower-case names the connection manager strips from external requests. */
  readonly internalOnlyHeaders: readonly string[];
  private readonly index: VirtualHostIndex<CompiledVirtualHost>;
  private readonly options: AuthorityOptions;
  private readonly ignorePort: boolean;

  constructor(name: string, virtualHosts: readonly CompiledVirtualHost[], internalOnlyHeaders: readonly string[], index: VirtualHostIndex<CompiledVirtualHost>, options: AuthorityOptions) {
    this.name = name;
    this.virtualHosts = virtualHosts;
    this.internalOnlyHeaders = internalOnlyHeaders;
    this.index = index;
    this.options = options;
    this.ignorePort = options.ignorePortInHostMatching === true;
  }

  /**
   * The authority after the HCM's strip_trailing_host_dot / strip_*_host_port: what Envoy
   * forwards upstream and matches domains against.
   */
  normalizeAuthority(authority: string, method = ''): string {
    return normalizeAuthority(authority, this.options, method);
  }

  /**
   * The virtual host for a request's :authority (raw, as received), or null when no domain
   * matches and there is no '*' (the connection manager answers 404 NR). Case-insensitive.
   */
  selectVirtualHost(authority: string, method = ''): CompiledVirtualHost | null {
    let host = normalizeAuthority(authority, this.options, method);
    if (this.ignorePort) host = stripPort(host, -1);
    return this.index.find(host);
  }

  /** selectVirtualHost + matchRoute in one call. */
  route(req: RouteRequest, authority: string, randomValue: number): CompiledRoute | null {
    const vhost = this.selectVirtualHost(authority, req.method);
    return vhost === null ? null : vhost.matchRoute(req, randomValue);
  }
}

/**
 * Compiles a validated RouteConfiguration. Returns every problem found (a regex RE2 rejects, a
 * duplicate domain, a second '*', weights summing to 0) with its field path, so an RDS update
 * can be NACKed with the whole list. `reuse` may hand back a virtual host compiled earlier from the
 * very same view (RouteTableCompiler); its routes are then not compiled again.
 */
export function tryCompileRouteTable(config: RouteConfiguration, options: RouteTableOptions, reuse?: (view: VirtualHost) => CompiledVirtualHost | undefined): ValidationResult<RouteTable> {
  const errors: FieldError[] = [];
  const formatter = options.headerValueFormatter ?? null;
  const index = new VirtualHostIndex<CompiledVirtualHost>();
  const vhosts: CompiledVirtualHost[] = [];
  for (let v = 0; v < config.virtualHosts.length; v++) {
    const view = config.virtualHosts[v];
    const path = `virtualHosts[${v}]`;
    let vhost = reuse?.(view);
    if (vhost === undefined) {
      const levels = compileVirtualHostLevels(config, view, formatter, options.defaultRequestBufferLimitBytes);
      const routes: CompiledRoute[] = [];
      for (let r = 0; r < view.routes.length; r++) {
        const route = compileRoute(view.routes[r], r, view, levels, `${path}.routes[${r}]`, errors);
        if (route !== null) routes.push(route);
      }
      vhost = new CompiledVirtualHost(view, routes, compileSslRedirectRoute(view));
    }
    vhosts.push(vhost);
    for (let d = 0; d < view.domains.length; d++) {
      const message = index.add(view.domains[d], vhost);
      if (message !== null) errors.push({ path: `${path}.domains[${d}]`, message });
    }
  }
  if (errors.length > 0) return fail(errors);
  return ok(new RouteTable(config.name, vhosts, config.internalOnlyHeaders, index.seal(), options));
}

/**
 * Compiles a RouteConfiguration that has already passed validation (tryCompileRouteTable is the
 * validating form). Throws InvalidArgumentError listing every problem if it had not.
 */
export function compileRouteTable(config: RouteConfiguration, options: RouteTableOptions, reuse?: (view: VirtualHost) => CompiledVirtualHost | undefined): RouteTable {
  const r = tryCompileRouteTable(config, options, reuse);
  if (!r.ok) throw new InvalidArgumentError(`route configuration ${JSON.stringify(config.name)} does not compile:\n${formatErrors(r.errors)}`);
  return r.value;
}
