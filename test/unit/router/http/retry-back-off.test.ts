import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../../../../src/common/random.js';
import { JitteredExponentialBackOff, jitteredLowerBoundMs, parseResetInterval } from '../../../../src/router/http/retry-back-off.js';

test('Envoy defaults (base 25 ms, max 250 ms): windows 25, 50, 100, 200, 250, 250; each delay in [0, window)', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const backOff = new JitteredExponentialBackOff(25, 250, createSeededRandom(seed));
    for (const window of [25, 50, 100, 200, 250, 250, 250]) {
      assert.equal(backOff.windowMs, window);
      const d = backOff.nextBackOffMs();
      assert.ok(Number.isInteger(d) && d >= 0 && d < window, `seed ${seed}: delay ${d} outside [0, ${window})`);
    }
  }
});

test('the jitter is full: delays spread over the whole window', () => {
  const random = createSeededRandom(42);
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) samples.push(new JitteredExponentialBackOff(100, 1000, random).nextBackOffMs());
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  assert.ok(min <= 2, `min ${min}`);
  assert.ok(max >= 97 && max < 100, `max ${max}`);
  assert.ok(mean > 45 && mean < 55, `mean ${mean}`);
});

test('the same seed gives the same delays; reset starts over at the base window', () => {
  const a = new JitteredExponentialBackOff(25, 250, createSeededRandom(7));
  const b = new JitteredExponentialBackOff(25, 250, createSeededRandom(7));
  const da = [a.nextBackOffMs(), a.nextBackOffMs(), a.nextBackOffMs()];
  assert.deepEqual(da, [b.nextBackOffMs(), b.nextBackOffMs(), b.nextBackOffMs()]);
  a.reset();
  assert.equal(a.windowMs, 25);
});

test('a max that is not a power-of-two multiple of the base caps the window', () => {
  const backOff = new JitteredExponentialBackOff(30, 100, createSeededRandom(3));
  const windows: number[] = [];
  for (let i = 0; i < 4; i++) {
    windows.push(backOff.windowMs);
    backOff.nextBackOffMs();
  }
  assert.deepEqual(windows, [30, 60, 100, 100]);
});

test('rate-limited back-off: [interval, 1.5 × interval)', () => {
  const random = createSeededRandom(9);
  for (let i = 0; i < 500; i++) {
    const d = jitteredLowerBoundMs(2000, random);
    assert.ok(d >= 2000 && d < 3000, `delay ${d}`);
  }
});

const RESET_HEADERS = [
  { name: 'retry-after', format: 'SECONDS' as const },
  { name: 'x-ratelimit-reset', format: 'UNIX_TIMESTAMP' as const },
];
const NOW = 1_700_000_000_000;
const cases = [
  { name: 'Retry-After seconds', headers: ['retry-after', '2'], expected: 2000 },
  { name: 'X-RateLimit-Reset unix timestamp', headers: ['x-ratelimit-reset', String(NOW / 1000 + 3)], expected: 3000 },
  { name: 'first usable header in reset_headers order', headers: ['x-ratelimit-reset', String(NOW / 1000 + 3), 'retry-after', '1'], expected: 1000 },
  { name: 'interval above max_interval is discarded, the next header is tried', headers: ['retry-after', '999', 'x-ratelimit-reset', String(NOW / 1000 + 4)], expected: 4000 },
  { name: 'not an integer', headers: ['retry-after', 'Wed, 21 Oct 2015 07:28:00 GMT'], expected: -1 },
  { name: 'a timestamp in the past', headers: ['x-ratelimit-reset', String(NOW / 1000 - 10)], expected: -1 },
  { name: 'no reset header', headers: ['content-type', 'text/plain'], expected: -1 },
];
for (const c of cases) {
  test(`parseResetInterval: ${c.name}`, () => {
    assert.equal(parseResetInterval(c.headers, RESET_HEADERS, 300_000 / 10, NOW), c.expected);
  });
}
