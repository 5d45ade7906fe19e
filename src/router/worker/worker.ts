/**
 * A router worker process: owns listeners, clusters and the data path (Envoy's worker thread).
 * It receives whole validated configs from the primary and applies each one atomically: clusters
 * first (make before break), then listeners get their new connection-manager config by pointer
 * swap, so requests in flight finish on the config they started with.
 */
import { Logger } from '../../common/logger.js';
import type { HttpConnectionManager, Listener } from '../../xds/resources/listener.types.js';
import type { RouteConfiguration } from '../../xds/resources/route-configuration.types.js';
import { buildListenerConfig, flushAccessLoggers } from '../config/build-listener-config.js';
import { HttpListener } from '../listener/http-listener.js';
import { StatsStore } from '../stats/stats-store.js';
import { ClusterManager } from '../upstream/cluster-manager.js';
import type { ClusterStatus, PrimaryToWorker, RouterConfig, WorkerToPrimary } from './messages.js';

const log = new Logger('worker');

export class RouterWorker {
  readonly store = new StatsStore();
  readonly clusters = new ClusterManager(this.store);
  private readonly listeners = new Map<string, HttpListener>();
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly send: (message: WorkerToPrimary) => void) {}

  handle(message: PrimaryToWorker): void {
    switch (message.type) {
      case 'config':
        // Configs apply in arrival order, one at a time.
        this.applying = this.applying.then(() => this.applyConfig(message.config));
        break;
      case 'stats':
        this.send({ type: 'stats', requestId: message.requestId, snapshot: this.store.snapshot() });
        break;
      case 'clusters':
        this.send({ type: 'clusters', requestId: message.requestId, clusters: this.clusterStatus() });
        break;
      case 'drain':
        void this.drain(message.timeoutMs);
        break;
    }
  }

  async applyConfig(config: RouterConfig): Promise<void> {
    try {
      this.clusters.apply(config.clusters);
      for (const cla of config.endpoints) this.clusters.applyLoadAssignment(cla);
      const routes = new Map<string, RouteConfiguration>();
      for (const rc of config.routeConfigs) routes.set(rc.name, rc);
      const wanted = new Set<string>();
      const bound: { name: string; port: number }[] = [];
      for (const listener of config.listeners) {
        if (listener.address === null) continue; // API listeners are for proxyless gRPC clients
        const hcm = primaryHcm(listener);
        if (hcm === null) continue;
        const routeConfig = hcm.route.kind === 'inline' ? hcm.route.routeConfig : routes.get(hcm.route.routeConfigName);
        if (routeConfig === undefined) continue; // not warm: the primary never sends this
        wanted.add(listener.name);
        const lc = buildListenerConfig(listener, hcm, routeConfig, this.clusters, this.store);
        let running = this.listeners.get(listener.name);
        if (running !== undefined && !sameAddress(running.listener, listener)) {
          void running.drain(hcm.drainTimeoutMs);
          running = undefined;
        }
        if (running === undefined) {
          running = new HttpListener(listener, lc, this.store);
          this.listeners.set(listener.name, running);
          bound.push({ name: listener.name, port: await running.listen() });
        } else {
          running.update(lc);
          bound.push({ name: listener.name, port: listener.address.port });
        }
      }
      for (const [name, running] of this.listeners) {
        if (!wanted.has(name)) {
          this.listeners.delete(name);
          void running.drain(5_000);
        }
      }
      this.send({ type: 'config-applied', version: config.version, listeners: bound });
    } catch (err) {
      log.error('config apply failed', { version: config.version, error: String(err) });
      this.send({ type: 'config-failed', version: config.version, message: String(err) });
    }
  }

  private clusterStatus(): ClusterStatus[] {
    const out: ClusterStatus[] = [];
    for (const cluster of this.clusters.all()) {
      out.push({
        name: cluster.name,
        hosts: cluster.hosts.map((h) => ({
          address: h.address,
          hostname: h.hostname,
          healthFlags: h.healthFlagsText(),
          weight: h.weight,
          priority: h.priority,
          activeRequests: h.activeRequests,
          rqTotal: h.rqTotal,
          rqSuccess: h.rqSuccess,
          rqError: h.rqError,
          cxTotal: h.cxTotal,
        })),
      });
    }
    return out;
  }

  /** Stops accepting, lets in-flight requests finish (bounded), flushes logs, exits 0. */
  async drain(timeoutMs: number): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => l.drain(timeoutMs)));
    this.clusters.drainAll();
    await flushAccessLoggers();
    this.send({ type: 'stats', requestId: -1, snapshot: this.store.snapshot() });
    process.exit(0);
  }
}

function primaryHcm(listener: Listener): HttpConnectionManager | null {
  const chain = listener.filterChains[0] ?? listener.defaultFilterChain;
  return chain === null || chain === undefined ? null : chain.httpConnectionManager;
}

function sameAddress(a: Listener, b: Listener): boolean {
  return a.address?.host === b.address?.host && a.address?.port === b.address?.port;
}
