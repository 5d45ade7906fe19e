/**
 * One HTTP/1.1 connection to an upstream host, on a raw `net` socket with our own response parser.
 * It carries one request at a time (Envoy's HTTP/1 pool does not pipeline upstream) and goes back
 * to its pool when a response ends with the connection still reusable.
 *
 *   pool.acquire ─► UpstreamConnection ──attach(stream)──► request bytes out
 *                        ▲ socket data ─► Http1Parser ─► stream.onUpstream*()
 *                        └── release to pool when the response completes and keep-alive holds
 */
import net from 'node:net';
import { Buffer } from 'node:buffer';
import { FastTimer, type TimerTarget } from '../../common/fast-timers.js';
import { DeferredSocketWrite } from '../../common/write-batch.js';
import { Http1Parser, MessageKind, type Http1MessageHead, type Http1ParseError, type Http1ParserHandler } from '../codec/http1-parser.js';
import { ProxyError, ResponseFlag } from '../codec/response-flags.js';
import { SharedReadForwarder } from '../../common/shared-read-forwarder.js';
import type { Counter } from '../stats/stats-store.js';
import type { Host } from './host.js';

/** The request side of one exchange: the HTTP stream implements this (methods, no closures). */
export interface UpstreamStreamHandler {
  onUpstreamHead(head: Http1MessageHead): void;
  onUpstreamBody(chunk: Buffer): void;
  onUpstreamComplete(): void;
  /** One socket read was parsed (its events came before): flush what the downstream held back. */
  onUpstreamReadEnd(): void;
  /** The connection failed or ended before the response completed. */
  onUpstreamReset(error: ProxyError, responseStarted: boolean): void;
  /** The socket drained after a write returned false (request body backpressure). */
  onUpstreamDrain(): void;
  /** The upstream switched protocols (101): the connection is now a raw tunnel owned by the caller. */
  onUpstreamUpgraded(conn: UpstreamConnection, remainder: Buffer | null): void;
}

/** Callbacks from a connection to its pool. */
export interface ConnectionOwner {
  onConnected(conn: UpstreamConnection): void;
  onConnectFailed(conn: UpstreamConnection, error: ProxyError): void;
  onReleased(conn: UpstreamConnection, reusable: boolean): void;
  onClosed(conn: UpstreamConnection): void;
  /** A pooled connection sat idle for the cluster's idle_timeout and is being closed. */
  onIdleTimeout(conn: UpstreamConnection): void;
}

/**
 * Every upstream socket of the worker reads into this one buffer (`onread`): no allocation per
 * read and none of the Readable stream machinery. Safe because each read is parsed synchronously
 * and whatever outlives the callback is copied (the parser's transientInput, the downstream's
 * writes, the tunnel below).
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** The one timer is the connect timeout until connected, then the idle timeout between requests. */
const TIMER_CONNECTION = 0;

export interface UpstreamConnectionOptions {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxHeaderBytes: number;
}

/** The cluster's byte counters (ClusterStats has them). */
export interface UpstreamByteStats {
  readonly upstreamCxRxBytesTotal: Counter;
  readonly upstreamCxTxBytesTotal: Counter;
}

export class UpstreamConnection implements Http1ParserHandler, TimerTarget {
  readonly socket: net.Socket;
  readonly host: Host;
  readonly parser: Http1Parser;
  stream: UpstreamStreamHandler | null = null;
  connected = false;
  closed = false;
  /** Responses completed on this connection: > 0 means a reused connection. */
  requestsServed = 0;
  /** True once any byte of the current response arrived. */
  responseStarted = false;
  private keepAlive = true;
  /** A request head waiting for the end of this turn (write-batch.ts). */
  private readonly held: DeferredSocketWrite;
  /** After an upgrade: where reads go (forwardReadsTo). */
  private tunnel: SharedReadForwarder | null = null;
  private readonly owner: ConnectionOwner;
  private readonly stats: UpstreamByteStats;
  private readonly timer: FastTimer;
  private readonly idleTimeoutMs: number;

  constructor(host: Host, owner: ConnectionOwner, options: UpstreamConnectionOptions, stats: UpstreamByteStats) {
    this.host = host;
    this.stats = stats;
    this.owner = owner;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.parser = new Http1Parser(MessageKind.Response, this, { maxHeaderBytes: options.maxHeaderBytes, maxHeadersCount: 200, transientInput: true });
    this.timer = new FastTimer(this, TIMER_CONNECTION);
    this.socket = net.connect({ host: host.ip, port: host.port, noDelay: true, onread: { buffer: READ_BUFFER, callback: this.handleRead } });
    this.held = new DeferredSocketWrite(this.socket, stats.upstreamCxTxBytesTotal);
    this.socket.on('connect', this.handleConnect);
    this.socket.on('drain', this.handleDrain);
    this.socket.on('end', this.handleEnd);
    this.socket.on('error', this.handleError);
    this.socket.on('close', this.handleClose);
    this.timer.arm(options.connectTimeoutMs);
  }

  /** Starts an exchange: the caller writes the request right after. */
  attach(stream: UpstreamStreamHandler, expectNoBody: boolean): void {
    this.stream = stream;
    this.responseStarted = false;
    this.timer.disarm();
    if (expectNoBody) this.parser.expectNoBody();
  }

  /** Writes request bytes; returns false when the socket buffer is full (wait for onUpstreamDrain). */
  write(data: Buffer): boolean {
    this.flushDeferred();
    this.stats.upstreamCxTxBytesTotal.add(data.length);
    return this.socket.write(data);
  }

  /**
   * Writes a request head or chunk framing. latin1, not utf8: our header strings hold one byte
   * per char (parsed with latin1, config values checked ≤ U+00FF), so this is both the faster
   * encoder and the one that sends obs-text bytes back exactly as they came.
   */
  writeText(text: string): boolean {
    this.flushDeferred();
    this.stats.upstreamCxTxBytesTotal.add(text.length);
    return this.socket.write(text, 'latin1');
  }

  /**
   * write() at the end of this turn, batched with the turn's other writes (a whole body-less
   * request). `data` must stay unchanged until then: request heads are fresh buffers.
   */
  writeDeferred(data: Buffer): void {
    this.held.hold(data);
  }

  /** Writes the held request head now (before anything else is done to the socket). */
  flushDeferred(): void {
    this.held.flushDeferred();
  }

  /**
   * After a 101 the connection is one side of a tunnel: each read goes to `peer` (copied, the
   * read buffer being shared) with backpressure, and our EOF ends it. pipe() cannot do this, as an
   * `onread` socket emits no 'data'.
   */
  forwardReadsTo(peer: net.Socket): void {
    this.flushDeferred();
    this.tunnel = new SharedReadForwarder(this.socket, peer);
  }

  /** Abandons the current exchange (client went away, timeout): the connection cannot be reused. */
  abort(): void {
    this.stream = null;
    this.destroy();
  }

  destroy(): void {
    this.held.discard();
    if (!this.closed) this.socket.destroy();
  }

  onTimer(_kind: number): void {
    if (!this.connected) {
      this.fail(new ProxyError(ResponseFlag.UpstreamConnectionFailure, 'upstream', true, 'connection timeout'));
      this.socket.destroy();
    } else if (this.stream === null) {
      // HttpProtocolOptions.common_http_protocol_options.idle_timeout (Envoy default 1 h).
      this.owner.onIdleTimeout(this);
      this.socket.destroy();
    }
  }

  // --- parser callbacks -------------------------------------------------------------------
  onMessageHead(head: Http1MessageHead): void {
    this.keepAlive = head.keepAlive;
    if (this.stream !== null) this.stream.onUpstreamHead(head);
  }

  onInformational(): void {
    // 100 Continue and friends: we never send Expect upstream, so drop them.
  }

  onBody(chunk: Buffer): void {
    if (this.stream !== null) this.stream.onUpstreamBody(chunk);
  }

  onMessageComplete(): void {
    const stream = this.stream;
    this.stream = null;
    this.requestsServed++;
    if (this.parser.upgraded) {
      this.socket.removeListener('drain', this.handleDrain);
      this.socket.removeListener('end', this.handleEnd);
      this.owner.onReleased(this, false);
      if (stream !== null) stream.onUpstreamUpgraded(this, this.parser.takeRemainder());
      else this.destroy();
      return;
    }
    const reusable = this.keepAlive && !this.parser.upgraded && !this.closed;
    if (reusable) this.timer.arm(this.idleTimeoutMs);
    // Release first so the connection is back in the pool before the stream finishes (and maybe
    // sends the next pipelined request).
    this.owner.onReleased(this, reusable);
    if (!reusable) this.destroy();
    if (stream !== null) stream.onUpstreamComplete();
  }

  onError(error: Http1ParseError): void {
    this.fail(new ProxyError(ResponseFlag.UpstreamProtocolError, 'upstream', false, `protocol error: ${error.code}`, error));
    this.destroy();
  }

  // --- socket events (bound once per connection) --------------------------------------------
  private readonly handleConnect = (): void => {
    this.connected = true;
    this.timer.disarm();
    this.host.cxTotal++;
    this.owner.onConnected(this);
  };

  /** The onread callback: `buf` is READ_BUFFER, valid until we return. */
  private readonly handleRead = (nread: number, buf: Buffer): boolean => {
    this.stats.upstreamCxRxBytesTotal.add(nread);
    const data = buf.subarray(0, nread);
    if (this.tunnel === null) this.handleData(data);
    else this.tunnel.forward(data);
    return true;
  };

  private handleData(data: Buffer): void {
    if (this.stream === null) {
      // Bytes while idle: the peer is not speaking HTTP/1.1 to us correctly; never reuse.
      this.destroy();
      return;
    }
    const stream = this.stream;
    this.responseStarted = true;
    this.parser.execute(data);
    stream.onUpstreamReadEnd();
  }

  private readonly handleDrain = (): void => {
    if (this.stream !== null) this.stream.onUpstreamDrain();
  };

  private readonly handleEnd = (): void => {
    // The peer is gone: a request still waiting for the turn's write batch would be written after our FIN.
    this.held.discard();
    if (this.stream !== null) this.parser.finish();
    this.socket.end();
  };

  private readonly handleError = (err: Error): void => {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (!this.connected) {
      this.fail(new ProxyError(ResponseFlag.UpstreamConnectionFailure, 'upstream', true, `delayed connect error: ${code}`, err));
    } else {
      this.fail(new ProxyError(ResponseFlag.UpstreamConnectionTermination, 'upstream', true, `connection termination: ${code}`, err));
    }
  };

  private readonly handleClose = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.timer.disarm();
    if (!this.connected) {
      this.fail(new ProxyError(ResponseFlag.UpstreamConnectionFailure, 'upstream', true, 'connection failure'));
    } else {
      this.fail(new ProxyError(ResponseFlag.UpstreamConnectionTermination, 'upstream', true, 'connection termination'));
    }
    this.owner.onClosed(this);
  };

  private fail(error: ProxyError): void {
    if (!this.connected && !this.closed) {
      const wasPending = this.stream === null;
      if (wasPending) {
        this.closed = true;
        this.timer.disarm();
        this.owner.onConnectFailed(this, error);
        return;
      }
    }
    const stream = this.stream;
    if (stream === null) return;
    this.stream = null;
    stream.onUpstreamReset(error, this.responseStarted);
  }
}
