import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSeededRandom } from '../../../../src/common/random.js';
import { parseUint64Mod, WeightedClusterPicker } from '../../../../src/router/routing/weighted-cluster-picker.js';

interface E {
  readonly name: string;
  readonly weight: number;
}

const PICKS = 10_000;

const distributionCases: { name: string; weights: number[] }[] = [
  { name: '90/10 (expanded index)', weights: [90, 10] },
  { name: '50/30/20', weights: [50, 30, 20] },
  { name: 'zero weight is never picked', weights: [70, 0, 30] },
  { name: 'large total (binary search)', weights: [700_000, 200_000, 100_000] },
  { name: 'many clusters', weights: [5, 10, 15, 20, 25, 25] },
];
for (const c of distributionCases) {
  test(`weighted split within ±1.5 points over ${PICKS} picks: ${c.name}`, () => {
    const entries: E[] = c.weights.map((weight, i) => ({ name: `c${i}`, weight }));
    const picker = new WeightedClusterPicker(entries);
    const random = createSeededRandom(42);
    const counts = new Map<string, number>();
    for (let i = 0; i < PICKS; i++) {
      const e = picker.pickForRequest([], random());
      counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
    }
    const total = c.weights.reduce((a, b) => a + b, 0);
    for (const e of entries) {
      const share = ((counts.get(e.name) ?? 0) / PICKS) * 100;
      const expected = (e.weight / total) * 100;
      assert.ok(Math.abs(share - expected) <= 1.5, `${e.name}: ${share.toFixed(2)}% vs ${expected.toFixed(2)}%`);
      if (e.weight === 0) assert.equal(counts.get(e.name), undefined);
    }
  });
}

test('pick maps each value to its interval, in config order', () => {
  for (const weights of [[3, 0, 2], [3_000, 0, 2_000]]) {
    const scale = weights[0] / 3;
    const picker = new WeightedClusterPicker(weights.map((weight, i) => ({ name: `c${i}`, weight })));
    assert.equal(picker.total, 5 * scale);
    const names = [0, 3 * scale - 1, 3 * scale, 5 * scale - 1].map((v) => picker.pick(v).name);
    assert.deepEqual(names, ['c0', 'c0', 'c2', 'c2']);
  }
});

test('an integer random value is taken modulo the total (Envoy stream random)', () => {
  const picker = new WeightedClusterPicker([{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }]);
  assert.equal(picker.pickForRequest([], 2).name, 'a');
  assert.equal(picker.pickForRequest([], 3).name, 'b');
});

test('header_name picks the bucket from a single uint64 header value', () => {
  const picker = new WeightedClusterPicker([{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }], 'x-bucket');
  assert.equal(picker.pickForRequest(['x-bucket', '10'], 0.99).name, 'a');
  assert.equal(picker.pickForRequest(['x-bucket', '160'], 0).name, 'b');
  // Repeated, unparsable or negative values fall back to the random value.
  assert.equal(picker.pickForRequest(['x-bucket', '10', 'x-bucket', '10'], 0.99).name, 'b');
  assert.equal(picker.pickForRequest(['x-bucket', 'ten'], 0.99).name, 'b');
  assert.equal(picker.pickForRequest(['x-bucket', '-1'], 0.99).name, 'b');
});

test('parseUint64Mod handles values past 2^53 exactly', () => {
  assert.equal(parseUint64Mod('18446744073709551615', 100), 15);
  assert.equal(parseUint64Mod('18446744073709551616', 100), -1);
  assert.equal(parseUint64Mod(' +7 ', 5), 2);
  assert.equal(parseUint64Mod('', 5), -1);
});
