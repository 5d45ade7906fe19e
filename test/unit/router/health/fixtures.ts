/** Shared builders for the health unit tests: real Host objects and a recording cluster target. */
import { Host } from '../../../../src/router/upstream/host.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { OUTLIER_DETECTION_DEFAULTS } from '../../../../src/xds/resources/outlier-detection.js';
import type { HealthCheck, OutlierDetection } from '../../../../src/xds/resources/cluster.types.js';

export function makeHost(port: number, ip = '127.0.0.1', healthCheckPort = 0): Host {
  return new Host({ address: { host: ip, port }, hostname: '', healthStatus: 'HEALTHY', loadBalancingWeight: 1, healthCheckPort } as never, 0);
}

/** A cluster stand-in that counts onHostHealthChanged calls. */
export class RecordingTarget {
  changes = 0;
  readonly stats = { upstreamCxTotal: { used: true } };
  constructor(
    readonly name: string,
    public hosts: Host[],
  ) {}
  onHostHealthChanged(): void {
    this.changes++;
  }
}

export function outlierConfig(overrides: Partial<OutlierDetection> = {}): OutlierDetection {
  return { ...OUTLIER_DETECTION_DEFAULTS, ...overrides };
}

export function healthCheckConfig(overrides: Partial<HealthCheck> = {}): HealthCheck {
  return {
    timeoutMs: 500,
    intervalMs: 1000,
    intervalJitterMs: 0,
    intervalJitterPercent: 0,
    unhealthyThreshold: 3,
    healthyThreshold: 2,
    noTrafficIntervalMs: 60_000,
    unhealthyIntervalMs: 1000,
    healthyEdgeIntervalMs: 1000,
    unhealthyEdgeIntervalMs: 1000,
    eventLogPath: '',
    alwaysLogHealthCheckFailures: false,
    alwaysLogHealthCheckSuccess: false,
    initialJitterMs: 0,
    reuseConnection: true,
    checker: { kind: 'http', host: '', path: '/healthz', expectedStatuses: [[200, 201]], retriableStatuses: [], method: 'GET' },
    ...overrides,
  };
}

export function counterValue(store: StatsStore, name: string): number {
  return store.counter(name).value;
}

export function gaugeValue(store: StatsStore, name: string): number {
  return store.gauge(name).value;
}

/** Polls `predicate` every 10 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
