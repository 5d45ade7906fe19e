/**
 * HTTP/1.1 active health checks (Envoy's HttpHealthCheckerImpl), on raw sockets with our own
 * response parser (codec/), independent of the data path's pools so checks never take a
 * request's connection or count in its stats.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/health_check.proto#config-core-v3-healthcheck-httphealthcheck
 *
 *   GET <path> HTTP/1.1              method from http_health_check.method (Envoy default GET)
 *   host: <host> | endpoint hostname | cluster name      (Envoy's getHostname order)
 *   user-agent: Envoy/HC
 *
 * A status inside expected_statuses (default [200, 201)) passes. Any other status is an ACTIVE
 * failure and, as in Envoy, ejects the host at once — unless it is in retriable_statuses, which
 * like network failures and timeouts waits for unhealthy_threshold. A refused or reset connection, or a malformed response, is a NETWORK failure.
 * The connection is kept for the next check (reuse_connection, Envoy default true) unless the
 * response said `connection: close` or the check failed. As in Envoy, no
 * x-envoy-expected-rq-timeout-ms is sent: the checker's own timeout bounds the check.
 */
import net from 'node:net';
import { Http1Parser, MessageKind, type Http1MessageHead, type Http1ParserHandler } from '../codec/http1-parser.js';
import type { Host } from '../upstream/host.js';
import { HealthCheckSession, HealthChecker } from './health-checker.js';
import { SocketHealthCheckSession } from './socket-health-check-session.js';

/** Envoy's upstream header limit, also used for health check responses. */
const MAX_HEADER_BYTES = 60 * 1024;

type HttpCheckerConfig = Extract<import('../../xds/resources/cluster.types.js').HealthCheck['checker'], { kind: 'http' }>;

export class HttpHealthChecker extends HealthChecker {
  readonly checkerType = 'HTTP' as const;

  protected createSession(host: Host): HealthCheckSession {
    const http = this.config.checker as HttpCheckerConfig;
    const authority = http.host !== '' ? http.host : host.hostname !== '' ? host.hostname : this.target.name;
    const request = `${http.method} ${http.path} HTTP/1.1\r\nhost: ${authority}\r\nuser-agent: Envoy/HC\r\n\r\n`;
    return new HttpHealthCheckSession(this, host, request, http.expectedStatuses, http.retriableStatuses);
  }
}

class HttpHealthCheckSession extends SocketHealthCheckSession implements Http1ParserHandler {
  private readonly parser: Http1Parser;
  private statusCode = 0;
  private keepAlive = true;

  constructor(
    checker: HealthChecker,
    host: Host,
    private readonly request: string,
    private readonly expected: readonly (readonly [number, number])[],
    private readonly retriable: readonly (readonly [number, number])[],
  ) {
    super(checker, host);
    this.parser = new Http1Parser(MessageKind.Response, this, { maxHeaderBytes: MAX_HEADER_BYTES, maxHeadersCount: 200 });
  }

  protected onInterval(): void {
    if (this.socket === null) this.connect();
    this.statusCode = 0;
    this.expecting = true;
    if (this.checker.config.checker.kind === 'http' && this.checker.config.checker.method === 'HEAD') this.parser.expectNoBody();
    this.socket!.write(this.request);
  }

  protected onTimeout(): void {
    this.closeSocket();
  }

  protected onStop(): void {
    this.closeSocket();
  }

  // --- parser ------------------------------------------------------------------------------
  onMessageHead(head: Http1MessageHead): void {
    this.statusCode = head.statusCode;
    this.keepAlive = head.keepAlive;
  }

  onBody(): void {
    // The body is not inspected (Envoy's `receive` matching is not supported).
  }

  onMessageComplete(): void {
    if (!this.expecting) return;
    this.expecting = false;
    const ok = inRanges(this.statusCode, this.expected);
    if (!ok || !this.keepAlive || !this.checker.config.reuseConnection) this.closeSocket();
    if (ok) this.handleSuccess();
    else this.handleFailure('ACTIVE', inRanges(this.statusCode, this.retriable));
  }

  onError(): void {
    this.failNetwork();
  }

  // --- socket ------------------------------------------------------------------------------
  private connect(): void {
    const socket = net.connect({ host: this.host.ip, port: this.host.healthCheckPort, noDelay: true });
    this.socket = socket;
    this.parser.reset();
    this.keepAlive = true;
    // Per-connection closures are fine here: one connection per host per interval at most.
    socket.on('data', (data: Buffer) => {
      if (this.socket === socket) this.parser.execute(data);
    });
    socket.on('end', () => {
      if (this.socket === socket && this.expecting) this.parser.finish();
    });
    socket.on('error', () => {
      if (this.socket === socket) this.failNetwork();
    });
    socket.on('close', () => {
      if (this.socket === socket) this.failNetwork();
    });
  }
}

function inRanges(status: number, ranges: readonly (readonly [number, number])[]): boolean {
  for (let i = 0; i < ranges.length; i++) if (status >= ranges[i][0] && status < ranges[i][1]) return true;
  return false;
}
