/**
 * Downstream HTTP/2 (cleartext, prior knowledge) on node:http2. Each HTTP/2 stream becomes one
 * HttpStream, exactly like an HTTP/1.1 request; the upstream side stays HTTP/1.1 with pooled
 * connections. node:http2 does the framing, flow control and HPACK; we only adapt the API.
 */
import { Buffer } from 'node:buffer';
import { nextConnectionId } from './connection-id.js';
import { joinHostPort } from './endpoint-text.js';
import type { UpstreamTunnelEnd } from './upgrade-tunnel.js';
import http2 from 'node:http2';
import type net from 'node:net';
import type { Http1MessageHead } from '../codec/http1-parser.js';
import type { ConnectionManagerConfig } from './connection-manager-config.js';
import type { ConnectionIdentity, DownstreamConnection } from './downstream.js';
import { HttpStream } from './http-stream.js';

/** The largest HTTP/2 stream id: a GOAWAY naming it refuses nothing yet (RFC 9113 §6.8). */
const MAX_STREAM_ID = 2 ** 31 - 1;

/**
 * What the streams of one HTTP/2 connection report about it: one connection id for all of them
 * (Envoy's %CONNECTION_ID% names the downstream connection) and its addresses, read once.
 */
function identityOf(socket: net.Socket | undefined): ConnectionIdentity {
  const remoteAddress = socket?.remoteAddress ?? '';
  const remotePort = socket?.remotePort ?? 0;
  const localAddress = socket?.localAddress ?? '';
  const localPort = socket?.localPort ?? 0;
  return {
    connectionId: nextConnectionId(),
    remoteAddress,
    remotePort,
    localAddress,
    localPort,
    remoteEndpoint: joinHostPort(remoteAddress, remotePort),
    localEndpoint: joinHostPort(localAddress, localPort),
  };
}

export class Http2Downstream {
  private readonly server: http2.Http2Server;
  /** The open sessions, each with what its streams report about the connection. */
  private readonly sessions = new Map<http2.Http2Session, ConnectionIdentity>();

  constructor(private readonly currentConfig: () => ConnectionManagerConfig) {
    this.server = http2.createServer({ maxSessionMemory: 64 });
    this.server.on('session', (session: http2.ServerHttp2Session) => {
      const config = this.currentConfig();
      config.stats.downstreamCxTotal.inc();
      config.stats.downstreamCxActive.inc();
      config.stats.downstreamCxHttp2Total.inc();
      config.stats.downstreamCxHttp2Active.inc();
      this.sessions.set(session, identityOf(session.socket));
      session.once('close', () => {
        this.sessions.delete(session);
        config.stats.downstreamCxActive.dec();
        config.stats.downstreamCxHttp2Active.dec();
        config.stats.downstreamCxDestroy.inc();
      });
      session.on('error', noop);
    });
    this.server.on('stream', (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
      const session = stream.session;
      const connection = (session !== undefined ? this.sessions.get(session) : undefined) ?? identityOf(undefined);
      new Http2StreamAdapter(stream, headers, this.currentConfig(), connection);
    });
  }

  /** Takes a socket whose first bytes (already read) were the HTTP/2 preface. */
  accept(socket: net.Socket, first: Buffer | null): void {
    if (first !== null) socket.unshift(first);
    this.server.emit('connection', socket);
  }

  get idle(): boolean {
    return this.sessions.size === 0;
  }

  /**
   * Envoy's HTTP/2 drain: a GOAWAY "shutdown notification" (last stream id 2^31-1, so streams the
   * client already sent still count) at once, then after the HCM's drain_timeout the final GOAWAY
   * naming the last stream taken (node:http2 `close()`); streams in flight still finish.
   */
  drain(): void {
    const config = this.currentConfig();
    const drainTimeoutMs = config.view.drainTimeoutMs;
    for (const session of this.sessions.keys()) {
      if (session.closed || session.destroyed) continue;
      config.stats.downstreamCxDrainClose.inc();
      session.goaway(http2.constants.NGHTTP2_NO_ERROR, MAX_STREAM_ID);
      const final = setTimeout(() => {
        if (!session.closed && !session.destroyed) session.close();
      }, drainTimeoutMs);
      final.unref();
      session.once('close', () => clearTimeout(final));
    }
  }

  destroy(): void {
    for (const session of this.sessions.keys()) session.destroy();
  }
}

/** One HTTP/2 stream seen as a DownstreamConnection by HttpStream. */
class Http2StreamAdapter implements DownstreamConnection {
  readonly protocol = 'HTTP/2';
  readonly isTls = false;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteEndpoint: string;
  readonly localEndpoint: string;
  readonly connectionId: number;
  readonly closeAfterResponse = false;
  bytesSent = 0;
  private readonly h2: http2.ServerHttp2Stream;
  private readonly stream: HttpStream;
  private done = false;

  constructor(h2: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, config: ConnectionManagerConfig, connection: ConnectionIdentity) {
    this.h2 = h2;
    this.remoteAddress = connection.remoteAddress;
    this.remotePort = connection.remotePort;
    this.localAddress = connection.localAddress;
    this.localPort = connection.localPort;
    this.remoteEndpoint = connection.remoteEndpoint;
    this.localEndpoint = connection.localEndpoint;
    this.connectionId = connection.connectionId;
    const stream = (this.stream = new HttpStream(this, config));
    config.stats.downstreamRqHttp2Total.inc();

    const flat: string[] = [];
    let contentLength = -1;
    for (const name of Object.keys(headers)) {
      if (name.charCodeAt(0) === 58 /* : */) continue;
      const value = headers[name];
      if (value === undefined) continue;
      if (name === 'content-length') contentLength = Number(value);
      if (Array.isArray(value)) for (const v of value) flat.push(name, v);
      else flat.push(name, value);
    }
    const authority = String(headers[':authority'] ?? headers.host ?? '').toLowerCase();
    if (headers.host === undefined && authority !== '') flat.push('host', authority);
    const hasBody = !h2.endAfterHeaders;
    const head: Http1MessageHead = {
      method: String(headers[':method'] ?? 'GET'),
      url: String(headers[':path'] ?? '/'),
      statusCode: 0,
      statusMessage: '',
      versionMinor: 1,
      headers: flat,
      contentLength: hasBody ? contentLength : 0,
      chunked: hasBody && contentLength < 0,
      keepAlive: true,
      upgrade: false,
    };
    h2.on('data', (chunk: Buffer) => stream.onRequestBody(chunk));
    h2.on('end', () => stream.onRequestComplete());
    h2.on('drain', () => stream.onDownstreamDrain());
    h2.on('close', () => {
      if (!this.done) {
        this.done = true;
        stream.onDownstreamReset();
      }
    });
    h2.on('error', noop);
    stream.start(head, authority, head.url);
    if (!hasBody) stream.onRequestComplete();
  }

  writeResponseHead(status: number, headers: string[], contentLength: number, noBody: boolean): void {
    if (this.h2.destroyed || this.h2.headersSent) return;
    const out: http2.OutgoingHttpHeaders = { ':status': status };
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i];
      const prev = out[name];
      if (prev === undefined) out[name] = headers[i + 1];
      else if (Array.isArray(prev)) prev.push(headers[i + 1]);
      else out[name] = [String(prev), headers[i + 1]];
    }
    if (contentLength >= 0 && !(noBody && status === 204)) out['content-length'] = contentLength;
    this.h2.respond(out, { endStream: false });
  }

  writeResponseBody(chunk: Buffer | string): boolean {
    if (this.h2.destroyed) return true;
    this.bytesSent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    // A Buffer may be the upstream's shared read buffer, valid only now: http2 queues a copy.
    return this.h2.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk));
  }

  flushResponse(): void {
    // node:http2 frames and flushes its own writes.
  }

  endResponse(): void {
    this.done = true;
    if (!this.h2.destroyed) this.h2.end();
  }

  resetResponse(): void {
    this.done = true;
    if (!this.h2.destroyed) this.h2.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }

  pauseRequest(): void {
    this.h2.pause();
  }

  resumeRequest(): void {
    this.h2.resume();
  }

  upgradeToTunnel(upstream: UpstreamTunnelEnd): void {
    // Extended CONNECT is not supported on HTTP/2 downstream; an upgrade never reaches here.
    upstream.socket.destroy();
    this.resetResponse();
  }
}

function noop(): void {}
