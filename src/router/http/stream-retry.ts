/**
 * The retry steps of an HttpStream (Envoy router's doRetry / onPerTryTimeout), as functions over
 * the stream: ending an attempt that will be retried, the back-off expiry, per-try timeouts and
 * the retry buffer outgrowing its limit. The decisions themselves (retry_on, budgets, back-off)
 * belong to RetryState (retry-state.ts); these apply them to the stream.
 */
import { ProxyError, ResponseFlag } from '../codec/response-flags.js';
import { ResetReason } from '../routing/compiled-retry-policy.js';
import { OutlierResult } from '../upstream/host.js';
import type { HttpStream } from './http-stream.js';
import { RetryStatus, TIMER_PER_TRY, TIMER_PER_TRY_IDLE } from './retry-state.js';
import { failBeforeResponse, sendLocalReply } from './stream-local-reply.js';
import { Phase } from './stream-phase.js';
import { recordUpstreamEnd, releaseHost, sendUpstream } from './upstream-attempt.js';

/** The response flag for a retry that could not happen: URX (limit exceeded), UO (overflow), or ''. */
export function retryFlag(status: RetryStatus): string {
  if (status === RetryStatus.NoRetryLimitExceeded) return ResponseFlag.UpstreamRetryLimitExceeded;
  if (status === RetryStatus.NoOverflow) return ResponseFlag.UpstreamOverflow;
  return '';
}

/**
 * Asks the retry state about an attempt that ended without a response (`reason`); on Yes the
 * attempt is released and the back-off armed. The caller answers by itself on anything else.
 */
export function retryAttempt(stream: HttpStream, reason: ResetReason, requestStarted: boolean): RetryStatus {
  const retry = stream.retry!;
  retry.endAttempt();
  const status = retry.shouldRetryReset(reason, requestStarted);
  if (status !== RetryStatus.Yes) return status;
  if (stream.host !== null) stream.host.rqError++;
  releaseHost(stream);
  stream.phase = Phase.RetryBackoff;
  retry.scheduleRetry();
  return status;
}

/**
 * A retriable response head that will be retried: nothing of it goes downstream. When the
 * request is fully sent its connection keeps reading the response during the back-off and goes
 * back to the pool if it ends in time; otherwise it is reset (Envoy resets the upstream stream).
 */
export function retryResponse(stream: HttpStream, status: number): void {
  const retry = stream.retry!;
  const cluster = stream.cluster!;
  cluster.stats.recordRetriedResponseCode(status);
  retry.endAttempt();
  const conn = stream.upstream!;
  stream.upstream = null;
  if (stream.host !== null) stream.host.rqError++;
  releaseHost(stream);
  stream.phase = Phase.RetryBackoff;
  if (stream.requestComplete) retry.discarded = conn;
  else {
    cluster.stats.upstreamRqTxReset.inc();
    conn.abort();
  }
  retry.scheduleRetry();
}

/** The back-off is over: drop what is left of the retried response and start the next attempt. */
export function onRetryBackOff(stream: HttpStream): void {
  if (stream.phase !== Phase.RetryBackoff) return;
  const retry = stream.retry!;
  const conn = retry.discarded;
  if (conn !== null) {
    retry.discarded = null;
    stream.cluster!.stats.upstreamRqTxReset.inc();
    conn.abort();
  }
  sendUpstream(stream, false);
}

/** per_try_timeout / per_try_idle_timeout: 504 UT for this try, retried like a reset (Envoy onPerTryTimeout). */
export function onPerTryTimeout(stream: HttpStream, kind: number): void {
  if (stream.phase !== Phase.Upstream) return;
  const retry = stream.retry!;
  if (kind === TIMER_PER_TRY_IDLE && retry.perTryIdleRemainingMs() > 0) return;
  const cluster = stream.cluster!;
  if (kind === TIMER_PER_TRY) cluster.stats.upstreamRqPerTryTimeout.inc();
  else cluster.stats.upstreamRqPerTryIdleTimeout.inc();
  const host = stream.host;
  if (host !== null && host.outlier !== null) host.outlier.putResult(OutlierResult.LocalOriginTimeout);
  const details = kind === TIMER_PER_TRY ? 'upstream_per_try_timeout' : 'upstream_per_try_idle_timeout';
  const conn = stream.upstream;
  stream.upstream = null;
  if (conn !== null) {
    cluster.stats.upstreamRqTxReset.inc();
    conn.abort();
  }
  if (stream.responseStarted) {
    // Too late to retry or answer: reset the response that started.
    stream.addFlag(ResponseFlag.UpstreamRequestTimeout);
    stream.responseCodeDetails = details;
    stream.phase = Phase.Done;
    recordUpstreamEnd(stream);
    stream.downstream.resetResponse();
    stream.finish();
    return;
  }
  const status = retryAttempt(stream, ResetReason.LocalReset, true);
  if (status === RetryStatus.Yes) return;
  failBeforeResponse(stream, new ProxyError(ResponseFlag.UpstreamRequestTimeout, 'upstream', true, details), retryFlag(status));
}

/**
 * The body outgrew the retry buffer before this attempt was connected. Retries are off from
 * here; a pending attempt sends the buffer as its body. During a back-off there is nothing left
 * to send it to: Envoy answers 507.
 */
export function onRetryBufferOverflow(stream: HttpStream, chunks: Buffer[], bytes: number): void {
  if (stream.phase === Phase.RetryBackoff) {
    sendLocalReply(stream, 507, 'exceeded request buffer limit while retrying upstream', '', 'request_payload_exceeded_retry_buffer_limit', null);
    return;
  }
  stream.pendingBody = chunks;
  stream.pendingBodyBytes = bytes;
  if (bytes > (stream.cluster?.config.perConnectionBufferLimitBytes ?? 1 << 20)) stream.downstream.pauseRequest();
}

/**
 * Body that arrived while a filter held the stream goes into the retry buffer, as if it came
 * now. Past the buffer limit retries are off and the held chunks stay the attempt's body.
 */
export function bufferHeldBody(stream: HttpStream, held: Buffer[]): void {
  const retry = stream.retry!;
  let all = true;
  for (let i = 0; i < held.length && all; i++) all = retry.bufferBody(held[i]);
  if (!all) return;
  stream.pendingBody = null;
  stream.pendingBodyBytes = 0;
}
