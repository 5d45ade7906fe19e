/**
 * Starts the control plane's rate limit service on host:port: limits from the store
 * (ServiceLimits), counters in Redis when `redisUrl` is given (several replicas, one shared
 * count), else in memory (one replica). Called by the composition root (control-plane/index.ts).
 */
import { MemoryRateLimitCounters } from './memory-rate-limit-counters.js';
import type { RateLimitCounters } from './rate-limit-counters.js';
import { RateLimitServer } from './rate-limit-server.js';
import { RedisRateLimitCounters } from './redis-rate-limit-counters.js';
import { ServiceLimits, type ServiceReader } from './service-limits.js';

export interface RunningRateLimitService {
  readonly port: number;
  readonly server: RateLimitServer;
  close(): Promise<void>;
}

export async function startRateLimitService(store: ServiceReader, host: string, port: number, redisUrl: string | null): Promise<RunningRateLimitService> {
  let counters: RateLimitCounters;
  if (redisUrl !== null) {
    const redis = new RedisRateLimitCounters(redisUrl);
    await redis.ready();
    counters = redis;
  } else counters = new MemoryRateLimitCounters();
  const server = new RateLimitServer({ limits: new ServiceLimits(store), counters });
  let bound: number;
  try {
    bound = await server.listen(port, host);
  } catch (error) {
    await counters.close();
    throw error;
  }
  return {
    port: bound,
    server,
    close: async () => {
      await server.close();
      await counters.close();
    },
  };
}
