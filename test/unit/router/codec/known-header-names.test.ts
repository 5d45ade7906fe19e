import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownHeaderName } from '../../../../src/router/codec/known-header-names.js';

const at = (text: string, prefix = 'xx', suffix = ': v') => {
  const b = Buffer.from(prefix + text + suffix, 'latin1');
  return knownHeaderName(b, prefix.length, prefix.length + text.length);
};

test('common names in any letter case come back as the lower-case constant', () => {
  for (const [raw, name] of [
    ['Host', 'host'],
    ['HOST', 'host'],
    ['Content-Length', 'content-length'],
    ['content-TYPE', 'content-type'],
    ['X-Request-Id', 'x-request-id'],
    ['Transfer-Encoding', 'transfer-encoding'],
    ['TE', 'te'],
    ['Sec-WebSocket-Key', 'sec-websocket-key'],
  ] as const) {
    assert.equal(at(raw), name, raw);
  }
});

test('other names, near misses and tokens that |0x20 would bend are not recognized', () => {
  for (const raw of ['x-custom', 'hosts', 'hos', 'hosu', 'Content_Length', 'content-lengtH1', 'x^request-id', 'x_request-id', 'ho~t', 'cookie2', '']) {
    assert.equal(at(raw), null, raw);
  }
});

test('only the given range is compared', () => {
  const b = Buffer.from('HostHost', 'latin1');
  assert.equal(knownHeaderName(b, 4, 8), 'host');
  assert.equal(knownHeaderName(b, 2, 6), null); // "stHo"
});
