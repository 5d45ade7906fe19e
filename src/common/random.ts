/**
 * Random number sources for the load balancers and jitter.
 *
 * A `RandomSource` is a function returning a float in [0, 1), the same shape as Math.random, so
 * production code passes `defaultRandom` and tests pass `createSeededRandom(seed)` for
 * reproducible picks.
 *
 * Seeded algorithm: xoshiro128** (Blackman & Vigna, public domain), 128 bits of state, period
 * 2^128 − 1, passes BigCrush. The state is filled from the seed by splitmix32 so that nearby
 * seeds (1, 2, 3…) give unrelated streams and the all-zero state cannot occur.
 *
 *   result = rotl(s1 * 5, 7) * 9
 *   t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
 *
 * Output is `result / 2^32`, so it has 32 bits of precision — plenty for picking among hosts.
 */

/** A source of uniformly distributed floats in [0, 1). */
export type RandomSource = () => number;

const TWO_POW_32 = 4294967296;

/** Production source. V8's Math.random is xorshift128+, fast and allocation-free. */
export const defaultRandom: RandomSource = Math.random;

/**
 * Creates a deterministic xoshiro128** generator. Same seed → same sequence, on every platform.
 *
 * @param seed any number; its low 32 bits are used.
 */
export function createSeededRandom(seed: number): RandomSource {
  let x = seed | 0;
  const splitmix32 = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let s0 = splitmix32();
  let s1 = splitmix32();
  let s2 = splitmix32();
  let s3 = splitmix32();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return () => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return (result >>> 0) / TWO_POW_32;
  };
}
