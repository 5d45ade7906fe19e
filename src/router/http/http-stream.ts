/**
 * One request/response exchange through the router (Envoy's ActiveStream + router filter, for
 * the HTTP/1.1 upstream path). Every field is initialized in the constructor so all streams share
 * one hidden class; lifecycle steps are methods called by the downstream connection, the upstream
 * connection, the pool and the timer — no per-request closures.
 *
 *   start(head) ─► route ─► filters ─► resumeAfterFilters ─► cluster.chooseHost ─► pool.acquire ─► onPoolReady: write head (+ body)
 *        │ local reply (NR, UH, UO, RL, redirect, direct response)   │ async filter (RLS): Phase.Filters, body held
 *   onRequestBody/Complete ─► upstream.write           (paused both ways under backpressure)
 *   onUpstreamHead/Body/Complete ─► downstream.write*  ─► finish(): stats, access log
 *   onUpstreamReset / onPoolFailure / onTimer / onDownstreamReset ─► local reply or reset
 *
 * With a route retry_policy (RetryState, retry-state.ts) a failed attempt that no response byte
 * went downstream for is dropped and, after a back-off, sent again (another host with
 * previous_hosts; the body replayed from its buffer):
 *
 *   Upstream ─ retriable head / reset / per-try timeout ─► RetryBackoff ─ timer ─► sendUpstream
 */
import { randomUUID } from 'node:crypto';
import { FastTimer, type TimerTarget } from '../../common/fast-timers.js';
import type { Http1MessageHead } from '../codec/http1-parser.js';
import { ProxyError, ResponseFlag } from '../codec/response-flags.js';
import type { CompiledRoute } from '../routing/route-table.js';
import type { PoolWaiter } from '../upstream/connection-pool.js';
import type { LbContext } from '../upstream/lb/load-balancer.js';
import { ResetReason } from '../routing/compiled-retry-policy.js';
import { OutlierResult, type Host } from '../upstream/host.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamConnection, UpstreamStreamHandler } from '../upstream/upstream-connection.js';
import type { ConnectionManagerConfig } from './connection-manager-config.js';
import type { DownstreamConnection } from './downstream.js';
import { getHeader } from './hop-by-hop.js';
import { isInternalAddress } from './internal-address.js';
import { localReplyFor } from './local-reply.js';
import { RetryState, RetryStatus, TIMER_PER_TRY, TIMER_PER_TRY_IDLE, TIMER_RETRY_BACKOFF } from './retry-state.js';
import { logStream } from './stream-log.js';
import { buildUpstreamRequestHead, responseHeadersFor } from './stream-headers.js';

const TIMER_ROUTE = 0;
/** HCM stream_idle_timeout, or the route's idle_timeout once routed. */
const TIMER_STREAM_IDLE = 1;
/** HCM request_timeout: the whole request must arrive within it. */
const TIMER_REQUEST = 2;

const enum Phase {
  Routing,
  /** Routed; a decoder filter (the global rate limit) is waiting for an answer. Body chunks are held. */
  Filters,
  WaitingForConnection,
  Upstream,
  /** A retry is scheduled: no attempt in flight until the back-off timer fires. */
  RetryBackoff,
  Done,
}

const NO_HEADERS: string[] = [];

export class HttpStream implements UpstreamStreamHandler, PoolWaiter, TimerTarget {
  readonly downstream: DownstreamConnection;
  readonly config: ConnectionManagerConfig;
  readonly startMs: number;
  readonly startHr: number;
  // request
  method = '';
  /** :path as received (origin-form), with the query. */
  path = '';
  authority = '';
  requestHeaders: string[] = NO_HEADERS;
  requestId = '';
  versionMinor = 1;
  requestHasBody = false;
  requestChunked = false;
  requestComplete = false;
  upgrade = false;
  bytesReceived = 0;
  // routing
  route: CompiledRoute | null = null;
  cluster: UpstreamCluster | null = null;
  host: Host | null = null;
  /** The host of the last attempt, kept for %UPSTREAM_HOST% after the attempt is released. */
  lastHost: Host | null = null;
  upstream: UpstreamConnection | null = null;
  upstreamHead = '';
  head: Http1MessageHead | null = null;
  /** Body bytes that arrived before the upstream connection was ready. */
  private pendingBody: Buffer[] | null = null;
  private pendingBodyBytes = 0;
  attempts = 0;
  /** Retry state; null unless the route has a retry_policy (no allocation otherwise). */
  retry: RetryState | null = null;
  private reusedConnection = false;
  /** The one transparent retry on a reused pooled connection the peer had closed was used. */
  private transparentRetried = false;
  // response
  responseCode = 0;
  responseHeaders: string[] | null = null;
  responseFlags = '';
  responseCodeDetails = '';
  responseStarted = false;
  upstreamStartHr = 0;
  upstreamServiceTimeMs = -1;
  responseBytes = 0;
  private phase: Phase = Phase.Routing;
  private readonly timer: FastTimer;
  /**
   * The stream idle timer is armed once and not re-armed per chunk: activity only stamps
   * `lastActivityMs`, and a firing timer that finds recent activity re-arms for the remainder.
   */
  private readonly idleTimer: FastTimer;
  private idleTimeoutMs: number;
  private lastActivityMs: number;
  private readonly requestTimer: FastTimer | null;

  constructor(downstream: DownstreamConnection, config: ConnectionManagerConfig) {
    this.downstream = downstream;
    this.config = config;
    this.startMs = Date.now();
    this.startHr = performance.now();
    this.timer = new FastTimer(this, TIMER_ROUTE);
    this.idleTimer = new FastTimer(this, TIMER_STREAM_IDLE);
    this.idleTimeoutMs = config.view.streamIdleTimeoutMs;
    this.lastActivityMs = this.startMs;
    this.requestTimer = config.view.requestTimeoutMs > 0 ? new FastTimer(this, TIMER_REQUEST) : null;
    if (this.idleTimeoutMs > 0) this.idleTimer.arm(this.idleTimeoutMs);
    if (this.requestTimer !== null) this.requestTimer.arm(config.view.requestTimeoutMs);
  }

  // --- downstream side ------------------------------------------------------------------------

  /** Called once with the request head; decides where the request goes. */
  start(head: Http1MessageHead, authority: string, path: string): void {
    const stats = this.config.stats;
    stats.downstreamRqTotal.inc();
    stats.downstreamRqActive.inc();
    this.method = head.method;
    this.path = path;
    this.authority = authority;
    this.versionMinor = head.versionMinor;
    this.requestHeaders = head.headers;
    this.requestChunked = head.chunked;
    this.requestHasBody = head.chunked || head.contentLength > 0;
    this.upgrade = head.upgrade;

    const view = this.config.view;
    let requestId = getHeader(head.headers, 'x-request-id');
    const external = view.useRemoteAddress && !isInternalAddress(this.downstream.remoteAddress);
    if (requestId === undefined || (external && !view.preserveExternalRequestId)) {
      requestId = view.generateRequestId ? randomUUID() : (requestId ?? '');
    }
    this.requestId = requestId;

    const vhost = this.config.routeTable.selectVirtualHost(authority);
    const route = vhost === null ? null : vhost.matchRoute(this.routeRequest(), Math.random());
    if (route === null) {
      stats.noRoute.inc();
      this.sendLocalReply(404, '', ResponseFlag.NoRouteFound, 'route_not_found');
      return;
    }
    this.route = route;
    if (route.idleTimeoutMs >= 0 && route.idleTimeoutMs !== this.idleTimeoutMs) {
      // Envoy: a route's idle_timeout overrides the connection manager's stream_idle_timeout.
      this.idleTimeoutMs = route.idleTimeoutMs;
      if (route.idleTimeoutMs === 0) this.idleTimer.disarm();
      else this.idleTimer.arm(route.idleTimeoutMs);
    }
    const limiter = this.config.localRateLimit;
    if (limiter !== null && limiter.limit(route, this, Math.random())) return;
    this.head = head;
    // Global rate limit (RLS): only routes with rate_limits reach the filter; it may make the stream wait.
    const rateLimit = this.config.rateLimit;
    if (rateLimit !== null && route.rateLimits.length > 0) {
      this.phase = Phase.Filters;
      if (rateLimit.start(route, this)) return;
      this.phase = Phase.Routing;
    }
    this.resumeAfterFilters();
  }

  /** True while a filter's asynchronous call holds the stream (RateLimitFilterStream). */
  get waitingForFilters(): boolean {
    return this.phase === Phase.Filters;
  }

  /**
   * The part of start() after the decoder filters: the route's action. Called by start() itself
   * or, once, by a filter that made the stream wait (its answer came and lets the request go on).
   */
  resumeAfterFilters(): void {
    this.phase = Phase.Routing;
    const stats = this.config.stats;
    const route = this.route!;
    const head = this.head!;
    const authority = this.authority;
    const action = route.action;
    if (action.kind === 'directResponse') {
      stats.rqDirectResponse.inc();
      this.sendLocalReply(action.status, action.body ?? '', '', 'direct_response');
      return;
    }
    if (action.kind === 'redirect') {
      stats.rqRedirect.inc();
      const location = route.redirectLocation(this.routeRequest(), authority);
      this.sendLocalReply(action.responseCode, '', '', 'direct_response', ['location', location]);
      return;
    }
    if (action.kind !== 'route') {
      this.sendLocalReply(404, '', ResponseFlag.NoRouteFound, 'route_not_found');
      return;
    }
    if (this.upgrade && !this.upgradeAllowed(route)) {
      stats.downstreamRqWsOnNonWsRoute.inc();
      this.sendLocalReply(403, '', '', 'upgrade_failed');
      return;
    }
    const clusterName = route.pickCluster(head.headers, Math.random());
    const cluster = clusterName === null ? undefined : this.config.clusters.get(clusterName);
    if (cluster === undefined) {
      stats.noCluster.inc();
      this.sendLocalReply(503, '', ResponseFlag.NoClusterFound, 'cluster_not_found');
      return;
    }
    this.cluster = cluster;
    const retryPolicy = route.compiledRetryPolicy;
    if (retryPolicy !== null && !this.upgrade) {
      const enabled = retryPolicy.retryOn !== 0 && (!retryPolicy.hasRequestHeaderMatchers || retryPolicy.retriesAllowed(this.routeRequest()));
      // No state when nothing of the policy applies to this request (per-try timeouts apply without retries).
      if (enabled || retryPolicy.perTryTimeoutMs > 0 || retryPolicy.perTryIdleTimeoutMs > 0) {
        this.retry = new RetryState(retryPolicy, cluster, enabled, route.timeoutMs, route.retryBufferLimitBytes, this.requestHasBody, this);
        const held = this.pendingBody;
        if (held !== null && this.retry.body !== null) this.bufferHeldBody(held);
      }
    }
    this.sendUpstream(false);
  }

  onRequestBody(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    this.lastActivityMs = Date.now();
    if (this.phase === Phase.Done) return;
    const retry = this.retry;
    const connected = this.upstream !== null && this.phase === Phase.Upstream;
    if (retry !== null && retry.body !== null) {
      const body = retry.body;
      if (retry.bufferBody(chunk)) {
        // Not connected (yet, or backing off): onPoolReady replays the whole buffer.
        if (!connected) return;
      } else if (!connected) {
        this.onRetryBufferOverflow(body.chunks, body.bytes);
        return;
      }
    }
    const framed = this.requestChunked;
    if (connected) {
      const ok = framed ? this.writeChunk(chunk) : this.upstream!.write(chunk);
      if (!ok) this.downstream.pauseRequest();
      return;
    }
    (this.pendingBody ??= []).push(chunk);
    this.pendingBodyBytes += chunk.length;
    if (this.pendingBodyBytes > (this.cluster?.config.perConnectionBufferLimitBytes ?? 1 << 20)) this.downstream.pauseRequest();
  }

  onRequestComplete(): void {
    this.requestComplete = true;
    if (this.requestTimer !== null) this.requestTimer.disarm();
    if (this.phase === Phase.Done) return;
    if (this.requestChunked && this.upstream !== null && this.phase === Phase.Upstream) this.upstream.write('0\r\n\r\n');
    // Envoy: the route timeout spans from the end of the downstream request to the end of the response.
    const route = this.route;
    if (route !== null && route.timeoutMs > 0 && !this.upgrade) this.timer.arm(route.timeoutMs);
    if (this.retry !== null && this.phase === Phase.Upstream && this.upstream !== null) this.retry.armPerTryTimeout();
  }

  /** The client went away or reset before the response finished. */
  onDownstreamReset(): void {
    if (this.phase === Phase.Done) return;
    this.config.stats.downstreamRqRxReset.inc();
    this.addFlag(ResponseFlag.DownstreamConnectionTermination);
    this.releaseUpstream(true);
    this.finish();
  }

  /** The downstream socket drained: let the upstream response flow again. */
  onDownstreamDrain(): void {
    if (this.upstream !== null) this.upstream.socket.resume();
  }

  // --- pool --------------------------------------------------------------------------------------

  onPoolReady(conn: UpstreamConnection): void {
    if (this.phase !== Phase.WaitingForConnection) {
      // We gave up while the connection was on its way: hand it back unused.
      conn.abort();
      return;
    }
    this.phase = Phase.Upstream;
    this.upstream = conn;
    this.reusedConnection = conn.requestsServed > 0;
    const outlier = this.host !== null ? this.host.outlier : null;
    if (outlier !== null) outlier.putResult(OutlierResult.LocalOriginConnectSuccess);
    this.upstreamStartHr = performance.now();
    conn.attach(this, this.method === 'HEAD');
    conn.socket.cork();
    conn.write(this.upstreamHead);
    const retry = this.retry;
    // Every attempt replays the whole buffered body; without a buffer, what arrived while connecting.
    const replay = retry !== null && retry.body !== null ? retry.body.chunks : null;
    const pending = replay !== null ? replay : this.pendingBody;
    if (pending !== null) {
      this.pendingBody = null;
      this.pendingBodyBytes = 0;
      for (let i = 0; i < pending.length; i++) {
        if (this.requestChunked) this.writeChunk(pending[i]);
        else conn.write(pending[i]);
      }
      this.downstream.resumeRequest();
    }
    if (this.requestComplete && this.requestChunked) conn.write('0\r\n\r\n');
    conn.socket.uncork();
    if (retry !== null) retry.onAttemptStarted(this.requestComplete);
  }

  onPoolFailure(error: ProxyError): void {
    if (this.phase !== Phase.WaitingForConnection) return;
    const host = this.host;
    // Envoy: a pool failure to connect is a local-origin failure of that host (not an overflow).
    if (host !== null && host.outlier !== null && error.flag === ResponseFlag.UpstreamConnectionFailure) {
      host.outlier.putResult(error.details === 'connection timeout' ? OutlierResult.LocalOriginTimeout : OutlierResult.LocalOriginConnectFailed);
    }
    const reason = error.flag === ResponseFlag.UpstreamOverflow ? ResetReason.Overflow : ResetReason.ConnectFailure;
    const status = this.retry === null ? RetryStatus.No : this.retryAttempt(reason, false);
    if (status === RetryStatus.Yes) return;
    // The host and its circuit-breaker slot are released by the local reply.
    this.failBeforeResponse(error, retryFlag(status));
  }

  // --- upstream side -----------------------------------------------------------------------------

  onUpstreamHead(head: Http1MessageHead): void {
    if (this.phase !== Phase.Upstream) return;
    const host = this.host;
    if (host !== null && host.outlier !== null) host.outlier.putHttpResponseCode(head.statusCode);
    const cluster = this.cluster!;
    const retry = this.retry;
    if (retry !== null) {
      retry.onUpstreamActivity();
      const status = retry.shouldRetryHeaders(head.statusCode, head.headers);
      if (status === RetryStatus.Yes) {
        this.retryResponse(head.statusCode);
        return;
      }
      retry.disarmPerTryTimeout();
      // Envoy: a retriable response that may not be retried is forwarded, flagged URX or UO.
      const flag = retryFlag(status);
      if (flag !== '') this.addFlag(flag);
    }
    this.timer.disarm();
    const now = performance.now();
    this.upstreamServiceTimeMs = Math.round(now - this.upstreamStartHr);
    this.lastActivityMs = Date.now();
    cluster.stats.recordResponseCode(head.statusCode);
    this.responseCode = head.statusCode;
    const headers = responseHeadersFor(this, head);
    this.responseHeaders = headers;
    this.responseStarted = true;
    const noBody = this.method === 'HEAD' || head.statusCode === 204 || head.statusCode === 304;
    this.downstream.writeResponseHead(head.statusCode, headers, head.chunked ? -1 : head.contentLength, noBody);
  }

  onUpstreamBody(chunk: Buffer): void {
    // A retried attempt's body (RetryBackoff) is read off the wire and dropped.
    if (this.phase !== Phase.Upstream) return;
    if (this.retry !== null) this.retry.onUpstreamActivity();
    this.responseBytes += chunk.length;
    this.lastActivityMs = Date.now();
    if (!this.downstream.writeResponseBody(chunk) && this.upstream !== null) this.upstream.socket.pause();
  }

  onUpstreamComplete(): void {
    if (this.phase === Phase.RetryBackoff) {
      // The retried response was read to its end: its connection went back to the pool.
      this.retry!.discarded = null;
      return;
    }
    if (this.phase !== Phase.Upstream) return;
    const host = this.host;
    if (host !== null) {
      host.rqSuccess++;
    }
    this.upstream = null;
    this.phase = Phase.Done;
    this.recordUpstreamEnd();
    this.downstream.endResponse();
    this.finish();
  }

  onUpstreamReset(error: ProxyError, responseStarted: boolean): void {
    if (this.phase === Phase.RetryBackoff) {
      // The connection of a retried response closed while we drained it.
      this.retry!.discarded = null;
      return;
    }
    if (this.phase !== Phase.Upstream) return;
    const cluster = this.cluster!;
    this.upstream = null;
    if (!this.responseStarted) {
      // A pooled connection the peer closed just as we reused it: retry a body-less request once
      // on a fresh connection instead of answering 503 (Envoy does the same for idempotent reuse races).
      // It is the same attempt again, not a retry: no retry budget, no x-envoy-attempt-count step.
      if (this.reusedConnection && !responseStarted && !this.requestHasBody && !this.transparentRetried && error.flag === ResponseFlag.UpstreamConnectionTermination) {
        this.transparentRetried = true;
        if (this.retry !== null) this.retry.endAttempt();
        this.releaseHost();
        this.sendUpstream(true);
        return;
      }
      cluster.stats.upstreamRqRxReset.inc();
      // Envoy's router reports a reset before the response as LocalOriginConnectFailed.
      const host = this.host;
      if (host !== null && host.outlier !== null) host.outlier.putResult(OutlierResult.LocalOriginConnectFailed);
      const status = this.retry === null ? RetryStatus.No : this.retryAttempt(ResetReason.Reset, true);
      if (status === RetryStatus.Yes) return;
      this.failBeforeResponse(error, retryFlag(status));
      return;
    }
    cluster.stats.upstreamRqRxReset.inc();
    this.addFlag(ResponseFlag.UpstreamConnectionTermination);
    this.phase = Phase.Done;
    this.recordUpstreamEnd();
    this.downstream.resetResponse();
    this.finish();
  }

  onUpstreamUpgraded(socket: import('node:net').Socket, remainder: Buffer | null): void {
    if (this.phase !== Phase.Upstream) {
      socket.destroy();
      return;
    }
    this.upstream = null;
    this.phase = Phase.Done;
    this.recordUpstreamEnd();
    this.downstream.upgradeToTunnel(socket, remainder);
    this.finish();
  }

  onUpstreamDrain(): void {
    this.downstream.resumeRequest();
  }

  onTimer(kind: number): void {
    if (this.phase === Phase.Done) return;
    if (kind === TIMER_STREAM_IDLE) return this.onStreamIdleTimer();
    if (kind === TIMER_RETRY_BACKOFF) return this.onRetryBackOff();
    if (kind === TIMER_PER_TRY || kind === TIMER_PER_TRY_IDLE) return this.onPerTryTimeout(kind);
    if (kind === TIMER_REQUEST) {
      // Envoy onRequestTimeout: 408 "request timeout" (a reset once the response has started).
      this.config.stats.downstreamRqTimeout.inc();
      this.sendLocalReply(408, 'request timeout', '', 'request_overall_timeout');
      return;
    }
    if (kind === TIMER_ROUTE) {
      if (this.cluster !== null) this.cluster.stats.upstreamRqTimeout.inc();
      const host = this.host;
      if (host !== null && host.outlier !== null) host.outlier.putResult(OutlierResult.LocalOriginTimeout);
      const error = new ProxyError(ResponseFlag.UpstreamRequestTimeout, 'upstream', false, 'timeout');
      if (!this.responseStarted) {
        this.releaseUpstream(true);
        this.failBeforeResponse(error);
      } else {
        this.addFlag(error.flag);
        this.releaseUpstream(true);
        this.phase = Phase.Done;
        this.downstream.resetResponse();
        this.finish();
      }
    }
  }

  /** Envoy onIdleTimeout: flag SI, 408 "stream timeout" before the response, else a reset. */
  private onStreamIdleTimer(): void {
    const quietMs = Date.now() - this.lastActivityMs;
    if (quietMs < this.idleTimeoutMs) {
      this.idleTimer.arm(this.idleTimeoutMs - quietMs);
      return;
    }
    this.config.stats.downstreamRqIdleTimeout.inc();
    this.sendLocalReply(408, 'stream timeout', ResponseFlag.StreamIdleTimeout, 'stream_idle_timeout');
  }

  // --- retries -----------------------------------------------------------------------------------

  /**
   * Asks the retry state about an attempt that ended without a response (`reason`); on Yes the
   * attempt is released and the back-off armed. The caller answers by itself on anything else.
   */
  private retryAttempt(reason: ResetReason, requestStarted: boolean): RetryStatus {
    const retry = this.retry!;
    retry.endAttempt();
    const status = retry.shouldRetryReset(reason, requestStarted);
    if (status !== RetryStatus.Yes) return status;
    if (this.host !== null) this.host.rqError++;
    this.releaseHost();
    this.phase = Phase.RetryBackoff;
    retry.scheduleRetry();
    return status;
  }

  /**
   * A retriable response head that will be retried: nothing of it goes downstream. When the
   * request is fully sent its connection keeps reading the response during the back-off and goes
   * back to the pool if it ends in time; otherwise it is reset (Envoy resets the upstream stream).
   */
  private retryResponse(status: number): void {
    const retry = this.retry!;
    const cluster = this.cluster!;
    cluster.stats.recordRetriedResponseCode(status);
    retry.endAttempt();
    const conn = this.upstream!;
    this.upstream = null;
    if (this.host !== null) this.host.rqError++;
    this.releaseHost();
    this.phase = Phase.RetryBackoff;
    if (this.requestComplete) retry.discarded = conn;
    else {
      cluster.stats.upstreamRqTxReset.inc();
      conn.abort();
    }
    retry.scheduleRetry();
  }

  /** The back-off is over: drop what is left of the retried response and start the next attempt. */
  private onRetryBackOff(): void {
    if (this.phase !== Phase.RetryBackoff) return;
    const retry = this.retry!;
    const conn = retry.discarded;
    if (conn !== null) {
      retry.discarded = null;
      this.cluster!.stats.upstreamRqTxReset.inc();
      conn.abort();
    }
    this.sendUpstream(false);
  }

  /** per_try_timeout / per_try_idle_timeout: 504 UT for this try, retried like a reset (Envoy onPerTryTimeout). */
  private onPerTryTimeout(kind: number): void {
    if (this.phase !== Phase.Upstream) return;
    const retry = this.retry!;
    if (kind === TIMER_PER_TRY_IDLE && retry.perTryIdleRemainingMs() > 0) return;
    const cluster = this.cluster!;
    if (kind === TIMER_PER_TRY) cluster.stats.upstreamRqPerTryTimeout.inc();
    else cluster.stats.upstreamRqPerTryIdleTimeout.inc();
    const host = this.host;
    if (host !== null && host.outlier !== null) host.outlier.putResult(OutlierResult.LocalOriginTimeout);
    const details = kind === TIMER_PER_TRY ? 'upstream_per_try_timeout' : 'upstream_per_try_idle_timeout';
    const conn = this.upstream;
    this.upstream = null;
    if (conn !== null) {
      cluster.stats.upstreamRqTxReset.inc();
      conn.abort();
    }
    if (this.responseStarted) {
      // Too late to retry or answer: reset the response that started.
      this.addFlag(ResponseFlag.UpstreamRequestTimeout);
      this.responseCodeDetails = details;
      this.phase = Phase.Done;
      this.recordUpstreamEnd();
      this.downstream.resetResponse();
      this.finish();
      return;
    }
    const status = this.retryAttempt(ResetReason.LocalReset, true);
    if (status === RetryStatus.Yes) return;
    this.failBeforeResponse(new ProxyError(ResponseFlag.UpstreamRequestTimeout, 'upstream', true, details), retryFlag(status));
  }

  /**
   * The body outgrew the retry buffer before this attempt was connected. Retries are off from
   * here; a pending attempt sends the buffer as its body. During a back-off there is nothing left
   * to send it to: Envoy answers 507.
   */
  private onRetryBufferOverflow(chunks: Buffer[], bytes: number): void {
    if (this.phase === Phase.RetryBackoff) {
      this.sendLocalReply(507, 'exceeded request buffer limit while retrying upstream', '', 'request_payload_exceeded_retry_buffer_limit');
      return;
    }
    this.pendingBody = chunks;
    this.pendingBodyBytes = bytes;
    if (bytes > (this.cluster?.config.perConnectionBufferLimitBytes ?? 1 << 20)) this.downstream.pauseRequest();
  }

  // --- helpers -----------------------------------------------------------------------------------

  /**
   * Body that arrived while a filter held the stream goes into the retry buffer, as if it came
   * now. Past the buffer limit retries are off and the held chunks stay the attempt's body.
   */
  private bufferHeldBody(held: Buffer[]): void {
    const retry = this.retry!;
    let all = true;
    for (let i = 0; i < held.length && all; i++) all = retry.bufferBody(held[i]);
    if (!all) return;
    this.pendingBody = null;
    this.pendingBodyBytes = 0;
  }

  /** Starts an attempt (`transparent`: the same attempt again on a fresh connection). */
  private sendUpstream(transparent: boolean): void {
    const cluster = this.cluster!;
    const route = this.route!;
    // Envoy: max_requests is checked for every attempt, retries included (answered 503 UO).
    if (!cluster.resources.canSendRequest()) {
      cluster.stats.upstreamRqPendingOverflow.inc();
      this.failBeforeResponse(new ProxyError(ResponseFlag.UpstreamOverflow, 'upstream', false, 'overflow'));
      return;
    }
    if (!transparent) this.attempts++;
    const retry = this.retry;
    let ctx: LbContext = route.lbContext(this);
    if (retry !== null && this.attempts > 1) {
      // Retry attempts pick through the retry state: previous_hosts asks for a host not tried yet.
      retry.hashKey = ctx.hashKey;
      ctx = retry;
    }
    const host = cluster.chooseHost(ctx);
    if (host === null) {
      cluster.stats.upstreamCxNoneHealthy.inc();
      this.failBeforeResponse(new ProxyError(ResponseFlag.NoHealthyUpstream, 'upstream', false, 'no healthy upstream'));
      return;
    }
    if (retry !== null) retry.onHostAttempted(host);
    this.host = host;
    this.lastHost = host;
    this.upstreamHead = buildUpstreamRequestHead(this, route, this.head!, host);
    host.activeRequests++;
    host.rqTotal++;
    cluster.resources.incRequests();
    cluster.stats.upstreamRqTotal.inc();
    cluster.stats.upstreamRqActive.inc();
    this.phase = Phase.WaitingForConnection;
    host.pool!.acquire(this);
  }

  private writeChunk(chunk: Buffer): boolean {
    const conn = this.upstream!;
    conn.write(chunk.length.toString(16) + '\r\n');
    conn.write(chunk);
    return conn.write('\r\n');
  }

  /** Gives the host and circuit-breaker slot of the current attempt back. */
  private releaseHost(): void {
    const host = this.host;
    if (host === null) return;
    this.host = null;
    host.activeRequests--;
    const cluster = this.cluster!;
    cluster.resources.decRequests();
    cluster.stats.upstreamRqActive.dec();
  }

  /** Drops the upstream side of the exchange; `abort` destroys a connection mid-exchange. */
  private releaseUpstream(abort: boolean): void {
    this.timer.disarm();
    if (this.retry !== null) this.retry.release();
    if (this.phase === Phase.WaitingForConnection && this.host !== null) this.host.pool!.cancel(this);
    const conn = this.upstream;
    this.upstream = null;
    if (conn !== null && abort) {
      this.cluster?.stats.upstreamRqTxReset.inc();
      conn.abort();
    }
    this.releaseHost();
  }

  private recordUpstreamEnd(): void {
    const cluster = this.cluster;
    if (cluster === null) return;
    cluster.stats.upstreamRqCompleted.inc();
    cluster.stats.upstreamRqTime.record(performance.now() - this.upstreamStartHr);
    this.releaseHost();
  }

  /** A failure before any response byte went out: answer with Envoy's local reply. */
  private failBeforeResponse(error: ProxyError, retryFlag = ''): void {
    if (this.host !== null) this.host.rqError++;
    this.releaseHost();
    const reply = localReplyFor(error);
    // Envoy's router adds x-envoy-overloaded to overflow replies unless suppress_envoy_headers.
    const extra = error.flag === ResponseFlag.UpstreamOverflow && !this.config.view.suppressEnvoyHeaders ? ['x-envoy-overloaded', 'true'] : null;
    // Envoy prints flags in its bit order: the failure's own flag (UF, UC, UT…) before UO / URX.
    if (retryFlag !== '' && retryFlag !== error.flag) {
      this.addFlag(error.flag);
      this.sendLocalReply(reply.status, reply.body, retryFlag, error.details, extra);
      return;
    }
    this.sendLocalReply(reply.status, reply.body, error.flag, error.details, extra);
  }

  /** Answers the request from the router itself. */
  sendLocalReply(status: number, body: string, flag: string, details: string, extraHeaders: string[] | null = null): void {
    if (flag !== '') this.addFlag(flag);
    this.responseCodeDetails = details;
    // Release first: releaseUpstream cancels a pool wait only while the phase still says so.
    this.releaseUpstream(true);
    this.phase = Phase.Done;
    if (this.responseStarted) {
      this.downstream.resetResponse();
      this.finish();
      return;
    }
    this.responseCode = status;
    const headers: string[] = [];
    if (body !== '') headers.push('content-type', 'text/plain');
    if (extraHeaders !== null) for (let i = 0; i < extraHeaders.length; i++) headers.push(extraHeaders[i]);
    const route = this.route;
    if (route !== null && route.includeAttemptCountInResponse && this.attempts > 0) headers.push('x-envoy-attempt-count', String(this.attempts));
    headers.push('date', new Date().toUTCString(), 'server', this.config.view.serverName);
    this.responseHeaders = headers;
    this.responseStarted = true;
    const bodyLength = Buffer.byteLength(body);
    const noBody = this.method === 'HEAD';
    this.downstream.writeResponseHead(status, headers, bodyLength, noBody);
    if (bodyLength > 0 && !noBody) this.downstream.writeResponseBody(body);
    this.responseBytes += noBody ? 0 : bodyLength;
    this.downstream.endResponse();
    this.finish();
  }

  private addFlag(flag: string): void {
    this.responseFlags = this.responseFlags === '' ? flag : `${this.responseFlags},${flag}`;
  }

  private upgradeAllowed(route: CompiledRoute): boolean {
    const upgradeType = (getHeader(this.requestHeaders, 'upgrade') ?? '').toLowerCase();
    const fromRoute = route.upgradeEnabled(upgradeType);
    if (fromRoute !== null) return fromRoute;
    for (const u of this.config.view.upgradeConfigs) if (u.enabled && u.upgradeType.toLowerCase() === upgradeType) return true;
    return false;
  }

  /** The view of this request that route matching reads. */
  routeRequest() {
    const q = this.path.indexOf('?');
    return {
      method: this.method,
      path: q === -1 ? this.path : this.path.slice(0, q),
      query: q === -1 ? '' : this.path.slice(q + 1),
      headers: this.requestHeaders,
      scheme: this.downstream.isTls ? ('https' as const) : ('http' as const),
      authority: this.authority,
      remoteAddress: this.downstream.remoteAddress,
    };
  }

  /** Counts and logs the finished stream; runs exactly once. */
  private finish(): void {
    this.phase = Phase.Done;
    this.timer.disarm();
    if (this.retry !== null) this.retry.release();
    this.idleTimer.disarm();
    if (this.requestTimer !== null) this.requestTimer.disarm();
    const stats = this.config.stats;
    stats.downstreamRqActive.dec();
    stats.downstreamRqCompleted.inc();
    if (this.responseCode >= 100) stats.downstreamRqClass[(this.responseCode / 100) | 0]?.inc();
    stats.downstreamRqTime.record(performance.now() - this.startHr);
    if (this.config.accessLoggers.length > 0) logStream(this);
  }
}

/** The response flag for a retry that could not happen: URX (limit exceeded), UO (overflow), or ''. */
function retryFlag(status: RetryStatus): string {
  if (status === RetryStatus.NoRetryLimitExceeded) return ResponseFlag.UpstreamRetryLimitExceeded;
  if (status === RetryStatus.NoOverflow) return ResponseFlag.UpstreamOverflow;
  return '';
}
