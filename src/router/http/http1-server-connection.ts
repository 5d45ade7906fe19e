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
import { Buffer } from 'node:buffer';
import { nextConnectionId } from './connection-id.js';
import { joinHostPort } from './endpoint-text.js';
import type net from 'node:net';
import { FastTimer, type TimerTarget } from '../../common/fast-timers.js';
import { Http1Parser, MessageKind, type Http1MessageHead, type Http1ParseError, type Http1ParserHandler } from '../codec/http1-parser.js';
import { ResponseFlag } from '../codec/response-flags.js';
import type { ConnectionManagerConfig } from './connection-manager-config.js';
import type { DownstreamConnection } from './downstream.js';
import { Http1ResponseWriter } from './http1-response-writer.js';
import { HttpStream } from './http-stream.js';
import { SharedReadForwarder } from '../../common/shared-read-forwarder.js';
import { pipedTunnelEnd, startTunnel, type UpstreamTunnelEnd } from './upgrade-tunnel.js';

const TIMER_IDLE = 0;
const TIMER_HEADERS = 1;

/** Reports the connection's end to its listener (for draining and connection counts). */
export interface ConnectionTracker {
  onConnectionClosed(conn: Http1ServerConnection): void;
  /**
   * The listener's config now. Each new request on a kept-alive connection takes it, so a route
   * update (RDS) reaches connections opened before it, as in Envoy, where every stream reads the
   * current route config; the connection keeps its accept-time config for its own settings.
   */
  currentConfig(): ConnectionManagerConfig;
  /** The local end of `socket` (an accepted connection of this listener): its own, or the listener's one address. */
  localAddressOf(socket: net.Socket): LocalAddress;
  /** Connections accepted here have TCP_NODELAY from the listening socket already (acceptors.ts). */
  readonly acceptedWithNoDelay: boolean;
}

/** Where a connection arrived: the address, the port and the two joined as in access logs. */
export interface LocalAddress {
  readonly address: string;
  readonly port: number;
  readonly endpoint: string;
}

export class Http1ServerConnection implements DownstreamConnection, Http1ParserHandler, TimerTarget {
  readonly protocol: string = 'HTTP/1.1';
  readonly isTls: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteEndpoint: string;
  readonly localEndpoint: string;
  readonly connectionId = nextConnectionId();
  closeAfterResponse = false;
  private readonly socket: net.Socket;
  private readonly parser: Http1Parser;
  private readonly config: ConnectionManagerConfig;
  private readonly tracker: ConnectionTracker;
  private stream: HttpStream | null = null;
  /** Response framing and writes (head + first chunk as one buffer, batched per turn). */
  private readonly out: Http1ResponseWriter;
  private versionMinor = 1;
  private draining = false;
  private closed = false;
  private readonly timer: FastTimer;
  private readonly headersTimer: FastTimer;
  private readonly sharedReads: boolean;
  /** After an upgrade on a shared-reads socket: where reads go. */
  private tunnel: SharedReadForwarder | null = null;

  /**
   * `sharedReads`: the socket reads into a buffer reused by the next read (listener/adopt-socket.ts),
   * so whatever outlives a read is copied: the parser's leftovers, body chunks, tunnel bytes.
   */
  constructor(socket: net.Socket, config: ConnectionManagerConfig, tracker: ConnectionTracker, isTls: boolean, sharedReads = false) {
    this.socket = socket;
    this.out = new Http1ResponseWriter(socket, config.stats.downstreamCxTxBytesTotal);
    this.sharedReads = sharedReads;
    this.config = config;
    this.tracker = tracker;
    this.isTls = isTls;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    const local = tracker.localAddressOf(socket);
    this.localAddress = local.address;
    this.localPort = local.port;
    this.remoteEndpoint = joinHostPort(this.remoteAddress, this.remotePort);
    this.localEndpoint = local.endpoint;
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
    if (!tracker.acceptedWithNoDelay) socket.setNoDelay(true);
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
    if (this.tunnel === null) this.handleData(data);
    else this.tunnel.forward(data);
  }

  get bytesSent(): number {
    return this.out.bytesSent;
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
    this.out.bytesSent = 0;
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
    this.out.head(this.versionMinor, status, headers, contentLength, noBody, this.closeAfterResponse);
    if (this.out.closeDelimited) this.closeAfterResponse = true;
  }

  writeResponseBody(chunk: Buffer | string): boolean {
    return this.out.body(chunk);
  }

  /** Hands the held head and first chunk to the end-of-turn write batch (the upstream read ended). */
  flushResponse(): void {
    this.out.flush();
  }

  endResponse(): void {
    this.out.end();
    this.stream = null;
    if (this.closeAfterResponse || this.out.closeDelimited) {
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
    this.out.discard();
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
    this.out.flush();
    this.out.flushDeferred();
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
    this.tunnel = new SharedReadForwarder(this.socket, peer);
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
    this.out.closed = true;
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
    this.out.flushDeferred();
    // end() again on an ended or destroyed socket builds an Error (stack trace and all) to ignore:
    // the client's FIN after our `connection: close` response did that once per connection.
    const socket = this.socket;
    if (!socket.writableEnded && !socket.destroyed) socket.end();
  }

  private armIdle(): void {
    const idle = this.config.view.idleTimeoutMs;
    if (idle > 0) this.timer.arm(idle);
  }
}

