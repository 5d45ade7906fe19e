/**
 * IncrementalTranslator gives exactly translatePlatform's output over a sequence of platform
 * changes, and hands back the same objects for services that did not change (what lets the
 * snapshot cache skip re-encoding them).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RATE_LIMIT } from '../../../../src/control-plane/model/defaults.js';
import type { PlatformState } from '../../../../src/control-plane/model/types.js';
import { IncrementalTranslator } from '../../../../src/control-plane/translate/incremental-translator.js';
import { translatePlatform } from '../../../../src/control-plane/translate/translate-platform.js';
import { makeRevision, makeService, makeServiceState, makeState, samplePlatform, target } from './sample-platform.js';

function withService(state: PlatformState, index: number, change: (s: PlatformState['services'][number]) => PlatformState['services'][number]): PlatformState {
  return { ...state, version: state.version + 1, services: state.services.map((s, i) => (i === index ? change(s) : s)) };
}

const base = samplePlatform();
const steps: { name: string; next: (s: PlatformState) => PlatformState }[] = [
  { name: 'traffic shift on shop', next: (s) => withService(s, 0, (x) => ({ ...x, traffic: [target('rev-1', 50), target('rev-2', 50, 'canary')] })) },
  { name: 'a new revision on api', next: (s) => withService(s, 1, (x) => ({ ...x, revisions: [...x.revisions, makeRevision(x.service.id, 2, [{ address: '10.0.0.8', port: 8080 }])] })) },
  { name: 'rate limit removed from api (the ingress listener loses the filter)', next: (s) => withService(s, 1, (x) => ({ ...x, service: { ...x.service, rateLimit: DEFAULT_RATE_LIMIT } })) },
  { name: 'a service added', next: (s) => ({ ...s, services: [...s.services, makeServiceState(makeService('d4e5f6a7', 'new'), [makeRevision('d4e5f6a7', 1, [{ address: '127.0.0.1', port: 41010 }])], [target('rev-1', 100)])] }) },
  { name: 'a service deleted', next: (s) => withService(s, 2, (x) => ({ ...x, service: { ...x.service, status: 'DELETED' } })) },
  { name: 'nothing changed', next: (s) => ({ ...s }) },
];

test('IncrementalTranslator: deep-equal to translatePlatform after every change', () => {
  const translator = new IncrementalTranslator();
  let state = base;
  assert.deepEqual(translator.translate(state), translatePlatform(state));
  for (const step of steps) {
    state = step.next(state);
    assert.deepEqual(translator.translate(state), translatePlatform(state), step.name);
  }
});

test('IncrementalTranslator: unchanged services keep their objects, changed ones get new ones', () => {
  const translator = new IncrementalTranslator();
  const before = translator.translate(base);
  const after = translator.translate(steps[0].next(base)); // shop's traffic moved
  const byName = (list: readonly Record<string, unknown>[], key = 'name') => new Map(list.map((r) => [r[key] as string, r]));
  const [b, a] = [byName(before.clusters), byName(after.clusters)];
  for (const [name, cluster] of a) assert.equal(cluster === b.get(name), true, `${name} reused (clusters do not depend on traffic)`);
  const [bl, al] = [byName(before.listeners), byName(after.listeners)];
  const shopHost = base.services[0].service.host;
  const apiHost = base.services[1].service.host;
  assert.notEqual(al.get(shopHost), bl.get(shopHost), "shop's API listener carries its split: rebuilt");
  assert.equal(al.get(apiHost), bl.get(apiHost), "api's API listener: reused");
  assert.equal(al.get('ingress_http'), bl.get('ingress_http'), 'the ingress listener: reused');
  assert.ok(Object.isFrozen(after.routeConfigurations[0]));
});

test('IncrementalTranslator: one translator per region', () => {
  const translator = new IncrementalTranslator();
  translator.translate(makeState([]));
  assert.throws(() => translator.translate(makeState([], { region: 'eu-west' })), /for local given eu-west/);
});
