/**
 * Retry back-off intervals, as Envoy's router computes them (pure; the caller arms the timer).
 *
 * Exponential (retry_back_off; Envoy JitteredExponentialBackOffStrategy): fully jittered, the
 * window starts at base_interval and doubles per retry up to max_interval:
 *
 *   retry n (1-based): delay = floor(random · min(base · 2^(n-1), max))     ∈ [0, window)
 *   base 25 ms, max 250 ms → windows 25, 50, 100, 200, 250, 250 …
 *
 * Rate limited (rate_limited_retry_back_off; Envoy JitteredLowerBoundBackOffStrategy): the
 * interval the upstream named in a reset header, jittered upwards by up to half of it:
 *
 *   delay = interval + floor(random · interval / 2)                          ∈ [interval, 1.5 · interval)
 *
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
 */
import type { RandomSource } from '../../common/random.js';

export class JitteredExponentialBackOff {
  private nextIntervalMs: number;

  constructor(
    private readonly baseIntervalMs: number,
    private readonly maxIntervalMs: number,
    private readonly random: RandomSource,
  ) {
    this.nextIntervalMs = baseIntervalMs;
  }

  /** The window of the next call (exclusive upper bound of its delay). */
  get windowMs(): number {
    return this.nextIntervalMs;
  }

  /** The delay before the next retry, in ms; each call widens the window for the one after. */
  nextBackOffMs(): number {
    const window = this.nextIntervalMs;
    this.nextIntervalMs = window < this.maxIntervalMs / 2 ? window * 2 : this.maxIntervalMs;
    return Math.min(Math.floor(this.random() * window), this.maxIntervalMs);
  }

  reset(): void {
    this.nextIntervalMs = this.baseIntervalMs;
  }
}

/** Envoy JitteredLowerBoundBackOffStrategy: [intervalMs, 1.5 · intervalMs). */
export function jitteredLowerBoundMs(intervalMs: number, random: RandomSource): number {
  return intervalMs + Math.floor(random() * Math.floor(intervalMs / 2));
}

/** One rate_limited_retry_back_off.reset_headers entry. */
export interface ResetHeader {
  readonly name: string;
  readonly format: 'SECONDS' | 'UNIX_TIMESTAMP';
}

/**
 * Envoy ResetHeaderParserImpl: the interval the first usable reset header names, in ms, or -1.
 * A value must be a non-negative integer (SECONDS: seconds to wait; UNIX_TIMESTAMP: the second
 * to retry at); an interval above `maxIntervalMs` is discarded and the next header is tried.
 */
export function parseResetInterval(headers: readonly string[], resetHeaders: readonly ResetHeader[], maxIntervalMs: number, nowMs: number): number {
  for (let h = 0; h < resetHeaders.length; h++) {
    const spec = resetHeaders[h];
    for (let i = 0; i < headers.length; i += 2) {
      if (headers[i] !== spec.name) continue;
      const raw = headers[i + 1].trim();
      if (!/^\d+$/.test(raw)) break;
      const n = Number(raw);
      const intervalMs = spec.format === 'SECONDS' ? n * 1000 : n * 1000 - nowMs;
      if (intervalMs > 0 && intervalMs <= maxIntervalMs) return intervalMs;
      break;
    }
  }
  return -1;
}
