import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdfScheduler } from '../../../../../src/router/upstream/lb/edf-scheduler.js';

function picks(edf: EdfScheduler<string>, n: number, weightOf?: (s: string) => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(edf.pickAndAdd(weightOf) as string);
  return out;
}

test('EdfScheduler: empty scheduler picks null', () => {
  const edf = new EdfScheduler<string>();
  assert.equal(edf.pickAndAdd(), null);
  assert.equal(edf.peek(), null);
  assert.equal(edf.size, 0);
});

test('EdfScheduler: equal weights are served in insertion order (ties by order)', () => {
  const edf = new EdfScheduler<string>();
  for (const s of ['a', 'b', 'c']) edf.add(1, s);
  assert.deepEqual(picks(edf, 7), ['a', 'b', 'c', 'a', 'b', 'c', 'a']);
});

test('EdfScheduler: weights 3:1 interleave smoothly', () => {
  const edf = new EdfScheduler<string>();
  edf.add(3, 'a');
  edf.add(1, 'b');
  // deadlines a: 1/3, 2/3, 1 (tie with b at 1; a was re-added later so b goes first), …
  const seq = picks(edf, 400);
  assert.deepEqual(seq.slice(0, 4), ['a', 'a', 'b', 'a']);
  // Never more than 3 a's in a row nor 2 b's: smooth, not bursty. (Later ties are at the mercy
  // of float rounding, as in Envoy's doubles, so only the shape is asserted.)
  const joined = seq.join('');
  assert.ok(!joined.includes('aaaaa') && !joined.includes('bb'), joined.slice(0, 40));
  assert.equal(seq.filter((s) => s === 'b').length, 100);
});

const proportionCases = [
  { name: '1:2:3:4', weights: [1, 2, 3, 4] },
  { name: '1:100', weights: [1, 100] },
  { name: '0.5:1.5', weights: [0.5, 1.5] },
];
for (const c of proportionCases) {
  test(`EdfScheduler: picks are proportional to weights ${c.name}`, () => {
    const edf = new EdfScheduler<string>();
    c.weights.forEach((w, i) => edf.add(w, String(i)));
    const total = c.weights.reduce((a, b) => a + b, 0);
    const n = Math.round(total * 1000);
    const counts = new Map<string, number>();
    for (const s of picks(edf, n)) counts.set(s, (counts.get(s) ?? 0) + 1);
    c.weights.forEach((w, i) => {
      assert.ok(Math.abs((counts.get(String(i)) ?? 0) - w * 1000) <= 1, `host ${i}: ${counts.get(String(i))}`);
    });
  });
}

test('EdfScheduler: pickAndAdd re-evaluates the weight through the callback', () => {
  const edf = new EdfScheduler<string>();
  edf.add(1, 'a');
  edf.add(1, 'b');
  // After the first pick, a's weight drops to 0.25: b should then be picked 4× as often.
  const weights: Record<string, number> = { a: 0.25, b: 1 };
  const counts = { a: 0, b: 0 } as Record<string, number>;
  for (const s of picks(edf, 5000, (s) => weights[s])) counts[s]++;
  assert.ok(Math.abs(counts.a / 5000 - 0.2) < 0.01, `a=${counts.a}`);
});

test('EdfScheduler: peek shows the next pick without advancing', () => {
  const edf = new EdfScheduler<string>();
  edf.add(1, 'x');
  edf.add(2, 'y');
  assert.equal(edf.peek(), 'y');
  assert.equal(edf.peek(), 'y');
  assert.equal(edf.pickAndAdd(), 'y');
});
