/**
 * Writes Envoy's outlier detection events (envoy.data.cluster.v3.OutlierDetectionEvent) as JSON
 * lines, proto field names and every primitive field printed, as Envoy's outlier EventLoggerImpl:
 *
 *   {"type":"CONSECUTIVE_5XX","timestamp":"…","secs_since_last_action":"12","cluster_name":"c",
 *    "upstream_url":"127.0.0.1:8080","action":"EJECT","num_ejections":1,"enforced":true,
 *    "eject_consecutive_event":{}}
 *
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/data/cluster/v3/outlier_detection_event.proto
 * secs_since_last_action (a UInt64Value, hence a JSON string) is the time since the host's last
 * unejection for an EJECT and since its last ejection for an UNEJECT; absent when there was none.
 */
import type { EventLogFile } from './event-log-file.js';
import type { OutlierEjectionType } from './outlier-types.js';

/** The facts an event reports about one host. */
export interface OutlierEventHost {
  readonly address: string;
  readonly numEjections: number;
  readonly lastEjectionMs: number;
  readonly lastUnejectionMs: number;
  readonly successRate: number;
  readonly localOriginSuccessRate: number;
}

/** Success-rate figures for SUCCESS_RATE events (cluster average and threshold, percent). */
export interface SuccessRateFigures {
  readonly average: number;
  readonly threshold: number;
}

export class OutlierEventLogger {
  constructor(
    private readonly file: EventLogFile,
    private readonly clusterName: string,
    private readonly monotonicNow: () => number,
    private readonly wallNow: () => number = Date.now,
  ) {}

  logEject(host: OutlierEventHost, type: OutlierEjectionType, enforced: boolean, figures: SuccessRateFigures | null): void {
    const event = this.common(type, host, host.lastUnejectionMs, 'EJECT');
    event.enforced = enforced;
    const local = type === 'SUCCESS_RATE_LOCAL_ORIGIN' || type === 'FAILURE_PERCENTAGE_LOCAL_ORIGIN';
    const hostRate = local ? host.localOriginSuccessRate : host.successRate;
    if (type === 'SUCCESS_RATE' || type === 'SUCCESS_RATE_LOCAL_ORIGIN') {
      event.eject_success_rate_event = {
        host_success_rate: Math.round(hostRate),
        cluster_average_success_rate: Math.round(figures?.average ?? -1),
        cluster_success_rate_ejection_threshold: Math.round(figures?.threshold ?? -1),
      };
    } else if (type === 'FAILURE_PERCENTAGE' || type === 'FAILURE_PERCENTAGE_LOCAL_ORIGIN') {
      event.eject_failure_percentage_event = { host_success_rate: Math.round(hostRate) };
    } else {
      event.eject_consecutive_event = {};
    }
    this.file.writeEvent(event);
  }

  logUneject(host: OutlierEventHost): void {
    const event = this.common('CONSECUTIVE_5XX', host, host.lastEjectionMs, 'UNEJECT');
    event.enforced = false;
    this.file.writeEvent(event);
  }

  private common(type: OutlierEjectionType, host: OutlierEventHost, lastActionMs: number, action: 'EJECT' | 'UNEJECT'): Record<string, unknown> {
    const event: Record<string, unknown> = { type, timestamp: new Date(this.wallNow()).toISOString() };
    if (lastActionMs >= 0) event.secs_since_last_action = String(Math.floor((this.monotonicNow() - lastActionMs) / 1000));
    event.cluster_name = this.clusterName;
    event.upstream_url = host.address;
    event.action = action;
    event.num_ejections = host.numEjections;
    return event;
  }
}
