/**
 * What the HTTP and TCP health check sessions share: the one socket a check runs on, whether a
 * result is still expected from it, and the two ways that socket ends a check (closed by us, or
 * failed by the network: a NETWORK failure, Envoy's network_failure stat).
 */
import type net from 'node:net';
import { HealthCheckSession } from './health-checker.js';

export abstract class SocketHealthCheckSession extends HealthCheckSession {
  protected socket: net.Socket | null = null;
  /** True while the current check waits for its answer. */
  protected expecting = false;

  /** The socket broke (error, close, bad bytes) while a check was out: a NETWORK failure. */
  protected failNetwork(): void {
    this.closeSocket();
    if (!this.expecting) return;
    this.expecting = false;
    this.handleFailure('NETWORK');
  }

  protected closeSocket(): void {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    socket.destroy();
  }
}
