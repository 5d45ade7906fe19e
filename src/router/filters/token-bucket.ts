/**
 * A token bucket refilled in whole fill intervals, as Envoy's local rate limiter does: every
 * `fillIntervalMs` adds `tokensPerFill` tokens up to `maxTokens`. Refill is computed lazily on
 * each take (no timer per bucket). Tokens may be fractional: a router with N worker processes gives
 * each worker 1/N of the configured bucket, so the process as a whole keeps Envoy's per-process
 * limit ("the token bucket is shared across all workers").
 */
export class TokenBucket {
  private tokens: number;
  private lastFillMs: number;

  constructor(
    readonly maxTokens: number,
    readonly tokensPerFill: number,
    readonly fillIntervalMs: number,
    nowMs: number,
  ) {
    this.tokens = maxTokens;
    this.lastFillMs = nowMs;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether a take() now would succeed (checking several buckets before taking from any). */
  hasToken(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= 1;
  }

  /** Whole tokens left (x-ratelimit-remaining). */
  remaining(nowMs: number): number {
    this.refill(nowMs);
    return Math.floor(this.tokens);
  }

  /** Milliseconds until the next fill (x-ratelimit-reset, rounded up to seconds by the caller). */
  msUntilFill(nowMs: number): number {
    this.refill(nowMs);
    return this.fillIntervalMs - (nowMs - this.lastFillMs);
  }

  private refill(nowMs: number): void {
    const intervals = Math.floor((nowMs - this.lastFillMs) / this.fillIntervalMs);
    if (intervals <= 0) return;
    this.lastFillMs += intervals * this.fillIntervalMs;
    this.tokens = Math.min(this.maxTokens, this.tokens + intervals * this.tokensPerFill);
  }
}
