/**
 * The YAML parser returns substrings of the file's text, and V8 keeps a substring in its parent's
 * representation: one non-Latin-1 character anywhere in the file (an em dash in a comment) makes
 * every value two-byte. Those values end up in headers the router writes on every request, and a
 * two-byte piece turns the whole request head into a two-byte string that is flattened and
 * narrowed again on each write (measured: ~1% of the worker's CPU). So the parsed document gets
 * fresh, flat, one-byte copies of its Latin-1 strings once, at load.
 */
import { Buffer } from 'node:buffer';

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/** Returns `value` with every Latin-1 string (keys included) replaced by a one-byte copy. */
export function withOneByteStrings(value: unknown): unknown {
  if (typeof value === 'string') return oneByte(value);
  if (Array.isArray(value)) return value.map(withOneByteStrings);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a `__proto__` key in the file stays a key and never becomes the prototype.
    Object.defineProperty(out, oneByte(key), { value: withOneByteStrings(item), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function oneByte(s: string): string {
  return BEYOND_LATIN1.test(s) ? s : Buffer.from(s, 'latin1').toString('latin1');
}
