import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSeededRandom, defaultRandom } from '../../../src/common/random.js';

test('createSeededRandom is deterministic per seed and differs across seeds', () => {
  const a = createSeededRandom(42);
  const b = createSeededRandom(42);
  const c = createSeededRandom(43);
  const sa: number[] = [];
  const sc: number[] = [];
  for (let i = 0; i < 100; i++) {
    const x = a();
    sa.push(x);
    assert.equal(x, b());
    sc.push(c());
  }
  assert.notDeepEqual(sa, sc);
});

for (const seed of [0, 1, 0xffffffff, -7, 123456789]) {
  test(`createSeededRandom(${seed}) is uniform in [0, 1)`, () => {
    const r = createSeededRandom(seed);
    const buckets = new Array<number>(10).fill(0);
    const n = 100_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = r();
      assert.ok(x >= 0 && x < 1);
      buckets[Math.floor(x * 10)]++;
      sum += x;
    }
    for (const count of buckets) assert.ok(Math.abs(count - n / 10) < 600, `bucket ${count}`);
    assert.ok(Math.abs(sum / n - 0.5) < 0.01);
  });
}

test('defaultRandom returns [0, 1)', () => {
  const x = defaultRandom();
  assert.ok(x >= 0 && x < 1);
});
