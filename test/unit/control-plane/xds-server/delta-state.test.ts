/**
 * DeltaTypeState scenarios (XDS.md §15–20), scripted like stream-state.test.ts:
 *   req   a DeltaDiscoveryRequest (nonce 'last' = the nonce of the last send)
 *   snap  name → content tag (the tag doubles as the resource version); `namedOnly` lists the
 *         names left out of the wildcard set (cache/resource-snapshot.ts)
 *   send  expect plan() = { resources, removed } (then mark it sent), or null
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EncodedResource } from '../../../../src/control-plane/xds-server/cache/encoded-snapshot.js';
import { DeltaTypeState, type DeltaRequestKind } from '../../../../src/control-plane/xds-server/server/delta-state.js';

type Step =
  | { req: { sub?: string[]; unsub?: string[]; initial?: Record<string, string>; nonce?: string; nack?: string }; kind: DeltaRequestKind }
  | { snap: Record<string, string>; namedOnly?: string[] }
  | { send: { resources: string[]; removed?: string[] } | null; defer?: boolean };

const cases: { name: string; legacyWildcard?: boolean; steps: Step[] }[] = [
  {
    name: 'wildcard sends all, then only the changed resource, then removals',
    steps: [
      { snap: { a: '1', b: '1', c: '1' } },
      { req: { sub: ['*'] }, kind: 'initial' },
      { send: { resources: ['a', 'b', 'c'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { snap: { a: '1', b: '2', c: '1' } },
      { send: { resources: ['b'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { snap: { a: '1', b: '2' } },
      { send: { resources: [], removed: ['c'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { send: null },
    ],
  },
  {
    name: 'legacy wildcard only for LDS/CDS: an empty first request',
    legacyWildcard: true,
    steps: [{ snap: { a: '1' } }, { req: {}, kind: 'initial' }, { send: { resources: ['a'] } }],
  },
  {
    name: 'an empty first request on RDS/EDS subscribes to nothing',
    legacyWildcard: false,
    steps: [{ snap: { a: '1' } }, { req: {}, kind: 'initial' }, { send: null }],
  },
  {
    name: 'a subscription to a missing name is answered once in removed, then the resource when it appears',
    steps: [
      { snap: { a: '1' } },
      { req: { sub: ['a', 'x'] }, kind: 'initial' },
      { send: { resources: ['a'], removed: ['x'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { send: null },
      { snap: { a: '1', x: '1' } },
      { send: { resources: ['x'] } },
    ],
  },
  {
    name: 'initial_resource_versions: matching versions are not resent, others are, held-but-gone are removed',
    steps: [
      { snap: { a: '1', b: '2' } },
      { req: { sub: ['*'], initial: { a: '1', b: '1', gone: '1' } }, kind: 'initial' },
      { send: { resources: ['b'], removed: ['gone'] } },
    ],
  },
  {
    name: 'subscribe with a stale nonce is honoured (but is not an ACK)',
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { sub: ['a'] }, kind: 'initial' },
      { send: { resources: ['a'] } },
      { req: { sub: ['b'], nonce: 'stale' }, kind: 'update' },
      { send: null },
      { req: { nonce: 'last' }, kind: 'ack' },
      { send: { resources: ['b'] } },
    ],
  },
  {
    name: 're-subscribing a held name sends it again; unsubscribing needs no answer',
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { sub: ['a', 'b'] }, kind: 'initial' },
      { send: { resources: ['a', 'b'] } },
      { req: { nonce: 'last', unsub: ['b'] }, kind: 'ack' },
      { send: null },
      { req: { sub: ['a'] }, kind: 'update' },
      { send: { resources: ['a'] } },
    ],
  },
  {
    name: 'unsubscribing a name covered by the wildcard resends it',
    steps: [
      { snap: { a: '1' } },
      { req: { sub: ['*', 'a'] }, kind: 'initial' },
      { send: { resources: ['a'] } },
      { req: { nonce: 'last', unsub: ['a'] }, kind: 'ack' },
      { send: { resources: ['a'] } },
    ],
  },
  {
    name: 'deferRemovals holds LDS/CDS deletions but not answers for names that never existed',
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { sub: ['*', 'ghost'] }, kind: 'initial' },
      { send: { resources: ['a', 'b'], removed: ['ghost'] }, defer: true },
      { req: { nonce: 'last' }, kind: 'ack' },
      { snap: { a: '2' } },
      { send: { resources: ['a'] }, defer: true },
      { req: { nonce: 'last' }, kind: 'ack' },
      { send: null, defer: true },
      { send: { resources: [], removed: ['b'] } },
    ],
  },
  {
    name: 'a NACKed resource is not resent until it changes',
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { sub: ['*'] }, kind: 'initial' },
      { send: { resources: ['a', 'b'] } },
      { req: { nonce: 'last', nack: 'b is bad' }, kind: 'nack' },
      { send: null },
      { snap: { a: '1', b: '2' } },
      { send: { resources: ['b'] } },
    ],
  },
  {
    name: 'named-only: a wildcard stream never sees them appear, change or disappear',
    steps: [
      { snap: { ingress: '1', api: '1' }, namedOnly: ['api'] },
      { req: { sub: ['*'] }, kind: 'initial' },
      { send: { resources: ['ingress'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1', api: '2', api2: '1' }, namedOnly: ['api', 'api2'] },
      { send: null },
      { snap: { ingress: '1' } },
      { send: null },
    ],
  },
  {
    name: 'named-only: an explicit stream gets them, their changes and their deletion',
    legacyWildcard: true,
    steps: [
      { snap: { ingress: '1', api: '1' }, namedOnly: ['api'] },
      { req: { sub: ['api'] }, kind: 'initial' },
      { send: { resources: ['api'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1', api: '2' }, namedOnly: ['api'] },
      { send: { resources: ['api'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1' } },
      { send: { resources: [], removed: ['api'] } },
    ],
  },
  {
    name: 'named-only: wildcard + explicit gets both; unsubscribing the named-only name removes it (the wildcard does not cover it)',
    steps: [
      { snap: { ingress: '1', api: '1', other: '1' }, namedOnly: ['api', 'other'] },
      { req: { sub: ['*', 'api'] }, kind: 'initial' },
      { send: { resources: ['api', 'ingress'] } },
      { req: { nonce: 'last', unsub: ['api'] }, kind: 'ack' },
      { send: { resources: [], removed: ['api'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1', api: '2', other: '1' }, namedOnly: ['api', 'other'] },
      { send: null },
      { req: { sub: ['other'] }, kind: 'update' },
      { send: { resources: ['other'] } },
    ],
  },
  {
    name: 'named-only: a resource that becomes named-only is removed from a wildcard stream (held while deferring)',
    steps: [
      { snap: { ingress: '1', api: '1' } },
      { req: { sub: ['*'] }, kind: 'initial' },
      { send: { resources: ['api', 'ingress'] } },
      { req: { nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1', api: '1' }, namedOnly: ['api'] },
      { send: null, defer: true },
      { send: { resources: [], removed: ['api'] } },
    ],
  },
  {
    name: 'named-only: a reconnecting wildcard stream that claims one is told it is gone; one it names again is kept',
    steps: [
      { snap: { ingress: '1', api: '1', api2: '1' }, namedOnly: ['api', 'api2'] },
      { req: { sub: ['*', 'api2'], initial: { ingress: '1', api: '1', api2: '1' } }, kind: 'initial' },
      { send: { resources: [], removed: ['api'] } },
    ],
  },
];

function resource(name: string, tag: string): EncodedResource {
  return { name, typeUrl: 't', any: { type_url: 't', value: Buffer.from(tag) }, version: tag };
}

for (const c of cases) {
  test(c.name, () => {
    const state = new DeltaTypeState('t', c.legacyWildcard ?? true);
    let available = new Map<string, EncodedResource>();
    let wildcardSet = available;
    let nonce = 0;
    c.steps.forEach((step, i) => {
      const where = `step ${i} ${JSON.stringify(step)}`;
      if ('snap' in step) {
        available = new Map(Object.entries(step.snap).map(([n, tag]) => [n, resource(n, tag)]));
        const hidden = new Set(step.namedOnly ?? []);
        wildcardSet = hidden.size === 0 ? available : new Map([...available].filter(([n]) => !hidden.has(n)));
      } else if ('req' in step) {
        const kind = state.onRequest(
          {
            node: null,
            type_url: 't',
            resource_names_subscribe: step.req.sub ?? [],
            resource_names_unsubscribe: step.req.unsub ?? [],
            initial_resource_versions: step.req.initial ?? {},
            response_nonce: step.req.nonce === 'last' ? String(nonce) : (step.req.nonce ?? ''),
            error_detail: step.req.nack ? { code: 3, message: step.req.nack } : null,
          },
          'now',
        );
        assert.equal(kind, step.kind, where);
      } else {
        const plan = state.plan(available, step.defer === true, wildcardSet);
        if (step.send === null) return assert.equal(plan, null, where);
        assert.ok(plan !== null, where);
        assert.deepEqual({ resources: plan.resources.map((r) => r.name), removed: [...plan.removed] }, { removed: [], ...step.send }, where);
        nonce += 1;
        state.markSent(plan, `v${nonce}`, String(nonce), 0);
      }
    });
  });
}
