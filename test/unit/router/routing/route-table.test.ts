import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import type { RetryPolicy } from '../../../../src/xds/resources/route-configuration.types.js';
import { InvalidArgumentError } from '../../../../src/common/errors.js';
import { compileRouteTable, tryCompileRouteTable, type RouteTable } from '../../../../src/router/routing/route-table.js';
import { header, match, request, route, routeAction, routeConfig, TABLE_OPTIONS, vhost } from './route-fixtures.js';

function table(config = routeConfig()): RouteTable {
  return compileRouteTable(config, TABLE_OPTIONS);
}
function routeName(t: RouteTable, url: string, headers: string[] = [], method = 'GET', scheme: 'http' | 'https' = 'http'): string | null {
  const req = request(url, headers, method, scheme);
  return t.selectVirtualHost('example.com')?.matchRoute(req, 0)?.name ?? null;
}

const ordered = table(
  routeConfig({
    virtualHosts: [
      vhost({
        routes: [
          route({ name: 'exact', match: match({ path: { kind: 'path', value: '/api/health' } }) }),
          route({ name: 'regex', match: match({ path: { kind: 'safeRegex', value: '/api/users/[0-9]+' } }) }),
          route({ name: 'api', match: match({ path: { kind: 'pathSeparatedPrefix', value: '/api' } }) }),
          route({ name: 'api-shadowed', match: match({ path: { kind: 'prefix', value: '/api/users' } }) }),
          route({ name: 'with-header', match: match({ headers: [{ name: 'x-canary', invertMatch: false, treatMissingHeaderAsEmpty: false, match: { kind: 'present', present: true } }] }) }),
          route({ name: 'catch-all' }),
        ],
      }),
    ],
  }),
);
const orderCases: { url: string; headers?: string[]; expected: string }[] = [
  { url: '/api/health', expected: 'exact' },
  { url: '/api/users/7?x=1', expected: 'regex' },
  { url: '/api/users', expected: 'api' },
  { url: '/apiary', headers: ['x-canary', '1'], expected: 'with-header' },
  { url: '/apiary', expected: 'catch-all' },
];
for (const c of orderCases) test(`route order: first match wins for ${c.url}`, () => assert.equal(routeName(ordered, c.url, c.headers), c.expected));

test('no route matches → null; unnamed routes get a stable name', () => {
  const t = table(routeConfig({ virtualHosts: [vhost({ name: 'web', routes: [route({ match: match({ path: { kind: 'path', value: '/only' } }) })] })] }));
  assert.equal(routeName(t, '/other'), null);
  const r = t.selectVirtualHost('x')!.matchRoute(request('/only'), 0)!;
  assert.equal(r.name, 'web/routes[0]');
  assert.equal(r.configuredName, '');
});

test('runtime_fraction: Math.random()-style floats are scaled, integers used as is', () => {
  const t = table(routeConfig({ virtualHosts: [vhost({ routes: [route({ name: 'tenth', match: match({ runtimeFraction: { numerator: 10, denominator: 100 } }) }), route({ name: 'rest' })] })] }));
  const vh = t.selectVirtualHost('x')!;
  assert.equal(vh.matchRoute(request('/'), 5)?.name, 'tenth');
  assert.equal(vh.matchRoute(request('/'), 50)?.name, 'rest');
  let hits = 0;
  for (let i = 0; i < 10_000; i++) if (vh.matchRoute(request('/'), i / 10_000)?.name === 'tenth') hits++;
  assert.ok(hits > 800 && hits < 1200, `hits ${hits}`);
});

test('require_tls ALL redirects plain HTTP to https with the authority kept', () => {
  const t = table(routeConfig({ virtualHosts: [vhost({ requireTls: 'ALL' })] }));
  const vh = t.selectVirtualHost('example.com:8080')!;
  const r = vh.matchRoute(request('/a?b=1'), 0)!;
  assert.equal(r.isSslRedirect, true);
  assert.equal(r.action.kind, 'redirect');
  assert.equal(r.redirectLocation(request('/a?b=1'), 'example.com:8080'), 'https://example.com:8080/a?b=1');
  assert.equal(vh.matchRoute(request('/a', [], 'GET', 'https'), 0)?.isSslRedirect, false);
});

test('require_tls EXTERNAL_ONLY lets x-envoy-internal requests through', () => {
  const vh = table(routeConfig({ virtualHosts: [vhost({ requireTls: 'EXTERNAL_ONLY' })] })).selectVirtualHost('x')!;
  assert.equal(vh.matchRoute(request('/'), 0)?.isSslRedirect, true);
  assert.equal(vh.matchRoute(request('/', ['x-envoy-internal', 'true']), 0)?.isSslRedirect, false);
});

const retry = (numRetries: number): RetryPolicy => ({
  retryOn: ['5xx'],
  numRetries,
  perTryTimeoutMs: 0,
  perTryIdleTimeoutMs: 0,
  retryBackOff: { baseIntervalMs: 25, maxIntervalMs: 250 },
  retriableStatusCodes: [],
  retriableHeaders: [],
  retriableRequestHeaders: [],
  retryHostPredicates: ['envoy.retry_host_predicates.previous_hosts'],
  hostSelectionRetryMaxAttempts: 3,
  rateLimitedRetryBackOff: null,
});

test('policies: retry from the route else the vhost; timeouts; attempt count; lb context', () => {
  const t = table(
    routeConfig({
      virtualHosts: [
        vhost({
          retryPolicy: retry(2),
          includeRequestAttemptCount: true,
          routes: [
            route({ name: 'own', match: match({ path: { kind: 'prefix', value: '/own' } }), action: routeAction({ retryPolicy: retry(5), timeoutMs: 3000, idleTimeoutMs: 500 }) }),
            route({ name: 'inherit', action: routeAction({ hashPolicy: [{ kind: 'header', headerName: 'x-user', terminal: false }] }) }),
          ],
        }),
      ],
    }),
  );
  const vh = t.selectVirtualHost('x')!;
  const own = vh.matchRoute(request('/own'), 0)!;
  const inherit = vh.matchRoute(request('/'), 0)!;
  assert.equal(own.retryPolicy?.numRetries, 5);
  assert.equal(inherit.retryPolicy?.numRetries, 2);
  assert.equal(own.timeoutMs, 3000);
  assert.equal(own.idleTimeoutMs, 500);
  assert.equal(own.includeAttemptCount, true);
  const stream = { requestHeaders: ['x-user', 'alice'], path: '/?a=1', downstream: { remoteAddress: '10.0.0.1' } };
  const ctx = inherit.lbContext(stream);
  assert.equal(typeof ctx.hashKey, 'number');
  assert.equal(ctx.hostSelectionRetryMaxAttempts, 3);
  assert.equal(inherit.lbContext({ ...stream, requestHeaders: ['x-user', 'alice'] }).hashKey, ctx.hashKey);
  assert.equal(own.lbContext(stream).hashKey, null);
  assert.equal(own.lbContext(stream), own.lbContext(stream), 'no allocation without hash policies');
});

test('clusters: fixed, weighted and cluster_header', () => {
  const t = table(
    routeConfig({
      virtualHosts: [
        vhost({
          routes: [
            route({ name: 'hdr', match: match({ path: { kind: 'prefix', value: '/hdr' } }), action: routeAction({ cluster: { kind: 'clusterHeader', header: 'x-cluster' } }) }),
            route({
              name: 'split',
              match: match({ path: { kind: 'prefix', value: '/split' } }),
              action: routeAction({
                cluster: {
                  kind: 'weightedClusters',
                  totalWeight: 100,
                  headerName: null,
                  clusters: [
                    { name: 'blue', weight: 80, typedPerFilterConfig: {}, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] },
                    { name: 'green', weight: 20, typedPerFilterConfig: {}, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] },
                  ],
                },
              }),
            }),
            route({ name: 'direct', action: { kind: 'directResponse', status: 200, body: 'ok' } }),
          ],
        }),
      ],
    }),
  );
  const vh = t.selectVirtualHost('x')!;
  const hdr = vh.matchRoute(request('/hdr'), 0)!;
  assert.equal(hdr.pickCluster(['x-cluster', 'c1', 'x-cluster', 'c2'], 0), 'c1');
  assert.equal(hdr.pickCluster([], 0), null);
  const split = vh.matchRoute(request('/split'), 0)!;
  assert.equal(split.pickCluster([], 0.1), 'blue');
  assert.equal(split.pickCluster([], 0.9), 'green');
  assert.equal(split.pickWeightedCluster([], 0.9)?.name, 'green');
  assert.equal(vh.matchRoute(request('/'), 0)!.pickCluster([], 0), null);
  assert.equal(table().selectVirtualHost('x')!.matchRoute(request('/'), 0)!.pickCluster([], 0), 'default');
});

function mutationTable(mostSpecificHeaderMutationsWins: boolean): RouteTable {
  const add = (v: string) => [header('x-level', v, 'OVERWRITE_IF_EXISTS_OR_ADD'), header('x-trace', v)];
  return table(
    routeConfig({
      mostSpecificHeaderMutationsWins,
      requestHeadersToAdd: add('config'),
      responseHeadersToAdd: [header('x-resp', 'config')],
      responseHeadersToRemove: ['server'],
      virtualHosts: [
        vhost({
          requestHeadersToAdd: add('vhost'),
          routes: [
            route({
              requestHeadersToAdd: add('route'),
              requestHeadersToRemove: ['x-secret'],
              action: routeAction({
                cluster: {
                  kind: 'weightedClusters',
                  totalWeight: 2,
                  headerName: null,
                  clusters: [
                    { name: 'a', weight: 1, typedPerFilterConfig: {}, requestHeadersToAdd: add('cluster'), requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] },
                    { name: 'b', weight: 1, typedPerFilterConfig: {}, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] },
                  ],
                },
              }),
            }),
          ],
        }),
      ],
    }),
  );
}

function values(headers: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) out.push(headers[i + 1]);
  return out;
}

test('header mutations: default order route → vhost → config (least specific wins an overwrite)', () => {
  const r = mutationTable(false).selectVirtualHost('x')!.matchRoute(request('/'), 0)!;
  const h = ['x-secret', 's', 'x-level', 'client'];
  r.applyRequestHeaderMutations(h, { cluster: { name: 'b' } });
  assert.deepEqual(values(h, 'x-level'), ['config']);
  assert.deepEqual(values(h, 'x-trace'), ['route', 'vhost', 'config']);
  assert.deepEqual(values(h, 'x-secret'), []);
  const resp = ['server', 'upstream'];
  r.applyResponseHeaderMutations(resp, null);
  assert.deepEqual(resp, ['x-resp', 'config']);
});

test('header mutations: most_specific_header_mutations_wins applies config → vhost → route', () => {
  const r = mutationTable(true).selectVirtualHost('x')!.matchRoute(request('/'), 0)!;
  const h: string[] = [];
  r.applyRequestHeaderMutations(h, null);
  assert.deepEqual(values(h, 'x-level'), ['route']);
  assert.deepEqual(values(h, 'x-trace'), ['config', 'vhost', 'route']);
});

test('header mutations: the weighted cluster level runs first', () => {
  const r = mutationTable(false).selectVirtualHost('x')!.matchRoute(request('/'), 0)!;
  const h: string[] = [];
  r.applyRequestHeaderMutations(h, { cluster: { name: 'a' } });
  assert.deepEqual(values(h, 'x-trace'), ['cluster', 'route', 'vhost', 'config']);
  assert.deepEqual(values(h, 'x-level'), ['config']);
});

test('typed_per_filter_config: weighted cluster > route > virtual host', () => {
  const cfg = (tag: string) => ({ tag }) as unknown as ProtoObject;
  const t = table(
    routeConfig({
      virtualHosts: [
        vhost({
          typedPerFilterConfig: { 'envoy.filters.http.a': cfg('vh-a'), 'envoy.filters.http.b': cfg('vh-b') },
          routes: [
            route({
              typedPerFilterConfig: { 'envoy.filters.http.b': cfg('route-b') },
              action: routeAction({
                cluster: {
                  kind: 'weightedClusters',
                  totalWeight: 1,
                  headerName: null,
                  clusters: [{ name: 'w', weight: 1, typedPerFilterConfig: { 'envoy.filters.http.a': cfg('w-a') }, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] }],
                },
              }),
            }),
          ],
        }),
      ],
    }),
  );
  const r = t.selectVirtualHost('x')!.matchRoute(request('/'), 0)!;
  assert.deepEqual(r.filterConfig('envoy.filters.http.a'), cfg('vh-a'));
  assert.deepEqual(r.filterConfig('envoy.filters.http.b'), cfg('route-b'));
  assert.deepEqual(r.filterConfig('envoy.filters.http.a', 'w'), cfg('w-a'));
  assert.deepEqual(r.filterConfig('envoy.filters.http.b', 'w'), cfg('route-b'));
  assert.equal(r.filterConfig('envoy.filters.http.c'), undefined);
});

test('upgrades and rate limits', () => {
  const rl = (stage: number) => ({ stage, actions: [] });
  const t = table(
    routeConfig({
      virtualHosts: [
        vhost({
          rateLimits: [rl(9)],
          routes: [
            route({ name: 'ws', match: match({ path: { kind: 'prefix', value: '/ws' } }), action: routeAction({ upgradeConfigs: [{ upgradeType: 'WebSocket', enabled: true }], rateLimits: [rl(1)] }) }),
            route({ name: 'incl', match: match({ path: { kind: 'prefix', value: '/incl' } }), action: routeAction({ rateLimits: [rl(1)], includeVhRateLimits: true }) }),
            route({ name: 'none', action: routeAction({ upgradeConfigs: [{ upgradeType: 'websocket', enabled: false }] }) }),
          ],
        }),
      ],
    }),
  );
  const vh = t.selectVirtualHost('x')!;
  const ws = vh.matchRoute(request('/ws'), 0)!;
  assert.equal(ws.upgradeEnabled('websocket'), true);
  assert.equal(ws.upgradeEnabled('h2c'), null);
  assert.equal(vh.matchRoute(request('/'), 0)!.upgradeEnabled('websocket'), false);
  assert.deepEqual(ws.rateLimits.map((r) => r.stage), [1]);
  assert.deepEqual(vh.matchRoute(request('/incl'), 0)!.rateLimits.map((r) => r.stage), [1, 9]);
  assert.deepEqual(vh.matchRoute(request('/'), 0)!.rateLimits.map((r) => r.stage), [9]);
});

test('rewrites and redirects through the compiled route', () => {
  const t = table(
    routeConfig({
      virtualHosts: [
        vhost({
          routes: [
            route({ match: match({ path: { kind: 'prefix', value: '/old/' } }), action: { kind: 'redirect', schemeRedirect: 'https', hostRedirect: null, portRedirect: null, pathRedirect: null, prefixRewrite: '/new/', regexRewrite: null, responseCode: 308, stripQuery: false } }),
            route({ match: match({ path: { kind: 'prefix', value: '/api/' } }), action: routeAction({ prefixRewrite: '/' }) }),
            route(),
          ],
        }),
      ],
    }),
  );
  const vh = t.selectVirtualHost('x')!;
  const redirect = vh.matchRoute(request('/old/page'), 0)!;
  assert.equal(redirect.redirectLocation(request('/old/page?q=1'), 'a.com:80'), 'https://a.com/new/page?q=1');
  assert.equal(vh.matchRoute(request('/api/x'), 0)!.rewritePath('/api/x?y'), '/x?y');
  assert.equal(vh.matchRoute(request('/z'), 0)!.rewritePath('/z'), null);
});

test('every compile error is collected with its path; compileRouteTable throws them', () => {
  const config = routeConfig({
    virtualHosts: [
      vhost({
        domains: ['a.com'],
        routes: [
          route({ match: match({ path: { kind: 'safeRegex', value: '(x)\\1' } }) }),
          route({ action: routeAction({ regexRewrite: { pattern: '(?<=a)b', substitution: '' } }) }),
        ],
      }),
      vhost({ domains: ['a.com'] }),
    ],
  });
  const r = tryCompileRouteTable(config, TABLE_OPTIONS);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.deepEqual(
      r.errors.map((e) => e.path),
      ['virtualHosts[0].routes[0].match.path', 'virtualHosts[0].routes[1].route.regexRewrite', 'virtualHosts[1].domains[0]'],
    );
  }
  assert.throws(() => compileRouteTable(config, TABLE_OPTIONS), InvalidArgumentError);
});

test('internal_only_headers and the table name are exposed', () => {
  const t = table(routeConfig({ name: 'ingress', internalOnlyHeaders: ['x-internal'] }));
  assert.equal(t.name, 'ingress');
  assert.deepEqual(t.internalOnlyHeaders, ['x-internal']);
  assert.equal(t.route(request('/'), 'anything', 0)?.name, 'vh/routes[0]');
});
