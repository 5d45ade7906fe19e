/**
 * The active health check threshold state machine (Envoy ActiveHealthCheckSession): table of
 * result sequences → flag and transitions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealthFlag } from '../../../../src/router/upstream/host.js';
import { HealthTransition, HostHealthState, type HealthCheckFailureType } from '../../../../src/router/health/health-transition.js';

type Step = 'ok' | HealthCheckFailureType;
const C = HealthTransition.Changed;
const P = HealthTransition.ChangePending;
const U = HealthTransition.Unchanged;

interface Case {
  name: string;
  startFailed: boolean;
  steps: Step[];
  transitions: HealthTransition[];
  failedAfter: boolean;
  healthy?: number;
  unhealthy?: number;
}

const cases: Case[] = [
  { name: 'first success clears FAILED_ACTIVE_HC at once (threshold bypassed)', startFailed: true, steps: ['ok'], transitions: [C], failedAfter: false },
  { name: 'first failure leaves an initially failed host failed', startFailed: true, steps: ['NETWORK'], transitions: [U], failedAfter: true },
  {
    name: 'healthy → unhealthy after unhealthy_threshold network failures',
    startFailed: true,
    steps: ['ok', 'NETWORK', 'NETWORK', 'NETWORK'],
    transitions: [C, P, P, C],
    failedAfter: true,
  },
  { name: 'a timeout counts like a network failure', startFailed: true, steps: ['ok', 'NETWORK_TIMEOUT', 'NETWORK', 'NETWORK_TIMEOUT'], transitions: [C, P, P, C], failedAfter: true },
  { name: 'a success in between restarts the unhealthy count', startFailed: true, steps: ['ok', 'NETWORK', 'NETWORK', 'ok', 'NETWORK', 'NETWORK'], transitions: [C, P, P, U, P, P], failedAfter: false },
  { name: 'an ACTIVE failure (bad HTTP status) ejects at once', startFailed: true, steps: ['ok', 'ACTIVE'], transitions: [C, C], failedAfter: true },
  {
    name: 'back to healthy after healthy_threshold successes',
    startFailed: true,
    steps: ['ok', 'ACTIVE', 'ok', 'ok'],
    transitions: [C, C, P, C],
    failedAfter: false,
  },
  { name: 'a failure in between restarts the healthy count', startFailed: true, steps: ['ok', 'ACTIVE', 'ok', 'NETWORK', 'ok'], transitions: [C, C, P, U, P], failedAfter: true },
  { name: 'thresholds of 1 flip on every result', startFailed: true, steps: ['ok', 'NETWORK', 'ok'], transitions: [C, C, C], failedAfter: false, healthy: 1, unhealthy: 1 },
  { name: 'a host that starts healthy stays so on success', startFailed: false, steps: ['ok', 'ok'], transitions: [U, U], failedAfter: false },
];

for (const c of cases) {
  test(c.name, () => {
    const host = { healthFlags: c.startFailed ? HealthFlag.FailedActiveHealthCheck : 0 };
    const state = new HostHealthState(host, c.healthy ?? 2, c.unhealthy ?? 3);
    const got = c.steps.map((s) => (s === 'ok' ? state.handleSuccess() : state.handleFailure(s)));
    assert.deepEqual(got, c.transitions);
    assert.equal(state.failed, c.failedAfter);
    assert.equal((host.healthFlags & HealthFlag.FailedActiveHealthCheck) !== 0, c.failedAfter);
  });
}

test('PENDING_ACTIVE_HC is cleared by the first result and reported as Changed', () => {
  const host = { healthFlags: HealthFlag.FailedActiveHealthCheck | HealthFlag.PendingActiveHealthCheck };
  const state = new HostHealthState(host, 2, 3);
  assert.equal(state.handleFailure('NETWORK'), HealthTransition.Changed);
  assert.equal(host.healthFlags, HealthFlag.FailedActiveHealthCheck);
});

test('other flag bits (outlier, EDS) are left alone', () => {
  const host = { healthFlags: HealthFlag.FailedActiveHealthCheck | HealthFlag.FailedOutlierCheck | HealthFlag.FailedEdsHealth };
  const state = new HostHealthState(host, 1, 1);
  state.handleSuccess();
  assert.equal(host.healthFlags, HealthFlag.FailedOutlierCheck | HealthFlag.FailedEdsHealth);
});
