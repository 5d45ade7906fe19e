/**
 * A router worker process: owns listeners, clusters and the data path (Envoy's worker thread).
 * It receives validated configs from the primary, as patches against the previous one
 * (config-patch.ts), and applies each one atomically: clusters first (make before break), then
 * listeners get their new connection-manager config by pointer swap, then what is gone is removed,
 * so requests in flight finish on the config they started with. Only what changed is touched:
 * unchanged resources are the same objects from one config to the next (config-diff.ts).
 */
import { Logger } from '../../common/logger.js';
import type { HttpConnectionManager, Listener } from '../../xds/resources/listener.types.js';
import type { RouteConfiguration } from '../../xds/resources/route-configuration.types.js';
import { buildListenerConfig, flushAccessLoggers } from '../config/build-listener-config.js';
import { RouteTableCompiler } from '../routing/route-table-compiler.js';
import type { ConnectionManagerConfig } from '../http/connection-manager-config.js';
import { HealthManager } from '../health/health-manager.js';
import { HttpListener } from '../listener/http-listener.js';
import { closeHandle, EXTRA_ACCEPT_FDS } from '../listener/acceptors.js';
import { StatsStore } from '../stats/stats-store.js';
import { ClusterManager } from '../upstream/cluster-manager.js';
import { ConfigPatchDecoder } from './config-patch-decoder.js';
import { diffClusters } from './config-diff.js';
import type { ClusterStatus, PrimaryToWorker, RouterConfig, WorkerToPrimary } from './messages.js';

const log = new Logger('worker');
/** How long a removed or moved listener lets its open connections finish. */
const LISTENER_DRAIN_MS = 5_000;

export class RouterWorker {
  readonly store = new StatsStore();
  readonly clusters = new ClusterManager(this.store);
  /** Active health checkers and outlier detectors of `clusters` (router/health). */
  readonly health = new HealthManager(this.store);
  private readonly listeners = new Map<string, HttpListener>();
  /** Bound ports by listener name (port 0 in the config binds an ephemeral one). */
  private readonly ports = new Map<string, number>();
  /** The connection manager compiled per listener, with the objects it was compiled from. */
  private readonly compiled = new Map<string, { listener: Listener; routeConfig: RouteConfiguration; lc: ConnectionManagerConfig; compiler: RouteTableCompiler }>();
  private readonly patches = new ConfigPatchDecoder();
  /** The config last applied in full (null before the first, or after a failed apply: then the next one is applied whole). */
  private appliedConfig: RouterConfig | null = null;
  /** What each running listener serves, to rebuild its config with pinned clusters when it drains. */
  private readonly served = new Map<string, { listener: Listener; hcm: HttpConnectionManager; routeConfig: RouteConfiguration }>();
  private applying: Promise<void> = Promise.resolve();

  /** `handle` goes with the message (Node's IPC handle passing) when given. */
  constructor(private readonly send: (message: WorkerToPrimary, handle?: object) => void) {}

  /** `handle` is the one Node's IPC passed along with the message, if any. */
  handle(message: PrimaryToWorker, handle?: unknown): void {
    switch (message.type) {
      case 'config': {
        // Patches are decoded in arrival order (each builds on the previous); configs apply one at a time.
        let config: RouterConfig;
        try {
          config = this.patches.apply(message.patch);
        } catch (err) {
          log.error('config patch does not apply', { version: message.patch.version, error: String(err) });
          this.send({ type: 'config-failed', version: message.patch.version, message: String(err) });
          break;
        }
        this.applying = this.applying.then(() => this.applyConfig(config));
        break;
      }
      case 'stats':
        this.recordMemory();
        this.send({ type: 'stats', requestId: message.requestId, snapshot: this.store.snapshot() });
        break;
      case 'clusters':
        this.send({ type: 'clusters', requestId: message.requestId, clusters: this.clusterStatus() });
        break;
      case 'drain':
        void this.drain(message.timeoutMs);
        break;
      case 'listener-fd': {
        const listener = this.listeners.get(message.listener);
        if (listener !== undefined) listener.addAcceptor(handle);
        else closeHandle(handle);
        break;
      }
    }
  }

  /**
   * Applies one whole config, make before break [xDS protocol, "Eventual consistency
   * considerations"], without failing requests in flight:
   *   1. clusters added or replaced, endpoints applied (removed hosts drain: no new requests,
   *      in-flight ones finish, their pooled connections close after);
   *   2. listeners at the same address get their new config by pointer swap (new requests,
   *      also on open connections, use it); a moved or new listener binds, a removed one drains;
   *   3. only then clusters that are gone are removed: nothing routes to them any more, and
   *      streams already on them finish on the object they hold.
   */
  async applyConfig(config: RouterConfig): Promise<void> {
    const previous = this.appliedConfig;
    this.appliedConfig = null;
    try {
      const changes = diffClusters(previous, config);
      this.clusters.addOrUpdate(changes.clusters);
      for (const cla of changes.endpoints) this.clusters.applyLoadAssignment(cla);
      const clustersChanged = changes.clusters.length > 0 || changes.endpoints.length > 0 || changes.removed || previous?.outlierEventLogPath !== config.outlierEventLogPath;
      // New clusters and hosts get their health checkers now (their flags are set before any
      // request runs); new routes and listeners wait for the first checks, the old config serving
      // meanwhile — Envoy's cluster warming, bounded by the check timeout.
      if (clustersChanged) await this.health.sync(this.clusters.all(), config.outlierEventLogPath ?? '');
      const routes = new Map<string, RouteConfiguration>();
      for (const rc of config.routeConfigs) routes.set(rc.name, rc);
      const wanted = new Set<string>();
      const bound: { name: string; port: number }[] = [];
      const starting: HttpListener[] = [];
      for (const listener of config.listeners) {
        if (listener.address === null) continue; // API listeners are for proxyless gRPC clients
        const hcm = primaryHcm(listener);
        if (hcm === null) continue;
        const routeConfig = hcm.route.kind === 'inline' ? hcm.route.routeConfig : routes.get(hcm.route.routeConfigName);
        if (routeConfig === undefined) continue; // not warm: the primary never sends this
        wanted.add(listener.name);
        const compiled = this.compiled.get(listener.name);
        let lc: ConnectionManagerConfig;
        if (compiled !== undefined && compiled.listener === listener && compiled.routeConfig === routeConfig) {
          lc = compiled.lc;
        } else {
          const compiler = compiled?.compiler ?? new RouteTableCompiler();
          lc = buildListenerConfig(listener, hcm, routeConfig, this.clusters, this.store, compiler);
          this.compiled.set(listener.name, { listener, routeConfig, lc, compiler });
        }
        let running = this.listeners.get(listener.name);
        if (running !== undefined && !sameAddress(running.listener, listener)) {
          this.listeners.delete(listener.name);
          this.drainListener(running);
          running = undefined;
        }
        this.served.set(listener.name, { listener, hcm, routeConfig });
        if (running === undefined) {
          running = new HttpListener(listener, lc, this.store);
          this.listeners.set(listener.name, running);
          starting.push(running);
        } else {
          running.update(lc);
          bound.push({ name: listener.name, port: this.ports.get(listener.name) ?? listener.address.port });
        }
      }
      for (const name of this.compiled.keys()) if (!wanted.has(name)) this.compiled.delete(name);
      for (const [name, running] of this.listeners) {
        if (!wanted.has(name)) {
          this.listeners.delete(name);
          this.ports.delete(name);
          this.drainListener(running);
          this.served.delete(name);
        }
      }
      if (changes.removed) {
        this.clusters.removeAbsent(config.clusters);
        // Stops the checkers and detectors of removed clusters (no new host here: nothing to wait for).
        void this.health.sync(this.clusters.all(), config.outlierEventLogPath ?? '');
      }
      // One listener that cannot bind must not keep the rest of the config out (Envoy drops it).
      for (const listener of starting) {
        try {
          const port = await listener.listen();
          this.ports.set(listener.name, port);
          bound.push({ name: listener.name, port });
          const listening = listener.listeningHandle();
          if (listening !== null) this.send({ type: 'listener-fds', listener: listener.name, copies: EXTRA_ACCEPT_FDS }, listening);
        } catch (err) {
          log.error('listener failed to bind', { listener: listener.name, error: String(err) });
          if (this.listeners.get(listener.name) === listener) this.listeners.delete(listener.name);
        }
      }
      this.appliedConfig = config;
      this.send({ type: 'config-applied', version: config.version, listeners: bound });
    } catch (err) {
      log.error('config apply failed', { version: config.version, error: String(err) });
      this.send({ type: 'config-failed', version: config.version, message: String(err) });
    }
  }

  /**
   * Drains a removed or moved listener. Before the clusters its routes name can be removed (step
   * 3 of applyConfig), it gets a copy of its config whose cluster lookup is pinned to the clusters
   * of now, so requests still arriving on its open connections do not turn into 503 NC.
   */
  private drainListener(running: HttpListener): void {
    const served = this.served.get(running.name);
    if (served !== undefined) {
      running.update(buildListenerConfig(served.listener, served.hcm, served.routeConfig, this.clusters.pinned(), this.store));
    }
    void running.drain(LISTENER_DRAIN_MS);
  }

  private clusterStatus(): ClusterStatus[] {
    const out: ClusterStatus[] = [];
    for (const cluster of this.clusters.all()) {
      const t = cluster.resources.thresholds;
      out.push({
        name: cluster.name,
        circuitBreakers: { maxConnections: t.maxConnections, maxPendingRequests: t.maxPendingRequests, maxRequests: t.maxRequests, maxRetries: t.maxRetries },
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
          successRate: h.outlier === null ? -1 : h.outlier.successRate,
          localOriginSuccessRate: h.outlier === null ? -1 : h.outlier.localOriginSuccessRate,
        })),
      });
    }
    return out;
  }

  /** Envoy's server.memory_* gauges (summed over workers by the primary): heap in use, heap reserved, RSS. */
  private recordMemory(): void {
    const m = process.memoryUsage();
    this.store.gauge('server.memory_allocated').set(m.heapUsed);
    this.store.gauge('server.memory_heap_size').set(m.heapTotal);
    this.store.gauge('server.memory_physical_size').set(m.rss);
  }

  /** Stops accepting, lets in-flight requests finish (bounded), flushes logs, exits 0. */
  async drain(timeoutMs: number): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => l.drain(timeoutMs)));
    this.clusters.drainAll();
    await this.health.stopAll();
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
