/**
 * The route, stream-idle and request timers of one HttpStream, and what each does when it fires
 * (Envoy's onRequestTimeout / onIdleTimeout / the router's onResponseTimeout). Created once in the
 * HttpStream constructor and owning the stream's FastTimers, so it replaces them rather than
 * adding an object. The timers target the stream itself (HttpStream.onTimer), which hands the
 * kinds below back to fire(); the retry timers (retry-state.ts) go to stream-retry.ts instead.
 */
import { performance } from 'node:perf_hooks';
import { FastTimer } from '../../common/fast-timers.js';
import type { HttpConnectionManager } from '../../xds/resources/listener.types.js';
import type { CompiledRoute } from '../routing/route-table.js';
import { getHeader } from './hop-by-hop.js';
import { ProxyError, ResponseFlag } from '../codec/response-flags.js';
import { OutlierResult } from '../upstream/host.js';
import type { HttpStream } from './http-stream.js';
import { failBeforeResponse, sendLocalReply } from './stream-local-reply.js';
import { Phase } from './stream-phase.js';
import { releaseUpstream } from './upstream-attempt.js';

export const TIMER_ROUTE = 0;
/** HCM stream_idle_timeout, or the route's idle_timeout once routed. */
export const TIMER_STREAM_IDLE = 1;
/** HCM request_timeout: the whole request must arrive within it. */
export const TIMER_REQUEST = 2;
/** The route's max_stream_duration (or a capped grpc-timeout), counted from the stream's start. */
export const TIMER_DURATION = 3;

export class StreamTimers {
  private readonly stream: HttpStream;
  /** The route timeout (TIMER_ROUTE). */
  readonly route: FastTimer;
  /**
   * The stream idle timer is armed once and not re-armed per chunk: activity only stamps
   * `lastActivity`, and a firing timer that finds recent activity re-arms for the remainder.
   */
  private readonly idle: FastTimer;
  private idleTimeoutMs: number;
  /** performance.now() of the stream's last activity: monotonic, and no runtime call per chunk as Date.now() is. */
  lastActivity: number;
  /** Null unless the HCM has a request_timeout. */
  private readonly request: FastTimer | null;
  /** Made only for a route with max_stream_duration (the common route pays nothing). */
  private duration: FastTimer | null = null;
  private readonly startMs: number;

  constructor(stream: HttpStream, view: HttpConnectionManager, startMs: number) {
    this.stream = stream;
    this.route = new FastTimer(stream, TIMER_ROUTE);
    this.idle = new FastTimer(stream, TIMER_STREAM_IDLE);
    this.idleTimeoutMs = view.streamIdleTimeoutMs;
    this.lastActivity = stream.startHr;
    this.startMs = startMs;
    this.request = view.requestTimeoutMs > 0 ? new FastTimer(stream, TIMER_REQUEST) : null;
    if (this.idleTimeoutMs > 0) this.idle.arm(this.idleTimeoutMs);
    if (this.request !== null) this.request.arm(view.requestTimeoutMs);
  }

  /** The request was routed: its idle_timeout (>= 0 when set) and max_stream_duration take over. */
  onRouted(route: CompiledRoute, headers: readonly string[]): void {
    const routeIdleTimeoutMs = route.idleTimeoutMs;
    const durationMs = maxStreamDurationMs(route, headers);
    if (durationMs > 0) {
      // Counted from the start of the stream, like Envoy's max_stream_duration, retries included.
      this.duration ??= new FastTimer(this.stream, TIMER_DURATION);
      this.duration.arm(Math.max(1, durationMs - (Date.now() - this.startMs)));
    }
    if (routeIdleTimeoutMs >= 0 && routeIdleTimeoutMs !== this.idleTimeoutMs) {
      // Envoy: a route's idle_timeout overrides the connection manager's stream_idle_timeout.
      this.idleTimeoutMs = routeIdleTimeoutMs;
      if (routeIdleTimeoutMs === 0) this.idle.disarm();
      else this.idle.arm(routeIdleTimeoutMs);
    }
  }

  /** The whole request arrived: request_timeout no longer applies. */
  onRequestComplete(): void {
    if (this.request !== null) this.request.disarm();
  }

  /** The stream finished: nothing may fire any more. */
  disarmAll(): void {
    this.route.disarm();
    this.idle.disarm();
    if (this.request !== null) this.request.disarm();
    if (this.duration !== null) this.duration.disarm();
  }

  /** One of this object's timers fired on a stream that is not done. */
  fire(kind: number): void {
    const stream = this.stream;
    if (kind === TIMER_STREAM_IDLE) {
      this.onStreamIdle();
      return;
    }
    if (kind === TIMER_DURATION) {
      // Envoy onStreamMaxDurationReached: flag DT; 408 while the request is still arriving, 504
      // once it is complete (maybeRequestTimeoutCode); a reset once the response has started.
      stream.config.stats.downstreamRqMaxDurationReached.inc();
      sendLocalReply(stream, stream.requestComplete ? 504 : 408, 'downstream duration timeout', ResponseFlag.DurationTimeout, 'max_duration_timeout', null);
      return;
    }
    if (kind === TIMER_REQUEST) {
      // Envoy onRequestTimeout: 408 "request timeout" (a reset once the response has started).
      stream.config.stats.downstreamRqTimeout.inc();
      sendLocalReply(stream, 408, 'request timeout', '', 'request_overall_timeout', null);
      return;
    }
    if (kind === TIMER_ROUTE) {
      if (stream.cluster !== null) stream.cluster.stats.upstreamRqTimeout.inc();
      const host = stream.host;
      if (host !== null && host.outlier !== null) host.outlier.putResult(OutlierResult.LocalOriginTimeout);
      const error = new ProxyError(ResponseFlag.UpstreamRequestTimeout, 'upstream', false, 'timeout');
      if (!stream.responseStarted) {
        releaseUpstream(stream, true);
        failBeforeResponse(stream, error, '');
      } else {
        stream.addFlag(error.flag);
        releaseUpstream(stream, true);
        stream.phase = Phase.Done;
        stream.downstream.resetResponse();
        stream.finish();
      }
    }
  }

  /** Envoy onIdleTimeout: flag SI, 408 "stream timeout" before the response, else a reset. */
  private onStreamIdle(): void {
    const quietMs = performance.now() - this.lastActivity;
    if (quietMs < this.idleTimeoutMs) {
      this.idle.arm(this.idleTimeoutMs - quietMs);
      return;
    }
    this.stream.config.stats.downstreamRqIdleTimeout.inc();
    sendLocalReply(this.stream, 408, 'stream timeout', ResponseFlag.StreamIdleTimeout, 'stream_idle_timeout', null);
  }
}

/**
 * The stream's duration limit in ms (0 = none): the route's max_stream_duration, or, with
 * grpc_timeout_header_max set and a grpc-timeout request header, that header's value capped by
 * the max (a max of 0 = uncapped), as Envoy's RouteAction.MaxStreamDuration says.
 */
function maxStreamDurationMs(route: CompiledRoute, headers: readonly string[]): number {
  const cap = route.grpcTimeoutHeaderMaxMs;
  if (cap !== null) {
    const header = getHeader(headers, 'grpc-timeout');
    const fromHeader = header === undefined ? -1 : parseGrpcTimeoutMs(header);
    if (fromHeader >= 0) return cap > 0 ? Math.min(fromHeader, cap) : fromHeader;
  }
  return route.maxStreamDurationMs;
}

const GRPC_TIMEOUT_UNITS_MS: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000001 };

/** gRPC's `grpc-timeout` (1–8 ASCII digits + H/M/S/m/u/n) in ms, or -1 when malformed. */
export function parseGrpcTimeoutMs(value: string): number {
  const unit = GRPC_TIMEOUT_UNITS_MS[value.charAt(value.length - 1)];
  const digits = value.slice(0, -1);
  if (unit === undefined || digits.length < 1 || digits.length > 8 || !/^[0-9]+$/.test(digits)) return -1;
  return Math.ceil(Number(digits) * unit);
}
