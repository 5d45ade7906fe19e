/**
 * The first line of an HTTP/1.x message, as llhttp reads it: the request-line (RFC 9112 §3) and
 * the status-line (RFC 9112 §4). Each function scans [s, end) of a Buffer, `end` being the CR,
 * writes the pieces it found into a StartLine and returns START_LINE_OK, or a negative error whose
 * spec is `START_LINE_ERRORS[-1 - result]`. Nothing is allocated: the parser makes the strings.
 */
import { CR, KNOWN_METHODS, SP, TOKEN, latin1 } from './http1-chars.js';
import { TARGET_INVALID, TARGET_NO_VERSION, scanRequestTarget } from './http1-fields.js';
import type { Http1ParseErrorSpec } from './http1-parse-error.js';

export const START_LINE_OK = 0;
const E_METHOD_INVALID = -1;
const E_METHOD_UNKNOWN = -2;
const E_HTTP_09 = -3;
const E_URL_INVALID = -4;
const E_VERSION_INVALID = -5;
const E_VERSION_UNSUPPORTED = -6;
const E_NOT_HTTP = -7;
const E_VERSION_NO_SPACE = -8;
const E_STATUS_CODE_INVALID = -9;
const E_STATUS_INVALID = -10;
const E_REASON_CR = -11;

/** Indexed by `-1 - result`, in the order of the E_* results above. */
export const START_LINE_ERRORS: readonly Http1ParseErrorSpec[] = [
  { code: 'HPE_INVALID_METHOD', message: 'Invalid method encountered', status: 400 },
  { code: 'HPE_INVALID_METHOD', message: 'Unknown method', status: 501 },
  { code: 'HPE_INVALID_VERSION', message: 'HTTP/0.9 is not supported', status: 505 },
  { code: 'HPE_INVALID_URL', message: 'Invalid characters in url', status: 400 },
  { code: 'HPE_INVALID_VERSION', message: 'Invalid HTTP version', status: 400 },
  { code: 'HPE_INVALID_VERSION', message: 'HTTP version not supported', status: 505 },
  { code: 'HPE_INVALID_CONSTANT', message: 'Expected HTTP/', status: 400 },
  { code: 'HPE_INVALID_VERSION', message: 'Expected space after version', status: 400 },
  { code: 'HPE_INVALID_STATUS', message: 'Invalid status code', status: 400 },
  { code: 'HPE_INVALID_STATUS', message: 'Invalid response status', status: 400 },
  { code: 'HPE_STRICT', message: 'Expected LF after CR', status: 400 },
];

/** What a start line holds, as positions in its buffer; one per parser, overwritten by each line. */
export class StartLine {
  /** Request: the interned method string. */
  method = '';
  /** Request: the request-target is [targetStart, targetEnd). */
  targetStart = 0;
  targetEnd = 0;
  versionMinor: 0 | 1 = 1;
  /** Response. */
  statusCode = 0;
  /** Response: the reason phrase runs from here to the CR, or -1 when there is none. */
  reasonStart = -1;
}

/** method SP+ request-target SP+ HTTP-version (llhttp allows repeated SP). */
export function parseRequestLine(b: Buffer, s: number, end: number, out: StartLine): number {
  let i = s;
  while (i < end && TOKEN[b[i]] === 1) i++;
  if (i === s || i === end || b[i] !== SP) return E_METHOD_INVALID;
  const method = knownMethod(b, s, i);
  if (method === undefined) return E_METHOD_UNKNOWN;
  out.method = method;
  while (i < end && b[i] === SP) i++;
  const ts = i;
  const te = scanRequestTarget(b, i, end, method === 'CONNECT');
  if (te === TARGET_NO_VERSION) return E_HTTP_09;
  if (te === TARGET_INVALID) return E_URL_INVALID;
  out.targetStart = ts;
  out.targetEnd = te;
  i = te;
  while (i < end && b[i] === SP) i++;
  return parseVersion(b, i, end, out);
}

/** HTTP-version SP 3DIGIT [SP reason-phrase] (llhttp allows the reason and its SP to be absent). */
export function parseStatusLine(b: Buffer, s: number, end: number, out: StartLine): number {
  if (end - s < 12) return E_NOT_HTTP;
  const version = parseVersion(b, s, s + 8, out);
  if (version !== START_LINE_OK) return version;
  let i = s + 8;
  if (b[i] !== SP) return E_VERSION_NO_SPACE;
  const d1 = b[i + 1] - 0x30;
  const d2 = b[i + 2] - 0x30;
  const d3 = b[i + 3] - 0x30;
  if (d1 < 1 || d1 > 9 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) return E_STATUS_CODE_INVALID;
  out.statusCode = d1 * 100 + d2 * 10 + d3;
  out.reasonStart = -1;
  i += 4;
  if (i < end) {
    if (b[i] !== SP) return E_STATUS_INVALID;
    // reason-phrase: llhttp takes any byte but CR/LF (obs-text and even CTLs); CR was excluded by the caller.
    for (let k = i + 1; k < end; k++) {
      if (b[k] === CR) return E_REASON_CR;
    }
    out.reasonStart = i + 1;
  }
  return START_LINE_OK;
}

/** "HTTP/" DIGIT "." DIGIT at [i, end) exactly; 1.0 and 1.1 only (others: 505). */
function parseVersion(b: Buffer, i: number, end: number, out: StartLine): number {
  if (
    end - i !== 8 || b[i] !== 0x48 || b[i + 1] !== 0x54 || b[i + 2] !== 0x54 || b[i + 3] !== 0x50 || b[i + 4] !== 0x2f ||
    b[i + 6] !== 0x2e
  ) {
    return E_VERSION_INVALID;
  }
  const major = b[i + 5] - 0x30;
  const minor = b[i + 7] - 0x30;
  if (major < 0 || major > 9 || minor < 0 || minor > 9) return E_VERSION_INVALID;
  if (major !== 1 || minor > 1) return E_VERSION_UNSUPPORTED;
  out.versionMinor = minor as 0 | 1;
  return START_LINE_OK;
}

/** The interned method string for [s, e), or undefined when llhttp does not know it. */
function knownMethod(b: Buffer, s: number, e: number): string | undefined {
  const n = e - s;
  if (n === 3 && b[s] === 0x47 && b[s + 1] === 0x45 && b[s + 2] === 0x54) return 'GET';
  if (n === 4 && b[s] === 0x50 && b[s + 1] === 0x4f && b[s + 2] === 0x53 && b[s + 3] === 0x54) return 'POST';
  return KNOWN_METHODS.get(latin1(b, s, e));
}
