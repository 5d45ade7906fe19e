/**
 * Non-cryptographic string hashing for load balancing (ring hash, maglev, hash policies).
 *
 * Algorithm: MurmurHash3 x86_32 (Austin Appleby, public domain) over the string's **UTF-8 bytes**.
 * Hashing UTF-8 rather than UTF-16 code units means our values equal every reference murmur3_32
 * implementation (Guava `murmur3_32_fixed`, Python `mmh3.hash(s, seed, signed=False)`), so
 * other processes (the control plane, tests, tools) can reproduce them.
 *
 *   for each 4-byte little-endian block k:  k *= c1; k = rotl(k, 15); k *= c2
 *                                            h ^= k; h = rotl(h, 13); h = h * 5 + 0xe6546b64
 *   tail (1–3 bytes) mixed the same way without the h rotation; h ^= byteLength; h = fmix32(h)
 *
 * Hot-path note: the string is encoded into one module-level scratch buffer that only grows,
 * so a call allocates nothing once the buffer is as large as the longest key seen. JS is
 * single-threaded and the function is synchronous, so sharing the buffer is safe.
 *
 * Envoy uses xxHash64 (source/common/common/hash.h); we use a 32-bit hash because a uint32 fits
 * a Smi/double without BigInt, which keeps picks allocation-free.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

let scratch = new Uint8Array(256);

/** Encodes `input` as UTF-8 into `scratch` (growing it) and returns the byte length. */
function encodeUtf8(input: string): number {
  const n = input.length;
  if (scratch.length < n * 3) scratch = new Uint8Array(Math.max(n * 3, scratch.length * 2));
  const buf = scratch;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    let c = input.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = input.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        buf[pos++] = 0xf0 | (c >> 18);
        buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
      } else {
        // Lone high surrogate: U+FFFD, as TextEncoder does.
        buf[pos++] = 0xef;
        buf[pos++] = 0xbf;
        buf[pos++] = 0xbd;
      }
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

/** MurmurHash3's finalizer: an avalanche mix of a 32-bit value. Returns a uint32. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 x86_32 of the UTF-8 bytes of `input`.
 *
 * @param seed any number; only its low 32 bits are used. Default 0.
 * @returns a uint32 (0 … 2^32-1). Deterministic across processes and Node versions.
 */
export function hashString(input: string, seed = 0): number {
  const len = encodeUtf8(input);
  const buf = scratch;
  let h = seed | 0;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rem = len & 3;
  if (rem !== 0) {
    let k = 0;
    if (rem === 3) k ^= buf[blocks + 2] << 16;
    if (rem >= 2) k ^= buf[blocks + 1] << 8;
    k ^= buf[blocks];
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= len;
  return mix32(h);
}
