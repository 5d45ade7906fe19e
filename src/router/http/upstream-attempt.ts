/**
 * One upstream attempt of an HttpStream, from picking the host to giving it back: the per-attempt
 * circuit-breaker check, host choice (through the retry state on retries), the upstream request
 * head, pool acquire, writing the request, and the release of host, slot and connection. Functions over the stream.
 */
import { performance } from 'node:perf_hooks';
import { ProxyError, ResponseFlag } from '../codec/response-flags.js';
import type { LbContext } from '../upstream/lb/load-balancer.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import type { HttpStream } from './http-stream.js';
import { buildUpstreamRequestHead } from './stream-headers.js';
import { failBeforeResponse } from './stream-local-reply.js';
import { Phase } from './stream-phase.js';

/**
 * Sends the attempt's request on the connection the pool gave it: the head, and whatever body is
 * already there (every attempt replays the whole retry buffer; without one, what arrived while
 * connecting).
 */
export function writeUpstreamRequest(stream: HttpStream, conn: UpstreamConnection): void {
  const retry = stream.retry;
  const replay = retry !== null && retry.body !== null ? retry.body.chunks : null;
  const pending = replay !== null ? replay : stream.pendingBody;
  const terminate = stream.requestComplete && stream.requestChunked;
  if (pending === null && !terminate) {
    // The common case, a request without body bytes yet: the head alone, one write, batched
    // with this turn's other writes (write-batch.ts).
    conn.writeDeferred(stream.upstreamHead!);
    if (retry !== null) retry.onAttemptStarted(stream.requestComplete);
    return;
  }
  conn.socket.cork();
  conn.write(stream.upstreamHead!);
  if (pending !== null) {
    stream.pendingBody = null;
    stream.pendingBodyBytes = 0;
    for (let i = 0; i < pending.length; i++) {
      if (stream.requestChunked) stream.writeChunk(pending[i]);
      else conn.write(pending[i]);
    }
    stream.downstream.resumeRequest();
  }
  if (terminate) conn.writeText('0\r\n\r\n');
  conn.socket.uncork();
  if (retry !== null) retry.onAttemptStarted(stream.requestComplete);
}

/** Starts an attempt (`transparent`: the same attempt again on a fresh connection). */
export function sendUpstream(stream: HttpStream, transparent: boolean): void {
  const cluster = stream.cluster!;
  const route = stream.route!;
  // Envoy: max_requests is checked for every attempt, retries included (answered 503 UO).
  if (!cluster.resources.canSendRequest()) {
    cluster.stats.upstreamRqPendingOverflow.inc();
    failBeforeResponse(stream, new ProxyError(ResponseFlag.UpstreamOverflow, 'upstream', false, 'overflow'), '');
    return;
  }
  if (!transparent) stream.attempts++;
  const retry = stream.retry;
  let ctx: LbContext = route.lbContext(stream);
  if (retry !== null && stream.attempts > 1) {
    // Retry attempts pick through the retry state: previous_hosts asks for a host not tried yet.
    retry.hashKey = ctx.hashKey;
    ctx = retry;
  }
  const host = cluster.chooseHost(ctx);
  if (host === null) {
    cluster.stats.upstreamCxNoneHealthy.inc();
    failBeforeResponse(stream, new ProxyError(ResponseFlag.NoHealthyUpstream, 'upstream', false, 'no healthy upstream'), '');
    return;
  }
  if (retry !== null) retry.onHostAttempted(host);
  stream.host = host;
  stream.lastHost = host;
  stream.upstreamHead = buildUpstreamRequestHead(stream, route, stream.head!, host);
  host.activeRequests++;
  host.rqTotal++;
  cluster.resources.incRequests();
  cluster.stats.upstreamRqTotal.inc();
  cluster.stats.upstreamRqActive.inc();
  stream.phase = Phase.WaitingForConnection;
  host.pool!.acquire(stream);
}

/** Gives the host and circuit-breaker slot of the current attempt back. */
export function releaseHost(stream: HttpStream): void {
  const host = stream.host;
  if (host === null) return;
  stream.host = null;
  host.activeRequests--;
  const cluster = stream.cluster!;
  cluster.resources.decRequests();
  cluster.stats.upstreamRqActive.dec();
}

/** Drops the upstream side of the exchange; `abort` destroys a connection mid-exchange. */
export function releaseUpstream(stream: HttpStream, abort: boolean): void {
  stream.timers.route.disarm();
  if (stream.retry !== null) stream.retry.release();
  if (stream.phase === Phase.WaitingForConnection && stream.host !== null) stream.host.pool!.cancel(stream);
  const conn = stream.upstream;
  stream.upstream = null;
  if (conn !== null && abort) {
    stream.cluster?.stats.upstreamRqTxReset.inc();
    conn.abort();
  }
  releaseHost(stream);
}

/** The attempt's response ended (or was cut): its time and completion stats, then the host back. */
export function recordUpstreamEnd(stream: HttpStream): void {
  const cluster = stream.cluster;
  if (cluster === null) return;
  cluster.stats.upstreamRqCompleted.inc();
  cluster.stats.upstreamRqTime.record(performance.now() - stream.upstreamStartHr);
  releaseHost(stream);
}
