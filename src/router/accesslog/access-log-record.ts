/**
 * What the connection manager knows about one finished request, for the access-log formatters
 * (Envoy's StreamInfo + header maps, flattened). Filled once per request by `http/stream-log.ts`
 * on the worker, then read by every configured logger.
 *
 * Every field is initialized here, so all records share one hidden class (STYLE.md hot-path
 * rule 3). "No value" is '' or '-' for strings and -1 for optional numbers; the formatters print
 * both as '-' (null in typed JSON).
 */
import { performance } from 'node:perf_hooks';

export class AccessLogRecord {
  /** Request start, epoch milliseconds (%START_TIME%). */
  startTimeMs = 0;
  /** Request start on the monotonic clock, performance.now() milliseconds. */
  startHr = 0;
  method = '';
  /** The original :path, query included. */
  path = '';
  authority = '';
  scheme = '';
  /** 'HTTP/1.1', 'HTTP/1.0' or 'HTTP/2'. */
  protocol = '';
  /** Flat [name, value, …] with lower-case names, or null. */
  requestHeaders: readonly string[] | null = null;
  responseHeaders: readonly string[] | null = null;
  responseTrailers: readonly string[] | null = null;
  /** 0 = no response was sent. */
  responseCode = 0;
  responseCodeDetails = '';
  /** Envoy's short response flags comma-joined ('UF,URX'), '-' when none. */
  responseFlags = '-';
  /** Request body bytes received. */
  bytesReceived = 0;
  /** Response body bytes sent. */
  bytesSent = 0;
  /** Start to last byte out, ms. */
  durationMs = 0;
  /** Start to last request byte received, ms; -1 = unknown. */
  requestDurationMs = -1;
  /** Start to first upstream response byte, ms; -1 = none. */
  responseDurationMs = -1;
  /** 'ip:port' of the upstream host, '-' when none was picked. */
  upstreamHost = '-';
  upstreamCluster = '-';
  upstreamLocalAddress = '-';
  upstreamTransportFailureReason = '';
  /** 'ip:port' ('[v6]:port' for IPv6). */
  downstreamRemoteAddress = '-';
  downstreamLocalAddress = '-';
  downstreamDirectRemoteAddress = '-';
  requestId = '';
  routeName = '';
  /** Upstream attempts; 0 = never attempted upstream. */
  attemptCount = 0;
  connectionId = 0;
  /** Upstream service time (x-envoy-upstream-service-time), ms; -1 = none. */
  upstreamServiceTimeMs = -1;
}
