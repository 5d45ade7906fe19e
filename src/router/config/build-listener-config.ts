/**
 * Compiles one listener's HTTP connection manager into the immutable ConnectionManagerConfig the
 * data path reads: route table compiled once, stats resolved, access loggers opened. Runs on a
 * worker each time a config snapshot arrives ("slow build, fast pick"). With the listener's
 * RouteTableCompiler, virtual hosts unchanged since its previous compile are reused.
 */
import type { HttpConnectionManager, Listener } from '../../xds/resources/listener.types.js';
import type { RouteConfiguration } from '../../xds/resources/route-configuration.types.js';
import { createAccessLogger, type AccessLogger } from '../accesslog/access-log-sink.js';
import { LocalRateLimitFilter } from '../filters/local-rate-limit-filter.js';
import { RateLimitFilter } from '../filters/ratelimit-filter.js';
import { ConnectionManagerConfig, type ClusterLookup } from '../http/connection-manager-config.js';
import { HcmStats } from '../http/hcm-stats.js';
import { compileRouteTable, type RouteTableOptions } from '../routing/route-table.js';
import type { RouteTableCompiler } from '../routing/route-table-compiler.js';
import type { StatsStore } from '../stats/stats-store.js';

/** Access loggers are shared across snapshots by their config, so a file is opened once. */
const loggerCache = new Map<string, AccessLogger>();

export function buildListenerConfig(
  listener: Listener,
  hcm: HttpConnectionManager,
  routeConfig: RouteConfiguration,
  clusters: ClusterLookup,
  store: StatsStore,
  compiler?: RouteTableCompiler,
): ConnectionManagerConfig {
  const port = listener.address?.port ?? 0;
  const options: RouteTableOptions = {
    stripMatchingHostPort: hcm.stripMatchingHostPort,
    stripAnyHostPort: hcm.stripAnyHostPort,
    stripTrailingHostDot: hcm.stripTrailingHostDot,
    listenerPort: port,
    defaultRequestBufferLimitBytes: listener.perConnectionBufferLimitBytes,
  };
  const routeTable = compiler === undefined ? compileRouteTable(routeConfig, options) : compiler.compile(routeConfig, options);
  const loggers: AccessLogger[] = [];
  for (const log of hcm.accessLog) {
    const key = JSON.stringify(log);
    let logger = loggerCache.get(key);
    if (logger === undefined) {
      logger = createAccessLogger(log);
      loggerCache.set(key, logger);
    }
    loggers.push(logger);
  }
  const localRateLimit = LocalRateLimitFilter.fromFilters(hcm.httpFilters, store, hcm.useRemoteAddress, hcm.xffNumTrustedHops);
  const rateLimit = RateLimitFilter.fromFilters(hcm.httpFilters, clusters, store, hcm.useRemoteAddress, hcm.xffNumTrustedHops);
  return new ConnectionManagerConfig(hcm, routeTable, clusters, new HcmStats(store, hcm.statPrefix), loggers, port, localRateLimit, rateLimit);
}

/** Flushes every open access logger (drain / shutdown). */
export async function flushAccessLoggers(): Promise<void> {
  await Promise.all([...loggerCache.values()].map((l) => l.flush()));
}
