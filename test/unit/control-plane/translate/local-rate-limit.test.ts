import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenBucket } from '../../../../src/control-plane/translate/local-rate-limit.js';
import { encodeMessage } from '../../../../src/xds/any.js';

const cases: { name: string; rps: number; burst: number | null; expected: { max: number; fill: number; intervalMs: number } }[] = [
  { name: 'burst defaults to the rate', rps: 10, burst: null, expected: { max: 10, fill: 10, intervalMs: 1000 } },
  { name: 'burst sets the bucket size', rps: 10, burst: 25, expected: { max: 25, fill: 10, intervalMs: 1000 } },
  { name: 'a rate below 1/s is one token every 1000/rps ms', rps: 0.5, burst: null, expected: { max: 1, fill: 1, intervalMs: 2000 } },
  { name: 'other fractional rates are rounded', rps: 7.6, burst: null, expected: { max: 8, fill: 8, intervalMs: 1000 } },
  { name: 'a very low rate keeps a positive bucket', rps: 0.01, burst: null, expected: { max: 1, fill: 1, intervalMs: 100_000 } },
];

for (const c of cases) {
  test(`token bucket: ${c.name}`, () => {
    const bucket = tokenBucket(c.rps, c.burst);
    const interval = bucket.fill_interval as { seconds: number; nanos: number };
    assert.deepStrictEqual(
      { max: bucket.max_tokens, fill: (bucket.tokens_per_fill as { value: number }).value, intervalMs: interval.seconds * 1000 + interval.nanos / 1e6 },
      c.expected,
    );
    // It encodes as type.v3.TokenBucket (max_tokens > 0 is the proto's rule, checked by Envoy).
    assert.ok(encodeMessage('envoy.type.v3.TokenBucket', bucket).length > 0);
  });
}
