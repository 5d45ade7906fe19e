/**
 * HTTP/1.1 connection pool to one host (Envoy's Http1::ConnPoolImpl): one request per connection,
 * idle connections reused LIFO (the most recently used socket is the warmest and least likely to
 * have been closed by the peer), new connections created while the cluster's max_connections
 * allows, otherwise requests wait in a FIFO queue bounded by max_pending_requests.
 *
 *   acquire(waiter) ─► idle.pop() ──► waiter.onPoolReady(conn)             (no I/O)
 *                   └► connect() ───► onConnected ─► first queued waiter
 *                   └► pending.push(waiter) when at max_connections
 *   release(conn)   ─► next pending waiter, else idle.push(conn)
 */
import { ProxyError, ResponseFlag } from '../codec/response-flags.js';
import type { Host } from './host.js';
import type { ResourceManager } from './resource-manager.js';
import { UpstreamConnection, type ConnectionOwner, type UpstreamConnectionOptions } from './upstream-connection.js';
import type { ClusterStats } from './cluster-stats.js';

/** Who waits for a connection: the HTTP stream. */
export interface PoolWaiter {
  onPoolReady(conn: UpstreamConnection): void;
  onPoolFailure(error: ProxyError): void;
}

export class Http1ConnectionPool implements ConnectionOwner {
  private readonly idle: UpstreamConnection[] = [];
  private readonly pending: PoolWaiter[] = [];
  private pendingHead = 0;
  /** Connections being established, not yet assigned. */
  private connecting = 0;
  private total = 0;
  private draining = false;

  constructor(
    readonly host: Host,
    private readonly resources: ResourceManager,
    private readonly stats: ClusterStats,
    private readonly options: UpstreamConnectionOptions,
  ) {}

  get activeConnections(): number {
    return this.total;
  }

  /** Gets a connection for `waiter`, now (synchronously) when one is idle, else later. */
  acquire(waiter: PoolWaiter): void {
    const conn = this.idle.pop();
    if (conn !== undefined) {
      waiter.onPoolReady(conn);
      return;
    }
    if (!this.resources.canQueueRequest()) {
      this.stats.upstreamRqPendingOverflow.inc();
      waiter.onPoolFailure(new ProxyError(ResponseFlag.UpstreamOverflow, 'upstream', false, 'pending requests overflow'));
      return;
    }
    this.pending.push(waiter);
    this.resources.incPending();
    this.stats.upstreamRqPendingTotal.inc();
    this.stats.upstreamRqPendingActive.inc();
    if (this.connecting < this.pendingCount()) this.tryConnect();
  }

  /** Removes a waiter that no longer wants a connection (client went away, timeout). */
  cancel(waiter: PoolWaiter): void {
    const i = this.pending.indexOf(waiter, this.pendingHead);
    if (i === -1) return;
    this.pending.splice(i, 1);
    this.dequeued();
  }

  /** Closes idle connections and refuses new ones; busy ones close when their response ends. */
  drain(): void {
    this.draining = true;
    for (const conn of this.idle.splice(0)) conn.destroy();
  }

  // --- ConnectionOwner ----------------------------------------------------------------------

  onIdleTimeout(_conn: UpstreamConnection): void {
    this.stats.upstreamCxIdleTimeout.inc();
  }
  onConnected(conn: UpstreamConnection): void {
    this.connecting--;
    const waiter = this.shift();
    if (waiter !== undefined) waiter.onPoolReady(conn);
    else this.idle.push(conn);
  }

  onConnectFailed(conn: UpstreamConnection, error: ProxyError): void {
    this.connecting--;
    this.removed(conn);
    this.stats.upstreamCxConnectFail.inc();
    if (error.details === 'connection timeout') this.stats.upstreamCxConnectTimeout.inc();
    // Envoy fails one pending request per failed connection attempt.
    const waiter = this.shift();
    if (waiter !== undefined) waiter.onPoolFailure(error);
  }

  onReleased(conn: UpstreamConnection, reusable: boolean): void {
    if (!reusable) return;
    if (this.draining) {
      // The host was removed (EDS) or its cluster replaced: its last requests are done, close.
      conn.destroy();
      return;
    }
    const waiter = this.shift();
    if (waiter !== undefined) waiter.onPoolReady(conn);
    else this.idle.push(conn);
  }

  onClosed(conn: UpstreamConnection): void {
    const i = this.idle.indexOf(conn);
    if (i !== -1) this.idle.splice(i, 1);
    this.removed(conn);
    // A waiter may have been queued behind this connection's slot.
    if (this.pendingCount() > this.connecting && !this.draining) this.tryConnect();
  }

  // --- internals ----------------------------------------------------------------------------
  /**
   * Opens a connection for the queue when max_connections allows (else counts
   * upstream_cx_overflow and the waiter stays queued for a released connection). As Envoy's
   * ConnPoolImplBase::tryCreateNewConnection, a pool with no connection at all opens one anyway:
   * other hosts of the cluster holding every slot must not strand this host's queue.
   */
  private tryConnect(): void {
    const allowed = this.resources.canCreateConnection();
    if (!allowed) this.stats.upstreamCxOverflow.inc();
    if (allowed || this.total === 0) this.connect();
  }

  private connect(): void {
    this.connecting++;
    this.total++;
    this.resources.incConnections();
    this.stats.upstreamCxTotal.inc();
    this.stats.upstreamCxActive.inc();
    new UpstreamConnection(this.host, this, this.options, this.stats);
  }

  private removed(_conn: UpstreamConnection): void {
    this.total--;
    this.resources.decConnections();
    this.stats.upstreamCxActive.dec();
    this.stats.upstreamCxDestroy.inc();
  }

  private pendingCount(): number {
    return this.pending.length - this.pendingHead;
  }

  private shift(): PoolWaiter | undefined {
    if (this.pendingHead >= this.pending.length) return undefined;
    const waiter = this.pending[this.pendingHead++];
    if (this.pendingHead > 64 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    this.dequeued();
    return waiter;
  }

  private dequeued(): void {
    this.resources.decPending();
    this.stats.upstreamRqPendingActive.dec();
  }
}
