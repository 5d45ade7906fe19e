import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SotwState } from '../../../../src/router/xds-client/sotw-state.js';

const URL = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';

test('a wildcard type asks with an empty name list and an empty version at first', () => {
  const s = new SotwState('lds-url', true);
  s.onStreamStart();
  assert.deepEqual(s.subscriptionRequest(), { version_info: '', resource_names: [], type_url: 'lds-url', response_nonce: '' });
  assert.equal(s.wanted, true);
});

test('a named type is not wanted until it has names; the names are sorted and deduplicated', () => {
  const s = new SotwState(URL, false);
  assert.equal(s.wanted, false);
  assert.equal(s.shouldSendUpdate, false);
  assert.equal(s.setNames(['b', 'a', 'b']), true);
  assert.deepEqual(s.resourceNames, ['a', 'b']);
  assert.equal(s.setNames(['a', 'b']), false, 'same set: no request due');
  assert.equal(s.wanted, true);
});

const cases = [
  {
    name: 'ACK carries the version and nonce just received, no error_detail',
    run: (s: SotwState) => s.ack('v2', 'n7'),
    expected: { version_info: 'v2', resource_names: ['r1'], type_url: URL, response_nonce: 'n7' },
  },
  {
    name: 'NACK keeps the last accepted version, carries the nonce and error_detail code 3',
    run: (s: SotwState) => {
      s.ack('v1', 'n1');
      return s.nack('n2', 'virtualHosts[0]: bad');
    },
    expected: { version_info: 'v1', resource_names: ['r1'], type_url: URL, response_nonce: 'n2', error_detail: { code: 3, message: 'virtualHosts[0]: bad' } },
  },
  {
    name: 'NACK before anything was accepted carries an empty version',
    run: (s: SotwState) => s.nack('n1', 'x: y'),
    expected: { version_info: '', resource_names: ['r1'], type_url: URL, response_nonce: 'n1', error_detail: { code: 3, message: 'x: y' } },
  },
  {
    name: 'a names change after an ACK carries the last version and nonce and the full new list',
    run: (s: SotwState) => {
      s.ack('v3', 'n3');
      s.setNames(['r1', 'r2']);
      return s.subscriptionRequest();
    },
    expected: { version_info: 'v3', resource_names: ['r1', 'r2'], type_url: URL, response_nonce: 'n3' },
  },
  {
    name: 'a new stream forgets the nonce but re-sends the last accepted version',
    run: (s: SotwState) => {
      s.ack('v4', 'n4');
      s.onStreamStart();
      return s.subscriptionRequest();
    },
    expected: { version_info: 'v4', resource_names: ['r1'], type_url: URL, response_nonce: '' },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const s = new SotwState(URL, false);
    s.setNames(['r1']);
    s.onStreamStart();
    s.subscriptionRequest();
    assert.deepEqual(c.run(s), c.expected);
  });
}

test('lastError is set by a NACK and cleared by the next ACK', () => {
  const s = new SotwState(URL, false);
  s.nack('n1', 'boom');
  assert.equal(s.lastError, 'boom');
  s.ack('v1', 'n2');
  assert.equal(s.lastError, null);
});

test('after all names are dropped, a type that was requested sends the empty list (unsubscribe)', () => {
  const s = new SotwState(URL, false);
  s.setNames(['r1']);
  s.onStreamStart();
  s.subscriptionRequest();
  assert.equal(s.setNames([]), true);
  assert.equal(s.shouldSendUpdate, true);
  assert.deepEqual(s.subscriptionRequest().resource_names, []);
});
