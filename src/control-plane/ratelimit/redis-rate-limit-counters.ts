/**
 * Counters in Redis, for several control-plane replicas enforcing one shared limit. One key per
 * window, `sy:rl:<domain>:<descriptor>:<window>` (window = floor(now / windowMs), epoch-aligned
 * so replicas agree), counted with one MULTI: INCRBY then PEXPIRE (two windows, so a key outlives
 * its window a little and then goes by itself). MULTI/EXEC is atomic: no replica sees a count
 * another has not finished. A Redis that is down or slow rejects the hit (commands are not queued
 * while disconnected), so the RLS answers an error and the router's failure mode decides.
 */
import { Redis } from 'ioredis';
import type { HitResult, RateLimitCounters } from './rate-limit-counters.js';

export const REDIS_KEY_PREFIX = 'sy:rl:';

export class RedisRateLimitCounters implements RateLimitCounters {
  private readonly redis: Redis;

  constructor(url: string, private readonly now: () => number = Date.now) {
    this.redis = new Redis(url, {
      // Fail fast instead of queueing while Redis is away: an RLS answer is due in milliseconds.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    // Connection errors are reported per call (the hit rejects); an unhandled 'error' would crash.
    this.redis.on('error', () => {});
  }

  /** Resolves once connected (startup and tests). */
  async ready(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis: not ready after 5s')), 5000);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async hit(key: string, windowMs: number, hits: number): Promise<HitResult> {
    const now = this.now();
    const window = Math.floor(now / windowMs);
    const redisKey = `${REDIS_KEY_PREFIX}${key}:${window}`;
    const results = await this.redis.multi().incrby(redisKey, hits).pexpire(redisKey, windowMs * 2).exec();
    if (results === null) throw new Error('redis: transaction aborted');
    const [incrError, count] = results[0];
    if (incrError !== null) throw incrError;
    return { count: Number(count), resetMs: (window + 1) * windowMs - now };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
