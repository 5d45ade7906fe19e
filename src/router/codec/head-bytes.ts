/**
 * HTTP/1.1 heads written straight into bytes, for the per-request heads of the proxy path.
 *
 * Building a head as a string costs a cons string per `+` and then, at write time, a flatten and
 * a copy into the socket's write buffer (perf: ~3% of a worker). Here the caller sums the length
 * first and every piece is copied once, by a plain loop (a native write call per piece would
 * cost more than the copying). Strings are one byte per char (latin1: parsed heads are, config
 * values are checked ≤ U+00FF), so a char code is its byte.
 */

/** Bytes of `name: value\r\n` for each pair of a flat [name, value, …] list. */
export function fieldsByteLength(fields: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < fields.length; i += 2) n += fields[i].length + fields[i + 1].length + 4;
  return n;
}

/** Copies `s` to `buf` at `at`; returns the offset after it. */
export function putLatin1(buf: Buffer, at: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) buf[at + i] = s.charCodeAt(i);
  return at + n;
}

/** Writes `name: value\r\n` for each pair; returns the offset after the last. */
export function putFields(buf: Buffer, at: number, fields: readonly string[]): number {
  for (let i = 0; i < fields.length; i += 2) {
    at = putLatin1(buf, at, fields[i]);
    buf[at++] = 0x3a; // ':'
    buf[at++] = 0x20;
    at = putLatin1(buf, at, fields[i + 1]);
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
  }
  return at;
}

/** Below this many bytes a loop copies faster than TypedArray.prototype.set (a builtin call each). */
const SMALL_COPY_BYTES = 32;

/** Copies `bytes` into `buf` at `at` (the caller made room); returns the offset after them. */
export function putBytes(buf: Buffer, at: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n > SMALL_COPY_BYTES) buf.set(bytes, at);
  else for (let i = 0; i < n; i++) buf[at + i] = bytes[i];
  return at + n;
}
