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
 * Head and trailer lines are parsed by the base class, Http1HeadParser (http1-head-parser.ts), with
 * the start line in http1-start-line.ts and the framing fields in http1-framing.ts; this file holds
 * the body states, the framing decision, the driver (pause, re-entrant execute, EOF) and the API.
 * Strings are made with latin1 slices; body bytes are handed out as subarrays of the input (with
 * `transientInput`, anything kept past execute() is copied, since the caller reuses its buffer).
 * Callbacks run synchronously; after each one the loop checks `paused`, so `pause()` from any
 * callback stops execute() right there.
 */
import { Buffer } from 'node:buffer';
import { CR, LF } from './http1-chars.js';
import { FRAMING_ERRORS, FRAMING_OK, FramingFlag, checkRequestFraming } from './http1-framing.js';
import { Http1HeadParser, State } from './http1-head-parser.js';
import { MessageHead, MessageKind } from './http1-message.js';
import { Http1ParseError, type Http1ParseErrorStatus } from './http1-parse-error.js';

export { Http1ParseError } from './http1-parse-error.js';
export { MessageKind, type Http1MessageHead, type Http1ParserHandler, type Http1ParserOptions } from './http1-message.js';

function join(a: Buffer | null, b: Buffer | null): Buffer | null {
  if (a === null || a.length === 0) return b;
  if (b === null || b.length === 0) return a;
  return Buffer.concat([a, b]);
}

const EMPTY = Buffer.alloc(0);

/**
 * Incremental HTTP/1.x parser for one connection. Feed socket data to `execute()`; events arrive
 * on the handler. Reusable across messages (keep-alive, pipelining) and, with `reset()`, across
 * connections.
 */
export class Http1Parser extends Http1HeadParser {
  private executing = false;
  private eofPending = false;
  /** Bytes not yet parsed: after a pause, or tunnel bytes after an upgrade. */
  private remainder: Buffer | null = null;
  /** Bytes handed to execute() from inside a callback, parsed after the current buffer. */
  private reentrant: Buffer | null = null;
  private noBodyNext = false;

  // The message being parsed (its head fields are in Http1HeadParser).
  private keepAlive = true;
  private upgrade = false;

  /** True while paused; `resume()` continues with the kept bytes. */
  get paused(): boolean {
    return this.isPaused;
  }

  /** True once an upgrade (CONNECT, Upgrade request, 101 response) completed; nothing more is parsed. */
  get upgraded(): boolean {
    return this.state === State.Upgraded;
  }

  /** Between messages with nothing buffered and the connection reusable (no close, upgrade or error). */
  get idle(): boolean {
    return this.state === State.Start && this.partsLength === 0 && this.remainder === null && this.reentrant === null && !this.isPaused;
  }

  /** Feeds bytes; callbacks fire synchronously. After an error the bytes are ignored. */
  execute(data: Buffer): void {
    const state = this.state;
    if (state === State.Dead) return;
    if (state === State.Upgraded) {
      this.remainder = join(this.remainder, this.keep(data, 0));
      return;
    }
    if (this.executing) {
      this.reentrant = join(this.reentrant, this.keep(data, 0));
      return;
    }
    if (this.isPaused) {
      this.remainder = join(this.remainder, this.keep(data, 0));
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
    if (state === State.Dead || state === State.Upgraded || state === State.Finished) return;
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
    this.state = State.Start;
    this.isPaused = false;
    this.eofPending = false;
    this.remainder = null;
    this.reentrant = null;
    this.noBodyNext = false;
    this.beginMessage(State.Start);
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
        if (state === State.Dead) {
          this.remainder = null;
          return;
        }
        if (state === State.Upgraded) {
          this.remainder = join(this.remainder, more);
          return;
        }
        if (this.isPaused) {
          this.remainder = join(pos < buf.length ? this.keep(buf, pos) : null, more);
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
      case State.Start:
      case State.Closed:
        this.state = State.Finished;
        return;
      case State.BodyEof:
        this.state = State.Finished;
        this.handler.onMessageComplete(null);
        return;
      case State.Dead:
      case State.Upgraded:
      case State.Finished:
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
        case State.Start: {
          while (p < len && (b[p] === CR || b[p] === LF)) p++;
          if (p === len) return p;
          this.beginMessage(State.Head);
          break;
        }
        case State.Head:
        case State.Trailers:
          if (p === len) return p;
          p = this.consumeLines(b, p);
          break;
        case State.BodyLength: {
          if (p === len) return p;
          const n = Math.min(this.remaining, len - p);
          const chunk = b.subarray(p, p + n);
          p += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = State.MessageDone;
          this.handler.onBody(chunk);
          break;
        }
        case State.BodyEof:
          if (p === len) return p;
          this.handler.onBody(p === 0 ? b : b.subarray(p));
          return len;
        case State.ChunkSize:
          if (p === len) return p;
          p = this.consumeChunkSize(b, p);
          break;
        case State.ChunkData: {
          if (p === len) return p;
          const n = Math.min(this.remaining, len - p);
          const chunk = b.subarray(p, p + n);
          p += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = State.ChunkDataCr;
          this.handler.onBody(chunk);
          break;
        }
        case State.ChunkDataCr:
          if (p === len) return p;
          if (b[p] !== CR) {
            if (b[p] === LF) this.fail('HPE_CR_EXPECTED', 'Missing expected CR after chunk data');
            else this.fail('HPE_STRICT', 'Expected LF after chunk data');
            return len;
          }
          p++;
          this.state = State.ChunkDataLf;
          break;
        case State.ChunkDataLf:
          if (p === len) return p;
          if (b[p] !== LF) {
            this.fail('HPE_STRICT', 'Expected LF after chunk data');
            return len;
          }
          p++;
          this.state = State.ChunkSize;
          break;
        case State.MessageDone:
          p = this.completeMessage(b, p);
          break;
        case State.Closed:
          while (p < len && (b[p] === CR || b[p] === LF)) p++;
          if (p === len) return p;
          this.fail('HPE_CLOSED_CONNECTION', 'Data after `Connection: close`');
          return len;
        case State.Finished:
          if (p === len) return p;
          this.fail('HPE_CLOSED_CONNECTION', 'Data after end of input');
          return len;
        default: // State.Upgraded, State.Dead
          return len;
      }
    }
  }

  private beginMessage(state: State): void {
    this.state = state;
    this.resetMessage();
    this.keepAlive = true;
    this.upgrade = false;
  }

  private completeMessage(b: Buffer, p: number): number {
    const trailers = this.trailers;
    if (this.kind === MessageKind.Response) this.noBodyNext = false;
    if (this.upgrade) {
      // The rest of the input belongs to another protocol; it is available to the callback.
      this.state = State.Upgraded;
      this.remainder = p < b.length ? this.keep(b, p) : null;
      this.handler.onMessageComplete(trailers);
      return b.length;
    }
    this.state = this.keepAlive ? State.Start : State.Closed;
    this.handler.onMessageComplete(trailers);
    return p;
  }

  protected override fail(code: string, message: string, status: Http1ParseErrorStatus = 400): void {
    this.state = State.Dead;
    this.parts.length = 0;
    this.partsLength = 0;
    this.remainder = null;
    this.handler.onError(new Http1ParseError(code, message, status));
  }

  // --- framing (RFC 9112 §6.3) ------------------------------------------------------------------

  protected override headComplete(): void {
    const framing = this.framing;
    const flags = framing.flags;
    const chunked = (flags & FramingFlag.Chunked) !== 0;
    const versionMinor = this.versionMinor;
    let keepAlive = versionMinor === 1 ? (flags & FramingFlag.ConnClose) === 0 : (flags & FramingFlag.ConnKeepAlive) !== 0;
    if (this.kind === MessageKind.Request) {
      const r = checkRequestFraming(framing, versionMinor);
      if (r !== FRAMING_OK) {
        this.failWith(FRAMING_ERRORS[-1 - r]);
        return;
      }
      const isConnect = this.method === 'CONNECT';
      const upgrade = isConnect || ((flags & FramingFlag.Upgrade) !== 0 && (flags & FramingFlag.ConnUpgrade) !== 0);
      this.upgrade = upgrade;
      this.keepAlive = keepAlive;
      const hasBody = chunked || framing.contentLength > 0;
      if (upgrade && (isConnect || !hasBody)) this.state = State.MessageDone;
      else if (chunked) this.state = State.ChunkSize;
      else if (framing.contentLength > 0) this.startLengthBody();
      else this.state = State.MessageDone;
      this.handler.onMessageHead(this.makeHead(keepAlive, upgrade, chunked));
      return;
    }
    const status = this.statusCode;
    if (status < 200 && status !== 101) {
      // 1xx: no body; the final response follows (RFC 9110 §15.2).
      const head = this.makeHead(keepAlive, false, chunked);
      this.beginMessage(State.Start);
      const onInformational = this.handler.onInformational;
      if (onInformational !== undefined) onInformational.call(this.handler, head);
      return;
    }
    if (status === 101) {
      this.upgrade = true;
      this.keepAlive = keepAlive;
      this.state = State.MessageDone;
      this.handler.onMessageHead(this.makeHead(keepAlive, true, chunked));
      return;
    }
    if (this.noBodyNext || status === 204 || status === 304) this.state = State.MessageDone;
    else if (chunked) this.state = State.ChunkSize;
    else if ((flags & FramingFlag.TransferEncoding) !== 0 || framing.contentLength < 0) {
      // RFC 9112 §6.3 rules 4 and 8: read until the server closes.
      this.state = State.BodyEof;
      keepAlive = false;
    } else if (framing.contentLength > 0) this.startLengthBody();
    else this.state = State.MessageDone;
    this.keepAlive = keepAlive;
    this.handler.onMessageHead(this.makeHead(keepAlive, false, chunked));
  }

  private startLengthBody(): void {
    this.state = State.BodyLength;
    this.remaining = this.framing.contentLength;
  }

  private makeHead(keepAlive: boolean, upgrade: boolean, chunked: boolean): MessageHead {
    return new MessageHead(
      this.method, this.url, this.statusCode, this.statusMessage, this.versionMinor, this.headers,
      this.framing.contentLength, chunked, keepAlive, upgrade,
    );
  }
}
