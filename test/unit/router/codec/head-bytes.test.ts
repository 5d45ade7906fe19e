import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldsByteLength, putFields, putLatin1 } from '../../../../src/router/codec/head-bytes.js';

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
