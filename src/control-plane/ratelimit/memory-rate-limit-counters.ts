/**
 * In-process counters for a single control-plane replica: fixed windows (see
 * rate-limit-counters.ts), one Map entry per (key, windowMs) holding the current window's number
 * and count. An entry from an older window is reset on its next hit; entries idle for a whole
 * window are swept at most once per SWEEP_INTERVAL_MS, so memory follows the active descriptors.
 * The clock is injected for tests.
 */
import type { HitResult, RateLimitCounters } from './rate-limit-counters.js';

const SWEEP_INTERVAL_MS = 10_000;

interface Slot {
  window: number;
  count: number;
  readonly windowMs: number;
}

export class MemoryRateLimitCounters implements RateLimitCounters {
  private readonly slots = new Map<string, Slot>();
  private lastSweepMs: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweepMs = now();
  }

  hit(key: string, windowMs: number, hits: number): HitResult {
    const now = this.now();
    if (now - this.lastSweepMs >= SWEEP_INTERVAL_MS) this.sweep(now);
    const window = Math.floor(now / windowMs);
    const id = `${windowMs}\u0000${key}`;
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = { window, count: 0, windowMs };
      this.slots.set(id, slot);
    } else if (slot.window !== window) {
      slot.window = window;
      slot.count = 0;
    }
    slot.count += hits;
    return { count: slot.count, resetMs: (window + 1) * windowMs - now };
  }

  /** Number of live counters (tests). */
  get size(): number {
    return this.slots.size;
  }

  async close(): Promise<void> {
    this.slots.clear();
  }

  private sweep(now: number): void {
    this.lastSweepMs = now;
    for (const [id, slot] of this.slots) if (slot.window < Math.floor(now / slot.windowMs)) this.slots.delete(id);
  }
}
