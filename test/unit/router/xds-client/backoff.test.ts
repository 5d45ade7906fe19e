import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../../../../src/common/random.js';
import { Backoff } from '../../../../src/router/xds-client/backoff.js';

test('each delay lies in [0, min(max, base·2^n)) and the ceiling doubles up to the max', () => {
  const backoff = new Backoff(500, 30_000, createSeededRandom(7));
  const ceilings = [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000];
  for (const ceiling of ceilings) {
    assert.equal(backoff.ceilingMs, ceiling);
    for (let i = 0; i < 1; i++) {
      const d = backoff.nextDelayMs();
      assert.ok(d >= 0 && d < ceiling, `delay ${d} outside [0, ${ceiling})`);
    }
  }
});

test('the jitter spreads delays over the whole window', () => {
  const random = createSeededRandom(42);
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const b = new Backoff(1000, 30_000, random);
    samples.push(b.nextDelayMs());
  }
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  assert.ok(min < 50, `min ${min}`);
  assert.ok(max > 950 && max < 1000, `max ${max}`);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  assert.ok(mean > 450 && mean < 550, `mean ${mean}`);
});

test('reset() goes back to the base ceiling', () => {
  const b = new Backoff(500, 30_000, () => 0.999);
  for (let i = 0; i < 10; i++) b.nextDelayMs();
  assert.equal(b.ceilingMs, 30_000);
  b.reset();
  assert.equal(b.ceilingMs, 500);
  assert.equal(b.nextDelayMs(), 499);
});

test('huge attempt counts never overflow the ceiling', () => {
  const b = new Backoff(500, 30_000, () => 0.5);
  for (let i = 0; i < 5000; i++) b.nextDelayMs();
  assert.equal(b.ceilingMs, 30_000);
});
