/**
 * HTTP/1.1 head serialization for the raw-socket data path. Heads are built as one latin1 string
 * and written with a single `socket.write(s, 'latin1')`; header names and values are trusted here
 * (they come from a parsed message, which the parser validated, or from config validated with
 * `isValidHeaderName` / `isValidHeaderValue` at load time), so nothing is checked per request.
 */
import { FIELD_VALUE, TOKEN } from './http1-chars.js';

/**
 * Reason phrases by status code, the same as Node's `http.STATUS_CODES` (the phrases a Node
 * backend and the local replies of the connection manager use).
 */
export const STATUS_REASONS: Readonly<Record<number, string>> = Object.freeze({
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  509: 'Bandwidth Limit Exceeded',
  510: 'Not Extended',
  511: 'Network Authentication Required',
});

/** The terminating zero-size chunk with no trailers (RFC 9112 §7.1). */
export const LAST_CHUNK = '0\r\n\r\n';

/** `<size in hex>\r\n` before a chunk of `len` bytes (len > 0; a 0 would end the body). */
export function chunkHeader(len: number): string {
  return len.toString(16) + '\r\n';
}

/** Appends `name: value\r\n` for each pair of the flat list. */
function appendHeaders(s: string, headers: readonly string[]): string {
  for (let i = 0; i < headers.length; i += 2) s += headers[i] + ': ' + headers[i + 1] + '\r\n';
  return s + '\r\n';
}

/** An HTTP/1.1 request head: `METHOD path HTTP/1.1`, the headers, and the blank line. */
export function writeRequestHead(method: string, path: string, headers: readonly string[]): string {
  return appendHeaders(method + ' ' + path + ' HTTP/1.1\r\n', headers);
}

/** A response head: `HTTP/1.x status reason`, the headers, and the blank line. An empty reason uses STATUS_REASONS. */
export function writeResponseHead(versionMinor: 0 | 1, status: number, reason: string, headers: readonly string[]): string {
  const phrase = reason !== '' ? reason : (STATUS_REASONS[status] ?? 'Unknown');
  return appendHeaders((versionMinor === 0 ? 'HTTP/1.0 ' : 'HTTP/1.1 ') + status + ' ' + phrase + '\r\n', headers);
}

/** A field name for config-added headers: a non-empty token (RFC 9110 §5.1). */
export function isValidHeaderName(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) return false;
  }
  return true;
}

/**
 * A field value for config-added headers (RFC 9110 §5.5): HTAB, SP, VCHAR and obs-text only (no
 * CR, LF, NUL or other CTLs, nothing above U+00FF), and no leading or trailing whitespace.
 */
export function isValidHeaderValue(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || FIELD_VALUE[c] !== 1) return false;
  }
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  return first !== 0x20 && first !== 0x09 && last !== 0x20 && last !== 0x09;
}
