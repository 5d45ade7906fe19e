import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ROUTING } from '../../../../src/control-plane/model/defaults.js';
import type { PlatformState } from '../../../../src/control-plane/model/types.js';
import { NO_REVISION_SERVING_BODY } from '../../../../src/control-plane/translate/to-route.js';
import { toIngressRouteConfiguration } from '../../../../src/control-plane/translate/to-route-configuration.js';
import { decodeRouteConfiguration } from '../../../../src/xds/resources/route-configuration.js';
import type { VirtualHost } from '../../../../src/xds/resources/route-configuration.types.js';
import { expectValid, wireRoundTrip } from './resource-checks.js';
import { makeRevision, makeService, makeServiceState, makeState, target } from './sample-platform.js';

const UP = [{ address: '127.0.0.1', port: 9000 }];

function vhosts(state: PlatformState): readonly VirtualHost[] {
  return expectValid('ingress', decodeRouteConfiguration(wireRoundTrip(toIngressRouteConfiguration(state)), '')).virtualHosts;
}

/** What each virtual host does, compactly: name → 'cluster X' | 'weighted X:w,Y:w' | 'direct 503' | 'none'. */
function actions(state: PlatformState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const vh of vhosts(state)) {
    const action = vh.routes[0]?.action;
    if (action === undefined) out[vh.name] = 'none';
    else if (action.kind === 'directResponse') out[vh.name] = `direct ${action.status} ${action.body}`;
    else if (action.kind === 'route' && action.cluster.kind === 'cluster') out[vh.name] = `cluster ${action.cluster.name}`;
    else if (action.kind === 'route' && action.cluster.kind === 'weightedClusters') out[vh.name] = `weighted ${action.cluster.clusters.map((c) => `${c.name}:${c.weight}`).join(',')}`;
    else out[vh.name] = action.kind;
  }
  return out;
}

const svc = makeService('a1b2c3d4', 'shop');
const cases: { name: string; state: PlatformState; expected: Record<string, string> }[] = [
  {
    name: 'a single target routes with a plain cluster',
    state: makeState([makeServiceState(svc, [makeRevision(svc.id, 1, UP)], [target('rev-1', 100)])]),
    expected: { a1b2c3d4: 'cluster a1b2c3d4--rev-1' },
  },
  {
    name: 'a split routes with weighted_clusters, percents as weights, in revision order',
    state: makeState([makeServiceState(svc, [makeRevision(svc.id, 10, UP), makeRevision(svc.id, 9, UP)], [target('rev-10', 25), target('rev-9', 75)])]),
    expected: { a1b2c3d4: 'weighted a1b2c3d4--rev-9:75,a1b2c3d4--rev-10:25' },
  },
  {
    name: 'targets with percent 0 are left out of the split but keep their tag host',
    state: makeState([makeServiceState(svc, [makeRevision(svc.id, 1, UP), makeRevision(svc.id, 2, UP)], [target('rev-1', 100), target('rev-2', 0, 'next')])]),
    expected: { a1b2c3d4: 'cluster a1b2c3d4--rev-1', 'a1b2c3d4--tag--next': 'cluster a1b2c3d4--rev-2' },
  },
  {
    name: 'two targets on one revision add up',
    state: makeState([makeServiceState(svc, [makeRevision(svc.id, 1, UP), makeRevision(svc.id, 2, UP)], [target('rev-1', 50), target('rev-2', 30), target('rev-1', 20, 'stable')])]),
    expected: { a1b2c3d4: 'weighted a1b2c3d4--rev-1:70,a1b2c3d4--rev-2:30', 'a1b2c3d4--tag--stable': 'cluster a1b2c3d4--rev-1' },
  },
  {
    name: 'no traffic targets: 503 "no revision is serving"',
    state: makeState([makeServiceState(svc, [makeRevision(svc.id, 1, UP)], [])]),
    expected: { a1b2c3d4: `direct 503 ${NO_REVISION_SERVING_BODY}` },
  },
  {
    name: 'targets whose revisions have no endpoints: 503, and so does a tag on an empty revision',
    state: makeState([makeServiceState(svc, [makeRevision(svc.id, 1, [])], [target('rev-1', 100, 'old')])]),
    expected: { a1b2c3d4: `direct 503 ${NO_REVISION_SERVING_BODY}`, 'a1b2c3d4--tag--old': `direct 503 ${NO_REVISION_SERVING_BODY}` },
  },
  {
    name: 'an empty revision in a split keeps its share while another revision serves (Envoy answers 503 UH for it)',
    state: makeState([makeServiceState(svc, [makeRevision(svc.id, 1, UP), makeRevision(svc.id, 2, [])], [target('rev-1', 80), target('rev-2', 20)])]),
    expected: { a1b2c3d4: 'weighted a1b2c3d4--rev-1:80,a1b2c3d4--rev-2:20' },
  },
  {
    name: 'a target naming a revision the service does not have is dropped',
    state: makeState([makeServiceState(svc, [makeRevision(svc.id, 1, UP)], [target('rev-1', 60), target('rev-7', 40, 'ghost')])]),
    expected: { a1b2c3d4: 'cluster a1b2c3d4--rev-1' },
  },
];

for (const c of cases) test(c.name, () => assert.deepStrictEqual(actions(c.state), c.expected));

test('domains: the service host first, then custom domains, lower-cased; tag hosts have only their own', () => {
  const state = makeState([makeServiceState(svc, [makeRevision(svc.id, 1, UP)], [target('rev-1', 100, 'blue')], ['WWW.Shop.example', 'api.shop.example'])]);
  assert.deepStrictEqual(
    vhosts(state).map((vh) => [vh.name, vh.domains]),
    [
      ['a1b2c3d4', [svc.host, 'api.shop.example', 'www.shop.example']],
      ['a1b2c3d4--tag--blue', [`blue---${svc.host}`]],
    ],
  );
});

test('a domain claimed twice stays with one virtual host instead of NACKing the whole configuration', () => {
  const other = makeService('b2c3d4e5', 'other');
  const state = makeState([
    makeServiceState(svc, [makeRevision(svc.id, 1, UP)], [target('rev-1', 100)], ['shared.example', other.host]),
    makeServiceState(other, [makeRevision(other.id, 1, UP)], [target('rev-1', 100)], ['shared.example']),
  ]);
  assert.deepStrictEqual(
    vhosts(state).map((vh) => [vh.name, vh.domains]),
    [
      // A service's own host beats anyone's custom domain; among custom domains the first virtual host by name wins.
      ['a1b2c3d4', [svc.host, 'shared.example']],
      ['b2c3d4e5', [other.host]],
    ],
  );
});

test('route settings: timeout, idle timeout, retries (left out when there are none)', () => {
  const routing = { ...DEFAULT_ROUTING, requestTimeoutMs: 1_500, idleTimeoutMs: 30_000, retries: { numRetries: 3, retryOn: ['5xx', 'gateway-error'], perTryTimeoutMs: 500 } };
  const noRetry = makeService('b2c3d4e5', 'noretry', { routing: { ...DEFAULT_ROUTING, retries: { numRetries: 0, retryOn: ['5xx'], perTryTimeoutMs: null } } });
  const state = makeState([
    makeServiceState(makeService(svc.id, 'shop', { routing }), [makeRevision(svc.id, 1, UP)], [target('rev-1', 100)]),
    makeServiceState(noRetry, [makeRevision(noRetry.id, 1, UP)], [target('rev-1', 100)]),
  ]);
  const [tuned, plain] = vhosts(state).map((vh) => vh.routes[0].action);
  assert.ok(tuned.kind === 'route' && plain.kind === 'route');
  assert.deepStrictEqual([tuned.timeoutMs, tuned.idleTimeoutMs, tuned.retryPolicy?.retryOn, tuned.retryPolicy?.numRetries, tuned.retryPolicy?.perTryTimeoutMs], [1_500, 30_000, ['5xx', 'gateway-error'], 3, 500]);
  assert.deepStrictEqual([plain.timeoutMs, plain.retryPolicy], [15_000, null]);
  // Unset idle_timeout leaves the HCM's stream_idle_timeout in charge.
  const emitted = (toIngressRouteConfiguration(state).virtual_hosts as { routes: { route: Record<string, unknown> }[] }[])[1].routes[0].route;
  assert.deepStrictEqual(Object.keys(emitted), ['cluster', 'timeout']);
});

test('a rate-limited service carries its token bucket on every one of its virtual hosts, others carry none', () => {
  const limited = makeService(svc.id, 'shop', { rateLimit: { requestsPerSecond: 20, burst: null } });
  const free = makeService('b2c3d4e5', 'free');
  const state = makeState([
    makeServiceState(limited, [makeRevision(svc.id, 1, UP)], [target('rev-1', 100, 'x')]),
    makeServiceState(free, [makeRevision(free.id, 1, UP)], [target('rev-1', 100)]),
  ]);
  const byName = Object.fromEntries(vhosts(state).map((vh) => [vh.name, vh.typedPerFilterConfig['envoy.filters.http.local_ratelimit']]));
  assert.deepStrictEqual(Object.keys(byName), ['a1b2c3d4', 'a1b2c3d4--tag--x', 'b2c3d4e5']);
  for (const name of ['a1b2c3d4', 'a1b2c3d4--tag--x']) {
    assert.deepStrictEqual(byName[name]?.token_bucket, { max_tokens: 20, tokens_per_fill: { value: 20 }, fill_interval: { seconds: 1, nanos: 0 } });
  }
  assert.equal(byName.b2c3d4e5, undefined);
});
