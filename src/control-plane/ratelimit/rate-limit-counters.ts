/**
 * Where the rate limit service counts hits: one counter per (domain, descriptor, window). Two
 * backends implement it: MemoryRateLimitCounters (one control-plane replica) and
 * RedisRateLimitCounters (several replicas sharing one Redis). Both count in fixed windows
 * aligned to the epoch (window number = floor(now / windowMs)), so every replica and router
 * agrees where a window starts.
 */
export interface HitResult {
  /** Hits in the current window, this one included. */
  readonly count: number;
  /** Milliseconds until the window ends. */
  readonly resetMs: number;
}

export interface RateLimitCounters {
  /**
   * Adds `hits` to the counter of `key` (domain + descriptor) in the window of `windowMs` that
   * holds now, and returns the window's total. Rejects when the backend cannot answer (the RLS
   * then fails the call and the router applies its failure mode).
   */
  hit(key: string, windowMs: number, hits: number): Promise<HitResult> | HitResult;
  close(): Promise<void>;
}
