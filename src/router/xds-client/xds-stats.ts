/**
 * The xDS client's stats, with Envoy's names
 * (https://www.envoyproxy.io/docs/envoy/latest/configuration/overview/mgmt_server):
 *
 *   control_plane.connected_state                     gauge, 1 while the ADS stream is up
 *   cluster_manager.cds.update_{attempt,success,rejected,failure}
 *   listener_manager.lds.update_{attempt,success,rejected,failure}
 *   http.<stat_prefix>.rds.<route_config_name>.update_{attempt,success,rejected}
 *   cluster.<cluster_name>.update_{attempt,success,rejected}   (EDS, per cluster)
 *
 * update_failure counts stream failures (Envoy: "network error"); update_rejected counts NACKs.
 * Lives in the primary's StatsStore, which the admin server merges with the workers'.
 */
import type { Gauge, StatsStore } from '../stats/stats-store.js';
import type { XdsKind } from './resource-types.js';

export type UpdateOutcome = 'attempt' | 'success' | 'rejected' | 'failure';

export class XdsStats {
  readonly connectedState: Gauge;

  constructor(private readonly store: StatsStore) {
    this.connectedState = store.gauge('control_plane.connected_state', 'neverImport');
    // Present from the start, as Envoy's subscription stats are.
    for (const prefix of ['cluster_manager.cds.', 'listener_manager.lds.']) {
      for (const outcome of ['attempt', 'success', 'rejected', 'failure']) store.counter(`${prefix}update_${outcome}`);
    }
  }

  /** Counts one outcome under each stat prefix ('cluster_manager.cds.', 'http.ingress.rds.r1.', …). */
  count(prefixes: readonly string[], outcome: UpdateOutcome): void {
    for (const prefix of prefixes) this.store.counter(`${prefix}update_${outcome}`).inc();
  }

  /** The fixed prefix of LDS / CDS. */
  static typePrefix(kind: XdsKind): string | null {
    return kind === 'cds' ? 'cluster_manager.cds.' : kind === 'lds' ? 'listener_manager.lds.' : null;
  }
}
