/**
 * A service's traffic targets resolved against its revisions: what its virtual hosts route to.
 *
 *   traffic [{rev-1, 90}, {rev-2, 10, tag "canary"}, {rev-3, 0, tag "next"}]
 *     → weighted [rev-1: 90, rev-2: 10]        (the service host; percent > 0 only)
 *       tags     [canary → rev-2, next → rev-3] (each tag host routes 100% to its revision)
 *
 * Targets naming a revision the service doesn't have are dropped (a route must never point at a
 * cluster that isn't emitted); several targets on one revision add up; the first target with a
 * given tag wins. `serving` is false when no weighted revision has an endpoint: the virtual host
 * then answers 503 "no revision is serving" instead of sending every request to an empty cluster.
 */
import type { Revision, ServiceState } from '../model/types.js';
import { hasEndpoints } from './endpoints.js';

export interface WeightedRevision {
  readonly revision: Revision;
  /** The summed traffic percent, a positive integer (route weighted_clusters weight). */
  readonly weight: number;
}

export interface TaggedRevision {
  readonly tag: string;
  readonly revision: Revision;
}

export interface TrafficPlan {
  /** Ordered by revision number. */
  readonly weighted: readonly WeightedRevision[];
  /** Ordered by tag. */
  readonly tags: readonly TaggedRevision[];
  /** Some weighted revision has an endpoint. */
  readonly serving: boolean;
}

/** Resolves `serviceState.traffic` against `serviceState.revisions`. Pure. */
export function planTraffic(serviceState: ServiceState): TrafficPlan {
  const byName = new Map<string, Revision>();
  for (const r of serviceState.revisions) byName.set(r.name, r);

  const weights = new Map<string, number>();
  const tags = new Map<string, Revision>();
  for (const target of serviceState.traffic) {
    const revision = byName.get(target.revision);
    if (revision === undefined) continue;
    // Weights are uint32 in Envoy; percents are whole numbers in the API.
    const percent = Math.round(target.percent);
    if (percent > 0) weights.set(revision.name, (weights.get(revision.name) ?? 0) + percent);
    if (target.tag !== null && target.tag !== '' && !tags.has(target.tag)) tags.set(target.tag, revision);
  }

  const weighted = [...weights.entries()]
    .map(([name, weight]) => ({ revision: byName.get(name) as Revision, weight }))
    .sort((a, b) => a.revision.number - b.revision.number || (a.revision.name < b.revision.name ? -1 : a.revision.name > b.revision.name ? 1 : 0));
  const tagged = [...tags.entries()].map(([tag, revision]) => ({ tag, revision })).sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { weighted, tags: tagged, serving: weighted.some((w) => hasEndpoints(w.revision)) };
}
