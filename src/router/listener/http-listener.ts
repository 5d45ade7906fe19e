/**
 * One listening socket running the HTTP connection manager (Envoy's Listener + the
 * http_connection_manager network filter). With codec AUTO it sniffs the first bytes of each
 * connection: the HTTP/2 connection preface goes to node:http2 (cleartext, prior knowledge);
 * anything else is HTTP/1.x on our own codec.
 *
 * The config is a pointer: `update()` swaps it; new connections and every new request (also on
 * connections already open) use the new one, while requests in flight finish on the one they
 * started with.
 */
import net from 'node:net';
import type { Listener } from '../../xds/resources/listener.types.js';
import type { ConnectionManagerConfig } from '../http/connection-manager-config.js';
import { Http1ServerConnection, type ConnectionTracker } from '../http/http1-server-connection.js';
import { adoptWithSharedReads } from './adopt-socket.js';
import { ExtraAcceptors, listeningHandleOf } from './extra-acceptors.js';
import { Http2Downstream } from '../http/http2-downstream.js';
import type { Counter, Gauge, StatsStore } from '../stats/stats-store.js';

const LISTEN_BACKLOG = 4096;
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export class HttpListener implements ConnectionTracker {
  readonly name: string;
  private server: net.Server;
  private config: ConnectionManagerConfig;
  private readonly connections = new Set<Http1ServerConnection>();
  private readonly http2: Http2Downstream;
  private readonly cxTotal: Counter;
  private readonly cxActive: Gauge;
  private draining = false;
  /** More descriptors of the listening socket, so more than one connection is accepted per turn. */
  private readonly extraAcceptors: ExtraAcceptors;

  constructor(
    readonly listener: Listener,
    config: ConnectionManagerConfig,
    store: StatsStore,
  ) {
    this.name = listener.name;
    this.config = config;
    const address = listener.address!;
    const statName = listener.statPrefix !== '' ? listener.statPrefix : `${address.host}_${address.port}`;
    this.cxTotal = store.counter(`listener.${statName}.downstream_cx_total`);
    this.cxActive = store.gauge(`listener.${statName}.downstream_cx_active`);
    this.http2 = new Http2Downstream(() => this.config);
    this.server = net.createServer({ noDelay: true, pauseOnConnect: false }, this.onConnection);
    this.extraAcceptors = new ExtraAcceptors(LISTEN_BACKLOG, this.onConnection);
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    const address = this.listener.address!;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: address.host, port: address.port, backlog: LISTEN_BACKLOG }, () => {
        this.server.removeListener('error', reject);
        const bound = this.server.address();
        resolve(typeof bound === 'object' && bound !== null ? bound.port : address.port);
      });
    });
  }

  /** The listening socket's handle, for the primary to send back as extra descriptors (extra-acceptors.ts); null before listen(). */
  listeningHandle(): object | null {
    return this.draining ? null : listeningHandleOf(this.server);
  }

  /** Accepts on `handle` too: another descriptor of this listener's socket. */
  addAcceptor(handle: unknown): void {
    this.extraAcceptors.add(handle);
  }

  /** Swaps the connection manager config used by new connections and streams. */
  update(config: ConnectionManagerConfig): void {
    this.config = config;
  }

  /**
   * Stops accepting and asks open connections to close after their current response. Resolves
   * when every connection is gone or `timeoutMs` passed (then the rest are destroyed).
   */
  drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    this.server.close();
    this.extraAcceptors.close();
    for (const conn of this.connections) conn.drain();
    this.http2.drain();
    return new Promise((resolve) => {
      const deadline = Date.now() + timeoutMs;
      const check = (): void => {
        if ((this.connections.size === 0 && this.http2.idle) || Date.now() >= deadline) {
          this.http2.destroy();
          resolve();
        } else setTimeout(check, 20).unref();
      };
      check();
    });
  }

  currentConfig(): ConnectionManagerConfig {
    return this.config;
  }

  onConnectionClosed(conn: Http1ServerConnection): void {
    this.connections.delete(conn);
    this.cxActive.dec();
  }

  private readonly onConnection = (socket: net.Socket): void => {
    if (this.draining) {
      socket.destroy();
      return;
    }
    this.cxTotal.inc();
    const codec = this.config.view.codecType;
    if (codec === 'HTTP1') {
      this.startHttp1(socket, null);
    } else if (codec === 'HTTP2') {
      this.cxActive.inc();
      socket.once('close', () => this.cxActive.dec());
      this.http2.accept(socket, null);
    } else {
      socket.once('data', (first: Buffer) => this.sniff(socket, first));
      socket.on('error', noop);
      // A connection that never sends a byte is idle from the start (Envoy's idle_timeout).
      const idleMs = this.config.view.idleTimeoutMs;
      if (idleMs > 0) {
        socket.setTimeout(idleMs);
        socket.once('timeout', () => this.onSilentConnection(socket));
      }
    }
  };

  private onSilentConnection(socket: net.Socket): void {
    this.config.stats.downstreamCxIdleTimeout.inc();
    socket.destroy();
  }

  private sniff(socket: net.Socket, first: Buffer): void {
    // 'data' left the socket flowing: stop it so nothing is emitted before the codec listens.
    socket.pause();
    socket.setTimeout(0);
    socket.removeAllListeners('timeout');
    const n = Math.min(first.length, H2_PREFACE.length);
    if (n > 0 && first.compare(H2_PREFACE, 0, n, 0, n) === 0) {
      this.cxActive.inc();
      socket.once('close', () => this.cxActive.dec());
      this.http2.accept(socket, first);
    } else {
      this.startHttp1(socket, first);
    }
  }

  private startHttp1(socket: net.Socket, first: Buffer | null): void {
    this.cxActive.inc();
    let shared: Http1ServerConnection | null = null;
    // Paused (sniff() or pauseOnConnect) with nothing buffered: reads can move to the shared buffer.
    const adopted = adoptWithSharedReads(socket, DOWNSTREAM_READ_BUFFER, (data) => shared!.onSharedRead(data));
    const conn = new Http1ServerConnection(adopted ?? socket, this.config, this, false, adopted !== null);
    if (adopted !== null) shared = conn;
    this.connections.add(conn);
    if (first !== null) {
      if (adopted === null) socket.resume(); // paused by sniff(); data flows from the next tick, after feed()
      conn.feed(first);
    }
  }
}

function noop(): void {}

/**
 * Every adopted downstream socket of the worker reads into this buffer; each read is parsed
 * before the next, and what outlives it is copied (Http1ServerConnection's sharedReads).
 */
const DOWNSTREAM_READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
