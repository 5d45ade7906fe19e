/**
 * Builds a CompiledRoute from a validated Route and its virtual host and route configuration:
 * matchers and rewrites compiled (RE2), header mutation levels put in Envoy's order, per-filter
 * configs merged, policies inherited. Returns null and pushes FieldErrors (paths under
 * `virtualHosts[i].routes[j]`) when a regex does not compile.
 *
 * Header mutation order (RouteConfiguration.most_specific_header_mutations_wins, default false):
 *   false: route → virtual host → route configuration   (the least specific level, applied last, wins an overwrite)
 *   true:  route configuration → virtual host → route   (the most specific wins)
 * A weighted cluster's own level always runs first (Envoy WeightedClusterEntry).
 */
import type { ProtoObject } from '../../xds/proto-object.js';
import type { HeaderMutations, RateLimit, Route, RouteConfiguration, VirtualHost, WeightedCluster } from '../../xds/resources/route-configuration.types.js';
import type { FieldError } from '../../xds/validation.js';
import { CompiledRetryPolicy } from './compiled-retry-policy.js';
import { CompiledRoute, WeightedClusterEntry } from './compiled-route.js';
import { HashPolicyEvaluator } from './hash-key.js';
import { compileHeaderMutationLevel, type HeaderMutationLevel, type HeaderValueFormatterFactory } from './header-mutations.js';
import { PathMatcher } from './path-matcher.js';
import { CompiledRedirect, PathRewriter } from './path-rewrite.js';
import { CompiledRouteMatch } from './route-match.js';
import { WeightedClusterPicker } from './weighted-cluster-picker.js';

/** Per-virtual-host pieces shared by all its routes, compiled once. */
export interface VirtualHostLevels {
  readonly configRequest: HeaderMutationLevel | null;
  readonly configResponse: HeaderMutationLevel | null;
  readonly vhostRequest: HeaderMutationLevel | null;
  readonly vhostResponse: HeaderMutationLevel | null;
  readonly mostSpecificWins: boolean;
  readonly formatterFactory: HeaderValueFormatterFactory | null;
  /** The listener's per_connection_buffer_limit_bytes, for routes without per_request_buffer_limit_bytes. */
  readonly defaultRequestBufferLimitBytes: number;
}

/** Envoy default per_connection_buffer_limit_bytes (1 MiB). */
const DEFAULT_BUFFER_LIMIT_BYTES = 1024 * 1024;

export function compileVirtualHostLevels(
  config: RouteConfiguration,
  vhost: VirtualHost,
  formatterFactory: HeaderValueFormatterFactory | null,
  defaultRequestBufferLimitBytes = DEFAULT_BUFFER_LIMIT_BYTES,
): VirtualHostLevels {
  return {
    defaultRequestBufferLimitBytes,
    configRequest: compileHeaderMutationLevel(config.requestHeadersToAdd, config.requestHeadersToRemove, formatterFactory),
    configResponse: compileHeaderMutationLevel(config.responseHeadersToAdd, config.responseHeadersToRemove, formatterFactory),
    vhostRequest: compileHeaderMutationLevel(vhost.requestHeadersToAdd, vhost.requestHeadersToRemove, formatterFactory),
    vhostResponse: compileHeaderMutationLevel(vhost.responseHeadersToAdd, vhost.responseHeadersToRemove, formatterFactory),
    mostSpecificWins: config.mostSpecificHeaderMutationsWins,
    formatterFactory,
  };
}

export function compileRoute(route: Route, index: number, vhost: VirtualHost, levels: VirtualHostLevels, path: string, errors: FieldError[]): CompiledRoute | null {
  const before = errors.length;
  const match = CompiledRouteMatch.compile(route.match, `${path}.match`, errors);
  // A path matcher for rewrites even when the match failed to compile, so every error is collected.
  const pathMatcher = match !== null ? match.path : fallbackPathMatcher(route);
  const action = route.action;

  let rewriter: PathRewriter | null = null;
  let redirect: CompiledRedirect | null = null;
  if (action.kind === 'route' || action.kind === 'redirect') {
    const r = PathRewriter.compile(action.prefixRewrite, action.regexRewrite, pathMatcher);
    if (!r.ok) errors.push({ path: `${path}.${action.kind === 'route' ? 'route' : 'redirect'}.regexRewrite`, message: r.message });
    else if (action.kind === 'route') rewriter = r.rewriter;
    else redirect = new CompiledRedirect(action, r.rewriter);
  }

  const routeRequest = compileHeaderMutationLevel(route.requestHeadersToAdd, route.requestHeadersToRemove, levels.formatterFactory);
  const routeResponse = compileHeaderMutationLevel(route.responseHeadersToAdd, route.responseHeadersToRemove, levels.formatterFactory);
  const requestMutations = orderLevels(null, routeRequest, levels.vhostRequest, levels.configRequest, levels.mostSpecificWins);
  const responseMutations = orderLevels(null, routeResponse, levels.vhostResponse, levels.configResponse, levels.mostSpecificWins);
  const perFilterConfig = mergeFilterConfigs(vhost.typedPerFilterConfig, route.typedPerFilterConfig);

  let picker: WeightedClusterPicker<WeightedClusterEntry> | null = null;
  if (action.kind === 'route' && action.cluster.kind === 'weightedClusters') {
    const spec = action.cluster;
    const entries: WeightedClusterEntry[] = [];
    for (let i = 0; i < spec.clusters.length; i++) {
      entries.push(compileWeightedEntry(spec.clusters[i], routeRequest, routeResponse, levels, perFilterConfig));
    }
    picker = new WeightedClusterPicker(entries, spec.headerName);
    if (picker.total <= 0) errors.push({ path: `${path}.route.weightedClusters`, message: 'the sum of the weights must be greater than 0' });
  }

  const upgrades = new Map<string, boolean>();
  let rateLimits: readonly RateLimit[] = [];
  if (action.kind === 'route') {
    for (const u of action.upgradeConfigs) upgrades.set(u.upgradeType.toLowerCase(), u.enabled);
    rateLimits = action.rateLimits.length === 0 || action.includeVhRateLimits ? [...action.rateLimits, ...vhost.rateLimits] : action.rateLimits;
  }

  const retryView = action.kind === 'route' ? (action.retryPolicy ?? vhost.retryPolicy) : null;
  let compiledRetry: CompiledRetryPolicy | null = null;
  if (retryView !== null) {
    const r = CompiledRetryPolicy.compile(retryView);
    if (!r.ok) errors.push({ path: `${path}.route.retryPolicy`, message: r.message });
    else compiledRetry = r.policy;
  }

  if (errors.length !== before) return null;
  return new CompiledRoute({
    name: route.name !== '' ? route.name : `${vhost.name}/routes[${index}]`,
    configuredName: route.name,
    virtualHostName: vhost.name,
    action,
    match,
    isSslRedirect: false,
    rewriter,
    redirect,
    picker,
    requestMutations,
    responseMutations,
    perFilterConfig,
    retryPolicy: retryView,
    compiledRetryPolicy: compiledRetry,
    // Envoy: the route's per_request_buffer_limit_bytes, else the virtual host's, else the connection's limit.
    retryBufferLimitBytes: route.perRequestBufferLimitBytes ?? vhost.perRequestBufferLimitBytes ?? levels.defaultRequestBufferLimitBytes,
    rateLimits,
    includeAttemptCount: vhost.includeRequestAttemptCount,
    includeAttemptCountInResponse: vhost.includeAttemptCountInResponse,
    upgrades,
    hashPolicy: action.kind === 'route' && action.hashPolicy.length > 0 ? new HashPolicyEvaluator(action.hashPolicy) : null,
  });
}

/** The route a virtual host with require_tls answers plain-HTTP requests with (301 to https). */
export function compileSslRedirectRoute(vhost: VirtualHost): CompiledRoute {
  return new CompiledRoute({
    name: `${vhost.name}/require_tls`,
    configuredName: '',
    virtualHostName: vhost.name,
    action: SSL_REDIRECT_ACTION,
    match: null,
    isSslRedirect: true,
    rewriter: null,
    redirect: null,
    picker: null,
    requestMutations: [],
    responseMutations: [],
    perFilterConfig: new Map(),
    retryPolicy: null,
    compiledRetryPolicy: null,
    retryBufferLimitBytes: 0,
    rateLimits: [],
    includeAttemptCount: false,
    includeAttemptCountInResponse: false,
    upgrades: new Map(),
    hashPolicy: null,
  });
}

const SSL_REDIRECT_ACTION: Route['action'] = Object.freeze({
  kind: 'redirect',
  schemeRedirect: 'https',
  hostRedirect: null,
  portRedirect: null,
  pathRedirect: null,
  prefixRewrite: null,
  regexRewrite: null,
  responseCode: 301,
  stripQuery: false,
});

function compileWeightedEntry(
  c: WeightedCluster,
  routeRequest: HeaderMutationLevel | null,
  routeResponse: HeaderMutationLevel | null,
  levels: VirtualHostLevels,
  routeFilterConfig: ReadonlyMap<string, ProtoObject>,
): WeightedClusterEntry {
  const own = mutationLevels(c, levels);
  const filterConfig = new Map(routeFilterConfig);
  for (const name of Object.keys(c.typedPerFilterConfig)) filterConfig.set(name, c.typedPerFilterConfig[name]);
  return new WeightedClusterEntry(
    c.name,
    c.weight,
    orderLevels(own.request, routeRequest, levels.vhostRequest, levels.configRequest, levels.mostSpecificWins),
    orderLevels(own.response, routeResponse, levels.vhostResponse, levels.configResponse, levels.mostSpecificWins),
    filterConfig,
  );
}

function mutationLevels(m: HeaderMutations, levels: VirtualHostLevels): { request: HeaderMutationLevel | null; response: HeaderMutationLevel | null } {
  return {
    request: compileHeaderMutationLevel(m.requestHeadersToAdd, m.requestHeadersToRemove, levels.formatterFactory),
    response: compileHeaderMutationLevel(m.responseHeadersToAdd, m.responseHeadersToRemove, levels.formatterFactory),
  };
}

/** [cluster, …route/vhost/config in the configured order], empty levels dropped. */
function orderLevels(
  cluster: HeaderMutationLevel | null,
  route: HeaderMutationLevel | null,
  vhost: HeaderMutationLevel | null,
  config: HeaderMutationLevel | null,
  mostSpecificWins: boolean,
): HeaderMutationLevel[] {
  const ordered = mostSpecificWins ? [cluster, config, vhost, route] : [cluster, route, vhost, config];
  const out: HeaderMutationLevel[] = [];
  for (const level of ordered) if (level !== null) out.push(level);
  return out;
}

function mergeFilterConfigs(vhost: Readonly<Record<string, ProtoObject>>, route: Readonly<Record<string, ProtoObject>>): Map<string, ProtoObject> {
  const merged = new Map<string, ProtoObject>();
  for (const name of Object.keys(vhost)) merged.set(name, vhost[name]);
  for (const name of Object.keys(route)) merged.set(name, route[name]);
  return merged;
}

function fallbackPathMatcher(route: Route): PathMatcher {
  const r = PathMatcher.compile({ kind: 'prefix', value: route.match.path.kind === 'connectMatcher' ? '' : route.match.path.value }, route.match.caseSensitive);
  return (r as { ok: true; matcher: PathMatcher }).matcher;
}
