import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  LAST_CHUNK, STATUS_REASONS, chunkHeader, isValidHeaderName, isValidHeaderValue, writeRequestHead, writeResponseHead,
} from '../../../../src/router/codec/http1-writer.js';
import { MessageKind } from '../../../../src/router/codec/http1-parser.js';
import { parse } from './http1-recorder.js';

test('writeRequestHead round-trips through the parser', () => {
  const s = writeRequestHead('POST', '/a?b', ['host', 'h', 'content-length', '2']);
  assert.equal(s, 'POST /a?b HTTP/1.1\r\nhost: h\r\ncontent-length: 2\r\n\r\n');
  const rec = parse(MessageKind.Request, s + 'ok');
  assert.equal(rec.messages[0].body, 'ok');
});

test('writeResponseHead uses the given reason or the table', () => {
  assert.equal(writeResponseHead(1, 404, '', []), 'HTTP/1.1 404 Not Found\r\n\r\n');
  assert.equal(writeResponseHead(0, 200, 'Fine', ['a', 'b']), 'HTTP/1.0 200 Fine\r\na: b\r\n\r\n');
  assert.equal(writeResponseHead(1, 299, '', []), 'HTTP/1.1 299 Unknown\r\n\r\n');
});

test('STATUS_REASONS matches node http.STATUS_CODES', () => {
  for (const [code, reason] of Object.entries(STATUS_REASONS)) assert.equal(reason, http.STATUS_CODES[code], code);
});

test('chunk framing', () => {
  assert.equal(chunkHeader(255), 'ff\r\n');
  assert.equal(LAST_CHUNK, '0\r\n\r\n');
});

const NAMES: Array<[string, boolean]> = [['x-ok', true], ["a!#$%&'*+-.^_`|~9", true], ['', false], ['a b', false], ['a:b', false], ['é', false], ['a\r\n', false]];
const VALUES: Array<[string, boolean]> = [['', true], ['a b\tc', true], ['caf\u00e9', true], ['a\r\nx: y', false], ['a\0', false], ['\u20ac', false], [' lead', false], ['trail\t', false], ['a\x7f', false]];
for (const [s, ok] of NAMES) test(`isValidHeaderName(${JSON.stringify(s)}) = ${ok}`, () => assert.equal(isValidHeaderName(s), ok));
for (const [s, ok] of VALUES) test(`isValidHeaderValue(${JSON.stringify(s)}) = ${ok}`, () => assert.equal(isValidHeaderValue(s), ok));
