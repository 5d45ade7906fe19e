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
  constructor(private readonly store: StatsStore) {}

  get(name: string): UpstreamCluster | undefined {
    return this.clusters.get(name);
  }

  all(): IterableIterator<UpstreamCluster> {
    return this.clusters.values();
  }

  /**
   * Makes the set of clusters equal to `configs`: new names are added, changed configs replace the
   * old cluster (which drains), identical ones are kept with their hosts and pools.
   */
  apply(configs: readonly Cluster[]): void {
    const wanted = new Set<string>();
    for (const config of configs) {
      wanted.add(config.name);
      const existing = this.clusters.get(config.name);
      if (existing !== undefined && sameConfig(existing.config, config)) continue;
      const cluster = new UpstreamCluster(config, this.store);
      if (existing !== undefined) {
        // Keep EDS endpoints across a cluster config change until EDS sends new ones.
        if (config.loadAssignment === null && existing.lastLoadAssignment !== null) cluster.updateLoadAssignment(existing.lastLoadAssignment);
        existing.drain();
      }
      this.clusters.set(config.name, cluster);
    }
    for (const [name, cluster] of this.clusters) {
      if (!wanted.has(name)) {
        this.clusters.delete(name);
        cluster.drain();
      }
    }
  }

  /** Applies endpoints from EDS to the cluster whose eds service name is `cla.clusterName`. */
  applyLoadAssignment(cla: ClusterLoadAssignment): void {
    for (const cluster of this.clusters.values()) {
      if (cluster.config.type === 'EDS' && cluster.config.edsServiceName === cla.clusterName) cluster.updateLoadAssignment(cla);
    }
  }

  drainAll(): void {
    for (const cluster of this.clusters.values()) cluster.drain();
  }
}

function sameConfig(a: Cluster, b: Cluster): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
