/**
 * The line-by-line half of Http1Parser: the head and trailer sections of a message (start line,
 * field lines, the empty line that ends them), the chunk-size lines of a chunked body, and their
 * size limits. Http1Parser (http1-parser.ts) extends it with the body states, the framing
 * decision, pause/resume and EOF. It is a base class rather than a collaborator so that the hot
 * loop stays on one object: there is one concrete class, every call across the two is monomorphic,
 * and every parser has the same shape.
 *
 * Lines are scanned in place in the socket's buffer with 256-entry byte tables; only a line split
 * across reads is copied (its pieces are kept in `parts` and joined once, when its LF arrives, so a
 * byte-at-a-time peer costs O(n)).
 */
import { Buffer } from 'node:buffer';
import { COLON, CR, FIELD_VALUE, HTAB, LF, SP, TOKEN, latin1 } from './http1-chars.js';
import { CHUNK_LINE_ERRORS, CHUNK_LINE_TOO_LONG, MAX_CHUNK_LINE_BYTES, checkChunkLine } from './http1-chunked.js';
import { FRAMING_ERRORS, FRAMING_OK, FramingState, applyFramingField } from './http1-framing.js';
import { MessageKind, type Http1ParserHandler, type Http1ParserOptions } from './http1-message.js';
import type { Http1ParseErrorSpec, Http1ParseErrorStatus } from './http1-parse-error.js';
import { START_LINE_ERRORS, START_LINE_OK, StartLine, parseRequestLine, parseStatusLine } from './http1-start-line.js';
import { knownHeaderName } from './known-header-names.js';

/** Http1Parser's states (see the diagram in http1-parser.ts). */
export const enum State {
  Start = 0,
  Head = 1,
  Trailers = 2,
  BodyLength = 3,
  BodyEof = 4,
  ChunkSize = 5,
  ChunkData = 6,
  ChunkDataCr = 7,
  ChunkDataLf = 8,
  MessageDone = 9,
  Closed = 10,
  // Terminal states: nothing more is parsed.
  Upgraded = 11,
  Finished = 12,
  Dead = 13,
}

const LINE_INCOMPLETE = -1;
const LINE_ERROR = -2;

const UPPER = new Uint8Array(256);
for (let c = 0x41; c <= 0x5a; c++) UPPER[c] = 1;

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * The state and line parsing Http1Parser inherits; never used on its own. Its methods run inside
 * Http1Parser's consume loop and report through the two abstract methods.
 */
export abstract class Http1HeadParser {
  protected readonly kind: MessageKind;
  protected readonly handler: Http1ParserHandler;
  private readonly maxHeaderBytes: number;
  private readonly maxHeadersCount: number;
  /** Input buffers are reused by the caller after execute(): copy what is kept (Http1ParserOptions). */
  protected readonly transientInput: boolean;

  protected state = State.Start;
  protected isPaused = false;

  // A line split across reads: its pieces, joined when the LF arrives.
  protected parts: Buffer[] = [];
  protected partsLength = 0;
  /** Bytes of the current head or trailer section so far. */
  protected sectionBytes = 0;

  // The head as one latin1 string: strings for the URL, names and values are slices of it, because
  // a native latin1Slice per field costs more than all the byte scanning of a head.
  private textBuf: Buffer | null = null;
  private textBase = 0;
  private textEnd = 0;
  private textStr = '';

  // The message being parsed.
  private sawStartLine = false;
  private readonly startLine = new StartLine();
  protected method = '';
  protected url = '';
  protected statusCode = 0;
  protected statusMessage = '';
  protected versionMinor: 0 | 1 = 1;
  protected headers: string[] = [];
  protected trailers: string[] | null = null;
  protected readonly framing = new FramingState();
  /** Bytes left of a Content-Length body or of the current chunk. */
  protected remaining = 0;

  constructor(kind: MessageKind, handler: Http1ParserHandler, options: Http1ParserOptions) {
    this.kind = kind;
    this.handler = handler;
    this.maxHeaderBytes = options.maxHeaderBytes;
    this.maxHeadersCount = options.maxHeadersCount;
    this.transientInput = options.transientInput === true;
  }

  /** The empty line ended a head (state Head): decide the framing and hand the head out. */
  protected abstract headComplete(): void;

  /** Reports the error and makes the parser dead. */
  protected abstract fail(code: string, message: string, status?: Http1ParseErrorStatus): void;

  /** Forgets the previous message (head, trailers, framing, body count): Http1Parser calls it at each message start. */
  protected resetMessage(): void {
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
    this.framing.reset();
    this.remaining = 0;
  }

  /** Lines of a head or trailer section from `p`; returns the position after the last whole line consumed. */
  protected consumeLines(b: Buffer, p: number): number {
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
      if (this.state !== State.Head && this.state !== State.Trailers) return p;
      if (this.isPaused) return p;
    }
    return p;
  }

  /** `b[p..]` to keep past this execute(): a copy when the caller reuses its buffers. */
  protected keep(b: Buffer, p: number): Buffer {
    if (this.transientInput) return Buffer.from(b.subarray(p));
    return p === 0 ? b : b.subarray(p);
  }

  private stash(b: Buffer, p: number, len: number): void {
    this.parts.push(this.keep(b, p));
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
      if (this.state === State.Head) this.headComplete();
      else this.state = State.MessageDone;
      return s + 2;
    }
    if (c0 === SP || c0 === HTAB) {
      // obs-fold (RFC 9112 §5.2) or whitespace before the first field.
      if (this.headers.length === 0 && this.state === State.Head && c0 === SP) {
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
    let name = knownHeaderName(b, s, nameEnd);
    if (name === null) {
      name = this.text(b, s, nameEnd);
      if (upper !== 0) name = name.toLowerCase();
    }
    const inHead = this.state === State.Head;
    const framing = applyFramingField(this.framing, name, b, vs, cr, this.kind === MessageKind.Request, inHead);
    if (framing !== FRAMING_OK) return this.lineFail(FRAMING_ERRORS[-1 - framing]);
    const list = inHead ? this.headers : (this.trailers ??= []);
    if (list.length >= this.maxHeadersCount * 2) {
      this.fail('HPE_HEADER_OVERFLOW', 'Too many header fields', 431);
      return LINE_ERROR;
    }
    list.push(name, this.text(b, vs, ve));
    return cr + 2;
  }

  private processStartLine(b: Buffer, s: number, len: number): number {
    const lf = b.indexOf(LF, s);
    if (lf === -1 || lf >= len) return LINE_INCOMPLETE;
    if (!this.countBytes(lf + 1 - s)) return LINE_ERROR;
    this.sawStartLine = true;
    if (lf === s || b[lf - 1] !== CR) return this.lineError('HPE_CR_EXPECTED', 'Missing expected CR after start line');
    const end = lf - 1;
    const line = this.startLine;
    if (this.kind === MessageKind.Request) {
      const r = parseRequestLine(b, s, end, line);
      if (r !== START_LINE_OK) return this.lineFail(START_LINE_ERRORS[-1 - r]);
      this.method = line.method;
      this.url = this.text(b, line.targetStart, line.targetEnd);
    } else {
      const r = parseStatusLine(b, s, end, line);
      if (r !== START_LINE_OK) return this.lineFail(START_LINE_ERRORS[-1 - r]);
      this.statusCode = line.statusCode;
      if (line.reasonStart !== -1) this.statusMessage = this.text(b, line.reasonStart, end);
    }
    this.versionMinor = line.versionMinor;
    return lf + 1;
  }

  /** The chunk-size line from `p`; returns the position after its LF (b.length when split or after fail()). */
  protected consumeChunkSize(b: Buffer, p: number): number {
    const len = b.length;
    const lf = b.indexOf(LF, p);
    if (lf === -1) {
      this.parts.push(this.keep(b, p));
      this.partsLength += len - p;
      if (this.partsLength > MAX_CHUNK_LINE_BYTES) this.failWith(CHUNK_LINE_ERRORS[-1 - CHUNK_LINE_TOO_LONG]);
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
    const size = checkChunkLine(line, s, e);
    if (size < 0) {
      this.failWith(CHUNK_LINE_ERRORS[-1 - size]);
      return len;
    }
    if (size === 0) {
      this.state = State.Trailers;
      this.sectionBytes = 0;
    } else {
      this.state = State.ChunkData;
      this.remaining = size;
    }
    return lf + 1;
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

  private lineFail(error: Http1ParseErrorSpec): number {
    this.failWith(error);
    return LINE_ERROR;
  }

  protected failWith(error: Http1ParseErrorSpec): void {
    this.fail(error.code, error.message, error.status);
  }
}
