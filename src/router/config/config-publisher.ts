/**
 * Owns the router's current config in the primary process ("swap by pointer", STYLE.md): after
 * every accepted xDS update it re-assembles the resources in the ResourceStore with warming
 * (config-assembler.ts) and, when what the workers would serve changed, publishes the whole new
 * RouterConfig to every worker at once through WorkerPool.publish.
 *
 * Initialization follows Envoy's init manager: nothing is published (admin /ready says
 * PRE_INITIALIZING) until the first LDS and CDS responses have arrived and everything they named
 * is warm, or the config cache supplied a config, or the initial fetch timeout (Envoy's
 * initial_fetch_timeout default, 15 s) passed — then the router serves whatever is warm.
 */
import { Logger } from '../../common/logger.js';
import type { Bootstrap } from '../../xds/resources/bootstrap.types.js';
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { ClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.types.js';
import type { Listener } from '../../xds/resources/listener.types.js';
import type { RouteConfiguration } from '../../xds/resources/route-configuration.types.js';
import type { Gauge, StatsStore } from '../stats/stats-store.js';
import type { RouterConfig } from '../worker/messages.js';
import type { ResourceStore } from '../xds-client/resource-store.js';
import type { XdsKind } from '../xds-client/resource-types.js';
import { EMPTY_ASSEMBLY, assembleConfig, sameServedConfig, toRouterConfig, type AssembledConfig, type Versioned } from './config-assembler.js';

const log = new Logger('config');

/** Envoy's ConfigSource.initial_fetch_timeout default. */
export const INITIAL_FETCH_TIMEOUT_MS = 15_000;

/** Where configs go: the WorkerPool in production. */
export interface ConfigSink {
  publish(config: RouterConfig): void;
}

export class ConfigPublisher {
  private assembled: AssembledConfig = EMPTY_ASSEMBLY;
  private current: RouterConfig | null = null;
  private seq = 0;
  private initialized = false;
  private readonly received = new Set<XdsKind>();
  private pending: NodeJS.Immediate | null = null;
  private readonly missing = new Set<string>();
  private readonly gauges: { activeClusters: Gauge; warmingClusters: Gauge; activeListeners: Gauge; warmingListeners: Gauge };

  constructor(
    private readonly bootstrap: Bootstrap,
    private readonly store: ResourceStore,
    private readonly sink: ConfigSink,
    stats: StatsStore,
  ) {
    this.gauges = {
      activeClusters: stats.gauge('cluster_manager.active_clusters', 'neverImport'),
      warmingClusters: stats.gauge('cluster_manager.warming_clusters', 'neverImport'),
      activeListeners: stats.gauge('listener_manager.total_listeners_active', 'neverImport'),
      warmingListeners: stats.gauge('listener_manager.total_listeners_warming', 'neverImport'),
    };
  }

  /** The config the workers were last given (null before initialization). */
  get config(): RouterConfig | null {
    return this.current;
  }

  get assembly(): AssembledConfig {
    return this.assembled;
  }

  get isInitialized(): boolean {
    return this.initialized;
  }

  /**
   * A response of `kind` was handled (accepted or rejected: either way that fetch is done). The
   * re-assembly runs once per turn of the event loop, so the CDS, EDS, LDS and RDS responses of
   * one control-plane change that arrive together become one publish to the workers.
   */
  onResponse(kind: XdsKind): void {
    this.received.add(kind);
    if (this.pending !== null) return;
    this.pending = setImmediate(() => {
      this.pending = null;
      this.update();
    });
  }

  /** The control plane does not have this RDS/EDS name: stop waiting for it (config-assembler `missing`). */
  onResourceDoesNotExist(kind: XdsKind, name: string): void {
    this.missing.add(`${kind}/${name}`);
    this.onResponse(kind);
  }

  /** Stop waiting for the control plane: serve what is warm now (cache loaded, or timeout). */
  initialize(reason: string): void {
    if (this.initialized) return;
    this.initialized = true;
    log.info('initialized', { reason });
    this.update(true);
  }

  /** Re-assembles from the store and publishes when the served config changed. */
  update(force = false): void {
    const next = assembleConfig(this.input(), this.assembled);
    const changed = !sameServedConfig(next, this.assembled);
    this.assembled = next;
    this.refreshGauges();
    if (!this.initialized) {
      if (!this.initialFetchDone()) return;
      this.initialized = true;
      log.info('initialized', { reason: 'initial xDS responses received and warm' });
      force = true;
    }
    if (!changed && !force && this.current !== null) return;
    this.current = { ...toRouterConfig(next, `${++this.seq}`), outlierEventLogPath: this.bootstrap.outlierEventLogPath };
    this.sink.publish(this.current);
    if (log.debugEnabled) log.debug('published', { version: this.current.version, listeners: next.listeners.length, clusters: next.clusters.length });
  }

  private initialFetchDone(): boolean {
    const dyn = this.bootstrap.dynamicResources;
    if (dyn?.cdsFromAds === true && !this.received.has('cds')) return false;
    if (dyn?.ldsFromAds === true && !this.received.has('lds')) return false;
    return this.assembled.warmingClusters.size === 0 && this.assembled.warmingListeners.size === 0;
  }

  private refreshGauges(): void {
    const a = this.assembled;
    this.gauges.activeClusters.set(a.clusters.length);
    this.gauges.warmingClusters.set(a.warmingClusters.size);
    this.gauges.activeListeners.set(a.listeners.length);
    this.gauges.warmingListeners.set(a.warmingListeners.size);
  }

  private input() {
    const store = this.store;
    for (const key of [...this.missing]) {
      const slash = key.indexOf('/');
      if (store.get(key.slice(0, slash) as XdsKind, key.slice(slash + 1)) !== undefined) this.missing.delete(key);
    }
    const byName = <T>(kind: XdsKind): Map<string, Versioned<T>> => {
      const m = new Map<string, Versioned<T>>();
      for (const r of store.list(kind)) m.set(r.name, r as unknown as Versioned<T>);
      return m;
    };
    return {
      staticListeners: this.bootstrap.staticListeners,
      staticClusters: this.bootstrap.staticClusters,
      listeners: byName<Listener>('lds'),
      routeConfigs: byName<RouteConfiguration>('rds'),
      clusters: byName<Cluster>('cds'),
      endpoints: byName<ClusterLoadAssignment>('eds'),
      missing: this.missing,
    };
  }
}
