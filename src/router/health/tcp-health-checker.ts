/**
 * TCP active health checks (Envoy's TcpHealthCheckerImpl).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/health_check.proto#config-core-v3-healthcheck-tcphealthcheck
 *
 *   connect-only (no send, no receive): the connection is established → pass
 *   send: the payload is written once connected
 *   receive: every payload must appear in the bytes read, in order (Envoy's "fuzzy" match) → pass
 *
 * A refused, reset or closed connection before a pass is a NETWORK failure (unhealthy_threshold
 * applies). Each check opens a fresh connection and closes it after the result, so a host that
 * stops accepting is seen on the next check (we do not keep TCP check connections).
 */
import net from 'node:net';
import { Buffer } from 'node:buffer';
import type { Host } from '../upstream/host.js';
import { HealthCheckSession, HealthChecker } from './health-checker.js';
import { SocketHealthCheckSession } from './socket-health-check-session.js';

type TcpCheckerConfig = Extract<import('../../xds/resources/cluster.types.js').HealthCheck['checker'], { kind: 'tcp' }>;

/** Bytes kept while waiting for the receive payloads. */
const MAX_RECEIVE_BYTES = 64 * 1024;

export class TcpHealthChecker extends HealthChecker {
  readonly checkerType = 'TCP' as const;

  protected createSession(host: Host): HealthCheckSession {
    return new TcpHealthCheckSession(this, host, this.config.checker as TcpCheckerConfig);
  }
}

class TcpHealthCheckSession extends SocketHealthCheckSession {
  private received: Buffer = Buffer.alloc(0);

  constructor(
    checker: HealthChecker,
    host: Host,
    private readonly tcp: TcpCheckerConfig,
  ) {
    super(checker, host);
  }

  protected onInterval(): void {
    this.closeSocket();
    this.expecting = true;
    this.received = Buffer.alloc(0);
    const socket = net.connect({ host: this.host.ip, port: this.host.healthCheckPort, noDelay: true });
    this.socket = socket;
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      if (this.tcp.send !== null) socket.write(this.tcp.send);
      if (this.tcp.receive.length === 0) this.pass();
    });
    socket.on('data', (data: Buffer) => {
      if (this.socket !== socket) return;
      this.received = Buffer.concat([this.received, data]);
      if (matchesInOrder(this.received, this.tcp.receive)) this.pass();
      else if (this.received.length > MAX_RECEIVE_BYTES) this.failNetwork();
    });
    socket.on('error', () => {
      if (this.socket === socket) this.failNetwork();
    });
    socket.on('close', () => {
      if (this.socket === socket) this.failNetwork();
    });
  }

  protected onTimeout(): void {
    this.expecting = false;
    this.closeSocket();
  }

  protected onStop(): void {
    this.closeSocket();
  }

  private pass(): void {
    if (!this.expecting) return;
    this.expecting = false;
    this.closeSocket();
    this.handleSuccess();
  }
}

/** Envoy TcpHealthCheckMatcher::match: each payload found after the previous one. */
export function matchesInOrder(data: Buffer, payloads: readonly Buffer[]): boolean {
  let from = 0;
  for (const p of payloads) {
    const at = data.indexOf(p, from);
    if (at === -1) return false;
    from = at + p.length;
  }
  return true;
}
