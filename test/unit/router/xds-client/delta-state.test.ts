import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeltaState } from '../../../../src/router/xds-client/delta-state.js';

const URL = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';

test('the first wildcard request has both lists empty (legacy wildcard) and no versions', () => {
  const s = new DeltaState('cds', true);
  s.onStreamStart();
  assert.deepEqual(s.subscriptionRequest(), {
    type_url: 'cds',
    resource_names_subscribe: [],
    resource_names_unsubscribe: [],
    initial_resource_versions: {},
    response_nonce: '',
  });
});

test('ACK records per-resource versions; removed resources are forgotten', () => {
  const s = new DeltaState(URL, false);
  s.setNames(['a', 'b']);
  s.onStreamStart();
  s.subscriptionRequest();
  const ack = s.ack('n1', 'sys1', new Map([['a', '1'], ['b', '1']]), []);
  assert.deepEqual(ack, { type_url: URL, resource_names_subscribe: [], resource_names_unsubscribe: [], initial_resource_versions: {}, response_nonce: 'n1' });
  s.ack('n2', 'sys2', new Map([['a', '2']]), ['b']);
  assert.deepEqual(Object.fromEntries(s.versions), { a: '2' });
  assert.equal(s.systemVersionInfo, 'sys2');
});

test('NACK records nothing and carries error_detail code 3', () => {
  const s = new DeltaState(URL, false);
  s.setNames(['a']);
  s.onStreamStart();
  s.subscriptionRequest();
  s.ack('n1', '', new Map([['a', '1']]), []);
  const nack = s.nack('n2', 'endpoints[0]: bad');
  assert.deepEqual(nack.error_detail, { code: 3, message: 'endpoints[0]: bad' });
  assert.equal(nack.response_nonce, 'n2');
  assert.deepEqual(Object.fromEntries(s.versions), { a: '1' });
  assert.equal(s.lastError, 'endpoints[0]: bad');
});

test('names changes are sent as subscribe / unsubscribe diffs with the last nonce', () => {
  const s = new DeltaState(URL, false);
  s.setNames(['a', 'b']);
  s.onStreamStart();
  s.subscriptionRequest();
  s.ack('n1', '', new Map([['a', '1'], ['b', '1']]), []);
  assert.equal(s.setNames(['b', 'c']), true);
  assert.equal(s.shouldSendUpdate, true);
  const r = s.subscriptionRequest();
  assert.deepEqual(r.resource_names_subscribe, ['c']);
  assert.deepEqual(r.resource_names_unsubscribe, ['a']);
  assert.equal(r.response_nonce, 'n1');
  assert.deepEqual(Object.fromEntries(s.versions), { b: '1' }, 'an unsubscribed resource is forgotten');
  assert.equal(s.shouldSendUpdate, false, 'the diff was sent');
});

test('a subscribe then unsubscribe of the same name before sending cancels out', () => {
  const s = new DeltaState(URL, false);
  s.setNames(['a']);
  s.onStreamStart();
  s.subscriptionRequest();
  s.setNames(['a', 'x']);
  s.setNames(['a']);
  const r = s.subscriptionRequest();
  assert.deepEqual(r.resource_names_subscribe, []);
  assert.deepEqual(r.resource_names_unsubscribe, []);
});

test('on reconnect the first request re-subscribes every name with initial_resource_versions', () => {
  const s = new DeltaState(URL, false);
  s.setNames(['a', 'b']);
  s.onStreamStart();
  s.subscriptionRequest();
  s.ack('n1', '', new Map([['a', '3'], ['b', '5']]), []);
  s.onStreamStart();
  assert.equal(s.nonce, '');
  assert.deepEqual(s.subscriptionRequest(), {
    type_url: URL,
    resource_names_subscribe: ['a', 'b'],
    resource_names_unsubscribe: [],
    initial_resource_versions: { a: '3', b: '5' },
    response_nonce: '',
  });
});
