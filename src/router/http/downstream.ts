/**
 * What an HTTP stream needs from its downstream connection, whatever the protocol (our HTTP/1.1
 * codec on a raw socket, or a node:http2 stream). The stream calls these; the connection calls the
 * stream's `onRequest*` methods.
 */
import type { UpstreamTunnelEnd } from './upgrade-tunnel.js';

/** Which connection a stream came on: its id (%CONNECTION_ID%) and both ends. */
export interface ConnectionIdentity {
  readonly connectionId: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** 'ip:port' ('[v6]:port'; IPv4-mapped shown as IPv4) of the peer and of our side, for the access log. */
  readonly remoteEndpoint: string;
  readonly localEndpoint: string;
}

export interface DownstreamConnection extends ConnectionIdentity {
  /** 'HTTP/1.1', 'HTTP/1.0' or 'HTTP/2', for %PROTOCOL% and x-forwarded-proto decisions. */
  readonly protocol: string;
  readonly isTls: boolean;
  /**
   * Writes the response head. `contentLength` is -1 when unknown (the connection frames the
   * body: chunked on HTTP/1.1, close-delimited on HTTP/1.0, DATA frames on HTTP/2).
   * `headers` is flat [name, value, …] with lower-case names and no hop-by-hop headers.
   */
  writeResponseHead(status: number, headers: string[], contentLength: number, noBody: boolean): void;
  /**
   * Writes body bytes. They are valid only during the call (upstream reads reuse one buffer), so a
   * connection that keeps or queues them copies. False when the peer is slow: the stream pauses its
   * upstream until onDownstreamDrain.
   */
  writeResponseBody(chunk: Buffer | string): boolean;
  /**
   * Sends whatever the connection held back to coalesce writes (HTTP/1.1 keeps the head and the
   * first body chunk until the end of the upstream read); the stream calls it after each upstream
   * read, so a streamed response never waits for more upstream bytes.
   */
  flushResponse(): void;
  /** Ends the response (flushing what was held); the connection may start the next request. */
  endResponse(): void;
  /** Aborts the response mid-way (upstream reset after headers): the client sees a truncated message. */
  resetResponse(): void;
  /** Stops / restarts reading the request body (backpressure towards the client). */
  pauseRequest(): void;
  resumeRequest(): void;
  /** The upstream answered 101: from now on the connection is a byte tunnel to `upstream`. */
  upgradeToTunnel(upstream: UpstreamTunnelEnd, upstreamRemainder: Buffer | null): void;
  /** Bytes received / sent on behalf of the current stream (for %BYTES_*%). */
  readonly bytesSent: number;
  /** True when this response must close the connection (HTTP/1.0, Connection: close, draining). */
  readonly closeAfterResponse: boolean;
}
