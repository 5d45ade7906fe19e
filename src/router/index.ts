/**
 * The router's composition root, run in the primary process by `switchyard router`: validates the
 * bootstrap (every error with its path, exit 1), starts the workers and hands them the config,
 * serves admin, and drains on SIGTERM/SIGINT (stop accepting, let in-flight requests finish up to
 * the drain time, exit 0).
 *
 * With `dynamic_resources.ads_config` the primary also runs the ADS client (xds-client/): accepted
 * resources land in the ResourceStore, the ConfigPublisher (config/) assembles them with warming
 * and publishes each complete config to the workers, and `--config-cache` keeps the last good
 * resources on disk for a restart while the control plane is down.
 */
import { Logger } from '../common/logger.js';
import { formatErrors } from '../xds/validation.js';
import { AdminServer } from './admin/admin-server.js';
import { loadBootstrapFile } from './bootstrap/load-bootstrap.js';
import { EMPTY_ASSEMBLY } from './config/config-assembler.js';
import { ConfigCache } from './config/config-cache.js';
import { buildConfigDump } from './config/config-dump.js';
import { ConfigPublisher, INITIAL_FETCH_TIMEOUT_MS } from './config/config-publisher.js';
import { MergedStats } from './stats/merged-stats.js';
import { StatsStore } from './stats/stats-store.js';
import { WorkerPool } from './worker/worker-pool.js';
import { resolveAdsTarget } from './xds-client/ads-target.js';
import { nodeToProto } from './xds-client/node-proto.js';
import { ResourceStore } from './xds-client/resource-store.js';
import { AdsClient } from './xds-client/xds-client.js';
import { XdsStats } from './xds-client/xds-stats.js';

const log = new Logger('router');

export interface RouterOptions {
  readonly configPath: string;
  readonly concurrency: number;
  /** How long SIGTERM waits for in-flight requests (Envoy's --drain-time-s). */
  readonly drainTimeMs: number;
  /** `--config-cache PATH`: where the last good dynamic resources are kept (config-cache.ts). */
  readonly configCachePath?: string | null;
}

export interface RunningRouter {
  readonly adminPort: number | null;
  stop(): Promise<void>;
}

export async function startRouter(options: RouterOptions): Promise<RunningRouter> {
  const loaded = await loadBootstrapFile(options.configPath);
  if (!loaded.ok) {
    process.stderr.write(`switchyard router: invalid bootstrap ${options.configPath}:\n${formatErrors(loaded.errors)}\n`);
    process.exit(1);
  }
  const bootstrap = loaded.value;
  const startedAtMs = Date.now();
  const pool = new WorkerPool(options.concurrency);
  const merged = new MergedStats();
  const server = new StatsStore();
  server.gauge('server.concurrency').set(options.concurrency);
  server.gauge('server.live').set(1);
  const uptime = server.gauge('server.uptime');
  pool.onFinalStats = (id, snapshot) => merged.apply(id, snapshot as never);
  pool.onWorkerExit = (id) => merged.forget(id);
  pool.start();

  const dynamic = bootstrap.dynamicResources;
  const usesAds = dynamic !== null && dynamic.adsConfig !== null && (dynamic.ldsFromAds || dynamic.cdsFromAds);
  const store = new ResourceStore();
  const publisher = new ConfigPublisher(bootstrap, store, pool, server);
  let client: AdsClient | null = null;
  let initTimer: NodeJS.Timeout | null = null;
  const cache = usesAds && options.configCachePath ? new ConfigCache(options.configCachePath) : null;
  if (!usesAds) {
    publisher.initialize('static bootstrap');
  } else {
    // Served before the control plane answers: the last good resources from the previous run.
    if (cache !== null && (await cache.load(store)) > 0) publisher.initialize(`config cache ${cache.path}`);
    const target = resolveAdsTarget(bootstrap);
    if (!target.ok) {
      log.error('cannot start the ADS client; serving static resources only', { reason: target.message });
      publisher.initialize('no ADS target');
    } else {
      const ads = dynamic.adsConfig!;
      client = new AdsClient({
        target: target.target,
        protocol: ads.apiType === 'DELTA_GRPC' ? 'delta' : 'sotw',
        node: nodeToProto(bootstrap.node),
        nodeOnFirstMessageOnly: ads.setNodeOnFirstMessageOnly,
        wildcardKinds: new Set([...(dynamic.ldsFromAds ? (['lds'] as const) : []), ...(dynamic.cdsFromAds ? (['cds'] as const) : [])]),
        staticListeners: bootstrap.staticListeners,
        staticClusters: bootstrap.staticClusters,
        store,
        stats: new XdsStats(server),
        watcher: {
          onResourcesChanged: (kind) => {
            publisher.onResponse(kind);
            cache?.scheduleSave(store);
          },
          onRejected: (kind) => publisher.onResponse(kind),
          onResourceDoesNotExist: (kind, name) => publisher.onResourceDoesNotExist(kind, name),
        },
      });
      client.start();
      initTimer = setTimeout(() => publisher.initialize('initial fetch timeout'), INITIAL_FETCH_TIMEOUT_MS);
      initTimer.unref();
    }
  }

  let admin: AdminServer | null = null;
  let adminPort: number | null = null;
  if (bootstrap.admin !== null) {
    admin = new AdminServer({
      pool,
      stats: merged,
      concurrency: options.concurrency,
      startedAtMs,
      async refreshStats() {
        uptime.set(Math.round((Date.now() - startedAtMs) / 1000));
        merged.apply(0, server.snapshot());
        for (const { workerId, snapshot } of await pool.gatherStats()) merged.apply(workerId, snapshot as never);
      },
      configDump: () =>
        usesAds
          ? buildConfigDump({ bootstrap, assembly: publisher.assembly, store, xds: client?.status() ?? [] })
          : buildConfigDump({ bootstrap, assembly: EMPTY_ASSEMBLY, store: null, xds: [] }),
    });
    adminPort = await admin.listen(bootstrap.admin.address);
  }
  if (!usesAds) {
    if (!(await pool.waitReady(10_000))) log.warn('workers not ready after 10s');
    else log.info('router ready', { listeners: Object.fromEntries(pool.listenerPorts), admin: adminPort, concurrency: options.concurrency });
  } else {
    log.info('router started; waiting for the control plane', { admin: adminPort, concurrency: options.concurrency, ads: client === null ? null : resolveAdsTarget(bootstrap) });
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      log.info('draining', { drainTimeMs: options.drainTimeMs });
      if (initTimer !== null) clearTimeout(initTimer);
      client?.stop();
      if (cache !== null) await cache.flush(store);
      await pool.drain(options.drainTimeMs);
      if (admin !== null) await admin.close();
    })());
  const onSignal = (): void => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { adminPort, stop };
}
