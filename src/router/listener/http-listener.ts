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
import { Buffer } from 'node:buffer';
import type { Listener } from '../../xds/resources/listener.types.js';
import type { ConnectionManagerConfig } from '../http/connection-manager-config.js';
import { Http1ServerConnection, type ConnectionTracker, type LocalAddress } from '../http/http1-server-connection.js';
import { joinHostPort } from '../http/endpoint-text.js';
import { adoptWithSharedReads, moveToPlainSocket, socketWithSharedReads } from './adopt-socket.js';
import { Acceptors, closeHandle, listeningHandleOf, setNoDelayForAccepted } from './acceptors.js';
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
  /** The descriptors of the listening socket accepted on (more than one per turn: acceptors.ts). */
  private readonly acceptors: Acceptors;
  /**
   * Bound to one address (not 0.0.0.0 or ::), every connection arrives on that address and port,
   * so the first connection's getsockname() serves them all, as Envoy takes a connection's local
   * address from its listener unless the listener is a wildcard. Saves a syscall per connection.
   */
  private readonly oneLocalAddress: boolean;
  private sharedLocalAddress: LocalAddress | null = null;
  /** Set at listen(): accepted connections have TCP_NODELAY from the listening socket (ConnectionTracker). */
  acceptedWithNoDelay = false;

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
    this.acceptors = new Acceptors(LISTEN_BACKLOG, this.onAccepted);
    this.oneLocalAddress = !isWildcardAddress(address.host);
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    const address = this.listener.address!;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: address.host, port: address.port, backlog: LISTEN_BACKLOG }, () => {
        this.server.removeListener('error', reject);
        this.acceptedWithNoDelay = setNoDelayForAccepted(this.server);
        // From now on connections come as raw handles (onAccepted); 'connection' is the fallback.
        this.acceptors.takeOver(this.server);
        const bound = this.server.address();
        resolve(typeof bound === 'object' && bound !== null ? bound.port : address.port);
      });
    });
  }

  /** The listening socket's handle, for the primary to send back as extra descriptors (acceptors.ts); null before listen(). */
  listeningHandle(): object | null {
    return this.draining ? null : listeningHandleOf(this.server);
  }

  /** Accepts on `handle` too: another descriptor of this listener's socket. */
  addAcceptor(handle: unknown): void {
    this.acceptors.add(handle);
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
    this.acceptors.close();
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

  localAddressOf(socket: net.Socket): LocalAddress {
    if (this.sharedLocalAddress !== null) return this.sharedLocalAddress;
    const address = socket.localAddress ?? '';
    const port = socket.localPort ?? 0;
    const local: LocalAddress = { address, port, endpoint: joinHostPort(address, port) };
    if (this.oneLocalAddress && address !== '') this.sharedLocalAddress = local;
    return local;
  }

  onConnectionClosed(conn: Http1ServerConnection): void {
    this.connections.delete(conn);
    this.cxActive.dec();
  }

  /**
   * A connection from one of the acceptors, as a raw handle: HTTP/1 (and AUTO, until its first
   * bytes say HTTP/2) reads into the shared buffer from the start, on the only socket made for it.
   */
  private readonly onAccepted = (client: object): void => {
    if (this.draining) {
      closeHandle(client);
      return;
    }
    this.cxTotal.inc();
    const codec = this.config.view.codecType;
    if (codec === 'HTTP2') {
      const socket = new net.Socket({ handle: client } as unknown as net.SocketConstructorOpts);
      socket.setNoDelay(true);
      this.startHttp2(socket, null);
      return;
    }
    let conn: Http1ServerConnection | null = null;
    const socket: net.Socket = socketWithSharedReads(client, DOWNSTREAM_READ_BUFFER, (data) => {
      if (conn !== null) conn.onSharedRead(data);
      else conn = this.onFirstRead(socket, data);
    });
    if (codec === 'HTTP1') conn = this.trackHttp1(socket, true);
    else this.awaitFirstBytes(socket);
  };

  /** AUTO, first read of a connection from onAccepted: HTTP/1 goes on where it is, HTTP/2 moves to a plain socket. */
  private onFirstRead(socket: net.Socket, data: Buffer): Http1ServerConnection | null {
    stopAwaitingFirstBytes(socket);
    if (!isHttp2Preface(data)) {
      const conn = this.trackHttp1(socket, true);
      conn.onSharedRead(data);
      return conn;
    }
    const first = Buffer.from(data); // `data` is the shared buffer's
    const plain = moveToPlainSocket(socket);
    if (plain === null) socket.destroy();
    else {
      plain.setNoDelay(true);
      this.startHttp2(plain, first);
    }
    return null;
  }

  /** An HTTP/1 connection on `socket`, counted and tracked for draining. */
  private trackHttp1(socket: net.Socket, sharedReads: boolean): Http1ServerConnection {
    this.cxActive.inc();
    const conn = new Http1ServerConnection(socket, this.config, this, false, sharedReads);
    this.connections.add(conn);
    return conn;
  }

  /** Connections from net.Server's 'connection' event: where the acceptors could not take over. */
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
      this.startHttp2(socket, null);
    } else {
      socket.once('data', (first: Buffer) => this.sniff(socket, first));
      this.awaitFirstBytes(socket);
    }
  };

  /** AUTO: a connection that never sends a byte is idle from the start (Envoy's idle_timeout). */
  private awaitFirstBytes(socket: net.Socket): void {
    socket.on('error', noop);
    const idleMs = this.config.view.idleTimeoutMs;
    if (idleMs > 0) {
      socket.setTimeout(idleMs);
      socket.once('timeout', () => this.onSilentConnection(socket));
    }
  }

  private onSilentConnection(socket: net.Socket): void {
    this.config.stats.downstreamCxIdleTimeout.inc();
    socket.destroy();
  }

  private sniff(socket: net.Socket, first: Buffer): void {
    // 'data' left the socket flowing: stop it so nothing is emitted before the codec listens.
    socket.pause();
    stopAwaitingFirstBytes(socket);
    if (isHttp2Preface(first)) this.startHttp2(socket, first);
    else this.startHttp1(socket, first);
  }

  private startHttp2(socket: net.Socket, first: Buffer | null): void {
    this.cxActive.inc();
    socket.once('close', () => this.cxActive.dec());
    this.http2.accept(socket, first);
  }

  private startHttp1(socket: net.Socket, first: Buffer | null): void {
    let shared: Http1ServerConnection | null = null;
    // Paused (sniff() or pauseOnConnect) with nothing buffered: reads can move to the shared buffer.
    const adopted = adoptWithSharedReads(socket, DOWNSTREAM_READ_BUFFER, (data) => shared!.onSharedRead(data));
    const conn = this.trackHttp1(adopted ?? socket, adopted !== null);
    if (adopted !== null) shared = conn;
    if (first !== null) {
      if (adopted === null) socket.resume(); // paused by sniff(); data flows from the next tick, after feed()
      conn.feed(first);
    }
  }
}

function noop(): void {}

/** The first bytes came: the silent-connection timeout of awaitFirstBytes() no longer applies. */
function stopAwaitingFirstBytes(socket: net.Socket): void {
  socket.setTimeout(0);
  socket.removeAllListeners('timeout');
}

/** The first bytes of a connection are (the start of) the HTTP/2 connection preface. */
function isHttp2Preface(first: Buffer): boolean {
  const n = Math.min(first.length, H2_PREFACE.length);
  return n > 0 && first.compare(H2_PREFACE, 0, n, 0, n) === 0;
}

/**
 * Every adopted downstream socket of the worker reads into this buffer; each read is parsed
 * before the next, and what outlives it is copied (Http1ServerConnection's sharedReads).
 */
const DOWNSTREAM_READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** 0.0.0.0, ::, or another spelling of the all-zero IPv6 address: a listener that takes connections for every local address. */
export function isWildcardAddress(host: string): boolean {
  return host === '' || host === '0.0.0.0' || /^[0:]+$/.test(host) || host === '::ffff:0.0.0.0';
}
