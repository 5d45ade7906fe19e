import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { translatePlatform, type TranslatedResources } from '../../../../src/control-plane/translate/translate-platform.js';
import { decodeHttpConnectionManager } from '../../../../src/xds/resources/listener.js';
import { HTTP_CONNECTION_MANAGER_TYPE_URL } from '../../../../src/xds/type-urls.js';
import { formatErrors } from '../../../../src/xds/validation.js';
import { decodeAll, wireRoundTrip } from './resource-checks.js';
import { makeService, makeServiceState, makeState, samplePlatform } from './sample-platform.js';

/** Golden files live in the source tree; run with UPDATE_GOLDEN=1 (from the repo root) to rewrite them. */
const GOLDEN_DIR = join(process.cwd(), 'test/fixtures/translate');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const GOLDEN_FILES: { file: string; pick: (r: TranslatedResources) => unknown }[] = [
  { file: 'listeners.json', pick: (r) => r.listeners },
  { file: 'route-configurations.json', pick: (r) => r.routeConfigurations },
  { file: 'clusters.json', pick: (r) => r.clusters },
  { file: 'cluster-load-assignments.json', pick: (r) => r.clusterLoadAssignments },
];

const resources = translatePlatform(samplePlatform());

for (const { file, pick } of GOLDEN_FILES) {
  test(`the sample platform matches the golden ${file}`, () => {
    const actual = `${JSON.stringify(pick(resources), null, 2)}\n`;
    const path = join(GOLDEN_DIR, file);
    if (UPDATE) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(path, actual);
    }
    assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs from the golden file; if the change is intended, rerun with UPDATE_GOLDEN=1`);
  });
}

test('every emitted resource encodes with the Envoy protos and passes the router decoders', () => {
  const decoded = decodeAll(resources);
  assert.deepStrictEqual(
    decoded.listeners.map((l) => l.name),
    ['api-b2c3d4e5.local.switchyard.localhost', 'idle-c3d4e5f6.local.switchyard.localhost', 'ingress_http', 'shop-a1b2c3d4.local.switchyard.localhost'],
  );
  assert.equal(decoded.clusters.length, 8);
  assert.equal(decoded.clusterLoadAssignments.length, 4);
});

test("an API listener's HCM decodes on its own: inline routes, the router as the only filter", () => {
  for (const listener of resources.listeners.filter((l) => l.api_listener !== undefined)) {
    const inner = (wireRoundTrip(listener).api_listener as { api_listener: Record<string, never> }).api_listener;
    assert.equal(inner['@type'], HTTP_CONNECTION_MANAGER_TYPE_URL);
    const errors: { path: string; message: string }[] = [];
    const hcm = decodeHttpConnectionManager(inner, 'apiListener.apiListener', errors);
    assert.equal(errors.length, 0, formatErrors(errors));
    assert.equal(hcm.route.kind, 'inline');
    assert.deepStrictEqual(hcm.httpFilters.map((f) => f.name), ['envoy.filters.http.router']);
    if (hcm.route.kind === 'inline') {
      assert.equal(hcm.route.routeConfig.name, listener.name);
      assert.ok(hcm.route.routeConfig.virtualHosts.every((vh) => vh.domains.every((d) => d.endsWith(listener.name as string))));
    }
  }
});

test('the output is deterministic: input order does not matter and it is deep-frozen', () => {
  const state = samplePlatform();
  const shuffled = makeState([...state.services].reverse().map((s) => ({ ...s, revisions: [...s.revisions].reverse(), domains: [...s.domains].reverse() })));
  assert.deepStrictEqual(translatePlatform(shuffled), resources);
  assert.ok(Object.isFrozen(resources.clusters[0]));
  assert.ok(Object.isFrozen((resources.routeConfigurations[0].virtual_hosts as unknown[])[0]));
});

test('every reference resolves: routes → clusters → assignments, RDS name → route configuration', () => {
  const clusterNames = new Set(resources.clusters.map((c) => c.name as string));
  const edsNames = resources.clusters.map((c) => (c.eds_cluster_config as { service_name: string }).service_name);
  const claNames = resources.clusterLoadAssignments.map((a) => a.cluster_name as string);
  assert.deepStrictEqual([...new Set(edsNames)].sort(), claNames, 'exactly one assignment per EDS service name');
  const decoded = decodeAll(resources);
  const routeConfigs = [
    ...decoded.routeConfigurations,
    ...decoded.listeners.flatMap((l) => (l.apiListener?.route.kind === 'inline' ? [l.apiListener.route.routeConfig] : [])),
  ];
  for (const rc of routeConfigs) {
    for (const vh of rc.virtualHosts) {
      for (const route of vh.routes) {
        if (route.action.kind !== 'route') continue;
        const names = route.action.cluster.kind === 'cluster' ? [route.action.cluster.name] : route.action.cluster.kind === 'weightedClusters' ? route.action.cluster.clusters.map((c) => c.name) : [];
        for (const name of names) assert.ok(clusterNames.has(name), `${rc.name}/${vh.name} routes to missing cluster ${name}`);
      }
    }
  }
  const ingress = decoded.listeners.find((l) => l.name === 'ingress_http');
  const route = ingress?.filterChains[0].httpConnectionManager.route;
  assert.ok(route?.kind === 'rds' && resources.routeConfigurations.some((r) => r.name === route.routeConfigName));
});

test('a platform with no services still has the ingress listener and an empty route configuration', () => {
  const empty = translatePlatform(makeState([]));
  decodeAll(empty);
  assert.deepStrictEqual(empty.listeners.map((l) => l.name), ['ingress_http']);
  assert.deepStrictEqual(empty.routeConfigurations[0].virtual_hosts, []);
  assert.deepStrictEqual([empty.clusters, empty.clusterLoadAssignments], [[], []]);
});

test('DELETED services produce no resources', () => {
  const gone = makeServiceState(makeService('d4e5f6a7', 'gone', { status: 'DELETED' }), [], []);
  const r = translatePlatform(makeState([gone]));
  assert.deepStrictEqual(r.listeners.map((l) => l.name), ['ingress_http']);
  assert.deepStrictEqual(r.routeConfigurations[0].virtual_hosts, []);
});
