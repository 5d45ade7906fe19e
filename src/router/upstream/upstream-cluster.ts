/**
 * A cluster at run time (Envoy's ClusterImplBase + its PrioritySet): the hosts of its load
 * assignment grouped by priority, the load balancer over them, a connection pool per host, the
 * circuit-breaker accounting and the resolved stats. Built on the worker from a validated Cluster
 * view; `updateLoadAssignment` applies a new ClusterLoadAssignment (EDS), keeping the state of
 * hosts whose address did not change and draining the pools of removed ones.
 */
import { defaultRandom } from '../../common/random.js';
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { ClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.types.js';
import type { StatsStore } from '../stats/stats-store.js';
import { ClusterStats } from './cluster-stats.js';
import { Http1ConnectionPool } from './connection-pool.js';
import { Host } from './host.js';
import { createLoadBalancer, type LbContext, type LoadBalancer } from './lb/load-balancer.js';
import { PrioritySet } from './lb/priority-set.js';
import { DEFAULT_THRESHOLDS, ResourceManager } from './resource-manager.js';

/** Envoy's max response headers size for upstream HTTP/1 (60 KiB, as downstream). */
const UPSTREAM_MAX_HEADER_BYTES = 60 * 1024;

export class UpstreamCluster {
  readonly name: string;
  readonly config: Cluster;
  readonly stats: ClusterStats;
  readonly resources: ResourceManager;
  hosts: Host[] = [];
  private readonly prioritySet: PrioritySet<Host>;
  private readonly lb: LoadBalancer<Host>;
  private readonly byAddress = new Map<string, Host>();
  private readonly poolOptions;
  /** Has this cluster received its endpoints (EDS warming)? Static clusters are warm at once. */
  warm = false;
  lastLoadAssignment: ClusterLoadAssignment | null = null;

  constructor(config: Cluster, store: StatsStore) {
    this.name = config.name;
    this.config = config;
    this.stats = new ClusterStats(store, config.name);
    const thresholds = config.circuitBreakers.find((t) => t.priority === 'DEFAULT') ?? DEFAULT_THRESHOLDS;
    this.resources = new ResourceManager(thresholds, store, config.name);
    this.poolOptions = {
      connectTimeoutMs: config.connectTimeoutMs,
      idleTimeoutMs: config.upstreamIdleTimeoutMs,
      maxHeaderBytes: UPSTREAM_MAX_HEADER_BYTES,
    };
    this.prioritySet = new PrioritySet<Host>({ healthyPanicThresholdPercent: config.healthyPanicThresholdPercent });
    this.lb = createLoadBalancer<Host>(config, this.prioritySet, defaultRandom);
    if (config.loadAssignment !== null) this.updateLoadAssignment(config.loadAssignment);
  }

  /** Picks a host for one request attempt, or null when none is available (503 UH). */
  chooseHost(ctx: LbContext): Host | null {
    return this.lb.chooseHost(ctx);
  }

  /** Applies a new set of endpoints (static load_assignment or EDS). */
  updateLoadAssignment(cla: ClusterLoadAssignment): void {
    this.lastLoadAssignment = cla;
    const next: Host[] = [];
    const seen = new Set<string>();
    const byPriority: Host[][] = [];
    for (const locality of cla.endpoints) {
      for (const ep of locality.lbEndpoints) {
        const fresh = new Host(ep, locality.priority);
        let host = this.byAddress.get(fresh.address);
        if (host === undefined || seen.has(fresh.address)) {
          host = fresh;
          host.pool = new Http1ConnectionPool(host, this.resources, this.stats, this.poolOptions);
          this.byAddress.set(host.address, host);
        } else {
          host.weight = fresh.weight;
          host.priority = locality.priority;
          // EDS health replaces the EDS bit only; active-check and outlier bits are kept.
          host.healthFlags = (host.healthFlags & ~4) | (fresh.healthFlags & 4);
        }
        seen.add(host.address);
        next.push(host);
        (byPriority[locality.priority] ??= []).push(host);
      }
    }
    for (const [address, host] of this.byAddress) {
      if (!seen.has(address)) {
        this.byAddress.delete(address);
        host.pool?.drain();
      }
    }
    this.hosts = next;
    // Priorities that disappeared are emptied (the set never shrinks; an empty priority gets no load).
    const priorities = Math.max(byPriority.length, this.prioritySet.priorityCount);
    for (let p = 0; p < priorities; p++) this.prioritySet.update(p, byPriority[p] ?? []);
    this.warm = true;
    this.refreshMembershipGauges();
  }

  /** Called when a host's health flags changed (health checker, outlier detector). */
  onHostHealthChanged(): void {
    this.prioritySet.refreshHealth();
    this.refreshMembershipGauges();
  }

  /** Closes idle connections of every host (cluster removed or router draining). */
  drain(): void {
    for (const host of this.hosts) host.pool?.drain();
  }

  private refreshMembershipGauges(): void {
    let healthy = 0;
    for (const h of this.hosts) if (h.available) healthy++;
    this.stats.membershipTotal.set(this.hosts.length);
    this.stats.membershipHealthy.set(healthy);
  }
}
