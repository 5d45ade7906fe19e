/**
 * The outgoing half of an HTTP/1.x server connection: frames a response (content-length,
 * chunked, or close-delimited) and writes it to the socket.
 *
 * The head and a small first body chunk are held until the end of the upstream read that made
 * them (flush), then leave as ONE buffer, and that buffer's write waits for the end of the
 * event-loop turn (common/write-batch.ts). Anything else done to the socket flushes first, so
 * bytes keep their order.
 */
import type net from 'node:net';
import { Buffer } from 'node:buffer';
import { DeferredSocketWrite } from '../../common/write-batch.js';
import { fieldsByteLength, putBytes, putFields, putLatin1 } from '../codec/head-bytes.js';
import { LAST_CHUNK, STATUS_REASONS } from '../codec/http1-writer.js';
import type { Counter } from '../stats/stats-store.js';

/** A first body chunk up to this size is copied behind the head into one buffer; larger ones go as their own write. */
const COALESCE_MAX_BYTES = 16 * 1024;

const NO_FIELDS: readonly string[] = [];

/** "HTTP/1.x code reason\r\n" lines, made once per version and code. */
const STATUS_LINES: [Map<number, string>, Map<number, string>] = [new Map(), new Map()];

function statusLineFor(versionMinor: number, status: number): string {
  const lines = STATUS_LINES[versionMinor === 0 ? 0 : 1];
  let line = lines.get(status);
  if (line === undefined) {
    line = `HTTP/1.${versionMinor === 0 ? 0 : 1} ${status} ${STATUS_REASONS[status] ?? 'Unknown'}\r\n`;
    lines.set(status, line);
  }
  return line;
}

export class Http1ResponseWriter {
  /** Bytes of the current response's head and body handed to the socket (or held for it). */
  bytesSent = 0;
  /** The socket closed: nothing is written any more. */
  closed = false;
  chunked = false;
  /** HTTP/1.0 without a length: the body ends when the connection does. */
  closeDelimited = false;
  private noBody = false;
  private pendingHeadBytes = 0;
  private pendingStatusLine = '';
  private pendingFields: readonly string[] = NO_FIELDS;
  /** content-length / transfer-encoding / connection lines of the pending head. */
  private pendingFraming = '';
  private pendingBody: Buffer | null = null;
  /** A finished head (+ first chunk) whose write waits for the end of this turn. */
  private readonly held: DeferredSocketWrite;

  constructor(
    private readonly socket: net.Socket,
    /** The connection manager's downstream_cx_tx_bytes_total: every byte handed to the socket. */
    private readonly txBytes: Counter,
  ) {
    this.held = new DeferredSocketWrite(socket, txBytes);
  }

  /** Holds the head. `close`: the connection closes after this response (`connection: close`). */
  head(versionMinor: number, status: number, headers: readonly string[], contentLength: number, noBody: boolean, close: boolean): void {
    let framing = '';
    this.noBody = noBody;
    this.chunked = false;
    this.closeDelimited = false;
    if (status === 101) {
      // Switching protocols: no framing headers; the tunnel follows.
    } else if (contentLength >= 0) {
      if (!(noBody && contentLength === 0 && status === 204)) framing = `content-length: ${contentLength}\r\n`;
    } else if (!noBody) {
      if (versionMinor === 1) {
        this.chunked = true;
        framing = 'transfer-encoding: chunked\r\n';
      } else {
        this.closeDelimited = true;
      }
    }
    if ((close || this.closeDelimited) && status !== 101) framing += 'connection: close\r\n';
    else if (versionMinor === 0) framing += 'connection: keep-alive\r\n';
    const statusLine = statusLineFor(versionMinor, status);
    this.pendingStatusLine = statusLine;
    this.pendingFields = headers;
    this.pendingFraming = framing;
    this.pendingHeadBytes = statusLine.length + fieldsByteLength(headers) + framing.length + 2;
    this.bytesSent += this.pendingHeadBytes;
  }

  /** Writes body bytes (a Buffer is valid only during the call); false when the socket is full. */
  body(chunk: Buffer | string): boolean {
    if (this.noBody || this.closed) return true;
    const len = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (len === 0) return true;
    this.bytesSent += len;
    if (this.pendingHeadBytes !== 0) {
      if (this.pendingBody === null && !this.chunked && typeof chunk !== 'string' && len <= COALESCE_MAX_BYTES) {
        this.pendingBody = chunk;
        return true;
      }
      this.flush();
    }
    this.flushDeferred();
    // A Buffer may be the upstream's shared read buffer: the socket may queue it, so it gets a copy.
    const data = typeof chunk === 'string' ? chunk : Buffer.from(chunk);
    if (this.chunked) {
      const size = len.toString(16) + '\r\n';
      this.txBytes.add(size.length + len + 2);
      this.socket.write(size, 'latin1');
      this.socket.write(data);
      return this.socket.write('\r\n', 'latin1');
    }
    this.txBytes.add(len);
    return this.socket.write(data);
  }

  /**
   * Hands what head/body held back (head and first chunk, as one buffer) to the end-of-turn write
   * batch. The body may point into the upstream's shared read buffer, so it is copied here,
   * before that buffer is read into again.
   */
  flush(): void {
    const headBytes = this.pendingHeadBytes;
    if (headBytes === 0) return;
    this.pendingHeadBytes = 0;
    const body = this.pendingBody;
    this.pendingBody = null;
    const fields = this.pendingFields;
    this.pendingFields = NO_FIELDS;
    if (this.closed) return;
    const out = Buffer.allocUnsafe(body === null ? headBytes : headBytes + body.length);
    let at = putLatin1(out, 0, this.pendingStatusLine);
    at = putFields(out, at, fields);
    at = putLatin1(out, at, this.pendingFraming);
    out[at++] = 0x0d;
    out[at++] = 0x0a;
    if (body !== null) putBytes(out, at, body);
    this.held.hold(out);
  }

  /** Writes the held head now (before anything else is done to the socket). */
  flushDeferred(): void {
    this.held.flushDeferred();
  }

  /** Everything held goes out, and a chunked body gets its last chunk. */
  end(): void {
    this.flush();
    if (this.chunked && !this.closed) {
      this.flushDeferred();
      this.txBytes.add(LAST_CHUNK.length);
      this.socket.write(LAST_CHUNK, 'latin1');
    }
  }

  /** Drops whatever is held (the connection is being destroyed). */
  discard(): void {
    this.pendingHeadBytes = 0;
    this.pendingFields = NO_FIELDS;
    this.pendingBody = null;
    this.held.discard();
  }
}
