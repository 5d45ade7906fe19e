/**
 * Route table micro-benchmark: nanoseconds per virtual host pick and per route match on a table
 * of 1,000 virtual hosts (exact, '*.suffix' and 'prefix*' domains, 10 routes each: prefixes,
 * exact paths, a path_separated_prefix, a header matcher and an RE2 regex), plus compile time.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/route-table.bench.js [opsPerCase]
 */
import { compileRouteTable } from '../src/router/routing/route-table.js';
import type { RouteRequest } from '../src/router/routing/route-request.js';
import type { HeaderMutations, Route, RouteConfiguration, RouteMatch, VirtualHost } from '../src/xds/resources/route-configuration.types.js';

const OPS = Number(process.argv[2] ?? 1_000_000);
const VHOSTS = 1000;

const NONE: HeaderMutations = { requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] };

function match(path: RouteMatch['path'], m: Partial<RouteMatch> = {}): RouteMatch {
  return { path, caseSensitive: true, headers: [], queryParameters: [], runtimeFraction: null, grpc: false, ...m };
}

function route(name: string, m: RouteMatch): Route {
  return {
    ...NONE,
    name,
    match: m,
    typedPerFilterConfig: {},
    perRequestBufferLimitBytes: null,
    action: {
      kind: 'route',
      cluster: { kind: 'cluster', name },
      prefixRewrite: null,
      regexRewrite: null,
      hostRewrite: { kind: 'none' },
      timeoutMs: 15_000,
      idleTimeoutMs: -1,
      retryPolicy: null,
      hashPolicy: [],
      maxStreamDurationMs: 0,
      grpcTimeoutHeaderMaxMs: null,
      upgradeConfigs: [],
      rateLimits: [],
      includeVhRateLimits: false,
    },
  };
}

function routesFor(i: number): Route[] {
  return [
    route(`r${i}-health`, match({ kind: 'path', value: '/healthz' })),
    route(`r${i}-users`, match({ kind: 'safeRegex', value: '/users/[0-9]+' })),
    route(`r${i}-v1`, match({ kind: 'prefix', value: '/api/v1/' })),
    route(`r${i}-v2`, match({ kind: 'prefix', value: '/api/v2/' })),
    route(`r${i}-canary`, match({ kind: 'prefix', value: '/api/' }, { headers: [{ name: 'x-canary', invertMatch: false, treatMissingHeaderAsEmpty: false, match: { kind: 'string', matcher: { kind: 'exact', value: 'yes', ignoreCase: false } } }] })),
    route(`r${i}-api`, match({ kind: 'pathSeparatedPrefix', value: '/api' })),
    route(`r${i}-static`, match({ kind: 'prefix', value: '/static/' })),
    route(`r${i}-login`, match({ kind: 'path', value: '/login' })),
    route(`r${i}-docs`, match({ kind: 'prefix', value: '/docs' })),
    route(`r${i}-root`, match({ kind: 'prefix', value: '/' })),
  ];
}

const virtualHosts: VirtualHost[] = [];
for (let i = 0; i < VHOSTS; i++) {
  const domains = i % 10 === 0 ? [`*.tenant${i}.example.com`] : i % 10 === 1 ? [`tenant${i}-*`] : [`svc${i}.example.com`, `svc${i}.example.com:8080`];
  virtualHosts.push({ ...NONE, name: `vh${i}`, domains, routes: routesFor(i), requireTls: 'NONE', retryPolicy: null, typedPerFilterConfig: {}, rateLimits: [], includeRequestAttemptCount: false, includeAttemptCountInResponse: false, perRequestBufferLimitBytes: null });
}
virtualHosts.push({ ...NONE, name: 'default', domains: ['*'], routes: routesFor(-1), requireTls: 'NONE', retryPolicy: null, typedPerFilterConfig: {}, rateLimits: [], includeRequestAttemptCount: false, includeAttemptCountInResponse: false, perRequestBufferLimitBytes: null });
const config: RouteConfiguration = { ...NONE, name: 'bench', virtualHosts, internalOnlyHeaders: [], mostSpecificHeaderMutationsWins: false };
const options = { stripMatchingHostPort: true, stripAnyHostPort: false, stripTrailingHostDot: false, listenerPort: 8080 };

let t0 = performance.now();
const table = compileRouteTable(config, options);
const compileMs = performance.now() - t0;

function req(path: string, headers: string[] = []): RouteRequest {
  const q = path.indexOf('?');
  return { method: 'GET', path: q === -1 ? path : path.slice(0, q), query: q === -1 ? '' : path.slice(q + 1), headers, scheme: 'http' };
}

const hostCases: [string, string[]][] = [
  ['exact', ['svc2.example.com', 'svc503.example.com:8080', 'SVC999.example.com']],
  ['suffix wildcard', ['a.tenant10.example.com', 'x.y.tenant990.example.com']],
  ['prefix wildcard', ['tenant11-eu.internal', 'tenant981-x']],
  ["'*' fallback", ['unknown.host', 'nothing.example.org']],
];
const routeCases: [string, RouteRequest][] = [
  ['first route (exact path)', req('/healthz')],
  ['regex (2nd)', req('/users/12345')],
  ['header matcher (5th)', req('/api/v3/x', ['x-canary', 'yes', 'accept', '*/*'])],
  ['last route (10th)', req('/index.html?utm=1', ['accept', '*/*', 'user-agent', 'bench'])],
];

let sink = 0;
const rows: string[] = [`compile ${VHOSTS} virtual hosts × 10 routes: ${compileMs.toFixed(1)} ms`, '', '| case | ns/op |', '| --- | ---: |'];
for (const [name, hosts] of hostCases) {
  for (let i = 0; i < 10_000; i++) sink += table.selectVirtualHost(hosts[i % hosts.length]) === null ? 0 : 1;
  t0 = performance.now();
  for (let i = 0; i < OPS; i++) sink += table.selectVirtualHost(hosts[i % hosts.length]) === null ? 0 : 1;
  rows.push(`| selectVirtualHost: ${name} | ${(((performance.now() - t0) * 1e6) / OPS).toFixed(0)} |`);
}
const vhost = table.selectVirtualHost('svc2.example.com')!;
for (const [name, r] of routeCases) {
  for (let i = 0; i < 10_000; i++) sink += vhost.matchRoute(r, i) === null ? 0 : 1;
  t0 = performance.now();
  for (let i = 0; i < OPS; i++) sink += vhost.matchRoute(r, i) === null ? 0 : 1;
  rows.push(`| matchRoute: ${name} | ${(((performance.now() - t0) * 1e6) / OPS).toFixed(0)} |`);
}
const hosts = ['svc2.example.com', 'a.tenant10.example.com', 'tenant11-eu', 'svc77.example.com:8080'];
t0 = performance.now();
for (let i = 0; i < OPS; i++) {
  const v = table.selectVirtualHost(hosts[i & 3]);
  sink += v === null ? 0 : v.matchRoute(routeCases[i & 3][1], i) === null ? 0 : 1;
}
rows.push(`| pick + match (mixed) | ${(((performance.now() - t0) * 1e6) / OPS).toFixed(0)} |`);
console.log(rows.join('\n'));
if (sink === -1) console.log(sink);
