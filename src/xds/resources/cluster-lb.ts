/**
 * A Cluster's load-balancer settings: lb_policy, its lb_config oneof and common_lb_config.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers
 */
import type { ProtoObject } from '../proto-object.js';
import type { LbPolicy } from './cluster.types.js';
import { enumOf, fieldPath, has, inRange, num, obj, wrapped, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';

const DEFAULTS = {
  lbPolicy: 'ROUND_ROBIN', // Envoy default (Cluster.LbPolicy = 0)
  leastRequestChoiceCount: 2, // Envoy default (LeastRequestLbConfig.choice_count)
  leastRequestActiveRequestBias: 1.0, // Envoy default (LeastRequestLbConfig.active_request_bias)
  ringHashMinimumRingSize: 1024, // Envoy default (RingHashLbConfig.minimum_ring_size)
  ringHashMaximumRingSize: 8 * 1024 * 1024, // Envoy default (RingHashLbConfig.maximum_ring_size, 8M)
  maglevTableSize: 65_537, // Envoy default (MaglevLbConfig.table_size)
  healthyPanicThresholdPercent: 50, // Envoy default (CommonLbConfig.healthy_panic_threshold)
} as const;

const MAX_RING_SIZE = 8_388_608; // cluster.proto: lte 8388608
const MAX_MAGLEV_TABLE_SIZE = 5_000_011; // cluster.proto: lte 5000011
const LB_POLICIES: readonly LbPolicy[] = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'RING_HASH', 'MAGLEV'];

/** The lb_config oneof member that goes with each policy (Envoy rejects a mismatch at cluster creation). */
const CONFIG_FOR: Readonly<Record<string, LbPolicy | null>> = {
  round_robin_lb_config: 'ROUND_ROBIN',
  least_request_lb_config: 'LEAST_REQUEST',
  ring_hash_lb_config: 'RING_HASH',
  maglev_lb_config: 'MAGLEV',
  original_dst_lb_config: null,
};

export interface LbSettings {
  readonly lbPolicy: LbPolicy;
  readonly leastRequestChoiceCount: number;
  readonly leastRequestActiveRequestBias: number;
  readonly ringHashMinimumRingSize: number;
  readonly ringHashMaximumRingSize: number;
  readonly maglevTableSize: number;
  readonly healthyPanicThresholdPercent: number;
}

/** Decodes the load-balancing fields of a Cluster message (errors under `path`, the cluster's path). */
export function decodeLbSettings(msg: ProtoObject, path: string, errors: Errors): LbSettings {
  const policyPath = fieldPath(path, 'lb_policy');
  const raw = msg.lb_policy;
  let lbPolicy: LbPolicy = DEFAULTS.lbPolicy;
  if (raw === 'CLUSTER_PROVIDED' || raw === 'LOAD_BALANCING_POLICY_CONFIG') {
    errors.push({ path: policyPath, message: `${raw} is not supported, use one of ${LB_POLICIES.join(', ')}` });
  } else {
    lbPolicy = enumOf(msg, 'lb_policy', path, errors, LB_POLICIES, DEFAULTS.lbPolicy);
  }
  rejectUnsupported(msg, path, ['load_balancing_policy'], errors);

  for (const [field, owner] of Object.entries(CONFIG_FOR)) {
    if (!has(msg, field)) continue;
    if (owner === null) errors.push({ path: fieldPath(path, field), message: 'is not supported' });
    else if (owner !== lbPolicy) errors.push({ path: fieldPath(path, field), message: `is only valid with lbPolicy ${owner}, got ${lbPolicy}` });
  }

  const rr = obj(msg, 'round_robin_lb_config', path, errors);
  if (rr !== null) rejectUnsupported(rr, fieldPath(path, 'round_robin_lb_config'), ['slow_start_config'], errors);

  let leastRequestChoiceCount: number = DEFAULTS.leastRequestChoiceCount;
  let leastRequestActiveRequestBias: number = DEFAULTS.leastRequestActiveRequestBias;
  const lr = obj(msg, 'least_request_lb_config', path, errors);
  if (lr !== null) {
    const lrPath = fieldPath(path, 'least_request_lb_config');
    rejectUnsupported(lr, lrPath, ['slow_start_config'], errors);
    leastRequestChoiceCount = wrapped(lr, 'choice_count', lrPath, errors, DEFAULTS.leastRequestChoiceCount);
    if (leastRequestChoiceCount < 2) {
      errors.push({ path: fieldPath(lrPath, 'choice_count'), message: `must be at least 2, got ${leastRequestChoiceCount}` });
    }
    const bias = obj(lr, 'active_request_bias', lrPath, errors);
    if (bias !== null) {
      // core.v3.RuntimeDouble: without a runtime, default_value is the value.
      const biasPath = fieldPath(lrPath, 'active_request_bias');
      leastRequestActiveRequestBias = num(bias, 'default_value', biasPath, errors, 0);
      if (leastRequestActiveRequestBias < 0) {
        errors.push({ path: fieldPath(biasPath, 'default_value'), message: `must be at least 0.0, got ${leastRequestActiveRequestBias}` });
      }
    }
  }

  let ringHashMinimumRingSize: number = DEFAULTS.ringHashMinimumRingSize;
  let ringHashMaximumRingSize: number = DEFAULTS.ringHashMaximumRingSize;
  const ring = obj(msg, 'ring_hash_lb_config', path, errors);
  if (ring !== null) {
    const ringPath = fieldPath(path, 'ring_hash_lb_config');
    ringHashMinimumRingSize = inRange(
      wrapped(ring, 'minimum_ring_size', ringPath, errors, DEFAULTS.ringHashMinimumRingSize),
      0,
      MAX_RING_SIZE,
      fieldPath(ringPath, 'minimum_ring_size'),
      errors,
    );
    ringHashMaximumRingSize = inRange(
      wrapped(ring, 'maximum_ring_size', ringPath, errors, DEFAULTS.ringHashMaximumRingSize),
      0,
      MAX_RING_SIZE,
      fieldPath(ringPath, 'maximum_ring_size'),
      errors,
    );
    if (ringHashMinimumRingSize > ringHashMaximumRingSize) {
      errors.push({
        path: fieldPath(ringPath, 'minimum_ring_size'),
        message: `must not exceed maximumRingSize: ${ringHashMinimumRingSize} > ${ringHashMaximumRingSize}`,
      });
    }
    const fn = ring.hash_function;
    if (fn !== undefined && fn !== 'XX_HASH') {
      errors.push({ path: fieldPath(ringPath, 'hash_function'), message: `only XX_HASH is supported, got ${JSON.stringify(fn)}` });
    }
  }

  let maglevTableSize: number = DEFAULTS.maglevTableSize;
  const maglev = obj(msg, 'maglev_lb_config', path, errors);
  if (maglev !== null) {
    const maglevPath = fieldPath(path, 'maglev_lb_config');
    const sizePath = fieldPath(maglevPath, 'table_size');
    maglevTableSize = inRange(wrapped(maglev, 'table_size', maglevPath, errors, DEFAULTS.maglevTableSize), 1, MAX_MAGLEV_TABLE_SIZE, sizePath, errors);
    if (!isPrime(maglevTableSize)) errors.push({ path: sizePath, message: `must be a prime number, got ${maglevTableSize}` });
  }

  return {
    lbPolicy,
    leastRequestChoiceCount,
    leastRequestActiveRequestBias,
    ringHashMinimumRingSize,
    ringHashMaximumRingSize,
    maglevTableSize,
    healthyPanicThresholdPercent: decodeCommonLbConfig(msg, path, errors),
  };
}

/** common_lb_config: only the panic threshold changes what we do; the rest is refused or tuning. */
function decodeCommonLbConfig(msg: ProtoObject, path: string, errors: Errors): number {
  const common = obj(msg, 'common_lb_config', path, errors);
  if (common === null) return DEFAULTS.healthyPanicThresholdPercent;
  const commonPath = fieldPath(path, 'common_lb_config');
  rejectUnsupported(
    common,
    commonPath,
    ['zone_aware_lb_config', 'locality_weighted_lb_config', 'ignore_new_hosts_until_first_hc', 'close_connections_on_host_set_change', 'consistent_hashing_lb_config'],
    errors,
  );
  // update_merge_window and override_host_status only tune timing / host overrides: ignored.
  const threshold = obj(common, 'healthy_panic_threshold', commonPath, errors);
  if (threshold === null) return DEFAULTS.healthyPanicThresholdPercent;
  // Envoy truncates the panic threshold to whole percents.
  return Math.floor(decodePercent(threshold, fieldPath(commonPath, 'healthy_panic_threshold'), errors));
}

/** envoy.type.v3.Percent ({ value: 0.0–100.0 }). */
export function decodePercent(msg: ProtoObject, path: string, errors: Errors): number {
  return inRange(num(msg, 'value', path, errors), 0, 100, fieldPath(path, 'value'), errors);
}

function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}
