/**
 * The control plane's envoy.service.ratelimit.v3.RateLimitService (ShouldRateLimit), which
 * routers' envoy.filters.http.ratelimit (and a real Envoy) call before forwarding a request.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/service/ratelimit/v3/rls.proto
 *
 * Contract (the translator emits exactly this when global limits are on):
 *   domain      "switchyard"
 *   descriptor  [{ key: "service", value: <service id> }]  — one per request, from the virtual
 *               host's rate_limits action generic_key { descriptor_key: "service", descriptor_value: <id> }
 *   limit       the service's rateLimit.requestsPerSecond / burst from the store, counted in fixed
 *               epoch-aligned windows (rate-limit-rule.ts) by the counters backend: memory (one
 *               replica) or Redis (several replicas, one shared count)
 *   answer      per descriptor OK or OVER_LIMIT with current_limit (the window's limit per SECOND/MINUTE/…
 *               when the window is one unit, else the rate per SECOND),
 *               limit_remaining and duration_until_reset; overall_code OVER_LIMIT if any is over.
 *               Other domains and unknown descriptors (no such service, no limit) → OK, uncounted.
 *               hits_addend 0 counts as 1 (Envoy).
 *   errors      a counters backend failure → gRPC UNAVAILABLE (the router's failure_mode decides).
 *
 * The lookup and the counters are injected (LimitLookup, RateLimitCounters), so tests can run the
 * same server with fixed limits.
 */
import * as grpc from '@grpc/grpc-js';
import { Logger } from '../../common/logger.js';
import { rateLimitServiceConstructor, type RlsDescriptorStatus, type RlsRequest, type RlsResponse } from '../../xds/ratelimit-service-protos.js';
import type { RateLimitCounters } from './rate-limit-counters.js';
import type { RateLimitRule } from './rate-limit-rule.js';
import type { LimitLookup } from './service-limits.js';

const log = new Logger('ratelimit');

export interface RateLimitServerOptions {
  limits: LimitLookup;
  counters: RateLimitCounters;
}

export class RateLimitServer {
  private server: grpc.Server | null = null;
  /** Calls answered (tests and stats). */
  calls = 0;

  constructor(private readonly options: RateLimitServerOptions) {}

  /** Binds host:port (port 0 = any) and returns the bound port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = new grpc.Server();
    server.addService(rateLimitServiceConstructor().service, {
      ShouldRateLimit: (call: grpc.ServerUnaryCall<RlsRequest, RlsResponse>, callback: grpc.sendUnaryData<RlsResponse>) => {
        this.shouldRateLimit(call.request).then(
          (response) => callback(null, response),
          (error: unknown) => {
            log.warn('rate limit counters failed', { error: String(error) });
            callback({ code: grpc.status.UNAVAILABLE, details: `rate limit counters: ${String(error)}` });
          },
        );
      },
    });
    const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const bound = await new Promise<number>((resolve, reject) => server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    this.server = server;
    return bound;
  }

  /** Decides one request (also callable without gRPC). */
  async shouldRateLimit(request: RlsRequest): Promise<RlsResponse> {
    this.calls++;
    const hits = request.hits_addend > 0 ? request.hits_addend : 1;
    const statuses: RlsDescriptorStatus[] = [];
    let overall: RlsResponse['overall_code'] = 'OK';
    for (const descriptor of request.descriptors) {
      const rule = this.options.limits.limitFor(request.domain, descriptor.entries);
      if (rule === null) {
        statuses.push({ code: 'OK', current_limit: null, limit_remaining: 0, duration_until_reset: null });
        continue;
      }
      const key = `${request.domain}:${descriptorKey(descriptor.entries)}`;
      const { count, resetMs } = await this.options.counters.hit(key, rule.windowMs, hits);
      const over = count > rule.limit;
      if (over) overall = 'OVER_LIMIT';
      statuses.push({
        code: over ? 'OVER_LIMIT' : 'OK',
        current_limit: currentLimit(rule),
        limit_remaining: Math.max(0, rule.limit - count),
        duration_until_reset: { seconds: Math.floor(resetMs / 1000), nanos: (resetMs % 1000) * 1e6 },
      });
    }
    return { overall_code: overall, statuses, response_headers_to_add: [], request_headers_to_add: [] };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 2000);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

const UNITS: readonly [number, 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY'][] = [[1000, 'SECOND'], [60_000, 'MINUTE'], [3_600_000, 'HOUR'], [86_400_000, 'DAY']];

/** RateLimit.current_limit: the window's own limit when it is a whole unit, else the per-second rate. */
function currentLimit(rule: RateLimitRule): NonNullable<RlsDescriptorStatus['current_limit']> {
  for (const [ms, unit] of UNITS) if (rule.windowMs === ms) return { requests_per_unit: rule.limit, unit, name: '' };
  return { requests_per_unit: Math.max(1, Math.round(rule.requestsPerSecond)), unit: 'SECOND', name: '' };
}

/** `key=value` entries joined by `|`: the counter's name (and the Redis key's middle part). */
export function descriptorKey(entries: readonly { key: string; value: string }[]): string {
  let s = '';
  for (let i = 0; i < entries.length; i++) s += `${i === 0 ? '' : '|'}${entries[i].key}=${entries[i].value}`;
  return s;
}
