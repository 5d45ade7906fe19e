/**
 * The retry state of one request (Envoy's RetryStateImpl), created by HttpStream only when its
 * route has a retry_policy, so streams without one allocate nothing for retries.
 *
 *   attempt fails (retriable response head, reset, connect failure, per-try timeout)
 *     └► shouldRetryHeaders / shouldRetryReset ─► RetryStatus
 *          Yes                  ─► a retries slot is held, back-off timer armed, next attempt on fire
 *          NoRetryLimitExceeded ─► num_retries used up: last response / local reply, flag URX
 *          NoOverflow           ─► circuit breaker max_retries (or retry_budget): flag UO
 *          No                   ─► not retriable; counts upstream_rq_retry_success after a retry
 *
 * It also owns the per-try timers (per_try_timeout, per_try_idle_timeout), the body buffer for
 * replay, and is the LbContext of retry attempts: with the previous_hosts predicate the balancer
 * re-picks (host_selection_retry_max_attempts times) a host that was already tried.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/http_routing#retry-semantics
 */
import { FastTimer, type TimerTarget } from '../../common/fast-timers.js';
import { defaultRandom, type RandomSource } from '../../common/random.js';
import { ResetReason, type CompiledRetryPolicy } from '../routing/compiled-retry-policy.js';
import type { LbContext, LbHost } from '../upstream/lb/load-balancer.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import { BodyBuffer } from './body-buffer.js';
import { jitteredLowerBoundMs, JitteredExponentialBackOff, parseResetInterval } from './retry-back-off.js';

export { ResetReason } from '../routing/compiled-retry-policy.js';

/** Envoy RetryStatus. */
export const RetryStatus = {
  No: 0,
  Yes: 1,
  NoOverflow: 2,
  NoRetryLimitExceeded: 3,
} as const;
export type RetryStatus = (typeof RetryStatus)[keyof typeof RetryStatus];

/** Timer kinds HttpStream receives through onTimer for the retry timers. */
export const TIMER_RETRY_BACKOFF = 10;
export const TIMER_PER_TRY = 11;
export const TIMER_PER_TRY_IDLE = 12;

export class RetryState implements LbContext {
  readonly policy: CompiledRetryPolicy;
  /** Retries may happen (retry_on set, retriable_request_headers matched, body still replayable). */
  enabled: boolean;
  retriesRemaining: number;
  /** per_try_timeout in force: 0 when unset or not below the route timeout (Envoy ignores it then). */
  readonly perTryTimeoutMs: number;
  readonly perTryIdleTimeoutMs: number;
  /** The request body kept for replay; null when the request has none or retries were given up. */
  body: BodyBuffer | null;
  /** A retried attempt's connection still reading its response off the wire during back-off. */
  discarded: UpstreamConnection | null = null;
  lastUpstreamActivityMs = 0;
  /** The back-off of the retry just scheduled, for tests and logs. */
  lastBackOffMs = -1;
  // LbContext of retry attempts
  hashKey: number | null = null;
  readonly random: RandomSource;
  readonly hostSelectionRetryMaxAttempts: number;
  /** Hosts tried (previous_hosts): the first in a field, later ones in an array made on demand. */
  private firstHost: LbHost | null = null;
  private moreHosts: LbHost[] | null = null;
  private readonly cluster: UpstreamCluster;
  private readonly timers: TimerTarget;
  /** Made on the first retry: most requests on a route with a retry policy are never retried. */
  private backOff: JitteredExponentialBackOff | null = null;
  /** Set once a response named a rate-limited reset interval (Envoy keeps it for later retries). */
  private rateLimitedIntervalMs = -1;
  /** A retry is scheduled or running and holds one `retries` circuit-breaker slot. */
  private holdsRetrySlot = false;
  private backOffTimer: FastTimer | null = null;
  private readonly perTryTimer: FastTimer | null;
  private readonly perTryIdleTimer: FastTimer | null;

  constructor(policy: CompiledRetryPolicy, cluster: UpstreamCluster, enabled: boolean, routeTimeoutMs: number, bodyLimitBytes: number, hasBody: boolean, timers: TimerTarget, random: RandomSource = defaultRandom) {
    this.policy = policy;
    this.cluster = cluster;
    this.enabled = enabled;
    this.retriesRemaining = policy.numRetries;
    const perTry = policy.perTryTimeoutMs;
    this.perTryTimeoutMs = perTry > 0 && (routeTimeoutMs === 0 || perTry < routeTimeoutMs) ? perTry : 0;
    this.perTryIdleTimeoutMs = policy.perTryIdleTimeoutMs;
    this.body = enabled && hasBody ? new BodyBuffer(bodyLimitBytes) : null;
    this.random = random;
    this.hostSelectionRetryMaxAttempts = policy.previousHosts ? policy.hostSelectionRetryMaxAttempts : 0;
    this.timers = timers;
    this.perTryTimer = this.perTryTimeoutMs > 0 ? new FastTimer(timers, TIMER_PER_TRY) : null;
    this.perTryIdleTimer = this.perTryIdleTimeoutMs > 0 ? new FastTimer(timers, TIMER_PER_TRY_IDLE) : null;
  }

  /** retry_host_predicate previous_hosts: ask for another host when this one was tried. */
  shouldSelectAnotherHost(host: LbHost): boolean {
    if (!this.policy.previousHosts) return false;
    if (this.firstHost === host) return true;
    const more = this.moreHosts;
    if (more !== null) for (let i = 0; i < more.length; i++) if (more[i] === host) return true;
    return false;
  }

  /** Records the host of an attempt (Envoy onHostAttempted). */
  onHostAttempted(host: LbHost): void {
    if (!this.policy.previousHosts) return;
    if (this.firstHost === null) this.firstHost = host;
    else (this.moreHosts ??= []).push(host);
  }

  /**
   * Adds a request body chunk to the replay buffer. Returns false when it outgrew
   * per_request_buffer_limit_bytes: retries are then given up (retry_or_shadow_abandoned).
   */
  bufferBody(chunk: Buffer): boolean {
    const body = this.body!;
    if (body.push(chunk)) return true;
    this.body = null;
    this.enabled = false;
    this.cluster.stats.retryOrShadowAbandoned.inc();
    return false;
  }

  /** Envoy shouldRetryHeaders: decides on an upstream response head. */
  shouldRetryHeaders(status: number, headers: readonly string[]): RetryStatus {
    const would = this.enabled && this.policy.retryOnResponse(status, headers);
    if (would && this.rateLimitedIntervalMs < 0) {
      const rl = this.policy.policy.rateLimitedRetryBackOff;
      if (rl !== null) {
        const interval = parseResetInterval(headers, rl.resetHeaders, rl.maxIntervalMs, Date.now());
        if (interval > 1) this.rateLimitedIntervalMs = interval;
      }
    }
    return this.shouldRetry(would);
  }

  /** Envoy shouldRetryReset: decides on an attempt that ended without a response. */
  shouldRetryReset(reason: ResetReason, requestStarted: boolean): RetryStatus {
    return this.shouldRetry(this.enabled && this.policy.retryOnReset(reason, requestStarted));
  }

  /** Arms the back-off timer of the retry shouldRetry* just granted. */
  scheduleRetry(): void {
    (this.backOffTimer ??= new FastTimer(this.timers, TIMER_RETRY_BACKOFF)).arm(this.lastBackOffMs);
  }

  /** An attempt has its connection and the request head went out: start the per-try timers. */
  onAttemptStarted(requestComplete: boolean): void {
    this.lastUpstreamActivityMs = Date.now();
    if (this.perTryIdleTimer !== null) this.perTryIdleTimer.arm(this.perTryIdleTimeoutMs);
    // Envoy arms per_try_timeout once the whole downstream request is in (onRequestComplete otherwise).
    if (requestComplete) this.armPerTryTimeout();
  }

  armPerTryTimeout(): void {
    if (this.perTryTimer !== null) this.perTryTimer.arm(this.perTryTimeoutMs);
  }

  /** The upstream response head arrived and is forwarded: per_try_timeout no longer applies. */
  disarmPerTryTimeout(): void {
    if (this.perTryTimer !== null) this.perTryTimer.disarm();
  }

  /** Upstream bytes arrived: the per-try idle timer measures from here. */
  onUpstreamActivity(): void {
    if (this.perTryIdleTimer !== null) this.lastUpstreamActivityMs = Date.now();
  }

  /** The per-try idle timer fired: ms still to wait (re-armed), or 0 when it really expired. */
  perTryIdleRemainingMs(): number {
    const quiet = Date.now() - this.lastUpstreamActivityMs;
    if (quiet >= this.perTryIdleTimeoutMs) return 0;
    const left = this.perTryIdleTimeoutMs - quiet;
    this.perTryIdleTimer!.arm(left);
    return left;
  }

  /** The current attempt is over: stop its per-try timers. */
  endAttempt(): void {
    if (this.perTryTimer !== null) this.perTryTimer.disarm();
    if (this.perTryIdleTimer !== null) this.perTryIdleTimer.disarm();
  }

  /**
   * The stream ended or answers by itself: cancel timers, abort a connection still being drained,
   * and give back the retries slot (Envoy ~RetryStateImpl → resetRetry). Idempotent.
   */
  release(): void {
    if (this.backOffTimer !== null) this.backOffTimer.disarm();
    this.endAttempt();
    const conn = this.discarded;
    if (conn !== null) {
      this.discarded = null;
      this.cluster.stats.upstreamRqTxReset.inc();
      conn.abort();
    }
    this.releaseRetrySlot();
  }

  private shouldRetry(would: boolean): RetryStatus {
    const stats = this.cluster.stats;
    // A retry was made and this attempt is not retriable: the retry succeeded.
    if (this.holdsRetrySlot && !would) stats.upstreamRqRetrySuccess.inc();
    this.releaseRetrySlot();
    if (!would) return RetryStatus.No;
    if (this.retriesRemaining === 0) {
      stats.upstreamRqRetryLimitExceeded.inc();
      return RetryStatus.NoRetryLimitExceeded;
    }
    this.retriesRemaining--;
    const resources = this.cluster.resources;
    if (!resources.canRetry()) {
      stats.upstreamRqRetryOverflow.inc();
      return RetryStatus.NoOverflow;
    }
    resources.incRetries();
    this.holdsRetrySlot = true;
    stats.upstreamRqRetry.inc();
    if (this.rateLimitedIntervalMs > 0) {
      stats.upstreamRqRetryBackoffRatelimited.inc();
      this.lastBackOffMs = jitteredLowerBoundMs(this.rateLimitedIntervalMs, this.random);
    } else {
      stats.upstreamRqRetryBackoffExponential.inc();
      const policy = this.policy;
      this.lastBackOffMs = (this.backOff ??= new JitteredExponentialBackOff(policy.baseIntervalMs, policy.maxIntervalMs, this.random)).nextBackOffMs();
    }
    // Always go through the timer (at least 1 ms): the next attempt never starts inside the
    // callback of the one that failed.
    if (this.lastBackOffMs < 1) this.lastBackOffMs = 1;
    return RetryStatus.Yes;
  }

  private releaseRetrySlot(): void {
    if (!this.holdsRetrySlot) return;
    this.holdsRetrySlot = false;
    this.cluster.resources.decRetries();
  }
}
