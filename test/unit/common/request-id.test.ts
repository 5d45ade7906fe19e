import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomRequestId } from '../../../src/common/request-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('request ids are version 4 UUIDs, distinct across many pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5_000; i++) {
    const id = randomRequestId();
    assert.match(id, UUID_V4);
    seen.add(id);
  }
  assert.equal(seen.size, 5_000);
});

test('every hex digit position varies (no byte left unwritten)', () => {
  const ids = Array.from({ length: 2_000 }, () => randomRequestId());
  for (let pos = 0; pos < 36; pos++) {
    if ([8, 13, 18, 23, 14].includes(pos)) continue; // dashes, and the version digit
    const digits = new Set(ids.map((id) => id[pos]));
    assert.ok(digits.size >= (pos === 19 ? 4 : 16), `position ${pos} took only ${[...digits].join('')}`);
  }
});
