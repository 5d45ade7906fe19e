/**
 * Switchyard's HTTP/1.1 parser for raw `net` sockets, downstream (requests) and upstream
 * (responses). It is exactly as strict as llhttp in Node's default (non-lenient) mode, because a
 * proxy that frames a message differently from its backend is a request-smuggling desync
 * (RFC 9112 §11.2). Differences from llhttp are all rejections llhttp does not make and are listed
 * in test/unit/router/http/http1-differential.test.ts.
 *
 * Algorithm: a byte-driven state machine over whole buffers.
 *
 *   START ─(non-CRLF)─► HEAD (line by line) ─┬─► BODY_LENGTH ─────────────┐
 *     ▲                                      ├─► CHUNK_SIZE ⇄ CHUNK_DATA  ├─► MESSAGE_DONE ─► START | CLOSED | UPGRADED
 *     │                                      ├─► BODY_EOF (until finish)  │       (keep-alive | close | upgrade)
 *     └──────────────────────────────────────┴─► (no body) ───────────────┘
 *
 * Head lines are scanned in place in the socket's buffer with 256-entry byte tables; only a line
 * split across reads is copied (its pieces are kept in a list and joined once, when its LF
 * arrives, so a byte-at-a-time peer costs O(n)). Strings are made with latin1 slices; body bytes
 * are handed out as subarrays of the input. Callbacks run synchronously; after each one the loop
 * checks `paused`, so `pause()` from any callback stops execute() right there.
 */
import { COLON, CR, FIELD_VALUE, HTAB, KNOWN_METHODS, LF, SP, TOKEN, latin1 } from './http1-chars.js';
import {
  CHUNK_SIZE_INVALID, CHUNK_SIZE_OVERFLOW, CONN_CLOSE, CONN_KEEP_ALIVE, CONN_UPGRADE, CONTENT_LENGTH_INVALID,
  TARGET_INVALID, TARGET_NO_VERSION, TE_CHUNKED, TE_CHUNKED_NOT_LAST,
  parseChunkSizeLine, parseConnectionTokens, parseContentLength, parseTransferEncoding, scanRequestTarget,
} from './http1-fields.js';
import { Http1ParseError, type Http1ParseErrorStatus } from './http1-parse-error.js';

export { Http1ParseError } from './http1-parse-error.js';

export const enum MessageKind {
  Request = 0,
  Response = 1,
}

/** One parsed request or response head, handed to `onMessageHead` / `onInformational`. */
export interface Http1MessageHead {
  /** Request only ('' for responses); one of the methods llhttp knows, case-sensitive. */
  method: string;
  /** Request-target as received: origin-form, absolute-form, authority-form (CONNECT) or '*'. */
  url: string;
  /** Response only (0 for requests). */
  statusCode: number;
  /** Response only. */
  statusMessage: string;
  versionMinor: 0 | 1;
  /** Flat [name0, value0, …]: names lower-cased, values with leading/trailing OWS trimmed. */
  headers: string[];
  /** -1 when absent. */
  contentLength: number;
  /** Transfer-Encoding's final coding is chunked. */
  chunked: boolean;
  /** HTTP/1.1: unless `Connection: close`; HTTP/1.0: only with `Connection: keep-alive`; false for read-until-close bodies. */
  keepAlive: boolean;
  /** Request: Connection token "upgrade" and an Upgrade header, or CONNECT; response: status 101. */
  upgrade: boolean;
}

/**
 * Receives the parser's events, synchronously, from inside `execute()` / `resume()` / `finish()`.
 * The connection manager implements it downstream, the upstream connection upstream.
 */
export interface Http1ParserHandler {
  onMessageHead(head: Http1MessageHead): void;
  /** Response parser: a 1xx other than 101 (e.g. 100 Continue). Parsing continues with the next head. */
  onInformational?(head: Http1MessageHead): void;
  /** De-chunked payload bytes, as subarrays of the input (valid until the caller reuses that buffer). */
  onBody(chunk: Buffer): void;
  /** The message ended; `trailers` is the flat trailer list of a chunked message, or null when there are none. */
  onMessageComplete(trailers: string[] | null): void;
  /** The input is not acceptable HTTP/1.x. The parser is dead until `reset()`. */
  onError(error: Http1ParseError): void;
}

export interface Http1ParserOptions {
  /** Bytes of the whole head, start line and CRLFs included (also bounds a trailer section); 431 past it. */
  maxHeaderBytes: number;
  /** Header fields per head (and per trailer section); 431 past it. */
  maxHeadersCount: number;
}

class MessageHead implements Http1MessageHead {
  method: string;
  url: string;
  statusCode: number;
  statusMessage: string;
  versionMinor: 0 | 1;
  headers: string[];
  contentLength: number;
  chunked: boolean;
  keepAlive: boolean;
  upgrade: boolean;
  constructor(
    method: string, url: string, statusCode: number, statusMessage: string, versionMinor: 0 | 1, headers: string[],
    contentLength: number, chunked: boolean, keepAlive: boolean, upgrade: boolean,
  ) {
    this.method = method;
    this.url = url;
    this.statusCode = statusCode;
    this.statusMessage = statusMessage;
    this.versionMinor = versionMinor;
    this.headers = headers;
    this.contentLength = contentLength;
    this.chunked = chunked;
    this.keepAlive = keepAlive;
    this.upgrade = upgrade;
  }
}

const S_START = 0;
const S_HEAD = 1;
const S_TRAILERS = 2;
const S_BODY_LENGTH = 3;
const S_BODY_EOF = 4;
const S_CHUNK_SIZE = 5;
const S_CHUNK_DATA = 6;
const S_CHUNK_DATA_CR = 7;
const S_CHUNK_DATA_LF = 8;
const S_MESSAGE_DONE = 9;
const S_CLOSED = 10;
// Terminal states: nothing more is parsed.
const S_UPGRADED = 11;
const S_FINISHED = 12;
const S_DEAD = 13;

// Header-derived flags (llhttp F_*).
const F_CONTENT_LENGTH = 1;
const F_TRANSFER_ENCODING = 2;
const F_CHUNKED = 4;
const F_UPGRADE = 8;
const F_CONN_CLOSE = 16;
const F_CONN_KEEP_ALIVE = 32;
const F_CONN_UPGRADE = 64;

const LINE_INCOMPLETE = -1;
const LINE_ERROR = -2;

/** Longest chunk-size line (size + extensions); Node's default max chunk-extension size is 16 KiB. */
const MAX_CHUNK_LINE_BYTES = 16 * 1024;

const UPPER = new Uint8Array(256);
for (let c = 0x41; c <= 0x5a; c++) UPPER[c] = 1;

function join(a: Buffer | null, b: Buffer | null): Buffer | null {
  if (a === null || a.length === 0) return b;
  if (b === null || b.length === 0) return a;
  return Buffer.concat([a, b]);
}

const EMPTY = Buffer.alloc(0);
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Incremental HTTP/1.x parser for one connection. Feed socket data to `execute()`; events arrive
 * on the handler. Reusable across messages (keep-alive, pipelining) and, with `reset()`, across
 * connections.
 */
export class Http1Parser {
  private readonly kind: MessageKind;
  private readonly handler: Http1ParserHandler;
  private readonly maxHeaderBytes: number;
  private readonly maxHeadersCount: number;

  private state = S_START;
  private isPaused = false;
  private executing = false;
  private eofPending = false;
  /** Bytes not yet parsed: after a pause, or tunnel bytes after an upgrade. */
  private remainder: Buffer | null = null;
  /** Bytes handed to execute() from inside a callback, parsed after the current buffer. */
  private reentrant: Buffer | null = null;
  private noBodyNext = false;

  // A line split across reads: its pieces, joined when the LF arrives.
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** Bytes of the current head or trailer section so far. */
  private sectionBytes = 0;

  // The head as one latin1 string: strings for the URL, names and values are slices of it, because
  // a native latin1Slice per field costs more than all the byte scanning of a head.
  private textBuf: Buffer | null = null;
  private textBase = 0;
  private textEnd = 0;
  private textStr = '';

  // The message being parsed.
  private sawStartLine = false;
  private method = '';
  private url = '';
  private statusCode = 0;
  private statusMessage = '';
  private versionMinor: 0 | 1 = 1;
  private headers: string[] = [];
  private trailers: string[] | null = null;
  private flags = 0;
  private contentLength = -1;
  private hostCount = 0;
  private remaining = 0;
  private keepAlive = true;
  private upgrade = false;

  constructor(kind: MessageKind, handler: Http1ParserHandler, options: Http1ParserOptions) {
    this.kind = kind;
    this.handler = handler;
    this.maxHeaderBytes = options.maxHeaderBytes;
    this.maxHeadersCount = options.maxHeadersCount;
  }

  /** True while paused; `resume()` continues with the kept bytes. */
  get paused(): boolean {
    return this.isPaused;
  }

  /** True once an upgrade (CONNECT, Upgrade request, 101 response) completed; nothing more is parsed. */
  get upgraded(): boolean {
    return this.state === S_UPGRADED;
  }

  /** Between messages with nothing buffered and the connection reusable (no close, upgrade or error). */
  get idle(): boolean {
    return this.state === S_START && this.partsLength === 0 && this.remainder === null && this.reentrant === null && !this.isPaused;
  }

  /** Feeds bytes; callbacks fire synchronously. After an error the bytes are ignored. */
  execute(data: Buffer): void {
    const state = this.state;
    if (state === S_DEAD) return;
    if (state === S_UPGRADED) {
      this.remainder = join(this.remainder, data);
      return;
    }
    if (this.executing) {
      this.reentrant = join(this.reentrant, data);
      return;
    }
    if (this.isPaused) {
      this.remainder = join(this.remainder, data);
      return;
    }
    this.run(data);
  }

  /** Stops parsing after the current callback; the rest of the input is kept for `resume()`. */
  pause(): void {
    this.isPaused = true;
  }

  /** Parses the kept bytes synchronously (and a pending EOF), unless paused again. */
  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    if (this.executing) return; // the running loop sees the flag and continues
    const rest = this.remainder;
    this.remainder = null;
    this.run(rest ?? EMPTY);
  }

  /**
   * Peer EOF. Completes a read-until-close response body; between messages it is a clean end;
   * inside a message it is an `HPE_INVALID_EOF_STATE` error.
   */
  finish(): void {
    const state = this.state;
    if (state === S_DEAD || state === S_UPGRADED || state === S_FINISHED) return;
    if (this.executing || this.isPaused) {
      this.eofPending = true;
      return;
    }
    this.applyEof();
  }

  /** Response parser: the next final response answers a HEAD request (no body whatever its headers say). */
  expectNoBody(): void {
    this.noBodyNext = true;
  }

  /** The bytes after an upgrade head (tunnel data) or after a pause; ownership passes to the caller. */
  takeRemainder(): Buffer | null {
    const r = join(this.remainder, this.reentrant);
    this.remainder = null;
    this.reentrant = null;
    return r !== null && r.length > 0 ? r : null;
  }

  /** Fresh state for a new connection (pooled reuse). */
  reset(): void {
    this.state = S_START;
    this.isPaused = false;
    this.eofPending = false;
    this.remainder = null;
    this.reentrant = null;
    this.noBodyNext = false;
    this.beginMessage(S_START);
  }

  // --- driver ----------------------------------------------------------------------------------

  private run(data: Buffer): void {
    this.executing = true;
    try {
      let buf: Buffer | null = data;
      while (buf !== null) {
        const pos = this.consume(buf);
        const more: Buffer | null = this.reentrant;
        this.reentrant = null;
        const state = this.state;
        if (state === S_DEAD) {
          this.remainder = null;
          return;
        }
        if (state === S_UPGRADED) {
          this.remainder = join(this.remainder, more);
          return;
        }
        if (this.isPaused) {
          this.remainder = join(pos < buf.length ? buf.subarray(pos) : null, more);
          return;
        }
        buf = more;
      }
    } finally {
      this.executing = false;
    }
    if (this.eofPending && !this.isPaused) {
      this.eofPending = false;
      this.applyEof();
    }
  }

  private applyEof(): void {
    switch (this.state) {
      case S_START:
      case S_CLOSED:
        this.state = S_FINISHED;
        return;
      case S_BODY_EOF:
        this.state = S_FINISHED;
        this.handler.onMessageComplete(null);
        return;
      case S_DEAD:
      case S_UPGRADED:
      case S_FINISHED:
        return;
      default:
        this.fail('HPE_INVALID_EOF_STATE', 'Invalid EOF state');
    }
  }

  /** Parses from the start of `b`; returns where it stopped (b.length unless paused). */
  private consume(b: Buffer): number {
    const len = b.length;
    let p = 0;
    for (;;) {
      if (this.isPaused) return p;
      switch (this.state) {
        case S_START: {
          while (p < len && (b[p] === CR || b[p] === LF)) p++;
          if (p === len) return p;
          this.beginMessage(S_HEAD);
          break;
        }
        case S_HEAD:
        case S_TRAILERS:
          if (p === len) return p;
          p = this.consumeLines(b, p);
          break;
        case S_BODY_LENGTH: {
          if (p === len) return p;
          const n = Math.min(this.remaining, len - p);
          const chunk = b.subarray(p, p + n);
          p += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = S_MESSAGE_DONE;
          this.handler.onBody(chunk);
          break;
        }
        case S_BODY_EOF:
          if (p === len) return p;
          this.handler.onBody(p === 0 ? b : b.subarray(p));
          return len;
        case S_CHUNK_SIZE:
          if (p === len) return p;
          p = this.consumeChunkSize(b, p);
          break;
        case S_CHUNK_DATA: {
          if (p === len) return p;
          const n = Math.min(this.remaining, len - p);
          const chunk = b.subarray(p, p + n);
          p += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = S_CHUNK_DATA_CR;
          this.handler.onBody(chunk);
          break;
        }
        case S_CHUNK_DATA_CR:
          if (p === len) return p;
          if (b[p] !== CR) {
            if (b[p] === LF) this.fail('HPE_CR_EXPECTED', 'Missing expected CR after chunk data');
            else this.fail('HPE_STRICT', 'Expected LF after chunk data');
            return len;
          }
          p++;
          this.state = S_CHUNK_DATA_LF;
          break;
        case S_CHUNK_DATA_LF:
          if (p === len) return p;
          if (b[p] !== LF) {
            this.fail('HPE_STRICT', 'Expected LF after chunk data');
            return len;
          }
          p++;
          this.state = S_CHUNK_SIZE;
          break;
        case S_MESSAGE_DONE:
          p = this.completeMessage(b, p);
          break;
        case S_CLOSED:
          while (p < len && (b[p] === CR || b[p] === LF)) p++;
          if (p === len) return p;
          this.fail('HPE_CLOSED_CONNECTION', 'Data after `Connection: close`');
          return len;
        case S_FINISHED:
          if (p === len) return p;
          this.fail('HPE_CLOSED_CONNECTION', 'Data after end of input');
          return len;
        default: // S_UPGRADED, S_DEAD
          return len;
      }
    }
  }

  private beginMessage(state: number): void {
    this.state = state;
    this.parts.length = 0;
    this.partsLength = 0;
    this.sectionBytes = 0;
    this.sawStartLine = false;
    this.method = '';
    this.url = '';
    this.statusCode = 0;
    this.statusMessage = '';
    this.versionMinor = 1;
    this.headers = [];
    this.trailers = null;
    this.textBuf = null;
    this.textStr = '';
    this.flags = 0;
    this.contentLength = -1;
    this.hostCount = 0;
    this.remaining = 0;
    this.keepAlive = true;
    this.upgrade = false;
  }

  private completeMessage(b: Buffer, p: number): number {
    const trailers = this.trailers;
    if (this.kind === MessageKind.Response) this.noBodyNext = false;
    if (this.upgrade) {
      // The rest of the input belongs to another protocol; it is available to the callback.
      this.state = S_UPGRADED;
      this.remainder = p < b.length ? b.subarray(p) : null;
      this.handler.onMessageComplete(trailers);
      return b.length;
    }
    this.state = this.keepAlive ? S_START : S_CLOSED;
    this.handler.onMessageComplete(trailers);
    return p;
  }

  private fail(code: string, message: string, status: Http1ParseErrorStatus = 400): void {
    this.state = S_DEAD;
    this.parts.length = 0;
    this.partsLength = 0;
    this.remainder = null;
    this.handler.onError(new Http1ParseError(code, message, status));
  }

  // --- head and trailer lines ------------------------------------------------------------------

  /** Lines of a head or trailer section from `p`; returns the position after the last whole line consumed. */
  private consumeLines(b: Buffer, p: number): number {
    const len = b.length;
    while (p < len) {
      if (this.partsLength > 0) {
        const lf = b.indexOf(LF, p);
        if (lf === -1) {
          this.stash(b, p, len);
          return len;
        }
        this.parts.push(b.subarray(p, lf + 1));
        const line = Buffer.concat(this.parts, this.partsLength + lf + 1 - p);
        this.parts.length = 0;
        this.partsLength = 0;
        const r = this.processLine(line, 0, line.length);
        if (r < 0) {
          // A joined line always ends in LF, so it is complete: a negative result is an error.
          if (r === LINE_INCOMPLETE) this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header line');
          return len;
        }
        p = lf + 1;
      } else {
        const r = this.processLine(b, p, len);
        if (r === LINE_ERROR) return len;
        if (r === LINE_INCOMPLETE) {
          this.stash(b, p, len);
          return len;
        }
        p = r;
      }
      if (this.state !== S_HEAD && this.state !== S_TRAILERS) return p;
      if (this.isPaused) return p;
    }
    return p;
  }

  private stash(b: Buffer, p: number, len: number): void {
    this.parts.push(p === 0 ? b : b.subarray(p));
    this.partsLength += len - p;
    if (this.sectionBytes + this.partsLength > this.maxHeaderBytes) this.failOverflow();
  }

  private failOverflow(): void {
    if (!this.sawStartLine && this.kind === MessageKind.Request) {
      this.fail('HPE_URI_TOO_LONG', 'Request line longer than the header limit', 414);
    } else {
      this.fail('HPE_HEADER_OVERFLOW', 'Header overflow', 431);
    }
  }

  /**
   * One line starting at `s` in b[s, len): the start line, a field line, or the empty line that
   * ends the section. Returns the index after its LF, LINE_INCOMPLETE, or LINE_ERROR (after fail()).
   */
  private processLine(b: Buffer, s: number, len: number): number {
    if (!this.sawStartLine) return this.processStartLine(b, s, len);
    const c0 = b[s];
    if (c0 === CR) {
      if (s + 1 === len) return LINE_INCOMPLETE;
      if (b[s + 1] !== LF) return this.lineError('HPE_STRICT', 'Expected LF after headers');
      if (!this.countBytes(2)) return LINE_ERROR;
      if (this.state === S_HEAD) this.headComplete();
      else this.state = S_MESSAGE_DONE;
      return s + 2;
    }
    if (c0 === SP || c0 === HTAB) {
      // obs-fold (RFC 9112 §5.2) or whitespace before the first field.
      if (this.headers.length === 0 && this.state === S_HEAD && c0 === SP) {
        return this.lineError('HPE_UNEXPECTED_SPACE', 'Unexpected space after start line');
      }
      return this.lineError('HPE_INVALID_HEADER_TOKEN', 'Unexpected whitespace after header value');
    }
    // field-name: token, then ':' with no whitespace before it (RFC 9112 §5.1).
    let i = s;
    let upper = 0;
    for (; i < len; i++) {
      const c = b[i];
      if (TOKEN[c] !== 1) break;
      upper |= UPPER[c];
    }
    if (i === len) return LINE_INCOMPLETE;
    if (i === s || b[i] !== COLON) return this.lineError('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
    const nameEnd = i;
    i++;
    while (i < len && (b[i] === SP || b[i] === HTAB)) i++;
    const vs = i;
    while (i < len && FIELD_VALUE[b[i]] === 1) i++;
    if (i === len) return LINE_INCOMPLETE;
    if (b[i] !== CR) {
      if (b[i] === LF) return this.lineError('HPE_CR_EXPECTED', 'Missing expected CR after header value');
      return this.lineError('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
    }
    if (i + 1 === len) return LINE_INCOMPLETE;
    if (b[i + 1] !== LF) return this.lineError('HPE_LF_EXPECTED', 'Missing expected LF after header value');
    const cr = i;
    if (!this.countBytes(cr + 2 - s)) return LINE_ERROR;
    let ve = cr;
    while (ve > vs && (b[ve - 1] === SP || b[ve - 1] === HTAB)) ve--;
    let name = this.text(b, s, nameEnd);
    if (upper !== 0) name = name.toLowerCase();
    if (!this.fieldSemantics(name, b, vs, cr)) return LINE_ERROR;
    const list = this.state === S_HEAD ? this.headers : (this.trailers ??= []);
    if (list.length >= this.maxHeadersCount * 2) {
      this.fail('HPE_HEADER_OVERFLOW', 'Too many header fields', 431);
      return LINE_ERROR;
    }
    list.push(name, this.text(b, vs, ve));
    return cr + 2;
  }

  /** The latin1 string of b[s, e), sliced from one conversion of the whole head when possible. */
  private text(b: Buffer, s: number, e: number): string {
    if (b !== this.textBuf || s < this.textBase || e > this.textEnd) {
      // Convert up to the end of the head (CRLFCRLF) or of the buffer, once per head and buffer.
      const headEnd = b.indexOf(HEAD_END, s);
      const end = headEnd === -1 ? b.length : headEnd + 4;
      if (e > end) return latin1(b, s, e);
      this.textBuf = b;
      this.textBase = s;
      this.textEnd = end;
      this.textStr = latin1(b, s, end);
    }
    return this.textStr.slice(s - this.textBase, e - this.textBase);
  }

  private countBytes(n: number): boolean {
    this.sectionBytes += n;
    if (this.sectionBytes > this.maxHeaderBytes) {
      this.failOverflow();
      return false;
    }
    return true;
  }

  private lineError(code: string, message: string, status: Http1ParseErrorStatus = 400): number {
    this.fail(code, message, status);
    return LINE_ERROR;
  }

  /**
   * The framing headers, as llhttp reads them (also in trailers, where llhttp applies them too):
   * Content-Length, Transfer-Encoding, Connection / Proxy-Connection, Upgrade, Host. `vs` is past
   * the leading OWS, `cr` is the end of the line. Returns false after fail().
   */
  private fieldSemantics(name: string, b: Buffer, vs: number, cr: number): boolean {
    switch (name.length) {
      case 4:
        if (name === 'host' && this.state === S_HEAD) this.hostCount++;
        return true;
      case 7:
        if (name === 'upgrade' && vs < cr) this.flags |= F_UPGRADE;
        return true;
      case 10:
      case 16:
        if (name === 'connection' || name === 'proxy-connection') {
          const t = parseConnectionTokens(b, vs, cr);
          if ((t & CONN_CLOSE) !== 0) this.flags |= F_CONN_CLOSE;
          if ((t & CONN_KEEP_ALIVE) !== 0) this.flags |= F_CONN_KEEP_ALIVE;
          if ((t & CONN_UPGRADE) !== 0) this.flags |= F_CONN_UPGRADE;
        }
        return true;
      case 14: {
        if (name !== 'content-length') return true;
        if ((this.flags & F_TRANSFER_ENCODING) !== 0) {
          this.fail('HPE_INVALID_CONTENT_LENGTH', "Content-Length can't be present with Transfer-Encoding");
          return false;
        }
        if (vs === cr) {
          this.fail('HPE_INVALID_CONTENT_LENGTH', 'Empty Content-Length');
          return false;
        }
        if ((this.flags & F_CONTENT_LENGTH) !== 0) {
          // Even an equal duplicate (RFC 9110 §8.6 would allow folding it; llhttp does not).
          this.fail('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length');
          return false;
        }
        const n = parseContentLength(b, vs, cr);
        if (n === CONTENT_LENGTH_INVALID) {
          this.fail('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
          return false;
        }
        this.flags |= F_CONTENT_LENGTH;
        this.contentLength = n;
        return true;
      }
      case 17: {
        if (name !== 'transfer-encoding') return true;
        if ((this.flags & F_CONTENT_LENGTH) !== 0) {
          this.fail('HPE_INVALID_TRANSFER_ENCODING', "Transfer-Encoding can't be present with Content-Length");
          return false;
        }
        if (vs === cr) return true; // an empty value is no coding at all (llhttp)
        const isRequest = this.kind === MessageKind.Request;
        if (isRequest && (this.flags & F_CHUNKED) !== 0) {
          this.fail('HPE_INVALID_TRANSFER_ENCODING', 'Invalid `Transfer-Encoding` header value');
          return false;
        }
        const te = parseTransferEncoding(b, vs, cr);
        if (te === TE_CHUNKED_NOT_LAST && isRequest) {
          this.fail('HPE_INVALID_TRANSFER_ENCODING', 'Invalid `Transfer-Encoding` header value');
          return false;
        }
        this.flags = (this.flags | F_TRANSFER_ENCODING) & ~F_CHUNKED;
        if (te === TE_CHUNKED) this.flags |= F_CHUNKED;
        return true;
      }
      default:
        return true;
    }
  }

  // --- start lines -----------------------------------------------------------------------------

  private processStartLine(b: Buffer, s: number, len: number): number {
    const lf = b.indexOf(LF, s);
    if (lf === -1 || lf >= len) return LINE_INCOMPLETE;
    if (!this.countBytes(lf + 1 - s)) return LINE_ERROR;
    this.sawStartLine = true;
    if (lf === s || b[lf - 1] !== CR) return this.lineError('HPE_CR_EXPECTED', 'Missing expected CR after start line');
    const ok = this.kind === MessageKind.Request ? this.requestLine(b, s, lf - 1) : this.statusLine(b, s, lf - 1);
    return ok ? lf + 1 : LINE_ERROR;
  }

  /** method SP+ request-target SP+ HTTP-version (llhttp allows repeated SP). */
  private requestLine(b: Buffer, s: number, end: number): boolean {
    let i = s;
    while (i < end && TOKEN[b[i]] === 1) i++;
    if (i === s || i === end || b[i] !== SP) {
      this.fail('HPE_INVALID_METHOD', 'Invalid method encountered');
      return false;
    }
    const method = knownMethod(b, s, i);
    if (method === undefined) {
      this.fail('HPE_INVALID_METHOD', 'Unknown method', 501);
      return false;
    }
    this.method = method;
    while (i < end && b[i] === SP) i++;
    const ts = i;
    const te = scanRequestTarget(b, i, end, method === 'CONNECT');
    if (te === TARGET_NO_VERSION) {
      this.fail('HPE_INVALID_VERSION', 'HTTP/0.9 is not supported', 505);
      return false;
    }
    if (te === TARGET_INVALID) {
      this.fail('HPE_INVALID_URL', 'Invalid characters in url');
      return false;
    }
    this.url = this.text(b, ts, te);
    i = te;
    while (i < end && b[i] === SP) i++;
    return this.version(b, i, end);
  }

  /** "HTTP/" DIGIT "." DIGIT at [i, end) exactly; 1.0 and 1.1 only (others: 505). */
  private version(b: Buffer, i: number, end: number): boolean {
    if (
      end - i !== 8 || b[i] !== 0x48 || b[i + 1] !== 0x54 || b[i + 2] !== 0x54 || b[i + 3] !== 0x50 || b[i + 4] !== 0x2f ||
      b[i + 6] !== 0x2e
    ) {
      this.fail('HPE_INVALID_VERSION', 'Invalid HTTP version');
      return false;
    }
    const major = b[i + 5] - 0x30;
    const minor = b[i + 7] - 0x30;
    if (major < 0 || major > 9 || minor < 0 || minor > 9) {
      this.fail('HPE_INVALID_VERSION', 'Invalid HTTP version');
      return false;
    }
    if (major !== 1 || minor > 1) {
      this.fail('HPE_INVALID_VERSION', 'HTTP version not supported', 505);
      return false;
    }
    this.versionMinor = minor as 0 | 1;
    return true;
  }

  /** HTTP-version SP 3DIGIT [SP reason-phrase] (llhttp allows the reason and its SP to be absent). */
  private statusLine(b: Buffer, s: number, end: number): boolean {
    if (end - s < 12 || !this.version(b, s, s + 8)) {
      if (this.state !== S_DEAD) this.fail('HPE_INVALID_CONSTANT', 'Expected HTTP/');
      return false;
    }
    let i = s + 8;
    if (b[i] !== SP) {
      this.fail('HPE_INVALID_VERSION', 'Expected space after version');
      return false;
    }
    const d1 = b[i + 1] - 0x30;
    const d2 = b[i + 2] - 0x30;
    const d3 = b[i + 3] - 0x30;
    if (d1 < 1 || d1 > 9 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) {
      this.fail('HPE_INVALID_STATUS', 'Invalid status code');
      return false;
    }
    this.statusCode = d1 * 100 + d2 * 10 + d3;
    i += 4;
    if (i < end) {
      if (b[i] !== SP) {
        this.fail('HPE_INVALID_STATUS', 'Invalid response status');
        return false;
      }
      // reason-phrase: llhttp takes any byte but CR/LF (obs-text and even CTLs); CR was excluded by the caller.
      for (let k = i + 1; k < end; k++) {
        if (b[k] === CR) {
          this.fail('HPE_STRICT', 'Expected LF after CR');
          return false;
        }
      }
      this.statusMessage = this.text(b, i + 1, end);
    }
    return true;
  }

  // --- framing (RFC 9112 §6.3) ------------------------------------------------------------------

  private headComplete(): void {
    const flags = this.flags;
    const chunked = (flags & F_CHUNKED) !== 0;
    const versionMinor = this.versionMinor;
    let keepAlive = versionMinor === 1 ? (flags & F_CONN_CLOSE) === 0 : (flags & F_CONN_KEEP_ALIVE) !== 0;
    if (this.kind === MessageKind.Request) {
      if (this.hostCount !== 1 && (this.hostCount > 1 || versionMinor === 1)) {
        // RFC 9112 §3.2: 400 for a missing Host in HTTP/1.1 and for more than one Host.
        if (this.hostCount > 1) this.fail('HPE_DUPLICATE_HOST', 'More than one Host header');
        else this.fail('HPE_MISSING_HOST', 'Missing Host header');
        return;
      }
      if ((flags & F_TRANSFER_ENCODING) !== 0) {
        if (versionMinor === 0) {
          // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
          this.fail('HPE_INVALID_TRANSFER_ENCODING', 'Transfer-Encoding in an HTTP/1.0 request');
          return;
        }
        if (!chunked) {
          // RFC 9112 §6.3 rule 4: chunked must be the final coding of a request.
          this.fail('HPE_INVALID_TRANSFER_ENCODING', 'Request has invalid `Transfer-Encoding`');
          return;
        }
      }
      const isConnect = this.method === 'CONNECT';
      const upgrade = isConnect || ((flags & F_UPGRADE) !== 0 && (flags & F_CONN_UPGRADE) !== 0);
      this.upgrade = upgrade;
      this.keepAlive = keepAlive;
      const hasBody = chunked || this.contentLength > 0;
      if (upgrade && (isConnect || !hasBody)) this.state = S_MESSAGE_DONE;
      else if (chunked) this.state = S_CHUNK_SIZE;
      else if (this.contentLength > 0) this.startLengthBody();
      else this.state = S_MESSAGE_DONE;
      this.handler.onMessageHead(this.makeHead(keepAlive, upgrade, chunked));
      return;
    }
    const status = this.statusCode;
    if (status < 200 && status !== 101) {
      // 1xx: no body; the final response follows (RFC 9110 §15.2).
      const head = this.makeHead(keepAlive, false, chunked);
      this.beginMessage(S_START);
      const onInformational = this.handler.onInformational;
      if (onInformational !== undefined) onInformational.call(this.handler, head);
      return;
    }
    if (status === 101) {
      this.upgrade = true;
      this.keepAlive = keepAlive;
      this.state = S_MESSAGE_DONE;
      this.handler.onMessageHead(this.makeHead(keepAlive, true, chunked));
      return;
    }
    if (this.noBodyNext || status === 204 || status === 304) this.state = S_MESSAGE_DONE;
    else if (chunked) this.state = S_CHUNK_SIZE;
    else if ((flags & F_TRANSFER_ENCODING) !== 0 || this.contentLength < 0) {
      // RFC 9112 §6.3 rules 4 and 8: read until the server closes.
      this.state = S_BODY_EOF;
      keepAlive = false;
    } else if (this.contentLength > 0) this.startLengthBody();
    else this.state = S_MESSAGE_DONE;
    this.keepAlive = keepAlive;
    this.handler.onMessageHead(this.makeHead(keepAlive, false, chunked));
  }

  private startLengthBody(): void {
    this.state = S_BODY_LENGTH;
    this.remaining = this.contentLength;
  }

  private makeHead(keepAlive: boolean, upgrade: boolean, chunked: boolean): MessageHead {
    return new MessageHead(
      this.method, this.url, this.statusCode, this.statusMessage, this.versionMinor, this.headers,
      this.contentLength, chunked, keepAlive, upgrade,
    );
  }

  // --- chunked body ------------------------------------------------------------------------------

  private consumeChunkSize(b: Buffer, p: number): number {
    const len = b.length;
    const lf = b.indexOf(LF, p);
    if (lf === -1) {
      this.parts.push(p === 0 ? b : b.subarray(p));
      this.partsLength += len - p;
      if (this.partsLength > MAX_CHUNK_LINE_BYTES) this.fail('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunk extensions overflow', 413);
      return len;
    }
    let line = b;
    let s = p;
    let e = lf;
    if (this.partsLength > 0) {
      this.parts.push(b.subarray(p, lf + 1));
      line = Buffer.concat(this.parts, this.partsLength + lf + 1 - p);
      this.parts.length = 0;
      this.partsLength = 0;
      s = 0;
      e = line.length - 1;
    }
    if (e - s > MAX_CHUNK_LINE_BYTES) {
      this.fail('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunk extensions overflow', 413);
      return len;
    }
    if (e === s || line[e - 1] !== CR) {
      this.fail('HPE_CR_EXPECTED', 'Missing expected CR after chunk size');
      return len;
    }
    const size = parseChunkSizeLine(line, s, e - 1);
    if (size < 0) {
      if (size === CHUNK_SIZE_INVALID) this.fail('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
      else if (size === CHUNK_SIZE_OVERFLOW) this.fail('HPE_INVALID_CHUNK_SIZE', 'Chunk size overflow');
      else this.fail('HPE_STRICT', 'Invalid character in chunk extensions');
      return len;
    }
    if (size === 0) {
      this.state = S_TRAILERS;
      this.sectionBytes = 0;
    } else {
      this.state = S_CHUNK_DATA;
      this.remaining = size;
    }
    return lf + 1;
  }
}

/** The interned method string for [s, e), or undefined when llhttp does not know it. */
function knownMethod(b: Buffer, s: number, e: number): string | undefined {
  const n = e - s;
  if (n === 3 && b[s] === 0x47 && b[s + 1] === 0x45 && b[s + 2] === 0x54) return 'GET';
  if (n === 4 && b[s] === 0x50 && b[s + 1] === 0x4f && b[s + 2] === 0x53 && b[s + 3] === 0x54) return 'POST';
  return KNOWN_METHODS.get(latin1(b, s, e));
}
