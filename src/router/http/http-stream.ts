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
 *
 * This file holds the state and the body/upstream exchange; its roles live beside it as functions
 * over the stream (fields they touch are public for them; the connection code and the filters use
 * only the methods):
 *   stream-start.ts        request id, routing, decoder filters, the route's action
 *   stream-timers.ts       route / stream-idle / request timers and what their firing does
 *   stream-retry.ts        retried attempts, back-off, per-try timeouts, retry buffer overflow
 *   stream-local-reply.ts  local replies and failures before the response
 *   upstream-attempt.ts    one attempt: host choice, pool acquire, the request written, release of host and connection
 */
import { performance } from 'node:perf_hooks';
import type { TimerTarget } from '../../common/fast-timers.js';
import type { Http1MessageHead } from '../codec/http1-parser.js';
import { ProxyError, ResponseFlag } from '../codec/response-flags.js';
import type { CompiledRoute } from '../routing/route-table.js';
import type { PoolWaiter } from '../upstream/connection-pool.js';
import { ResetReason } from '../routing/compiled-retry-policy.js';
import { OutlierResult, type Host } from '../upstream/host.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamConnection, UpstreamStreamHandler } from '../upstream/upstream-connection.js';
import type { ConnectionManagerConfig } from './connection-manager-config.js';
import type { DownstreamConnection } from './downstream.js';
import { type RetryState, RetryStatus, TIMER_PER_TRY, TIMER_PER_TRY_IDLE, TIMER_RETRY_BACKOFF } from './retry-state.js';
import { logStream } from './stream-log.js';
import { responseHeadersFor } from './stream-headers.js';
import { failBeforeResponse, sendLocalReply } from './stream-local-reply.js';
import { Phase } from './stream-phase.js';
import { onPerTryTimeout, onRetryBackOff, onRetryBufferOverflow, retryAttempt, retryFlag, retryResponse } from './stream-retry.js';
import { buildRouteRequest, runRouteAction, startStream } from './stream-start.js';
import { StreamTimers } from './stream-timers.js';
import { recordUpstreamEnd, releaseHost, releaseUpstream, sendUpstream, writeUpstreamRequest } from './upstream-attempt.js';

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
  upstreamHead: Buffer | null = null;
  head: Http1MessageHead | null = null;
  /** Body bytes that arrived before the upstream connection was ready. */
  pendingBody: Buffer[] | null = null;
  pendingBodyBytes = 0;
  attempts = 0;
  /** Retry state; null unless the route has a retry_policy (no allocation otherwise). */
  retry: RetryState | null = null;
  reusedConnection = false;
  /** The one transparent retry on a reused pooled connection the peer had closed was used. */
  transparentRetried = false;
  // response
  responseCode = 0;
  responseHeaders: string[] | null = null;
  responseFlags = '';
  responseCodeDetails = '';
  responseStarted = false;
  upstreamStartHr = 0;
  upstreamServiceTimeMs = -1;
  responseBytes = 0;
  /** performance.now() when the stream finished (stats and the access log share it). */
  finishHr = 0;
  phase: Phase = Phase.Routing;
  /** Route, stream-idle and request timers (stream-timers.ts); the retry timers are in `retry`. */
  readonly timers: StreamTimers;

  constructor(downstream: DownstreamConnection, config: ConnectionManagerConfig) {
    this.downstream = downstream;
    this.config = config;
    this.startMs = Date.now();
    this.startHr = performance.now();
    this.timers = new StreamTimers(this, config.view, this.startMs);
  }

  // --- downstream side ------------------------------------------------------------------------

  /** Called once with the request head; decides where the request goes (stream-start.ts). */
  start(head: Http1MessageHead, authority: string, path: string): void {
    startStream(this, head, authority, path);
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
    runRouteAction(this);
  }

  onRequestBody(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    this.timers.lastActivity = performance.now();
    if (this.phase === Phase.Done) return;
    const retry = this.retry;
    const connected = this.upstream !== null && this.phase === Phase.Upstream;
    if (retry !== null && retry.body !== null) {
      const body = retry.body;
      if (retry.bufferBody(chunk)) {
        // Not connected (yet, or backing off): onPoolReady replays the whole buffer.
        if (!connected) return;
      } else if (!connected) {
        onRetryBufferOverflow(this, body.chunks, body.bytes);
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
    this.timers.onRequestComplete();
    if (this.phase === Phase.Done) return;
    if (this.requestChunked && this.upstream !== null && this.phase === Phase.Upstream) this.upstream.writeText('0\r\n\r\n');
    // Envoy: the route timeout spans from the end of the downstream request to the end of the response.
    const route = this.route;
    if (route !== null && route.timeoutMs > 0 && !this.upgrade) this.timers.route.arm(route.timeoutMs);
    if (this.retry !== null && this.phase === Phase.Upstream && this.upstream !== null) this.retry.armPerTryTimeout();
  }

  /** The client went away or reset before the response finished. */
  onDownstreamReset(): void {
    if (this.phase === Phase.Done) return;
    this.config.stats.downstreamRqRxReset.inc();
    this.addFlag(ResponseFlag.DownstreamConnectionTermination);
    releaseUpstream(this, true);
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
    writeUpstreamRequest(this, conn);
  }

  onPoolFailure(error: ProxyError): void {
    if (this.phase !== Phase.WaitingForConnection) return;
    const host = this.host;
    // Envoy: a pool failure to connect is a local-origin failure of that host (not an overflow).
    if (host !== null && host.outlier !== null && error.flag === ResponseFlag.UpstreamConnectionFailure) {
      host.outlier.putResult(error.details === 'connection timeout' ? OutlierResult.LocalOriginTimeout : OutlierResult.LocalOriginConnectFailed);
    }
    const reason = error.flag === ResponseFlag.UpstreamOverflow ? ResetReason.Overflow : ResetReason.ConnectFailure;
    const status = this.retry === null ? RetryStatus.No : retryAttempt(this, reason, false);
    if (status === RetryStatus.Yes) return;
    // The host and its circuit-breaker slot are released by the local reply.
    failBeforeResponse(this, error, retryFlag(status));
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
        retryResponse(this, head.statusCode);
        return;
      }
      retry.disarmPerTryTimeout();
      // Envoy: a retriable response that may not be retried is forwarded, flagged URX or UO.
      const flag = retryFlag(status);
      if (flag !== '') this.addFlag(flag);
    }
    this.timers.route.disarm();
    const now = performance.now();
    this.upstreamServiceTimeMs = Math.round(now - this.upstreamStartHr);
    this.timers.lastActivity = now;
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
    this.timers.lastActivity = performance.now();
    if (!this.downstream.writeResponseBody(chunk) && this.upstream !== null) this.upstream.socket.pause();
  }

  onUpstreamReadEnd(): void {
    // Whatever the phase: held bytes may point into the upstream read buffer, reused after this.
    this.downstream.flushResponse();
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
    recordUpstreamEnd(this);
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
        releaseHost(this);
        sendUpstream(this, true);
        return;
      }
      cluster.stats.upstreamRqRxReset.inc();
      // Envoy's router reports a reset before the response as LocalOriginConnectFailed.
      const host = this.host;
      if (host !== null && host.outlier !== null) host.outlier.putResult(OutlierResult.LocalOriginConnectFailed);
      const status = this.retry === null ? RetryStatus.No : retryAttempt(this, ResetReason.Reset, true);
      if (status === RetryStatus.Yes) return;
      failBeforeResponse(this, error, retryFlag(status));
      return;
    }
    cluster.stats.upstreamRqRxReset.inc();
    this.addFlag(ResponseFlag.UpstreamConnectionTermination);
    this.phase = Phase.Done;
    recordUpstreamEnd(this);
    this.downstream.resetResponse();
    this.finish();
  }

  onUpstreamUpgraded(conn: UpstreamConnection, remainder: Buffer | null): void {
    if (this.phase !== Phase.Upstream) {
      conn.destroy();
      return;
    }
    this.upstream = null;
    this.phase = Phase.Done;
    recordUpstreamEnd(this);
    this.downstream.upgradeToTunnel(conn, remainder);
    this.finish();
  }

  onUpstreamDrain(): void {
    this.downstream.resumeRequest();
  }

  /** A FastTimer of this stream fired: the retry timers (stream-retry.ts) or the others (stream-timers.ts). */
  onTimer(kind: number): void {
    if (this.phase === Phase.Done) return;
    if (kind === TIMER_RETRY_BACKOFF) return onRetryBackOff(this);
    if (kind === TIMER_PER_TRY || kind === TIMER_PER_TRY_IDLE) return onPerTryTimeout(this, kind);
    this.timers.fire(kind);
  }

  // --- helpers -----------------------------------------------------------------------------------

  writeChunk(chunk: Buffer): boolean {
    const conn = this.upstream!;
    conn.writeText(chunk.length.toString(16) + '\r\n');
    conn.write(chunk);
    return conn.writeText('\r\n');
  }

  /** Answers the request from the router itself (stream-local-reply.ts); filters and the codec call it. */
  sendLocalReply(status: number, body: string, flag: string, details: string, extraHeaders: string[] | null = null): void {
    sendLocalReply(this, status, body, flag, details, extraHeaders);
  }

  addFlag(flag: string): void {
    this.responseFlags = this.responseFlags === '' ? flag : `${this.responseFlags},${flag}`;
  }

  /** The view of this request that route matching reads. */
  routeRequest() {
    return buildRouteRequest(this);
  }

  /** Counts and logs the finished stream; runs exactly once. */
  finish(): void {
    this.phase = Phase.Done;
    this.timers.disarmAll();
    if (this.retry !== null) this.retry.release();
    const stats = this.config.stats;
    stats.downstreamRqActive.dec();
    stats.downstreamRqCompleted.inc();
    if (this.responseCode >= 100) stats.downstreamRqClass[(this.responseCode / 100) | 0]?.inc();
    this.finishHr = performance.now();
    stats.downstreamRqTime.record(this.finishHr - this.startHr);
    if (this.config.accessLoggers.length > 0) logStream(this);
  }
}
