/**
 * Reconnect delays for the ADS stream: exponential backoff with full jitter (gRPC's connection
 * backoff and Envoy's JitteredExponentialBackOffStrategy). Attempt n waits a uniform random time
 * in [0, min(max, base · 2^n)], so a fleet of routers that lost the control plane together does
 * not reconnect in lock step.
 *
 *   attempt:   0      1      2      3   …   n
 *   ceiling: base   2·base 4·base 8·base … min(max, base·2^n)
 *   delay:   U[0, ceiling)
 *
 * Pure: the caller owns the timer; `reset()` after a stream received a response.
 */
import { defaultRandom, type RandomSource } from '../../common/random.js';

/** Envoy's ADS retry defaults (grpc_mux_impl: 500 ms base, 30 s max). */
export const DEFAULT_BACKOFF_BASE_MS = 500;
export const DEFAULT_BACKOFF_MAX_MS = 30_000;

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs: number = DEFAULT_BACKOFF_BASE_MS,
    private readonly maxMs: number = DEFAULT_BACKOFF_MAX_MS,
    private readonly random: RandomSource = defaultRandom,
  ) {}

  /** The ceiling of the next delay, before jitter. */
  get ceilingMs(): number {
    // 2^attempt grows past maxMs quickly; cap the exponent so the number never overflows.
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
  }

  /** The delay before the next attempt, in [0, ceilingMs); advances the attempt counter. */
  nextDelayMs(): number {
    const delay = Math.floor(this.random() * this.ceilingMs);
    this.attempt++;
    return delay;
  }

  /** Back to the base delay (called once a stream is healthy: it got a response). */
  reset(): void {
    this.attempt = 0;
  }
}
