/**
 * The worker's clusters by name (Envoy's ClusterManager, thread-local part). Clusters are
 * long-lived: a config update adds, replaces or removes clusters here, and streams that started on
 * a removed cluster finish on the object they hold.
 */
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { ClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.types.js';
import type { StatsStore } from '../stats/stats-store.js';
import { UpstreamCluster } from './upstream-cluster.js';

// Satisfies http's ClusterLookup structurally: upstream must not import http (DESIGN §4).
export class ClusterManager {
  private readonly clusters = new Map<string, UpstreamCluster>();
  /** Content keys (RouterConfig.contentKeys) of each cluster's config and of the assignment it holds. */
  private readonly configKeys = new Map<string, string>();
  private readonly assignmentKeys = new WeakMap<UpstreamCluster, string>();
  constructor(private readonly store: StatsStore) {}

  get(name: string): UpstreamCluster | undefined {
    return this.clusters.get(name);
  }

  all(): IterableIterator<UpstreamCluster> {
    return this.clusters.values();
  }

  /**
   * Adds the clusters of a new config and replaces those whose config changed (the replaced one
   * drains: no new requests, its in-flight ones finish on the object they hold). Identical ones
   * are kept with their hosts and pools. Removal is a separate step, `removeAbsent`, taken once
   * the listeners no longer route with the old config (make before break).
   */
  addOrUpdate(configs: readonly Cluster[], contentKeys?: Readonly<Record<string, string>>): void {
    for (const config of configs) {
      const existing = this.clusters.get(config.name);
      // An equal content key (digest of the CDS bytes) proves the config unchanged without a deep compare.
      const key = contentKeys?.[`cds/${config.name}`];
      if (existing !== undefined && key !== undefined && this.configKeys.get(config.name) === key) continue;
      if (key !== undefined) this.configKeys.set(config.name, key);
      else this.configKeys.delete(config.name);
      if (existing !== undefined && sameConfig(existing.config, config)) continue;
      const cluster = new UpstreamCluster(config, this.store);
      if (existing !== undefined) {
        // Keep EDS endpoints across a cluster config change until EDS sends new ones.
        if (config.loadAssignment === null && existing.lastLoadAssignment !== null) cluster.updateLoadAssignment(existing.lastLoadAssignment);
        existing.drain();
      }
      this.clusters.set(config.name, cluster);
    }
  }

  /** Removes (and drains) every cluster not named in `configs`. */
  removeAbsent(configs: readonly Cluster[]): void {
    const wanted = new Set<string>();
    for (const config of configs) wanted.add(config.name);
    for (const [name, cluster] of this.clusters) {
      if (!wanted.has(name)) {
        this.clusters.delete(name);
        this.configKeys.delete(name);
        cluster.drain();
      }
    }
  }

  /** Makes the set of clusters equal to `configs` (addOrUpdate, then removeAbsent). */
  apply(configs: readonly Cluster[]): void {
    this.addOrUpdate(configs);
    this.removeAbsent(configs);
  }

  /**
   * Applies endpoints from EDS to the clusters whose EDS service name is `cla.clusterName`. An
   * assignment equal to the one a cluster has is skipped, so unrelated config updates leave the
   * balancer state alone. Removed hosts drain (upstream-cluster.ts).
   */
  applyLoadAssignment(cla: ClusterLoadAssignment, contentKey?: string): void {
    let json: string | null = null;
    for (const cluster of this.clusters.values()) {
      if (cluster.config.type !== 'EDS' || cluster.config.edsServiceName !== cla.clusterName) continue;
      const last = cluster.lastLoadAssignment;
      if (last === cla) continue;
      if (contentKey !== undefined && this.assignmentKeys.get(cluster) === contentKey) continue;
      if (contentKey !== undefined) this.assignmentKeys.set(cluster, contentKey);
      if (last !== null && (json ??= JSON.stringify(cla)) === JSON.stringify(last)) continue;
      cluster.updateLoadAssignment(cla);
    }
  }

  /**
   * A lookup frozen to the clusters present now, for a listener that drains: requests still
   * arriving on its open connections route with its old routes and must find the clusters those
   * routes named, even after a later config removes them from this manager.
   */
  pinned(): { get(name: string): UpstreamCluster | undefined } {
    const frozen = new Map(this.clusters);
    return { get: (name: string) => frozen.get(name) };
  }

  drainAll(): void {
    for (const cluster of this.clusters.values()) cluster.drain();
  }
}

function sameConfig(a: Cluster, b: Cluster): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
