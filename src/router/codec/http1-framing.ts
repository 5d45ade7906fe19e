/**
 * What the framing header fields say about a message, as llhttp reads them: Content-Length,
 * Transfer-Encoding, Connection / Proxy-Connection, Upgrade and Host (RFC 9112 §6; RFC 9110 §7.2,
 * §7.6.1, §7.8). The parser feeds every field line to applyFramingField and checks a request head
 * with checkRequestFraming; both update or read one FramingState per parser and return FRAMING_OK
 * or a negative error whose spec is `FRAMING_ERRORS[-1 - result]`.
 */
import {
  CONN_CLOSE, CONN_KEEP_ALIVE, CONN_UPGRADE, CONTENT_LENGTH_INVALID, TE_CHUNKED, TE_CHUNKED_NOT_LAST,
  parseConnectionTokens, parseContentLength, parseTransferEncoding,
} from './http1-fields.js';
import type { Http1ParseErrorSpec } from './http1-parse-error.js';

/** Header-derived flags (llhttp F_*). */
export const enum FramingFlag {
  ContentLength = 1,
  TransferEncoding = 2,
  Chunked = 4,
  Upgrade = 8,
  ConnClose = 16,
  ConnKeepAlive = 32,
  ConnUpgrade = 64,
}

/** The framing facts of the message being parsed; reset by the parser at each message start. */
export class FramingState {
  /** FramingFlag bits. */
  flags = 0;
  /** -1 when absent. */
  contentLength = -1;
  /** Host fields in the head (not in trailers). */
  hostCount = 0;

  reset(): void {
    this.flags = 0;
    this.contentLength = -1;
    this.hostCount = 0;
  }
}

export const FRAMING_OK = 0;
const E_CL_WITH_TE = -1;
const E_CL_EMPTY = -2;
const E_CL_DUPLICATE = -3;
const E_CL_INVALID = -4;
const E_TE_WITH_CL = -5;
const E_TE_INVALID = -6;
const E_HOST_DUPLICATE = -7;
const E_HOST_MISSING = -8;
const E_TE_HTTP_10 = -9;
const E_TE_NOT_CHUNKED = -10;

/** Indexed by `-1 - result`, in the order of the E_* results above. */
export const FRAMING_ERRORS: readonly Http1ParseErrorSpec[] = [
  { code: 'HPE_INVALID_CONTENT_LENGTH', message: "Content-Length can't be present with Transfer-Encoding", status: 400 },
  { code: 'HPE_INVALID_CONTENT_LENGTH', message: 'Empty Content-Length', status: 400 },
  { code: 'HPE_UNEXPECTED_CONTENT_LENGTH', message: 'Duplicate Content-Length', status: 400 },
  { code: 'HPE_INVALID_CONTENT_LENGTH', message: 'Invalid character in Content-Length', status: 400 },
  { code: 'HPE_INVALID_TRANSFER_ENCODING', message: "Transfer-Encoding can't be present with Content-Length", status: 400 },
  { code: 'HPE_INVALID_TRANSFER_ENCODING', message: 'Invalid `Transfer-Encoding` header value', status: 400 },
  { code: 'HPE_DUPLICATE_HOST', message: 'More than one Host header', status: 400 },
  { code: 'HPE_MISSING_HOST', message: 'Missing Host header', status: 400 },
  { code: 'HPE_INVALID_TRANSFER_ENCODING', message: 'Transfer-Encoding in an HTTP/1.0 request', status: 400 },
  { code: 'HPE_INVALID_TRANSFER_ENCODING', message: 'Request has invalid `Transfer-Encoding`', status: 400 },
];

/**
 * One field line of a head or trailer section (llhttp applies the framing fields in trailers too).
 * `name` is lower-cased, b[vs, cr) is the value past its leading OWS up to the line's CR.
 */
export function applyFramingField(
  st: FramingState, name: string, b: Buffer, vs: number, cr: number, isRequest: boolean, inHead: boolean,
): number {
  switch (name.length) {
    case 4:
      if (name === 'host' && inHead) st.hostCount++;
      return FRAMING_OK;
    case 7:
      if (name === 'upgrade' && vs < cr) st.flags |= FramingFlag.Upgrade;
      return FRAMING_OK;
    case 10:
    case 16:
      if (name === 'connection' || name === 'proxy-connection') {
        const t = parseConnectionTokens(b, vs, cr);
        if ((t & CONN_CLOSE) !== 0) st.flags |= FramingFlag.ConnClose;
        if ((t & CONN_KEEP_ALIVE) !== 0) st.flags |= FramingFlag.ConnKeepAlive;
        if ((t & CONN_UPGRADE) !== 0) st.flags |= FramingFlag.ConnUpgrade;
      }
      return FRAMING_OK;
    case 14: {
      if (name !== 'content-length') return FRAMING_OK;
      if ((st.flags & FramingFlag.TransferEncoding) !== 0) return E_CL_WITH_TE;
      if (vs === cr) return E_CL_EMPTY;
      // Even an equal duplicate (RFC 9110 §8.6 would allow folding it; llhttp does not).
      if ((st.flags & FramingFlag.ContentLength) !== 0) return E_CL_DUPLICATE;
      const n = parseContentLength(b, vs, cr);
      if (n === CONTENT_LENGTH_INVALID) return E_CL_INVALID;
      st.flags |= FramingFlag.ContentLength;
      st.contentLength = n;
      return FRAMING_OK;
    }
    case 17: {
      if (name !== 'transfer-encoding') return FRAMING_OK;
      if ((st.flags & FramingFlag.ContentLength) !== 0) return E_TE_WITH_CL;
      if (vs === cr) return FRAMING_OK; // an empty value is no coding at all (llhttp)
      if (isRequest && (st.flags & FramingFlag.Chunked) !== 0) return E_TE_INVALID;
      const te = parseTransferEncoding(b, vs, cr);
      if (te === TE_CHUNKED_NOT_LAST && isRequest) return E_TE_INVALID;
      st.flags = (st.flags | FramingFlag.TransferEncoding) & ~FramingFlag.Chunked;
      if (te === TE_CHUNKED) st.flags |= FramingFlag.Chunked;
      return FRAMING_OK;
    }
    default:
      return FRAMING_OK;
  }
}

/** The checks of a complete request head that llhttp leaves to Node or does not make. */
export function checkRequestFraming(st: FramingState, versionMinor: 0 | 1): number {
  const hostCount = st.hostCount;
  if (hostCount !== 1 && (hostCount > 1 || versionMinor === 1)) {
    // RFC 9112 §3.2: 400 for a missing Host in HTTP/1.1 and for more than one Host.
    return hostCount > 1 ? E_HOST_DUPLICATE : E_HOST_MISSING;
  }
  if ((st.flags & FramingFlag.TransferEncoding) !== 0) {
    // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
    if (versionMinor === 0) return E_TE_HTTP_10;
    // RFC 9112 §6.3 rule 4: chunked must be the final coding of a request.
    if ((st.flags & FramingFlag.Chunked) === 0) return E_TE_NOT_CHUNKED;
  }
  return FRAMING_OK;
}
