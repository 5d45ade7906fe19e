/**
 * What a new revision does to a service's traffic (the deployment strategy, DESIGN §7 "deployed
 * per the service's deployment strategy"). Pure, so the store applies it inside the transaction
 * that creates the revision.
 *
 * - No traffic yet (the first revision): the new revision gets 100%, endpoints or not.
 * - 'all-at-once' and the revision has endpoints: 100% to it; earlier tagged targets stay at 0%
 *   so their tag hosts keep answering (Knative keeps tagged routes the same way).
 * - 'manual', or a revision without endpoints: traffic is left as it is.
 */
import type { DeploymentSettings, TrafficTarget } from './types.js';

/** The new traffic, or null when it stays as it is. */
export function trafficAfterRevision(
  current: readonly TrafficTarget[],
  revision: { readonly name: string; readonly endpointCount: number },
  deployment: DeploymentSettings,
): TrafficTarget[] | null {
  const all: TrafficTarget = { revision: revision.name, percent: 100, tag: null };
  if (current.length === 0) return [all];
  if (deployment.strategy !== 'all-at-once' || revision.endpointCount === 0) return null;
  const tagged = current.filter((t) => t.tag !== null).map((t) => ({ revision: t.revision, percent: 0, tag: t.tag }));
  return [all, ...tagged];
}
