/**
 * SotwTypeState scenarios (XDS.md §5–13). Each case is a script of steps against one state:
 *   req   a DiscoveryRequest (nonce 'last' = the nonce of the last send)
 *   snap  the resources (name → content tag) the next plans see; `namedOnly` lists those left
 *         out of the wildcard set (cache/resource-snapshot.ts)
 *   send  expect plan() to return these names (then mark it sent), or null for nothing
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EncodedResource } from '../../../../src/control-plane/xds-server/cache/encoded-snapshot.js';
import { SotwTypeState, type SotwRequestKind } from '../../../../src/control-plane/xds-server/server/stream-state.js';
import type { WireDiscoveryRequest } from '../../../../src/control-plane/xds-server/server/wire-types.js';

type Step =
  | { req: { names: string[]; nonce?: string; nack?: string }; kind: SotwRequestKind }
  | { snap: Record<string, string>; namedOnly?: string[] }
  | { send: string[] | null; defer?: boolean; version?: string };

interface Case {
  name: string;
  fullState: boolean;
  steps: Step[];
}

const cases: Case[] = [
  {
    name: 'wildcard via * sends everything, ACK gets nothing, a change is sent in full',
    fullState: true,
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { names: ['*'] }, kind: 'initial' },
      { send: ['a', 'b'] },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { send: null },
      { snap: { a: '1', b: '2' } },
      { send: ['a', 'b'] },
    ],
  },
  {
    name: 'legacy wildcard: empty first request; an empty full-state response when nothing exists',
    fullState: true,
    steps: [{ snap: {} }, { req: { names: [] }, kind: 'initial' }, { send: [] }],
  },
  {
    name: 'an empty list after names is no interest, not wildcard',
    fullState: true,
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { names: ['a'] }, kind: 'initial' },
      { send: ['a'] },
      { req: { names: [], nonce: 'last' }, kind: 'ack' },
      { send: null },
      { snap: { a: '2', b: '2' } },
      { send: null },
    ],
  },
  {
    name: 'nothing is sent while a response is in flight; the ACK releases the newer snapshot',
    fullState: true,
    steps: [
      { snap: { a: '1' } },
      { req: { names: ['*'] }, kind: 'initial' },
      { send: ['a'] },
      { snap: { a: '2' } },
      { send: null },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { send: ['a'] },
    ],
  },
  {
    name: 'stale nonces are ignored and do not change the subscription',
    fullState: false,
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { names: ['a'] }, kind: 'initial' },
      { send: ['a'] },
      { req: { names: ['a', 'b'], nonce: '' }, kind: 'stale' },
      { req: { names: ['a', 'b'], nonce: 'bogus' }, kind: 'stale' },
      { req: { names: ['a'], nonce: 'last' }, kind: 'ack' },
      { send: null },
    ],
  },
  {
    name: 'a NACK is not answered; the same content under a new version is not resent; changed content is',
    fullState: false,
    steps: [
      { snap: { a: '1' } },
      { req: { names: ['a'] }, kind: 'initial' },
      { send: ['a'] },
      { req: { names: ['a'], nonce: 'last', nack: 'bad' }, kind: 'nack' },
      { send: null },
      { snap: { a: '1' } },
      { send: null },
      { snap: { a: '2' } },
      { send: ['a'] },
    ],
  },
  {
    name: 'newly subscribed names are sent with the unchanged ones (RDS/EDS: only requested names)',
    fullState: false,
    steps: [
      { snap: { a: '1', b: '1', c: '1' } },
      { req: { names: ['a'] }, kind: 'initial' },
      { send: ['a'] },
      { req: { names: ['a', 'b'], nonce: 'last' }, kind: 'ack' },
      { send: ['a', 'b'] },
    ],
  },
  {
    name: 'an absent EDS name sends nothing until it appears',
    fullState: false,
    steps: [
      { snap: { a: '1' } },
      { req: { names: ['x'] }, kind: 'initial' },
      { send: null },
      { snap: { a: '1', x: '1' } },
      { send: ['x'] },
    ],
  },
  {
    name: 'an absent LDS name gets a full-state answer at once (the client learns it does not exist)',
    fullState: true,
    steps: [
      { snap: { a: '1' } },
      { req: { names: ['a'] }, kind: 'initial' },
      { send: ['a'] },
      { req: { names: ['a', 'ghost'], nonce: 'last' }, kind: 'ack' },
      { send: ['a'] },
    ],
  },
  {
    name: 'a deletion in a full-state type is a response without the resource',
    fullState: true,
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { names: ['*'] }, kind: 'initial' },
      { send: ['a', 'b'] },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { snap: { a: '1' } },
      { send: ['a'] },
    ],
  },
  {
    name: 'deferRemovals keeps a deleted full-state resource (transitional), the final plan drops it',
    fullState: true,
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { names: ['*'] }, kind: 'initial' },
      { send: ['a', 'b'] },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { snap: { a: '2', c: '1' } },
      { send: ['a', 'b', 'c'], defer: true, version: 'mbb' },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { send: null, defer: true },
      { send: ['a', 'c'] },
    ],
  },
  {
    name: 'deferRemovals does nothing for RDS/EDS (deletion there is implicit)',
    fullState: false,
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { names: ['a', 'b'] }, kind: 'initial' },
      { send: ['a', 'b'] },
      { req: { names: ['a', 'b'], nonce: 'last' }, kind: 'ack' },
      { snap: { a: '1' } },
      { send: ['a'], defer: true },
    ],
  },
  {
    name: 'a change to a resource the client did not subscribe to sends nothing',
    fullState: false,
    steps: [
      { snap: { a: '1', b: '1' } },
      { req: { names: ['a'] }, kind: 'initial' },
      { send: ['a'] },
      { req: { names: ['a'], nonce: 'last' }, kind: 'ack' },
      { snap: { a: '1', b: '2' } },
      { send: null },
    ],
  },
  {
    name: 'named-only: a wildcard stream never gets them, nor a response when only they change',
    fullState: true,
    steps: [
      { snap: { ingress: '1', api: '1' }, namedOnly: ['api'] },
      { req: { names: ['*'] }, kind: 'initial' },
      { send: ['ingress'] },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1', api: '2', api2: '1' }, namedOnly: ['api', 'api2'] },
      { send: null },
      { snap: { ingress: '1' } },
      { send: null, defer: true },
      { send: null },
    ],
  },
  {
    name: 'named-only: an explicit stream gets them like any resource, and their deletion',
    fullState: true,
    steps: [
      { snap: { ingress: '1', api: '1' }, namedOnly: ['api'] },
      { req: { names: ['api'] }, kind: 'initial' },
      { send: ['api'] },
      { req: { names: ['api'], nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1', api: '2' }, namedOnly: ['api'] },
      { send: ['api'] },
      { req: { names: ['api'], nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1' } },
      { send: [] },
    ],
  },
  {
    name: 'named-only: wildcard + explicit gets the wildcard set ∪ its names; dropping the name is a full-state response without it',
    fullState: true,
    steps: [
      { snap: { ingress: '1', api: '1', other: '1' }, namedOnly: ['api', 'other'] },
      { req: { names: ['*', 'api'] }, kind: 'initial' },
      { send: ['api', 'ingress'] },
      { req: { names: ['*', 'api'], nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1', api: '1', other: '2' }, namedOnly: ['api', 'other'] },
      { send: null },
      { req: { names: ['*', 'api', 'other'], nonce: 'last' }, kind: 'ack' },
      { send: ['api', 'ingress', 'other'] },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { send: ['ingress'] },
    ],
  },
  {
    name: 'named-only: an explicit name covered by the wildcard set is sent once',
    fullState: true,
    steps: [
      { snap: { ingress: '1', api: '1' }, namedOnly: ['api'] },
      { req: { names: ['*', 'ingress'] }, kind: 'initial' },
      { send: ['ingress'] },
    ],
  },
  {
    name: 'named-only: a resource that becomes named-only leaves a wildcard stream like a deletion (deferred by make-before-break)',
    fullState: true,
    steps: [
      { snap: { ingress: '1', api: '1' } },
      { req: { names: ['*'] }, kind: 'initial' },
      { send: ['api', 'ingress'] },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { snap: { ingress: '1', api: '1', late: '1' }, namedOnly: ['api'] },
      { send: ['api', 'ingress', 'late'], defer: true, version: 'mbb' },
      { req: { names: ['*'], nonce: 'last' }, kind: 'ack' },
      { send: null, defer: true },
      { send: ['ingress', 'late'] },
    ],
  },
  {
    name: 'named-only: RDS/EDS names are explicit anyway (the wildcard set does not matter)',
    fullState: false,
    steps: [
      { snap: { a: '1' }, namedOnly: ['a'] },
      { req: { names: ['a'] }, kind: 'initial' },
      { send: ['a'] },
    ],
  },
];

function resource(name: string, tag: string): EncodedResource {
  return { name, typeUrl: 't', any: { type_url: 't', value: Buffer.from(tag) }, version: tag };
}

for (const c of cases) {
  test(c.name, () => {
    const state = new SotwTypeState('t', c.fullState);
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
        const req: WireDiscoveryRequest = {
          version_info: '',
          node: null,
          type_url: 't',
          resource_names: step.req.names,
          response_nonce: step.req.nonce === 'last' ? String(nonce) : (step.req.nonce ?? ''),
          error_detail: step.req.nack ? { code: 3, message: step.req.nack } : null,
        };
        assert.equal(state.onRequest(req, 'now'), step.kind, where);
      } else {
        const plan = state.plan(available, step.defer === true, wildcardSet);
        if (step.send === null) return assert.equal(plan, null, where);
        assert.ok(plan !== null, where);
        assert.deepEqual(plan.resources.map((r) => r.name), step.send, where);
        assert.equal(plan.transitional === true, step.version === 'mbb', where);
        nonce += 1;
        state.markSent(plan, `v${nonce}`, String(nonce), 0);
      }
    });
  });
}

test('status reports the subscription, sent/acked versions and the last NACK', () => {
  const state = new SotwTypeState('t', true);
  state.onRequest({ version_info: '', node: null, type_url: 't', resource_names: ['*'], response_nonce: '', error_detail: null }, 'now');
  const plan = state.plan(new Map([['a', resource('a', '1')]]))!;
  state.markSent(plan, '7', 'n1', 0);
  state.onRequest({ version_info: '6', node: null, type_url: 't', resource_names: ['*'], response_nonce: 'n1', error_detail: { code: 3, message: 'no' } }, 'T');
  assert.deepEqual(state.status(), {
    subscribed: ['*'],
    sentVersion: '7',
    ackedVersion: null,
    lastNack: { version: '7', nonce: 'n1', message: 'no', at: 'T' }, // the rejected version (the request carries the last accepted one, 6), as Delta reports it
  });
});

test('wantsAnswer: only names the latest request added and that exist now; wildcard and pushes do not count', () => {
  const req = (names: string[], nonce = ''): WireDiscoveryRequest => ({ version_info: '', node: null, type_url: 't', resource_names: names, response_nonce: nonce, error_detail: null });
  const eds = new SotwTypeState('t', false);
  const have = new Map([['a', resource('a', '1')]]);
  eds.onRequest(req(['a', 'x']), 'now');
  assert.equal(eds.wantsAnswer(have), true);
  eds.markSent(eds.plan(have)!, '1', 'n1', 0);
  assert.equal(eds.wantsAnswer(have), false, 'in flight');
  eds.onRequest(req(['a', 'x'], 'n1'), 'now');
  eds.settle();
  const later = new Map([...have, ['x', resource('x', '1')]]);
  assert.equal(eds.wantsAnswer(later), false, 'x appearing later is a push');
  const cds = new SotwTypeState('t', true);
  cds.onRequest(req(['*']), 'now');
  assert.equal(cds.wantsAnswer(have), false, 'a wildcard names nothing');
});

test('named-only: wildcard streams share one content object per wildcard set; status lists * and the explicit names', () => {
  const available = new Map([['ingress', resource('ingress', '1')], ['api', resource('api', '1')]]);
  const wildcardSet = new Map([['ingress', available.get('ingress')!]]);
  const req = (names: string[]): WireDiscoveryRequest => ({ version_info: '', node: null, type_url: 't', resource_names: names, response_nonce: '', error_detail: null });
  const [a, b, both] = [new SotwTypeState('t', true), new SotwTypeState('t', true), new SotwTypeState('t', true)];
  a.onRequest(req(['*']), 'now');
  b.onRequest(req([]), 'now');
  both.onRequest(req(['*', 'api']), 'now');
  const pa = a.plan(available, false, wildcardSet)!;
  assert.equal(pa, b.plan(available, false, wildcardSet), 'the shared wildcard plan');
  const pboth = both.plan(available, false, wildcardSet)!;
  assert.deepEqual(pboth.resources.map((r) => r.name), ['api', 'ingress']);
  assert.deepEqual(pa.resources.map((r) => r.name), ['ingress'], 'the shared plan is not widened by another stream');
  assert.deepEqual(both.status().subscribed, ['*', 'api']);
  assert.deepEqual(a.status().subscribed, ['*']);
});

test('content memo: the same snapshot maps give the same plan; a subscription change is seen at once', () => {
  const req = (names: string[], nonce = ''): WireDiscoveryRequest => ({ version_info: '', node: null, type_url: 't', resource_names: names, response_nonce: nonce, error_detail: null });
  const eds = new SotwTypeState('t', false);
  const have = new Map([['a', resource('a', '1')], ['b', resource('b', '1')]]);
  eds.onRequest(req(['a']), 'now');
  const first = eds.plan(have)!;
  eds.markSent(first, '1', 'n1', 0);
  eds.onRequest(req(['a'], 'n1'), 'now');
  assert.equal(eds.plan(have), null, 'unchanged: nothing to send');
  eds.onRequest(req(['a', 'b'], 'n1'), 'now');
  assert.deepEqual(eds.plan(have)?.resources.map((r) => r.name), ['a', 'b'], 'the memo did not hide the new name');
});
