/**
 * Byte-level checks of the start line pieces and of the framing header values, each a straight
 * port of the matching llhttp state machine (src/llhttp/http.ts, url.ts) so that what the router
 * accepts is what a Node backend accepts. All work on [start, end) of a Buffer and allocate nothing.
 */
import { ALPHA, COMMA, HTAB, HEX_VALUE, QDTEXT, QUOTED_PAIR, SEMICOLON, SP, TOKEN, URL_CHAR, USERINFO } from './http1-chars.js';

export const TARGET_INVALID = -1;
/** The line ended inside the target (an HTTP/0.9 request line: no version). */
export const TARGET_NO_VERSION = -2;

const U_PATH = 0;
const U_QUERY_OR_FRAGMENT = 1;
const U_QUERY = 2;
const U_FRAGMENT = 3;
const U_SERVER = 4;
const U_SERVER_AT = 5;

/**
 * Scans a request-target starting at `i` (llhttp url.ts): origin-form (`/…`), `*`, absolute-form
 * (`scheme://authority[/path][?query]`), or authority-form when `connect`. Returns the index of the
 * SP that ends it, TARGET_INVALID, or TARGET_NO_VERSION.
 */
export function scanRequestTarget(b: Buffer, i: number, end: number, connect: boolean): number {
  let state: number;
  if (connect) {
    state = U_SERVER;
  } else {
    if (i >= end) return TARGET_NO_VERSION;
    const c0 = b[i];
    if (c0 === 0x2f /* / */ || c0 === 0x2a /* * */) {
      state = U_PATH;
      i++;
    } else if (ALPHA[c0] === 1) {
      // scheme ":" "//"
      while (i < end && ALPHA[b[i]] === 1) i++;
      if (i + 3 > end || b[i] !== 0x3a || b[i + 1] !== 0x2f || b[i + 2] !== 0x2f) return TARGET_INVALID;
      i += 3;
      state = U_SERVER;
    } else {
      return TARGET_INVALID;
    }
  }
  for (; i < end; i++) {
    const c = b[i];
    switch (state) {
      case U_PATH:
        if (URL_CHAR[c] === 1) continue;
        state = U_QUERY_OR_FRAGMENT;
        i--; // re-examine this byte
        continue;
      case U_QUERY_OR_FRAGMENT:
        if (c === 0x3f /* ? */) state = U_QUERY;
        else if (c === 0x23 /* # */) state = U_FRAGMENT;
        else if (c === SP) return i;
        else return TARGET_INVALID;
        continue;
      case U_QUERY:
        if (URL_CHAR[c] === 1 || c === 0x3f) continue;
        if (c === 0x23) state = U_FRAGMENT;
        else if (c === SP) return i;
        else return TARGET_INVALID;
        continue;
      case U_FRAGMENT:
        if (URL_CHAR[c] === 1 || c === 0x3f || c === 0x23) continue;
        if (c === SP) return i;
        return TARGET_INVALID;
      default: // U_SERVER, U_SERVER_AT
        if (c === 0x2f) state = U_PATH;
        else if (c === 0x3f) state = U_QUERY;
        else if (USERINFO[c] === 1) state = U_SERVER;
        else if (c === 0x40 /* @ */) {
          if (state === U_SERVER_AT) return TARGET_INVALID; // "Double @ in url"
          state = U_SERVER_AT;
        } else if (c === SP) return i;
        else return TARGET_INVALID;
    }
  }
  return TARGET_NO_VERSION;
}

export const CONTENT_LENGTH_INVALID = -1;

/**
 * Content-Length value (llhttp header_value_content_length): [s, end) starts after the leading
 * OWS and runs to the CR. 1*DIGIT then only SP (a trailing HTAB, a sign, a comma list or an empty
 * value is an error). Values above 2^53-1 are rejected (llhttp allows up to 2^64; nothing that
 * large can be received anyway).
 */
export function parseContentLength(b: Buffer, s: number, end: number): number {
  let i = s;
  let n = 0;
  for (; i < end; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
    if (n > Number.MAX_SAFE_INTEGER) return CONTENT_LENGTH_INVALID;
  }
  if (i === s) return CONTENT_LENGTH_INVALID;
  for (; i < end; i++) if (b[i] !== SP) return CONTENT_LENGTH_INVALID;
  return n;
}

export const TE_OTHER = 0;
export const TE_CHUNKED = 1;
/** `chunked` followed by another coding in a request (RFC 9112 §6.1: chunked must be final). */
export const TE_CHUNKED_NOT_LAST = 2;

/**
 * Transfer-Encoding value (llhttp header_value_te_*): is `chunked` the final coding? Only SP may
 * follow a final `chunked` (llhttp treats `chunked\t` as an unknown coding).
 */
export function parseTransferEncoding(b: Buffer, s: number, end: number): number {
  let i = s;
  for (;;) {
    // te_chunked: try "chunked" case-insensitively.
    let k = 0;
    while (k < 7 && i < end && (b[i] | 0x20) === CHUNKED_BYTES[k]) {
      i++;
      k++;
    }
    if (k === 7) {
      while (i < end && b[i] === SP) i++;
      if (i === end) return TE_CHUNKED;
      if (b[i] === COMMA) return TE_CHUNKED_NOT_LAST;
    }
    // te_token: up to the next comma, then OWS.
    while (i < end && b[i] !== COMMA) i++;
    if (i === end) return TE_OTHER;
    i++;
    while (i < end && (b[i] === SP || b[i] === HTAB)) i++;
  }
}
const CHUNKED_BYTES = [0x63, 0x68, 0x75, 0x6e, 0x6b, 0x65, 0x64]; // "chunked"

export const CONN_CLOSE = 1;
export const CONN_KEEP_ALIVE = 2;
export const CONN_UPGRADE = 4;

/** Connection / Proxy-Connection tokens (case-insensitive, comma-separated, OWS-trimmed) as CONN_* bits. */
export function parseConnectionTokens(b: Buffer, s: number, end: number): number {
  let flags = 0;
  let i = s;
  while (i < end) {
    while (i < end && (b[i] === SP || b[i] === HTAB || b[i] === COMMA)) i++;
    const ts = i;
    while (i < end && b[i] !== COMMA) i++;
    let te = i;
    while (te > ts && (b[te - 1] === SP || b[te - 1] === HTAB)) te--;
    const len = te - ts;
    if (len === 5 && matchLower(b, ts, 'close')) flags |= CONN_CLOSE;
    else if (len === 10 && matchLower(b, ts, 'keep-alive')) flags |= CONN_KEEP_ALIVE;
    else if (len === 7 && matchLower(b, ts, 'upgrade')) flags |= CONN_UPGRADE;
  }
  return flags;
}

function matchLower(b: Buffer, s: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) if ((b[s + k] | 0x20) !== lower.charCodeAt(k)) return false;
  return true;
}

export const CHUNK_SIZE_INVALID = -1;
export const CHUNK_SIZE_OVERFLOW = -2;
export const CHUNK_EXT_INVALID = -3;

/**
 * A chunk-size line's content [s, end) (without CRLF): 1*HEXDIG then optional chunk extensions
 * (llhttp chunk_size / chunk_extension_*: no BWS around `;` or `=`, values token or quoted-string).
 * Returns the size, or a negative CHUNK_* code. Sizes above 2^53-1 are an overflow.
 */
export function parseChunkSizeLine(b: Buffer, s: number, end: number): number {
  let i = s;
  let size = 0;
  for (; i < end; i++) {
    const d = HEX_VALUE[b[i]];
    if (d < 0) break;
    size = size * 16 + d;
    if (size > Number.MAX_SAFE_INTEGER) return CHUNK_SIZE_OVERFLOW;
  }
  if (i === s) return CHUNK_SIZE_INVALID;
  if (i === end) return size;
  if (b[i] !== SEMICOLON) return CHUNK_SIZE_INVALID;
  return validChunkExtensions(b, i + 1, end) ? size : CHUNK_EXT_INVALID;
}

function validChunkExtensions(b: Buffer, i: number, end: number): boolean {
  for (;;) {
    // chunk_extensions (just after ';'): SP or CR here is an error, then the name.
    if (i === end || b[i] === SP) return false;
    while (i < end && TOKEN[b[i]] === 1) i++;
    if (i === end) return true;
    let c = b[i];
    if (c === SEMICOLON) {
      i++;
      continue;
    }
    if (c !== 0x3d /* = */) return false;
    i++;
    // chunk_extension_value: token bytes, a quoted-string may start at any point.
    for (;;) {
      if (i === end) return true;
      c = b[i];
      if (TOKEN[c] === 1) {
        i++;
        continue;
      }
      if (c === SEMICOLON) break;
      if (c !== 0x22 /* " */) return false;
      i++;
      for (;;) {
        if (i === end) return false;
        c = b[i];
        if (c === 0x22) break;
        if (c === 0x5c /* \ */) {
          if (i + 1 === end || QUOTED_PAIR[b[i + 1]] !== 1) return false;
          i += 2;
        } else if (QDTEXT[c] === 1) {
          i++;
        } else {
          return false;
        }
      }
      i++;
      // chunk_extension_quoted_value_done: only ';' or the end may follow.
      if (i === end) return true;
      if (b[i] !== SEMICOLON) return false;
      break;
    }
    i++; // past ';'
  }
}
