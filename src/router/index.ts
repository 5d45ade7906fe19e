/**
 * The router's composition root, run in the primary process by `switchyard router`: validates the
 * bootstrap (every error with its path, exit 1), starts the workers and hands them the config,
 * serves admin, and drains on SIGTERM/SIGINT (stop accepting, let in-flight requests finish up to
 * the drain time, exit 0).
 */
import { Logger } from '../common/logger.js';
import { formatErrors } from '../xds/validation.js';
import type { Bootstrap } from '../xds/resources/bootstrap.types.js';
import { AdminServer } from './admin/admin-server.js';
import { loadBootstrapFile } from './bootstrap/load-bootstrap.js';
import { MergedStats } from './stats/merged-stats.js';
import { StatsStore } from './stats/stats-store.js';
import type { RouterConfig } from './worker/messages.js';
import { WorkerPool } from './worker/worker-pool.js';

const log = new Logger('router');

export interface RouterOptions {
  readonly configPath: string;
  readonly concurrency: number;
  /** How long SIGTERM waits for in-flight requests (Envoy's --drain-time-s). */
  readonly drainTimeMs: number;
}

export interface RunningRouter {
  readonly adminPort: number | null;
  stop(): Promise<void>;
}

/** The static part of a bootstrap as one config for the workers. */
export function staticRouterConfig(bootstrap: Bootstrap): RouterConfig {
  return {
    version: 'static',
    listeners: bootstrap.staticListeners,
    clusters: bootstrap.staticClusters,
    routeConfigs: [],
    endpoints: [],
  };
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
  const current = staticRouterConfig(bootstrap);
  pool.start();
  pool.publish(current);

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
      configDump: () => configDump(bootstrap, current),
    });
    adminPort = await admin.listen(bootstrap.admin.address);
  }
  if (!(await pool.waitReady(10_000))) log.warn('workers not ready after 10s');
  else log.info('router ready', { listeners: Object.fromEntries(pool.listenerPorts), admin: adminPort, concurrency: options.concurrency });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      log.info('draining', { drainTimeMs: options.drainTimeMs });
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

function configDump(bootstrap: Bootstrap, current: RouterConfig): unknown {
  return {
    configs: [
      { '@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump', bootstrap: { node: bootstrap.node, admin: bootstrap.admin } },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
        version_info: current.version,
        static_clusters: bootstrap.staticClusters.map((cluster) => ({ cluster })),
        dynamic_active_clusters: current.clusters.filter((c) => !bootstrap.staticClusters.includes(c)).map((cluster) => ({ version_info: current.version, cluster })),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
        version_info: current.version,
        static_listeners: bootstrap.staticListeners.map((listener) => ({ listener })),
        dynamic_listeners: current.listeners.filter((l) => !bootstrap.staticListeners.includes(l)).map((listener) => ({ name: listener.name, active_state: { version_info: current.version, listener } })),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
        dynamic_route_configs: current.routeConfigs.map((route_config) => ({ version_info: current.version, route_config })),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
        dynamic_endpoint_configs: current.endpoints.map((endpoint_config) => ({ version_info: current.version, endpoint_config })),
      },
    ],
  };
}
