import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldsByteLength, putBytes, putFields, putLatin1 } from '../../../../src/router/codec/head-bytes.js';

test('putFields writes name: value lines, byte for byte what the latin1 string form would be', () => {
  const fields = ['host', 'example.com', 'x-obs-text', 'caf\u00e9 \u00ff', 'empty', ''];
  const expected = 'host: example.com\r\nx-obs-text: caf\u00e9 \u00ff\r\nempty: \r\n';
  assert.equal(fieldsByteLength(fields), expected.length);
  const buf = Buffer.alloc(expected.length + 2, 0x2e);
  const end = putFields(buf, 1, fields);
  assert.equal(end, 1 + expected.length);
  assert.deepEqual(buf.subarray(1, end), Buffer.from(expected, 'latin1'));
  assert.equal(buf[0], 0x2e, 'nothing before the offset is touched');
  assert.equal(buf[end], 0x2e, 'nothing after the last line is touched');
});

test('putLatin1 returns the offset after the copy and handles the empty string', () => {
  const buf = Buffer.alloc(4);
  assert.equal(putLatin1(buf, 1, ''), 1);
  assert.equal(putLatin1(buf, 1, 'GET'), 4);
  assert.equal(buf.toString('latin1', 1), 'GET');
});

test('putBytes copies short and long runs alike', () => {
  for (const n of [0, 1, 31, 32, 33, 1000]) {
    const src = Buffer.from(Array.from({ length: n }, (_, i) => (i * 7) & 0xff));
    const buf = Buffer.alloc(n + 4, 0xee);
    assert.equal(putBytes(buf, 2, src), n + 2);
    assert.deepEqual(buf.subarray(2, n + 2), src);
    assert.equal(buf[1], 0xee);
    assert.equal(buf[n + 2], 0xee);
  }
});
