/**
 * The downstream side of one HTTP/1.x connection on a raw socket (Envoy's Http1 ServerConnection
 * + the connection part of the HTTP connection manager). Requests are parsed with our strict
 * codec and handled one at a time: a pipelined request waits (parser paused, socket paused) until
 * the response before it has been written, so responses always go out in order.
 *
 *   socket data ─► Http1Parser ─► onMessageHead ─► new HttpStream(...).start()
 *                                  onBody / onMessageComplete ─► stream
 *   stream.writeResponse* ─► framed bytes (content-length, chunked, or close-delimited) ─► socket
 */
import { joinHostPort } from './endpoint-text.js';
import type net from 'node:net';
import { FastTimer, type TimerTarget } from '../../common/fast-timers.js';
import { scheduleDeferredFlush, type DeferredWriter } from '../../common/write-batch.js';
import { Http1Parser, MessageKind, type Http1MessageHead, type Http1ParseError, type Http1ParserHandler } from '../codec/http1-parser.js';
import { fieldsByteLength, putBytes, putFields, putLatin1 } from '../codec/head-bytes.js';
import { STATUS_REASONS } from '../codec/http1-writer.js';
import { ResponseFlag } from '../codec/response-flags.js';
import type { ConnectionManagerConfig } from './connection-manager-config.js';
import type { DownstreamConnection } from './downstream.js';
import { HttpStream } from './http-stream.js';
import { pipedTunnelEnd, startTunnel, type UpstreamTunnelEnd } from './upgrade-tunnel.js';

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

const TIMER_IDLE = 0;
const TIMER_HEADERS = 1;

let nextConnectionId = 1;

/** Reports the connection's end to its listener (for draining and connection counts). */
export interface ConnectionTracker {
  onConnectionClosed(conn: Http1ServerConnection): void;
  /**
   * The listener's config now. Each new request on a kept-alive connection takes it, so a route
   * update (RDS) reaches connections opened before it, as in Envoy, where every stream reads the
   * current route config; the connection keeps its accept-time config for its own settings.
   */
  currentConfig(): ConnectionManagerConfig;
}

export class Http1ServerConnection implements DownstreamConnection, Http1ParserHandler, TimerTarget, DeferredWriter {
  readonly protocol: string = 'HTTP/1.1';
  readonly isTls: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteEndpoint: string;
  readonly localEndpoint: string;
  readonly connectionId = nextConnectionId++;
  bytesSent = 0;
  closeAfterResponse = false;
  private readonly socket: net.Socket;
  private readonly parser: Http1Parser;
  private readonly config: ConnectionManagerConfig;
  private readonly tracker: ConnectionTracker;
  private stream: HttpStream | null = null;
  private responseChunked = false;
  private responseCloseDelimited = false;
  private responseNoBody = false;
  /**
   * The response head and first body chunk, held until the end of the upstream read that made
   * them (flushResponse), so a small response leaves in ONE write syscall instead of a corked
   * writev on the next tick (the head alone when no body came with it).
   */
  private pendingHeadBytes = 0;
  private pendingStatusLine = '';
  private pendingFields: readonly string[] = NO_FIELDS;
  /** content-length / transfer-encoding / connection lines of the pending head. */
  private pendingFraming = '';
  private pendingBody: Buffer | null = null;
  /** A finished head (+ first chunk) whose write waits for the end of this turn (write-batch.ts). */
  private deferred: Buffer | null = null;
  private versionMinor = 1;
  private draining = false;
  private closed = false;
  private readonly timer: FastTimer;
  private readonly headersTimer: FastTimer;
  private readonly sharedReads: boolean;
  /** After an upgrade on a shared-reads socket: where reads go. */
  private tunnelPeer: net.Socket | null = null;

  /**
   * `sharedReads`: the socket reads into a buffer reused by the next read (listener/adopt-socket.ts),
   * so whatever outlives a read is copied: the parser's leftovers, body chunks, tunnel bytes.
   */
  constructor(socket: net.Socket, config: ConnectionManagerConfig, tracker: ConnectionTracker, isTls: boolean, sharedReads = false) {
    this.socket = socket;
    this.sharedReads = sharedReads;
    this.config = config;
    this.tracker = tracker;
    this.isTls = isTls;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    this.localAddress = socket.localAddress ?? '';
    this.localPort = socket.localPort ?? 0;
    this.remoteEndpoint = joinHostPort(this.remoteAddress, this.remotePort);
    this.localEndpoint = joinHostPort(this.localAddress, this.localPort);
    this.parser = new Http1Parser(MessageKind.Request, this, {
      maxHeaderBytes: config.maxHeaderBytes,
      maxHeadersCount: config.view.maxHeadersCount,
      transientInput: sharedReads,
    });
    this.timer = new FastTimer(this, TIMER_IDLE);
    this.headersTimer = new FastTimer(this, TIMER_HEADERS);
    const stats = config.stats;
    stats.downstreamCxTotal.inc();
    stats.downstreamCxActive.inc();
    stats.downstreamCxHttp1Total.inc();
    stats.downstreamCxHttp1Active.inc();
    socket.setNoDelay(true);
    socket.on('data', this.handleData);
    socket.on('drain', this.handleDrain);
    socket.on('end', this.handleEnd);
    socket.on('error', this.handleError);
    socket.on('close', this.handleClose);
    this.armIdle();
  }

  /** Feeds bytes that were read before this object took the socket (protocol sniffing). */
  feed(data: Buffer): void {
    this.handleData(data);
  }

  /** The `onread` callback of a shared-reads socket: `data` is valid only during the call. */
  onSharedRead(data: Buffer): void {
    const peer = this.tunnelPeer;
    if (peer === null) this.handleData(data);
    else if (!peer.write(Buffer.from(data))) {
      this.socket.pause();
      peer.once('drain', this.resumeReading);
    }
  }

  /** Stop taking new requests: idle now → close; busy → close after the current response. */
  drain(): void {
    this.draining = true;
    if (this.stream === null) this.endSocket();
    else this.closeAfterResponse = true;
  }

  get idle(): boolean {
    return this.stream === null;
  }

  // --- parser callbacks -------------------------------------------------------------------------

  onMessageHead(head: Http1MessageHead): void {
    this.headersTimer.disarm();
    this.timer.disarm();
    this.versionMinor = head.versionMinor;
    this.closeAfterResponse = !head.keepAlive || this.draining || head.upgrade;
    this.bytesSent = 0;
    const config = this.tracker.currentConfig();
    const stream = new HttpStream(this, config);
    this.stream = stream;
    config.stats.downstreamRqHttp1Total.inc();
    let authority = '';
    let path = head.url;
    if (path.charCodeAt(0) !== 47 /* / */ && path !== '*') {
      // absolute-form: the authority in the target wins over Host (RFC 9112 §3.2.2).
      const schemeEnd = path.indexOf('://');
      if (schemeEnd !== -1) {
        const hostStart = schemeEnd + 3;
        let pathStart = path.indexOf('/', hostStart);
        if (pathStart === -1) pathStart = path.length;
        authority = path.slice(hostStart, pathStart);
        path = pathStart === path.length ? '/' : path.slice(pathStart);
      }
    }
    if (authority === '') {
      const h = head.headers;
      for (let i = 0; i < h.length; i += 2) {
        if (h[i] === 'host') {
          authority = h[i + 1];
          break;
        }
      }
    }
    stream.start(head, authority.toLowerCase(), path);
  }

  onBody(chunk: Buffer): void {
    // Streams keep body chunks (queued writes, retry buffers): a shared read buffer's view is copied.
    if (this.stream !== null) this.stream.onRequestBody(this.sharedReads ? Buffer.from(chunk) : chunk);
  }

  onMessageComplete(): void {
    const stream = this.stream;
    if (stream === null) return;
    stream.onRequestComplete();
    // Pipelining: hold the next request until this response is written. Only the parser stops
    // here; the socket is paused once bytes of a next request actually arrive (handleData), so a
    // client that waits for each response (nearly all) costs no pause/resume per request.
    if (this.stream === stream && !this.parser.upgraded) this.parser.pause();
  }

  onError(error: Http1ParseError): void {
    const stats = this.config.stats;
    stats.downstreamCxProtocolError.inc();
    this.closeAfterResponse = true;
    if (this.stream !== null) {
      // Error inside a request body: the response may be under way; nothing sane to say.
      this.stream.onDownstreamReset();
      this.socket.destroy();
      return;
    }
    const stream = new HttpStream(this, this.config);
    this.stream = stream;
    stats.downstreamRqTotal.inc();
    stats.downstreamRqActive.inc();
    stream.method = 'GET';
    stream.sendLocalReply(error.status, '', ResponseFlag.DownstreamProtocolError, `codec_error:${error.code}`);
  }

  // --- DownstreamConnection ---------------------------------------------------------------------

  writeResponseHead(status: number, headers: string[], contentLength: number, noBody: boolean): void {
    let framing = '';
    this.responseNoBody = noBody;
    this.responseChunked = false;
    this.responseCloseDelimited = false;
    if (status === 101) {
      // Switching protocols: no framing headers; the tunnel follows.
    } else if (contentLength >= 0) {
      if (!(noBody && contentLength === 0 && status === 204)) framing = `content-length: ${contentLength}\r\n`;
    } else if (!noBody) {
      if (this.versionMinor === 1) {
        this.responseChunked = true;
        framing = 'transfer-encoding: chunked\r\n';
      } else {
        this.responseCloseDelimited = true;
        this.closeAfterResponse = true;
      }
    }
    if (this.closeAfterResponse && status !== 101) framing += 'connection: close\r\n';
    else if (this.versionMinor === 0) framing += 'connection: keep-alive\r\n';
    const statusLine = statusLineFor(this.versionMinor, status);
    this.pendingStatusLine = statusLine;
    this.pendingFields = headers;
    this.pendingFraming = framing;
    this.pendingHeadBytes = statusLine.length + fieldsByteLength(headers) + framing.length + 2;
    this.bytesSent += this.pendingHeadBytes;
  }

  writeResponseBody(chunk: Buffer | string): boolean {
    if (this.responseNoBody || this.closed) return true;
    const len = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (len === 0) return true;
    this.bytesSent += len;
    if (this.pendingHeadBytes !== 0) {
      if (this.pendingBody === null && !this.responseChunked && typeof chunk !== 'string' && len <= COALESCE_MAX_BYTES) {
        this.pendingBody = chunk;
        return true;
      }
      this.flushResponse();
    }
    this.flushDeferred();
    // A Buffer may be the upstream's shared read buffer: the socket may queue it, so it gets a copy.
    const data = typeof chunk === 'string' ? chunk : Buffer.from(chunk);
    if (this.responseChunked) {
      this.socket.write(len.toString(16) + '\r\n', 'latin1');
      this.socket.write(data);
      return this.socket.write('\r\n', 'latin1');
    }
    return this.socket.write(data);
  }

  /**
   * Hands what writeResponseHead/Body held back (head and first chunk, as one buffer) to the
   * end-of-turn write batch. The body may point into the upstream's shared read buffer, so it is
   * copied here, before that buffer is read into again.
   */
  flushResponse(): void {
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
    this.flushDeferred();
    this.deferred = out;
    scheduleDeferredFlush(this);
  }

  flushDeferred(): void {
    const data = this.deferred;
    if (data === null) return;
    this.deferred = null;
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(data);
  }

  endResponse(): void {
    this.flushResponse();
    if (this.responseChunked && !this.closed) {
      this.flushDeferred();
      this.socket.write('0\r\n\r\n', 'latin1');
    }
    this.stream = null;
    if (this.closeAfterResponse || this.responseCloseDelimited) {
      if (this.draining) this.config.stats.downstreamCxDrainClose.inc();
      this.endSocket();
      return;
    }
    this.armIdle();
    if (this.parser.paused) {
      // Paused for a pipelined request, or by request-body backpressure that resumeRequest left alone.
      if (this.socket.isPaused()) this.socket.resume();
      this.parser.resume();
    }
  }

  resetResponse(): void {
    this.pendingHeadBytes = 0;
    this.pendingFields = NO_FIELDS;
    this.pendingBody = null;
    this.deferred = null;
    this.stream = null;
    this.config.stats.downstreamRqTxReset.inc();
    this.socket.destroy();
  }

  pauseRequest(): void {
    this.socket.pause();
  }

  resumeRequest(): void {
    if (!this.parser.paused) this.socket.resume();
  }

  /** Called by the stream when the upstream answered 101: the two sockets become a byte pipe. */
  upgradeToTunnel(upstream: UpstreamTunnelEnd, upstreamRemainder: Buffer | null): void {
    this.flushResponse();
    this.flushDeferred();
    const socket = this.socket;
    socket.removeListener('data', this.handleData);
    socket.removeListener('drain', this.handleDrain);
    this.timer.disarm();
    this.stream = null;
    const stats = this.config.stats;
    stats.downstreamCxUpgradesTotal.inc();
    stats.downstreamCxUpgradesActive.inc();
    socket.once('close', () => stats.downstreamCxUpgradesActive.dec());
    const downstream = this.sharedReads ? { socket, forwardReadsTo: this.forwardSharedReadsTo } : pipedTunnelEnd(socket);
    startTunnel(downstream, this.parser.takeRemainder(), upstream, upstreamRemainder);
  }

  /** A shared-reads socket cannot be piped (it emits no 'data'): onSharedRead forwards instead. */
  private readonly forwardSharedReadsTo = (peer: net.Socket): void => {
    this.tunnelPeer = peer;
    this.socket.once('end', () => peer.end());
    this.socket.resume();
  };

  private readonly resumeReading = (): void => {
    this.socket.resume();
  };

  onTimer(kind: number): void {
    if (kind === TIMER_IDLE && this.stream === null) {
      this.config.stats.downstreamCxIdleTimeout.inc();
      this.endSocket();
    } else if (kind === TIMER_HEADERS && this.stream === null) {
      this.config.stats.downstreamRqHeaderTimeout.inc();
      this.socket.destroy();
    }
  }

  // --- socket events (bound once per connection) --------------------------------------------------

  private readonly handleData = (data: Buffer): void => {
    this.config.stats.downstreamCxRxBytesTotal.add(data.length);
    if (this.stream === null) {
      this.timer.disarm();
      const headersTimeout = this.config.view.requestHeadersTimeoutMs;
      if (headersTimeout > 0 && !this.headersTimer.armed) this.headersTimer.arm(headersTimeout);
    } else if (this.parser.paused) {
      // A pipelined request while the response is in flight: the parser keeps these bytes, the
      // socket reads no more until the response is done.
      this.socket.pause();
    }
    this.parser.execute(data);
  };

  private readonly handleDrain = (): void => {
    if (this.stream !== null) this.stream.onDownstreamDrain();
  };

  private readonly handleEnd = (): void => {
    // The client half-closed. Finish the response in flight (if any), then close.
    if (this.stream === null) this.endSocket();
    else this.closeAfterResponse = true;
  };

  private readonly handleError = (): void => {
    // 'close' follows and does the accounting.
  };

  private readonly handleClose = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.timer.disarm();
    this.headersTimer.disarm();
    const stats = this.config.stats;
    stats.downstreamCxActive.dec();
    stats.downstreamCxHttp1Active.dec();
    stats.downstreamCxDestroy.inc();
    const stream = this.stream;
    this.stream = null;
    if (stream !== null) stream.onDownstreamReset();
    this.tracker.onConnectionClosed(this);
  };

  /** Ends our side after whatever is still deferred. */
  private endSocket(): void {
    this.flushDeferred();
    this.socket.end();
  }

  private armIdle(): void {
    const idle = this.config.view.idleTimeoutMs;
    if (idle > 0) this.timer.arm(idle);
  }
}

