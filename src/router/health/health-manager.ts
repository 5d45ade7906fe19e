/**
 * Runs the active health checkers and outlier detectors of one worker's clusters (the part of
 * Envoy's ClusterManager that owns a cluster's HealthChecker and Outlier::Detector).
 *
 * Who calls it: the worker, after each config is applied (clusters added, replaced or removed,
 * endpoints changed), with every cluster it now has. `sync` diffs by object identity:
 *   - a new cluster object with health_checks and/or outlier_detection gets its checker and
 *     detector (a replaced cluster is a new object: its predecessor's are stopped);
 *   - a kept cluster's checker and detector follow its current `hosts` (EDS membership);
 *   - a cluster that is gone has its checker and detector stopped.
 * The returned promise resolves when every host of a brand-new cluster has had its first active
 * check (at most the check timeout): the worker waits for it before switching routes and
 * listeners, as Envoy's cluster initialization waits for the first health check round. Hosts
 * added to a known cluster start failed and simply join when they pass (no wait), and a replaced
 * cluster's hosts inherit their predecessors' health (no wait either).
 *
 * Every worker runs its own checkers: with --concurrency N each host receives N probes per
 * interval (Envoy runs one set on the main thread and shares the result with its workers). This
 * keeps health state local to the process that routes with it; the cost is N× probe traffic.
 * Likewise each worker's outlier detector sees only its own share of the traffic.
 */
import { performance } from 'node:perf_hooks';
import type { RandomSource } from '../../common/random.js';
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { StatsScope } from '../stats/stats-store.js';
import type { Host } from '../upstream/host.js';
import { EventLogFile, closeEventLogFiles } from './event-log-file.js';
import { HealthCheckEventLogger } from './health-check-event-logger.js';
import { HealthCheckerStats } from './health-check-stats.js';
import type { HealthChecker, HealthCheckTarget } from './health-checker.js';
import { HealthState } from './health-interval.js';
import { HttpHealthChecker } from './http-health-checker.js';
import { OutlierDetector, type OutlierTarget } from './outlier-detector.js';
import { OutlierEventLogger } from './outlier-event-logger.js';
import { OutlierDetectionStats } from './outlier-stats.js';
import { TcpHealthChecker } from './tcp-health-checker.js';

/** A cluster as the health manager sees it; UpstreamCluster satisfies it structurally. */
export interface HealthManagedCluster extends HealthCheckTarget, OutlierTarget {
  readonly config: Pick<Cluster, 'healthChecks' | 'outlierDetection'>;
}

export interface HealthManagerOptions {
  readonly random?: RandomSource;
}

interface ClusterHealth {
  readonly checker: HealthChecker | null;
  readonly detector: OutlierDetector | null;
}

export class HealthManager {
  private readonly clusters = new Map<HealthManagedCluster, ClusterHealth>();

  constructor(
    private readonly store: StatsScope,
    private readonly options: HealthManagerOptions = {},
  ) {}

  /**
   * Brings checkers and detectors in line with `clusters` (see the file comment).
   * `outlierEventLogPath` is the bootstrap's cluster_manager.outlier_detection.event_log_path
   * ('' = none); detectors created by this call log there.
   */
  sync(clusters: Iterable<HealthManagedCluster>, outlierEventLogPath = ''): Promise<void> {
    const seen = new Set<HealthManagedCluster>(clusters);
    // A replaced cluster is a new object under the same name: its checked hosts seed the new checker.
    const retired = new Map<string, HealthManagedCluster>();
    for (const [cluster, health] of this.clusters) if (!seen.has(cluster) && health.checker !== null) retired.set(cluster.name, cluster);
    const first: Promise<void>[] = [];
    for (const cluster of seen) {
      let health = this.clusters.get(cluster);
      let inherit: Map<string, Host> | null = null;
      let warming = false;
      if (health === undefined) {
        if (cluster.config.healthChecks.length === 0 && cluster.config.outlierDetection === null) continue;
        health = this.create(cluster, outlierEventLogPath);
        this.clusters.set(cluster, health);
        const previous = retired.get(cluster.name);
        if (previous !== undefined) inherit = new Map(previous.hosts.map((h) => [h.address, h]));
        else warming = true;
      }
      health.detector?.updateHosts(cluster.hosts);
      if (health.checker !== null) {
        const checked = health.checker.updateHosts(cluster.hosts, inherit);
        if (warming) first.push(checked);
      }
    }
    for (const [cluster, health] of this.clusters) {
      if (seen.has(cluster)) continue;
      this.clusters.delete(cluster);
      stop(health);
    }
    return Promise.all(first).then(() => undefined);
  }

  /** Stops everything and closes the event logs (worker drain). */
  async stopAll(): Promise<void> {
    for (const health of this.clusters.values()) stop(health);
    this.clusters.clear();
    await closeEventLogFiles();
  }

  private create(cluster: HealthManagedCluster, outlierEventLogPath: string): ClusterHealth {
    const random = this.options.random;
    const config = cluster.config.healthChecks[0];
    let checker: HealthChecker | null = null;
    if (config !== undefined) {
      const stats = new HealthCheckerStats(this.store, cluster.name);
      const type = config.checker.kind === 'http' ? 'HTTP' : 'TCP';
      const eventLogger = config.eventLogPath === '' ? null : new HealthCheckEventLogger(EventLogFile.forPath(config.eventLogPath), type, cluster.name);
      const options = { stats, eventLogger, random };
      checker = config.checker.kind === 'http' ? new HttpHealthChecker(config, cluster, options) : new TcpHealthChecker(config, cluster, options);
    }
    let detector: OutlierDetector | null = null;
    const od = cluster.config.outlierDetection;
    if (od !== null) {
      const path = outlierEventLogPath;
      const clock = () => performance.now();
      const eventLogger = path === '' ? null : new OutlierEventLogger(EventLogFile.forPath(path), cluster.name, clock);
      detector = new OutlierDetector(od, cluster, { stats: new OutlierDetectionStats(this.store, cluster.name), eventLogger, clock, random });
      detector.start();
      if (checker !== null) {
        const d = detector;
        checker.addHostCheckCompleteCb((host, _transition, state) => {
          if (state === HealthState.Healthy) d.onActiveHealthCheckSuccess(host);
        });
      }
    }
    return { checker, detector };
  }
}

function stop(health: ClusterHealth): void {
  health.checker?.stop();
  health.detector?.stop();
}
