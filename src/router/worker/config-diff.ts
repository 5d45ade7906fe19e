/**
 * What a worker must touch to go from one config to the next. Unchanged resources are the very
 * same objects in both (config-patch-decoder.ts), so this is identity compares by name: O(config)
 * Map lookups, and the cluster manager then does O(changed) work instead of re-checking (and, for
 * endpoints, re-matching against every cluster) the whole region on every change.
 */
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { ClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.types.js';
import type { RouterConfig } from './messages.js';

export interface ClusterChanges {
  /** New clusters and clusters whose config object changed (ClusterManager.addOrUpdate). */
  readonly clusters: readonly Cluster[];
  /** Assignments that changed, and those of changed clusters (a new cluster needs its endpoints even if they did not change). */
  readonly endpoints: readonly ClusterLoadAssignment[];
  /** A cluster of the previous config is not in the next (ClusterManager.removeAbsent). */
  readonly removed: boolean;
}

/** The changes from `previous` (null: nothing applied yet, so everything) to `next`. */
export function diffClusters(previous: RouterConfig | null, next: RouterConfig): ClusterChanges {
  if (previous === null) return { clusters: next.clusters, endpoints: next.endpoints, removed: true };
  const before = new Map<string, Cluster>();
  for (const c of previous.clusters) before.set(c.name, c);
  const clusters: Cluster[] = [];
  const touchedServices = new Set<string>();
  for (const c of next.clusters) {
    const old = before.get(c.name);
    if (old === c) continue;
    clusters.push(c);
    if (c.type === 'EDS') touchedServices.add(c.edsServiceName);
  }
  const beforeEndpoints = new Map<string, ClusterLoadAssignment>();
  for (const e of previous.endpoints) beforeEndpoints.set(e.clusterName, e);
  const endpoints: ClusterLoadAssignment[] = [];
  for (const e of next.endpoints) if (beforeEndpoints.get(e.clusterName) !== e || touchedServices.has(e.clusterName)) endpoints.push(e);
  let removed = previous.clusters.length > next.clusters.length;
  if (!removed) {
    const names = new Set<string>();
    for (const c of next.clusters) names.add(c.name);
    for (const name of before.keys()) if (!names.has(name)) removed = true;
  }
  return { clusters, endpoints, removed };
}
