import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toApiListener, toIngressListener } from '../../../../src/control-plane/translate/to-listener.js';
import { decodeListener } from '../../../../src/xds/resources/listener.js';
import type { Listener } from '../../../../src/xds/resources/listener.types.js';
import { LOCAL_RATELIMIT_TYPE_URL, ROUTER_FILTER_TYPE_URL } from '../../../../src/xds/type-urls.js';
import type { PlatformState } from '../../../../src/control-plane/model/types.js';
import { expectValid, wireRoundTrip } from './resource-checks.js';
import { makeRevision, makeService, makeServiceState, makeState, target } from './sample-platform.js';

const UP = [{ address: '127.0.0.1', port: 9000 }];
const plain = makeService('a1b2c3d4', 'shop');
const limited = makeService('b2c3d4e5', 'api', { rateLimit: { requestsPerSecond: 5, burst: null } });
const deletedLimited = makeService('c3d4e5f6', 'old', { status: 'DELETED', rateLimit: { requestsPerSecond: 5, burst: null } });

function ingress(state: PlatformState): Listener {
  return expectValid('ingress_http', decodeListener(wireRoundTrip(toIngressListener(state)), ''));
}

test('the ingress listener: bound to listenAddress:httpPort, HCM with RDS `ingress` over ADS', () => {
  const l = ingress(makeState([], { listenAddress: '0.0.0.0', httpPort: 18080 }));
  assert.deepStrictEqual([l.name, l.address], ['ingress_http', { host: '0.0.0.0', port: 18080 }]);
  const hcm = l.filterChains[0].httpConnectionManager;
  assert.deepStrictEqual(
    [hcm.statPrefix, hcm.codecType, hcm.route, hcm.useRemoteAddress, hcm.stripAnyHostPort, hcm.upgradeConfigs],
    ['ingress_http', 'AUTO', { kind: 'rds', routeConfigName: 'ingress', configSource: { kind: 'ads', resourceApiVersion: 'V3' } }, true, true, [{ upgradeType: 'websocket', enabled: true }]],
  );
});

const filterCases: { name: string; services: PlatformState['services']; expected: string[] }[] = [
  { name: 'no service limits its rate: the router alone', services: [makeServiceState(plain, [], [])], expected: [ROUTER_FILTER_TYPE_URL] },
  {
    name: 'a service limits its rate: local_ratelimit, then the router',
    services: [makeServiceState(plain, [], []), makeServiceState(limited, [], [])],
    expected: [LOCAL_RATELIMIT_TYPE_URL, ROUTER_FILTER_TYPE_URL],
  },
  { name: 'only a DELETED service limits its rate: the router alone', services: [makeServiceState(deletedLimited, [], [])], expected: [ROUTER_FILTER_TYPE_URL] },
];

for (const c of filterCases) {
  test(`ingress http_filters when ${c.name}`, () => {
    const filters = ingress(makeState(c.services)).filterChains[0].httpConnectionManager.httpFilters;
    assert.deepStrictEqual(filters.map((f) => f.typeUrl), c.expected);
  });
}

test('the HCM-level local_ratelimit has no token bucket: only per-virtual-host configs limit', () => {
  const [rl] = ingress(makeState([makeServiceState(limited, [], [])])).filterChains[0].httpConnectionManager.httpFilters;
  assert.deepStrictEqual(rl.config, { '@type': LOCAL_RATELIMIT_TYPE_URL, stat_prefix: 'http_local_rate_limiter' });
});

test("an API listener: named the host, no address, inline routes with only the service's hosts, gRPC clusters", () => {
  const other = makeService('d4e5f6a7', 'other');
  const svc = makeServiceState(limited, [makeRevision(limited.id, 1, UP), makeRevision(limited.id, 2, UP)], [target('rev-1', 100), target('rev-2', 0, 'beta')], ['api.example.com']);
  const state = makeState([svc, makeServiceState(other, [makeRevision(other.id, 1, UP)], [target('rev-1', 100)])]);
  const l = expectValid('api listener', decodeListener(wireRoundTrip(toApiListener(svc)), ''));
  assert.deepStrictEqual([l.name, l.address, l.filterChains], [limited.host, null, []]);
  assert.ok(l.apiListener !== null && l.apiListener.route.kind === 'inline');
  const rc = l.apiListener.route.routeConfig;
  assert.equal(rc.name, limited.host);
  assert.deepStrictEqual(
    rc.virtualHosts.map((vh) => [vh.name, vh.domains, vh.typedPerFilterConfig]),
    [
      ['b2c3d4e5', [limited.host], {}],
      ['b2c3d4e5--tag--beta', [`beta---${limited.host}`], {}],
    ],
  );
  const action = rc.virtualHosts[0].routes[0].action;
  assert.ok(action.kind === 'route' && action.cluster.kind === 'cluster');
  assert.equal(action.cluster.name, 'b2c3d4e5--rev-1--grpc');
  assert.deepStrictEqual(l.apiListener.httpFilters.map((f) => f.typeUrl), [ROUTER_FILTER_TYPE_URL]);
});

test('an API listener of a service with nothing serving has a virtual host without routes (no direct_response for gRPC)', () => {
  const svc = makeServiceState(plain, [makeRevision(plain.id, 1, [])], [target('rev-1', 100)]);
  const l = expectValid('api listener', decodeListener(wireRoundTrip(toApiListener(svc)), ''));
  assert.ok(l.apiListener?.route.kind === 'inline');
  assert.deepStrictEqual(l.apiListener.route.routeConfig.virtualHosts.map((vh) => [vh.name, vh.routes]), [['a1b2c3d4', []]]);
});
