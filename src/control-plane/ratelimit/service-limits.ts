/**
 * The limits the rate limit service enforces, read from the platform store: descriptor
 * `[{ key: "service", value: <service id> }]` → that service's `rateLimit` settings (rate-limit-rule.ts).
 * A service's settings are cached for CACHE_TTL_MS so a request costs no SQLite read; a change
 * through the API takes effect within that time (deleted services lose their limit the same way).
 */
import type { Service } from '../model/types.js';
import { ruleFor, type RateLimitRule } from './rate-limit-rule.js';

const CACHE_TTL_MS = 1000;

/** What the server asks for each descriptor; null = not limited (answered OK). */
export interface LimitLookup {
  limitFor(domain: string, entries: readonly { key: string; value: string }[]): RateLimitRule | null;
}

/** The part of the store the limits need. */
export interface ServiceReader {
  getService(id: string): Service | null;
}

export const RATE_LIMIT_DOMAIN = 'switchyard';
export const SERVICE_DESCRIPTOR_KEY = 'service';

export class ServiceLimits implements LimitLookup {
  private readonly cache = new Map<string, { rule: RateLimitRule | null; atMs: number }>();

  constructor(
    private readonly store: ServiceReader,
    private readonly now: () => number = Date.now,
  ) {}

  limitFor(domain: string, entries: readonly { key: string; value: string }[]): RateLimitRule | null {
    if (domain !== RATE_LIMIT_DOMAIN || entries.length !== 1 || entries[0].key !== SERVICE_DESCRIPTOR_KEY) return null;
    const id = entries[0].value;
    const now = this.now();
    const hit = this.cache.get(id);
    if (hit !== undefined && now - hit.atMs < CACHE_TTL_MS) return hit.rule;
    const service = this.store.getService(id);
    const rule = service === null ? null : ruleFor(service.rateLimit);
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(id, { rule, atMs: now });
    return rule;
  }
}
