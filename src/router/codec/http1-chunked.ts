/**
 * The chunk-size line of a chunked body (RFC 9112 §7.1): its length limit, its CRLF, and the size
 * and extensions checked as llhttp does (the byte scan is parseChunkSizeLine in http1-fields.ts).
 * The parser assembles the line; checkChunkLine returns the chunk size, or a negative error whose
 * spec is `CHUNK_LINE_ERRORS[-1 - result]`.
 */
import { CR } from './http1-chars.js';
import { CHUNK_SIZE_INVALID, CHUNK_SIZE_OVERFLOW, parseChunkSizeLine } from './http1-fields.js';
import type { Http1ParseErrorSpec } from './http1-parse-error.js';

/** Longest chunk-size line (size + extensions); Node's default max chunk-extension size is 16 KiB. */
export const MAX_CHUNK_LINE_BYTES = 16 * 1024;

/** Also the error of a line still without its LF past MAX_CHUNK_LINE_BYTES. */
export const CHUNK_LINE_TOO_LONG = -1;
const E_CR_EXPECTED = -2;
const E_SIZE_INVALID = -3;
const E_SIZE_OVERFLOW = -4;
const E_EXTENSION_INVALID = -5;

/** Indexed by `-1 - result`, in the order of the results above. */
export const CHUNK_LINE_ERRORS: readonly Http1ParseErrorSpec[] = [
  { code: 'HPE_CHUNK_EXTENSIONS_OVERFLOW', message: 'Chunk extensions overflow', status: 413 },
  { code: 'HPE_CR_EXPECTED', message: 'Missing expected CR after chunk size', status: 400 },
  { code: 'HPE_INVALID_CHUNK_SIZE', message: 'Invalid character in chunk size', status: 400 },
  { code: 'HPE_INVALID_CHUNK_SIZE', message: 'Chunk size overflow', status: 400 },
  { code: 'HPE_STRICT', message: 'Invalid character in chunk extensions', status: 400 },
];

/** The chunk-size line line[s, lf) (lf is the index of its LF): the chunk size, or an error. */
export function checkChunkLine(line: Buffer, s: number, lf: number): number {
  if (lf - s > MAX_CHUNK_LINE_BYTES) return CHUNK_LINE_TOO_LONG;
  if (lf === s || line[lf - 1] !== CR) return E_CR_EXPECTED;
  const size = parseChunkSizeLine(line, s, lf - 1);
  if (size >= 0) return size;
  if (size === CHUNK_SIZE_INVALID) return E_SIZE_INVALID;
  if (size === CHUNK_SIZE_OVERFLOW) return E_SIZE_OVERFLOW;
  return E_EXTENSION_INVALID;
}
