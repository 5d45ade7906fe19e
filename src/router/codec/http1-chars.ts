/**
 * Byte classes for the HTTP/1.1 codec, as 256-entry lookup tables indexed by byte value.
 *
 * The sets are llhttp's (src/llhttp/constants.ts, v9.3.1 as shipped with Node 20), so that the
 * router accepts exactly what a Node backend accepts:
 *
 *   TOKEN         RFC 9110 §5.6.2 tchar               header names, methods, chunk-ext names
 *   FIELD_VALUE   HTAB / SP / VCHAR / obs-text        header values (no CTLs, no DEL)
 *   URL_CHAR      llhttp URL_CHAR                     request-target path/query/fragment bytes
 *   USERINFO      llhttp USERINFO_CHARS               authority bytes (absolute- and authority-form)
 *   QDTEXT        RFC 9110 §5.6.4                     chunk-ext quoted-string bytes
 *   HEX_VALUE     hex digit → value, else -1          chunk sizes
 */

function table(chars: string, ranges: ReadonlyArray<readonly [number, number]> = []): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  for (const [lo, hi] of ranges) for (let c = lo; c <= hi; c++) t[c] = 1;
  return t;
}

const ALPHA_RANGES: ReadonlyArray<readonly [number, number]> = [[0x41, 0x5a], [0x61, 0x7a]];
const ALNUM_RANGES: ReadonlyArray<readonly [number, number]> = [...ALPHA_RANGES, [0x30, 0x39]];
const OBS_TEXT: readonly [number, number] = [0x80, 0xff];

export const ALPHA = table('', ALPHA_RANGES);
export const TOKEN = table("!#$%&'*+-.^_`|~", ALNUM_RANGES);
/** HTAB, SP, VCHAR (0x21–0x7e), obs-text (0x80–0xff). */
export const FIELD_VALUE = table('\t', [[0x20, 0x7e], OBS_TEXT]);
/** Like FIELD_VALUE; quoted-pair second byte. */
export const QUOTED_PAIR = FIELD_VALUE;
export const QDTEXT = table('\t !', [[0x23, 0x5b], [0x5d, 0x7e], OBS_TEXT]);
export const URL_CHAR = table('!"$%&\'()*+,-./:;<=>@[\\]^_`{|}~', ALNUM_RANGES);
export const USERINFO = table("-_.!~*'()%;:&=+$,[]", ALNUM_RANGES);

/** Hex digit value, or -1. */
export const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0x30; c <= 0x39; c++) HEX_VALUE[c] = c - 0x30;
for (let c = 0x41; c <= 0x46; c++) HEX_VALUE[c] = c - 0x41 + 10;
for (let c = 0x61; c <= 0x66; c++) HEX_VALUE[c] = c - 0x61 + 10;

export const CR = 13;
export const LF = 10;
export const SP = 32;
export const HTAB = 9;
export const COLON = 58;
export const COMMA = 44;
export const SEMICOLON = 59;

/**
 * Methods llhttp accepts with an `HTTP/` version (METHODS_HTTP1: RFC 9110, WebDAV, Subversion,
 * UPnP, CalDAV, PURGE, QUERY, SOURCE). Anything else is answered 501. `PRI` is the HTTP/2 preface
 * and is rejected here (the listener sniffs h2c before handing bytes to this codec).
 */
const KNOWN_METHOD_LIST = [
  'DELETE', 'GET', 'HEAD', 'POST', 'PUT', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'LINK', 'UNLINK',
  'COPY', 'LOCK', 'MKCOL', 'MOVE', 'PROPFIND', 'PROPPATCH', 'SEARCH', 'UNLOCK', 'BIND', 'REBIND',
  'UNBIND', 'ACL', 'REPORT', 'MKACTIVITY', 'CHECKOUT', 'MERGE', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE',
  'UNSUBSCRIBE', 'MKCALENDAR', 'PURGE', 'QUERY', 'SOURCE',
] as const;

/** Method text → the same string, internalized once (so heads share one string per method). */
export const KNOWN_METHODS: ReadonlyMap<string, string> = new Map(KNOWN_METHOD_LIST.map((m) => [m, m]));

/** True when [s, e) of `b` equals the lower-case ASCII `lower`, compared case-insensitively. */
export function equalsLowerCase(b: Buffer, s: number, e: number, lower: string): boolean {
  if (e - s !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((b[s + i] | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
}

/** `buf.toString('latin1', s, e)` without the encoding switch (Buffer#latin1Slice is Node's own fast path). */
export function latin1(b: Buffer, s: number, e: number): string {
  return (b as unknown as Latin1Buffer).latin1Slice(s, e);
}
