/**
 * The control plane's composition root (`switchyard control-plane`, and in-process for
 * `switchyard up`): store → publisher → snapshot cache → xDS server, and the platform API beside
 * it. The API never touches the xDS server (STYLE.md rule 5): it writes the store, the publisher
 * sees the change and publishes; the API reads xDS client status through one injected function.
 */
import { mkdirSync } from 'node:fs';
import { Logger } from '../common/logger.js';
import { createApiServer } from './api/api-server.js';
import { Publisher } from './controllers/publisher.js';
import { EventBus } from './events/event-bus.js';
import { DEFAULT_BASE_DOMAIN, DEFAULT_REGION } from './model/defaults.js';
import { openStore, type Store } from './store/store.js';
import { SnapshotCache } from './xds-server/cache/snapshot-cache.js';
import type { NackEvent, StreamEvent } from './xds-server/server/callbacks.js';
import { XdsServer } from './xds-server/server/xds-server.js';
import { DEFAULT_RATE_LIMIT_CLUSTER } from './model/rate-limit-contract.js';
import { startRateLimitService } from './ratelimit/start-rate-limit-service.js';

const log = new Logger('control-plane');

export interface ControlPlaneOptions {
  /** Directory of the SQLite store, or ':memory:'. */
  readonly dataDir: string;
  readonly apiHost: string;
  readonly apiPort: number;
  readonly xdsHost: string;
  readonly xdsPort: number;
  /** The ingress listener routers are told to bind (DESIGN §2 `--http-port`). */
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly listenAddress: string;
  readonly baseDomain: string;
  readonly region: string;
  /** Admin bearer token; null = open (loopback development). */
  readonly token: string | null;
  /**
   * Global rate limiting: the rate limit service listens here (on apiHost; 0 = any port) and the
   * translator emits the RLS filter instead of local buckets. Absent/null = off (local limits).
   */
  readonly rateLimitPort?: number | null;
  /** Counters in this Redis (several replicas share one limit); absent/null = in memory. */
  readonly redisUrl?: string | null;
  /** Deny (500 RLSE) when the rate limit service fails; default false: allow (Envoy's default). */
  readonly rateLimitFailureModeDeny?: boolean;
}

/** `--ratelimit-port` default (DESIGN §2). */
export const DEFAULT_RATE_LIMIT_PORT = 18081;

export const CONTROL_PLANE_DEFAULTS: ControlPlaneOptions = {
  dataDir: '.switchyard',
  apiHost: '127.0.0.1',
  apiPort: 7070,
  xdsHost: '127.0.0.1',
  xdsPort: 18000,
  httpPort: 8080,
  httpsPort: 8443,
  listenAddress: '127.0.0.1',
  baseDomain: DEFAULT_BASE_DOMAIN,
  region: DEFAULT_REGION,
  token: null,
};

export interface RunningControlPlane {
  readonly apiPort: number;
  readonly xdsPort: number;
  /** The rate limit service's bound port; null when global rate limiting is off. */
  readonly rateLimitPort: number | null;
  readonly apiUrl: string;
  readonly events: EventBus;
  /** The store itself, for in-process callers that seed many services at once (benchmarks). */
  readonly store: Store;
  readonly xds: XdsServer;
  /** The snapshot cache the publisher fills (tests and tooling may publish by hand, as go-control-plane users do). */
  readonly cache: SnapshotCache;
  readonly publisher: Publisher;
  stop(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<RunningControlPlane> {
  if (options.dataDir !== ':memory:') mkdirSync(options.dataDir, { recursive: true });
  const store = openStore({ path: options.dataDir, baseDomain: options.baseDomain, region: options.region, httpPort: options.httpPort });
  const events = new EventBus();
  const cache = new SnapshotCache();
  const xds = new XdsServer({ cache, defaultGroup: options.region });
  xds.on('nack', (e: NackEvent) => {
    log.warn('router rejected config', { ...e });
    events.emit('xds.nack', { ...e });
  });
  xds.on('connect', (e: StreamEvent) => events.emit('xds.connect', { ...e }));
  xds.on('disconnect', (e: StreamEvent) => events.emit('xds.disconnect', { ...e }));
  const publisher = new Publisher({
    store,
    cache,
    events,
    defaultRegion: options.region,
    baseDomain: options.baseDomain,
    listenAddress: options.listenAddress,
    httpPort: options.httpPort,
    globalRateLimit: options.rateLimitPort == null ? null : { clusterName: DEFAULT_RATE_LIMIT_CLUSTER, failureModeDeny: options.rateLimitFailureModeDeny ?? false },
  });
  const rls = options.rateLimitPort == null ? null : await startRateLimitService(store, options.apiHost, options.rateLimitPort, options.redisUrl ?? null);
  publisher.start();
  const xdsPort = await xds.listen(options.xdsPort, options.xdsHost);
  const api = createApiServer({ store, adminToken: options.token ?? undefined, xdsClients: () => xds.clients(), events });
  const apiPort = await api.listen(options.apiPort, options.apiHost);
  const apiUrl = `http://${options.apiHost.includes(':') ? `[${options.apiHost}]` : options.apiHost}:${apiPort}`;
  log.info('control plane ready', { api: apiUrl, xds: `${options.xdsHost}:${xdsPort}`, dataDir: options.dataDir, region: options.region });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      publisher.stop();
      await Promise.allSettled([api.close(), xds.close(), rls?.close()]);
      store.close();
    })());
  return { apiPort, xdsPort, rateLimitPort: rls?.port ?? null, apiUrl, events, store, xds, cache, publisher, stop };
}
