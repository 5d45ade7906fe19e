/**
 * Active health checking of one cluster on one worker (Envoy's HealthCheckerImplBase and its
 * ActiveHealthCheckSession): one session per host, each with an interval timer and a timeout
 * timer, the threshold state machine (health-transition.ts), the stats and the event log. The
 * protocol is the subclass's: http-health-checker.ts, tcp-health-checker.ts.
 *
 *   start/updateHosts ─► session per new host: set FAILED_ACTIVE_HC, check now (initial_jitter 0)
 *   session: check ─► success | failure(type) | timeout ─► HostHealthState ─► transition
 *            Changed ─► target.onHostHealthChanged()  (the cluster refreshes its PrioritySet)
 *            every result ─► stats, events, host-check-complete callbacks (outlier unejection)
 *            arm the next check: nextCheckDelayMs(state, transition, cluster had traffic?)
 *
 * The checker never touches a balancer: it flips the host's flag bit and tells the cluster through
 * the narrow HealthCheckTarget interface (DESIGN §4: `upstream` never imports `health`).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/health_checking
 */
import { FastTimer, type TimerTarget } from '../../common/fast-timers.js';
import { defaultRandom, type RandomSource } from '../../common/random.js';
import type { HealthCheck } from '../../xds/resources/cluster.types.js';
import { HealthFlag, type Host } from '../upstream/host.js';
import type { HealthCheckEventLogger, HealthCheckerType } from './health-check-event-logger.js';
import type { HealthCheckerStats } from './health-check-stats.js';
import { HealthState, intervalWithJitter, nextCheckDelayMs } from './health-interval.js';
import { HealthTransition, HostHealthState, type HealthCheckFailureType } from './health-transition.js';

/** What a checker needs of its cluster; UpstreamCluster satisfies it structurally. */
export interface HealthCheckTarget {
  readonly name: string;
  readonly hosts: readonly Host[];
  /** Envoy chooses no_traffic_interval until the cluster's upstream_cx_total was ever used. */
  readonly stats: { readonly upstreamCxTotal: { readonly used: boolean } };
  /** Called after a host's health flags changed; the cluster rebuilds its healthy set. */
  onHostHealthChanged(): void;
}

/**
 * Envoy's addHostCheckCompleteCb callback: runs after every check result of a host, with the
 * transition it caused and the result. Used by the outlier detector to uneject a host that passes.
 */
export type HostCheckCompleteCb = (host: Host, transition: HealthTransition, state: HealthState) => void;

export interface HealthCheckerOptions {
  readonly stats: HealthCheckerStats;
  readonly eventLogger: HealthCheckEventLogger | null;
  readonly random?: RandomSource;
}

export abstract class HealthChecker {
  readonly config: HealthCheck;
  readonly target: HealthCheckTarget;
  readonly stats: HealthCheckerStats;
  readonly eventLogger: HealthCheckEventLogger | null;
  readonly random: RandomSource;
  private readonly sessions = new Map<Host, HealthCheckSession>();
  private readonly callbacks: HostCheckCompleteCb[] = [];
  private stopped = false;

  constructor(config: HealthCheck, target: HealthCheckTarget, options: HealthCheckerOptions) {
    this.config = config;
    this.target = target;
    this.stats = options.stats;
    this.eventLogger = options.eventLogger;
    this.random = options.random ?? defaultRandom;
  }

  /** Envoy's HealthCheckerType name of this checker (event log). */
  abstract readonly checkerType: HealthCheckerType;

  /** Creates the protocol session for one host; it is started by the caller. */
  protected abstract createSession(host: Host): HealthCheckSession;

  /** Registers a callback run after every check result. */
  addHostCheckCompleteCb(cb: HostCheckCompleteCb): void {
    this.callbacks.push(cb);
  }

  /** Hosts being checked now. */
  get hostCount(): number {
    return this.sessions.size;
  }

  /**
   * Makes the checked hosts equal to `hosts`: a new host is marked FAILED_ACTIVE_HC and checked at
   * once; a removed host's session stops. Resolves when every host added by this call has its
   * first result, which takes at most the check timeout (Envoy's cluster warming waits for it).
   *
   * `inherit` maps "ip:port" to the hosts of the checker this one replaces (the cluster's config
   * changed, so its hosts are new objects): a host found there starts with that host's active
   * health instead of failed, so a config update does not push a healthy cluster into panic
   * while the first checks run. (Envoy warms the new cluster while the old one serves.)
   */
  updateHosts(hosts: readonly Host[], inherit: ReadonlyMap<string, Host> | null = null): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const wanted = new Set(hosts);
    for (const [host, session] of this.sessions) {
      if (!wanted.has(host)) {
        this.sessions.delete(host);
        session.stop();
      }
    }
    const first: Promise<void>[] = [];
    let changed = false;
    for (const host of hosts) {
      if (this.sessions.has(host)) continue;
      const previous = inherit === null ? undefined : inherit.get(host.address);
      const failed = previous === undefined || (previous.healthFlags & HealthFlag.FailedActiveHealthCheck) !== 0;
      if (failed !== ((host.healthFlags & HealthFlag.FailedActiveHealthCheck) !== 0)) {
        host.healthFlags ^= HealthFlag.FailedActiveHealthCheck;
        changed = true;
      }
      const session = this.createSession(host);
      if (previous !== undefined) session.healthState.firstCheck = false;
      this.sessions.set(host, session);
      first.push(session.firstResult);
    }
    if (changed) this.target.onHostHealthChanged();
    // Start after every flag is set, so the first results see the final healthy set.
    for (const session of this.sessions.values()) if (!session.started) session.start();
    return Promise.all(first).then(() => undefined);
  }

  /** Stops every session (cluster removed or replaced). The hosts keep their flags. */
  stop(): void {
    this.stopped = true;
    for (const session of this.sessions.values()) session.stop();
    this.sessions.clear();
  }

  /** @internal A session's check completed: stats, gauge, events, cluster refresh, callbacks. */
  onResult(session: HealthCheckSession, transition: HealthTransition, state: HealthState, failureType: HealthCheckFailureType | null, firstCheck: boolean): void {
    const host = session.host;
    if (state === HealthState.Healthy) this.stats.success.inc();
    else {
      this.stats.failure.inc();
      if (failureType === 'NETWORK' || failureType === 'NETWORK_TIMEOUT') this.stats.networkFailure.inc();
      else if (failureType === 'PASSIVE') this.stats.passiveFailure.inc();
    }
    const healthyNow = !session.healthState.failed;
    if (healthyNow !== session.countedHealthy) {
      session.countedHealthy = healthyNow;
      if (healthyNow) this.stats.healthy.inc();
      else this.stats.healthy.dec();
    }
    const events = this.eventLogger;
    if (events !== null) {
      if (transition === HealthTransition.Changed && state === HealthState.Healthy && healthyNow) events.logAddHealthy(host, firstCheck);
      else if (state === HealthState.Healthy && this.config.alwaysLogHealthCheckSuccess) events.logSuccessfulHealthCheck(host);
      if (state === HealthState.Unhealthy) {
        if (transition === HealthTransition.Changed && !healthyNow) events.logEjectUnhealthy(host, failureType ?? 'ACTIVE');
        if (firstCheck || this.config.alwaysLogHealthCheckFailures) events.logUnhealthy(host, failureType ?? 'ACTIVE', firstCheck);
      }
    }
    if (transition === HealthTransition.Changed) this.target.onHostHealthChanged();
    for (let i = 0; i < this.callbacks.length; i++) this.callbacks[i](host, transition, state);
  }

  /** @internal The delay before a session's next check. */
  nextDelayMs(state: HealthState, transition: HealthTransition): number {
    return nextCheckDelayMs(this.config, state, transition, this.target.stats.upstreamCxTotal.used, this.random);
  }

  /** @internal A session left (stopped): keep the healthy gauge right. */
  onSessionStopped(session: HealthCheckSession): void {
    if (session.countedHealthy) this.stats.healthy.dec();
    session.countedHealthy = false;
  }
}

const TIMER_INTERVAL = 0;
const TIMER_TIMEOUT = 1;

/**
 * One host's checking loop. Subclasses implement the probe: `onInterval` starts one check and
 * reports it with `handleSuccess` / `handleFailure`; `onTimeout` abandons the check in flight
 * (the base then counts a NETWORK_TIMEOUT failure); `onStop` releases sockets.
 */
export abstract class HealthCheckSession implements TimerTarget {
  readonly host: Host;
  readonly healthState: HostHealthState;
  /** Whether the healthy gauge counts this host. */
  countedHealthy = false;
  started = false;
  /** Resolves on the first result (or when the session stops before one). */
  readonly firstResult: Promise<void>;
  protected readonly checker: HealthChecker;
  private resolveFirst: (() => void) | null = null;
  private inFlight = false;
  protected stopped = false;
  private readonly intervalTimer: FastTimer;
  private readonly timeoutTimer: FastTimer;

  constructor(checker: HealthChecker, host: Host) {
    this.checker = checker;
    this.host = host;
    this.healthState = new HostHealthState(host, checker.config.healthyThreshold, checker.config.unhealthyThreshold);
    this.countedHealthy = !this.healthState.failed;
    if (this.countedHealthy) checker.stats.healthy.inc();
    this.intervalTimer = new FastTimer(this, TIMER_INTERVAL);
    this.timeoutTimer = new FastTimer(this, TIMER_TIMEOUT);
    this.firstResult = new Promise<void>((resolve) => (this.resolveFirst = resolve));
  }

  /** Starts checking: the first check runs now, or after a random 0…initial_jitter (Envoy onInitialInterval). */
  start(): void {
    this.started = true;
    const jitter = this.checker.config.initialJitterMs;
    if (jitter > 0) this.intervalTimer.arm(intervalWithJitter(0, jitter, 0, this.checker.random));
    else this.runCheck();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.intervalTimer.disarm();
    this.timeoutTimer.disarm();
    this.onStop();
    this.checker.onSessionStopped(this);
    this.settleFirst();
  }

  onTimer(kind: number): void {
    if (this.stopped) return;
    if (kind === TIMER_INTERVAL) this.runCheck();
    else if (this.inFlight) {
      this.onTimeout();
      this.handleFailure('NETWORK_TIMEOUT');
    }
  }

  /** Reports that the check in flight passed. Ignored when none is in flight (late event). */
  protected handleSuccess(): void {
    if (!this.inFlight || this.stopped) return;
    this.inFlight = false;
    this.timeoutTimer.disarm();
    const first = this.healthState.firstCheck;
    const transition = this.healthState.handleSuccess();
    this.checker.onResult(this, transition, HealthState.Healthy, null, first);
    this.settleFirst();
    if (!this.stopped) this.intervalTimer.arm(this.checker.nextDelayMs(HealthState.Healthy, transition));
  }

  /**
   * Reports that the check in flight failed. `retriable` (an HTTP status in retriable_statuses)
   * makes an ACTIVE failure wait for unhealthy_threshold. Ignored when no check is in flight.
   */
  protected handleFailure(type: HealthCheckFailureType, retriable = false): void {
    if (!this.inFlight || this.stopped) return;
    this.inFlight = false;
    this.timeoutTimer.disarm();
    const first = this.healthState.firstCheck;
    const transition = this.healthState.handleFailure(type, retriable);
    this.checker.onResult(this, transition, HealthState.Unhealthy, type, first);
    this.settleFirst();
    if (!this.stopped) this.intervalTimer.arm(this.checker.nextDelayMs(HealthState.Unhealthy, transition));
  }

  /** Starts one check of the host. */
  protected abstract onInterval(): void;
  /** The check in flight timed out: abandon it (close its connection). */
  protected abstract onTimeout(): void;
  /** The session ends: release everything. */
  protected abstract onStop(): void;

  private runCheck(): void {
    this.inFlight = true;
    this.checker.stats.attempt.inc();
    this.timeoutTimer.arm(this.checker.config.timeoutMs);
    this.onInterval();
  }

  private settleFirst(): void {
    const resolve = this.resolveFirst;
    this.resolveFirst = null;
    if (resolve !== null) resolve();
  }
}
