import assert from 'node:assert/strict';
import { test } from 'node:test';
import { array, integer, object, string } from '../../../../src/control-plane/model/schema.js';
import { validateSchema } from '../../../../src/control-plane/model/validate-schema.js';
import type { FieldError } from '../../../../src/xds/validation.js';

const schema = object({ a: integer(1, 3), list: array(object({ x: string({ maxLength: 2 }) }, ['x']), 2), map: { type: 'object', additionalProperties: integer(0, 1) } }, ['a']);

const cases: { name: string; input: unknown; errors: string[] }[] = [
  { name: 'valid', input: { a: 2, list: [{ x: 'ab' }], map: { k: 1 } }, errors: [] },
  { name: 'paths of nested list items', input: { a: 2, list: [{ x: 'ab' }, { x: 'abc' }] }, errors: ['list[1].x: must be 0–2 characters, got 3'] },
  { name: 'a list that is too long is one error', input: { a: 2, list: [{}, {}, {}] }, errors: ['list: must have at most 2 items, got 3'] },
  { name: 'map values are checked with their key in the path', input: { a: 1, map: { k: 2 } }, errors: ['map.k: must be 0–1, got 2'] },
  { name: 'booleans and strings are not integers', input: { a: true }, errors: ['a: must be an integer, got true'] },
  { name: 'an object where a list belongs', input: { a: 1, list: {} }, errors: ['list: must be a list, got an object'] },
  { name: 'a prototype key is an unknown field, not a lookup', input: JSON.parse('{"a":1,"__proto__":{},"constructor":1}'), errors: ['__proto__: is not a known field (allowed: a, list, map)', 'constructor: is not a known field (allowed: a, list, map)'] },
];

for (const c of cases) {
  test(`validateSchema: ${c.name}`, () => {
    const errors: FieldError[] = [];
    validateSchema(schema, c.input, '', errors);
    assert.deepEqual(errors.map((e) => `${e.path}: ${e.message}`), c.errors);
  });
}
