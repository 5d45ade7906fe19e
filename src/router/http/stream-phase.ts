/**
 * Where an HttpStream is in its exchange. Shared by http-stream.ts and its role files
 * (stream-start.ts, stream-timers.ts, stream-retry.ts, stream-local-reply.ts); a const enum, so
 * it costs nothing at run time.
 */
export const enum Phase {
  Routing,
  /** Routed; a decoder filter (the global rate limit) is waiting for an answer. Body chunks are held. */
  Filters,
  WaitingForConnection,
  Upstream,
  /** A retry is scheduled: no attempt in flight until the back-off timer fires. */
  RetryBackoff,
  Done,
}
