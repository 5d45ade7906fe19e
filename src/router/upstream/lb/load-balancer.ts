/**
 * The load-balancer contract of the router, after envoy/upstream/load_balancer.h, and the factory
 * that maps a cluster's lb_policy onto an implementation.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers
 *
 * Everything under router/upstream/lb/ is pure: no I/O, no timers; it imports only common/.
 * Balancers read a PrioritySet, build their structures (EDF heap, ring, maglev table) once per
 * PrioritySet version, and pick in O(1) or O(log n) without allocating.
 */
import type { RandomSource } from '../../../common/random.js';
import { InvalidArgumentError } from '../../../common/errors.js';
import type { PrioritySet } from './priority-set.js';
import { RoundRobinLoadBalancer } from './round-robin.js';
import { LeastRequestLoadBalancer } from './least-request.js';
import { RandomLoadBalancer } from './random.js';
import { RingHashLoadBalancer } from './ring-hash.js';
import { MaglevLoadBalancer } from './maglev.js';

/** What a balancer needs to know about a host. The cluster's Host class implements it. */
export interface LbHost {
  /** "host:port"; ring hash and maglev hash it, so it must be stable for the host's lifetime. */
  readonly address: string;
  /** load_balancing_weight (Envoy 1–128). Non-positive or non-finite weights count as 1. */
  readonly weight: number;
  /** Requests in flight to the host (least-request reads it on every pick). */
  readonly activeRequests: number;
  /** Healthy and neither ejected nor draining. Changes must be followed by PrioritySet.refreshHealth(). */
  readonly available: boolean;
}

/** Per-pick input, after Envoy's LoadBalancerContext. Built by the router for each attempt. */
export interface LbContext {
  /**
   * uint32 hash of the request's hash policy (route hash_policy), or null. Ring hash and maglev
   * use it (a random key when null); the other policies ignore it.
   */
  readonly hashKey: number | null;
  /** Per-pick randomness: defaultRandom in production, a seeded source in tests. */
  readonly random: RandomSource;
  /**
   * Retry host predicate (envoy.retry_host_predicates.previous_hosts): return true to ask for a
   * different host. Called on the host just picked.
   */
  shouldSelectAnotherHost?(host: LbHost): boolean;
  /**
   * host_selection_retry_max_attempts: how many times to pick again when the predicate rejects
   * a host. After that the last pick is returned anyway. 0 = no re-picks.
   */
  readonly hostSelectionRetryMaxAttempts: number;
}

/** A picker over one cluster's PrioritySet. One instance per cluster (and per worker). */
export interface LoadBalancer<H extends LbHost = LbHost> {
  /**
   * Chooses a host for one upstream attempt, on the request path. Returns null when no host can
   * serve (no hosts, or none available with panic disabled) — the router answers 503 with `UH`.
   */
  chooseHost(ctx: LbContext): H | null;
}

/** Cluster fields the factory reads; a validated `Cluster` from xds/resources satisfies it. */
export interface LoadBalancerConfig {
  readonly lbPolicy: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'RING_HASH' | 'MAGLEV';
  /** least_request_lb_config.choice_count, Envoy default 2. */
  readonly leastRequestChoiceCount?: number;
  /** least_request_lb_config.active_request_bias, Envoy default 1.0. */
  readonly leastRequestActiveRequestBias?: number;
  /** ring_hash_lb_config.minimum_ring_size, Envoy default 1024. */
  readonly ringHashMinimumRingSize?: number;
  /** ring_hash_lb_config.maximum_ring_size, Envoy default 8M. */
  readonly ringHashMaximumRingSize?: number;
  /** maglev_lb_config.table_size, Envoy default 65537 (prime). */
  readonly maglevTableSize?: number;
}

/**
 * Builds the balancer for `config.lbPolicy` over `prioritySet`. Called by the cluster when it is
 * created or its lb config changes. `random` seeds build-time choices (round-robin start offset,
 * EDF warm-up picks) so that many routers do not all start on the same host; per-pick randomness
 * comes from LbContext.random. Throws InvalidArgumentError on out-of-range settings.
 */
export function createLoadBalancer<H extends LbHost>(
  config: LoadBalancerConfig,
  prioritySet: PrioritySet<H>,
  random: RandomSource,
): LoadBalancer<H> {
  switch (config.lbPolicy) {
    case 'ROUND_ROBIN':
      return new RoundRobinLoadBalancer(prioritySet, random);
    case 'LEAST_REQUEST':
      return new LeastRequestLoadBalancer(prioritySet, random, {
        choiceCount: config.leastRequestChoiceCount,
        activeRequestBias: config.leastRequestActiveRequestBias,
      });
    case 'RANDOM':
      return new RandomLoadBalancer(prioritySet);
    case 'RING_HASH':
      return new RingHashLoadBalancer(prioritySet, {
        minimumRingSize: config.ringHashMinimumRingSize,
        maximumRingSize: config.ringHashMaximumRingSize,
      });
    case 'MAGLEV':
      return new MaglevLoadBalancer(prioritySet, { tableSize: config.maglevTableSize });
    default:
      throw new InvalidArgumentError(`lbPolicy ${String((config as { lbPolicy: unknown }).lbPolicy)} is not supported`);
  }
}

