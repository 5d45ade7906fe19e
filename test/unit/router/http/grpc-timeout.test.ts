/** gRPC's grpc-timeout header (1–8 digits + unit), as max_stream_duration's grpc_timeout_header_max reads it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGrpcTimeoutMs } from '../../../../src/router/http/stream-timers.js';

const cases: [string, number][] = [
  ['1H', 3_600_000],
  ['2M', 120_000],
  ['30S', 30_000],
  ['100m', 100],
  ['1500u', 2],
  ['1000000n', 1],
  ['12345678m', 12_345_678],
  ['123456789m', -1],
  ['m', -1],
  ['10', -1],
  ['1.5S', -1],
  ['-1S', -1],
  ['10s', -1],
];
for (const [value, expected] of cases) {
  test(`parseGrpcTimeoutMs(${JSON.stringify(value)}) = ${expected}`, () => assert.equal(parseGrpcTimeoutMs(value), expected));
}
