import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { withOneByteStrings } from '../../../../src/router/bootstrap/one-byte-strings.js';

test('withOneByteStrings keeps every value and key of a parsed document as it was', () => {
  const doc = parse('# — a comment that makes the text two-byte\nname: café\nlist: [a, "b c", 1, true, null]\nnested: { key: valué, emoji: "→ ok" }\n');
  const out = withOneByteStrings(doc);
  assert.deepEqual(out, doc);
  assert.deepEqual(out, { name: 'café', list: ['a', 'b c', 1, true, null], nested: { key: 'valué', emoji: '→ ok' } });
});

test('withOneByteStrings keeps a __proto__ key as a key, never as the prototype', () => {
  const doc = JSON.parse('{"__proto__": {"polluted": true}, "a": "b"}');
  const out = withOneByteStrings(doc) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal((out as { polluted?: boolean }).polluted, undefined);
  assert.deepEqual(Object.keys(out), ['__proto__', 'a']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: true });
});
