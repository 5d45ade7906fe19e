/**
 * One host's passive health counters (Envoy's Outlier::DetectorHostMonitorImpl), fed by the
 * request path through the HostOutlierMonitor interface of upstream/host.ts:
 *
 *   putHttpResponseCode(status)  5xx → consecutive_5xx++; 502/503/504 also consecutive gateway
 *                                failure++ (other 5xx reset it); anything else resets both and
 *                                counts a success. Every code counts in the success-rate bucket.
 *   putResult(local origin)      split_external_local_origin_errors = false: connect failure is
 *                                reported as 503, timeout as 504, connect success not at all;
 *                                = true: failures count consecutive_local_origin_failure and the
 *                                local-origin success rate, a connect success resets them.
 *
 * When a counter reaches its threshold (exactly, as Envoy's `==`) the detector is told; it decides
 * whether to eject. Success rates use two buckets: the request path writes `current`, the
 * detector swaps them every interval and reads the one just closed.
 *
 * Hot path: a call is a few integer updates on fields initialized in the constructor; no
 * allocation, no closure.
 */
import { OutlierResult, type Host, type HostOutlierMonitor } from '../upstream/host.js';
import type { OutlierEjectionType } from './outlier-types.js';

/** What a monitor calls on its detector. */
export interface OutlierMonitorOwner {
  readonly consecutive5xx: number;
  readonly consecutiveGatewayFailure: number;
  readonly consecutiveLocalOriginFailure: number;
  readonly splitExternalLocalOriginErrors: boolean;
  onConsecutiveError(monitor: OutlierHostMonitor, type: OutlierEjectionType): void;
}

/** The request counts of one success-rate interval. */
export class SuccessRateBuckets {
  currentTotal = 0;
  currentSuccess = 0;
  closedTotal = 0;
  closedSuccess = 0;

  /** Closes the current bucket and opens an empty one (Envoy updateCurrentWriter). */
  swap(): void {
    this.closedTotal = this.currentTotal;
    this.closedSuccess = this.currentSuccess;
    this.currentTotal = 0;
    this.currentSuccess = 0;
  }

  /** Success rate in percent of the closed bucket, or -1 when it saw no request. */
  closedRate(): number {
    return this.closedTotal === 0 ? -1 : (this.closedSuccess * 100) / this.closedTotal;
  }
}

export class OutlierHostMonitor implements HostOutlierMonitor {
  readonly host: Host;
  private readonly owner: OutlierMonitorOwner;
  consecutive5xx = 0;
  consecutiveGatewayFailure = 0;
  consecutiveLocalOriginFailure = 0;
  readonly externalOrigin = new SuccessRateBuckets();
  readonly localOrigin = new SuccessRateBuckets();
  /** Times this host was ejected. */
  numEjections = 0;
  /** Multiplier of base_ejection_time for the next ejection (Envoy ejectTimeBackoff). */
  ejectTimeBackoff = 0;
  /** Monotonic ms of the last ejection / unejection, -1 = never. */
  lastEjectionMs = -1;
  lastUnejectionMs = -1;
  /** The last evaluated success rates (percent, -1 = not enough requests), for /clusters and events. */
  successRate = -1;
  localOriginSuccessRate = -1;

  constructor(owner: OutlierMonitorOwner, host: Host) {
    this.owner = owner;
    this.host = host;
  }

  /** "ip:port" of the host (event log). */
  get address(): string {
    return this.host.address;
  }

  putHttpResponseCode(status: number): void {
    this.externalOrigin.currentTotal++;
    if (status >= 500 && status < 600) {
      if (status === 502 || status === 503 || status === 504) {
        if (++this.consecutiveGatewayFailure === this.owner.consecutiveGatewayFailure) this.owner.onConsecutiveError(this, 'CONSECUTIVE_GATEWAY_FAILURE');
      } else {
        this.consecutiveGatewayFailure = 0;
      }
      if (++this.consecutive5xx === this.owner.consecutive5xx) this.owner.onConsecutiveError(this, 'CONSECUTIVE_5XX');
    } else {
      this.externalOrigin.currentSuccess++;
      this.consecutive5xx = 0;
      this.consecutiveGatewayFailure = 0;
    }
  }

  putResult(result: OutlierResult): void {
    if (!this.owner.splitExternalLocalOriginErrors) {
      // Envoy resultToHttpCode: LocalOriginConnectFailed → 503, LocalOriginTimeout → 504.
      if (result === OutlierResult.LocalOriginConnectFailed) this.putHttpResponseCode(503);
      else if (result === OutlierResult.LocalOriginTimeout) this.putHttpResponseCode(504);
      return;
    }
    this.localOrigin.currentTotal++;
    if (result === OutlierResult.LocalOriginConnectSuccess) {
      this.localOrigin.currentSuccess++;
      this.consecutiveLocalOriginFailure = 0;
    } else if (++this.consecutiveLocalOriginFailure === this.owner.consecutiveLocalOriginFailure) {
      this.owner.onConsecutiveError(this, 'CONSECUTIVE_LOCAL_ORIGIN_FAILURE');
    }
  }

  /** Clears every consecutive counter (unejection, Envoy resetConsecutive*). */
  resetConsecutive(): void {
    this.consecutive5xx = 0;
    this.consecutiveGatewayFailure = 0;
    this.consecutiveLocalOriginFailure = 0;
  }
}
