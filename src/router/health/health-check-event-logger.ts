/**
 * Writes Envoy's health check events (envoy.data.core.v3.HealthCheckEvent) as JSON lines, in the
 * shape Envoy's file sink writes them (proto field names, enums as names):
 *
 *   {"health_checker_type":"HTTP","host":{"socket_address":{"protocol":"TCP","address":"10.0.0.1",
 *    "port_value":443,"resolver_name":"","ipv4_compat":false}},"cluster_name":"c",
 *    "eject_unhealthy_event":{"failure_type":"ACTIVE"},"timestamp":"2009-02-13T23:31:31.234Z"}
 *
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/data/core/v3/health_check_event.proto
 * Events: eject_unhealthy_event (host left the healthy set), add_healthy_event (host joined it;
 * first_check when its first check did it), health_check_failure_event (a failed check on the
 * first check, or on every check with always_log_health_check_failures), successful_health_check_event
 * (every other passing check, with always_log_health_check_success).
 */
import type { EventLogFile } from './event-log-file.js';
import type { HealthCheckFailureType } from './health-transition.js';

/** Envoy's HealthCheckerType names for the checkers we have. */
export type HealthCheckerType = 'HTTP' | 'TCP';

/** The host fields an event names. */
export interface EventHost {
  readonly ip: string;
  readonly port: number;
}

export class HealthCheckEventLogger {
  constructor(
    private readonly file: EventLogFile,
    private readonly checkerType: HealthCheckerType,
    private readonly clusterName: string,
    private readonly now: () => number = Date.now,
  ) {}

  logEjectUnhealthy(host: EventHost, failureType: HealthCheckFailureType): void {
    this.write(host, 'eject_unhealthy_event', { failure_type: failureType });
  }

  logAddHealthy(host: EventHost, firstCheck: boolean): void {
    this.write(host, 'add_healthy_event', { first_check: firstCheck });
  }

  /** always_log_health_check_success: a passing check that changed nothing. */
  logSuccessfulHealthCheck(host: EventHost): void {
    this.write(host, 'successful_health_check_event', {});
  }

  logUnhealthy(host: EventHost, failureType: HealthCheckFailureType, firstCheck: boolean): void {
    this.write(host, 'health_check_failure_event', { failure_type: failureType, first_check: firstCheck });
  }

  private write(host: EventHost, kind: string, body: Record<string, unknown>): void {
    this.file.writeEvent({
      health_checker_type: this.checkerType,
      host: { socket_address: { protocol: 'TCP', address: host.ip, port_value: host.port, resolver_name: '', ipv4_compat: false } },
      cluster_name: this.clusterName,
      [kind]: body,
      timestamp: new Date(this.now()).toISOString(),
    });
  }
}
