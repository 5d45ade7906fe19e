/**
 * The threshold state machine of one host under active health checking, after Envoy's
 * ActiveHealthCheckSession::handleSuccess / setUnhealthy
 * (https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/health_checking).
 *
 *   host has FAILED_ACTIVE_HC:
 *     success → first check ever, or healthy_threshold successes in a row → clear flag (Changed)
 *               otherwise ChangePending
 *   host healthy:
 *     failure → a non-network, non-retriable failure (HTTP status outside expected_statuses)
 *               ejects at once; a network failure or timeout needs unhealthy_threshold in a row
 *               → set flag (Changed), otherwise ChangePending
 *   any result clears PENDING_ACTIVE_HC (reported as Changed so the cluster refreshes).
 *
 * A host starts with FAILED_ACTIVE_HC set (Envoy does this for every host of a cluster with a
 * health checker, StaticClusterImpl::startPreInit and dynamic host updates): it takes traffic only
 * after its first check passes — which clears it at once, bypassing healthy_threshold — or while
 * the priority is in panic (PrioritySet, healthy_panic_threshold).
 *
 * Pure: it touches only the host's flag bits and its own counters.
 */
import { HealthFlag } from '../upstream/host.js';

/** Envoy's HealthTransition. */
export const enum HealthTransition {
  /** The host's health did not change. */
  Unchanged = 0,
  /** The host's health changed (the cluster must rebuild its healthy set). */
  Changed = 1,
  /** A result towards a change, short of the threshold. */
  ChangePending = 2,
}

/** Envoy's HealthCheckFailureType (data/core/v3/health_check_event.proto). */
export type HealthCheckFailureType = 'ACTIVE' | 'PASSIVE' | 'NETWORK' | 'NETWORK_TIMEOUT';

/** The host fields the state machine reads and writes. */
export interface HealthFlagged {
  healthFlags: number;
}

export class HostHealthState {
  private numHealthy = 0;
  private numUnhealthy = 0;
  /** No result yet for this host (Envoy first_check_). */
  firstCheck = true;

  constructor(
    private readonly host: HealthFlagged,
    private readonly healthyThreshold: number,
    private readonly unhealthyThreshold: number,
  ) {}

  /** Whether the host currently fails active health checking. */
  get failed(): boolean {
    return (this.host.healthFlags & HealthFlag.FailedActiveHealthCheck) !== 0;
  }

  /** Records a passing check. */
  handleSuccess(): HealthTransition {
    this.numUnhealthy = 0;
    let transition = HealthTransition.Unchanged;
    if (this.failed) {
      // Envoy: the first result ever moves the host to healthy at once (faster startup).
      if (this.firstCheck || ++this.numHealthy >= this.healthyThreshold) {
        this.host.healthFlags &= ~HealthFlag.FailedActiveHealthCheck;
        this.numHealthy = 0;
        transition = HealthTransition.Changed;
      } else {
        transition = HealthTransition.ChangePending;
      }
    }
    this.firstCheck = false;
    return this.clearPending(transition);
  }

  /**
   * Records a failing check. `retriable` is Envoy's retriable_statuses case (not decoded yet, so
   * callers pass false): like network failures it waits for unhealthy_threshold.
   */
  handleFailure(type: HealthCheckFailureType, retriable = false): HealthTransition {
    this.numHealthy = 0;
    let transition = HealthTransition.Unchanged;
    if (!this.failed) {
      const network = type === 'NETWORK' || type === 'NETWORK_TIMEOUT';
      if ((!network && !retriable) || ++this.numUnhealthy >= this.unhealthyThreshold) {
        this.host.healthFlags |= HealthFlag.FailedActiveHealthCheck;
        this.numUnhealthy = 0;
        transition = HealthTransition.Changed;
      } else {
        transition = HealthTransition.ChangePending;
      }
    }
    this.firstCheck = false;
    return this.clearPending(transition);
  }

  private clearPending(transition: HealthTransition): HealthTransition {
    if ((this.host.healthFlags & HealthFlag.PendingActiveHealthCheck) !== 0) {
      this.host.healthFlags &= ~HealthFlag.PendingActiveHealthCheck;
      return HealthTransition.Changed;
    }
    return transition;
  }
}
