import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashString, mix32 } from '../../../src/common/hash.js';

// Reference murmur3_32 vectors (Wikipedia, Guava murmur3_32_fixed, mmh3).
const cases: { name: string; input: string; seed?: number; expected: number }[] = [
  { name: 'empty, seed 0', input: '', seed: 0, expected: 0 },
  { name: 'empty, seed 1', input: '', seed: 1, expected: 0x514e28b7 },
  { name: 'empty, seed 0xffffffff', input: '', seed: 0xffffffff, expected: 0x81f16f39 },
  { name: 'test', input: 'test', expected: 0xba6bd213 },
  { name: 'Hello, world!', input: 'Hello, world!', expected: 0xc0363e43 },
  { name: 'Hello, world! seed 1234', input: 'Hello, world!', seed: 1234, expected: 0xfaf6cdb3 },
  { name: 'quick brown fox', input: 'The quick brown fox jumps over the lazy dog', expected: 0x2e4ff723 },
  { name: 'aaaa seed 0x9747b28c', input: 'aaaa', seed: 0x9747b28c, expected: 0x5a97808a },
];

for (const c of cases) {
  test(`hashString: ${c.name}`, () => {
    assert.equal(hashString(c.input, c.seed), c.expected);
  });
}

test('hashString hashes UTF-8 bytes (non-ASCII equals hashing the encoded bytes)', () => {
  // 'π' is 2 UTF-8 bytes, '😀' is 4: compare with a byte-wise reference over Buffer.from(s).
  for (const s of ['π', 'aπb', '😀', 'x😀yz', 'héllo wörld']) {
    assert.equal(hashString(s, 7), referenceMurmur(Buffer.from(s, 'utf8'), 7), s);
  }
});

test('hashString handles strings longer than the initial scratch buffer', () => {
  const long = 'k'.repeat(5000) + 'é';
  assert.equal(hashString(long), referenceMurmur(Buffer.from(long, 'utf8'), 0));
});

test('hashString output is uint32 and spreads over buckets', () => {
  const buckets = new Array<number>(16).fill(0);
  const n = 16_000;
  for (let i = 0; i < n; i++) {
    const h = hashString(`10.0.0.${i % 256}:${8000 + i}`);
    assert.ok(Number.isInteger(h) && h >= 0 && h <= 0xffffffff);
    buckets[h >>> 28]++;
  }
  for (const b of buckets) assert.ok(Math.abs(b - n / 16) < n / 16 * 0.1, `bucket ${b}`);
});

test('mix32 is a uint32 bijection-like avalanche', () => {
  assert.equal(mix32(0), 0);
  assert.notEqual(mix32(1), mix32(2));
  assert.ok(mix32(0xffffffff) >= 0);
});

/** Straightforward byte-wise murmur3_32, independent of the streaming encoder. */
function referenceMurmur(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const mul = (a: number, b: number): number => Number((BigInt(a) * BigInt(b)) & 0xffffffffn);
  const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    let k = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    k = mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593);
    h = (mul(rotl((h ^ k) >>> 0, 13), 5) + 0xe6546b64) >>> 0;
  }
  let k = 0;
  const rem = bytes.length - i;
  if (rem === 3) k ^= bytes[i + 2] << 16;
  if (rem >= 2) k ^= bytes[i + 1] << 8;
  if (rem >= 1) {
    k ^= bytes[i];
    k = mul(rotl(mul(k >>> 0, 0xcc9e2d51), 15), 0x1b873593);
    h = (h ^ k) >>> 0;
  }
  h = (h ^ bytes.length) >>> 0;
  h = mul((h ^ (h >>> 16)) >>> 0, 0x85ebca6b);
  h = mul((h ^ (h >>> 13)) >>> 0, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
