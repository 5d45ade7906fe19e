/**
 * The publisher's translator: translatePlatform's result, but an unchanged service yields the very
 * same frozen objects as last time. The snapshot cache encodes resources by object identity, so a
 * change to one service costs the encoding of that service's resources (and of the one ingress
 * RouteConfiguration that spans services), not of every tenant's: O(change), not O(platform).
 *
 *   serviceId → { key: JSON of ServiceState, resources }   rebuilt from the live set each call
 *
 * A changed service is translated again, and then each of its resources that came out
 * JSON-identical to last time (a traffic shift leaves the clusters alone) is swapped back for
 * the previous object, so only what really changed is new.
 *
 * Not pure (it remembers), so it lives beside the pure functions it memoizes and does no I/O.
 */
import { InvalidArgumentError } from '../../common/errors.js';
import type { PlatformState } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { deepFreeze } from '../../xds/validation.js';
import { liveServices } from './live-services.js';
import { toIngressListener } from './to-listener.js';
import { assembleTranslation, type TranslatedResources } from './translate-platform.js';
import { translateService, type ServiceResources } from './translate-service.js';

interface Memo {
  readonly key: string;
  readonly resources: ServiceResources;
}

export class IncrementalTranslator {
  private services = new Map<string, Memo>();
  private ingressListener: { readonly json: string; readonly value: ProtoObject } | null = null;
  private region: string | null = null;

  /** Same contract as translatePlatform. One translator serves one region. */
  translate(state: PlatformState): TranslatedResources {
    if (this.region !== null && this.region !== state.region) throw new InvalidArgumentError(`IncrementalTranslator for ${this.region} given ${state.region}`);
    this.region = state.region;
    const global = (state.globalRateLimit ?? null) !== null;
    const next = new Map<string, Memo>();
    const perService: ServiceResources[] = [];
    for (const serviceState of liveServices(state)) {
      // The rate limit mode changes a service's virtual hosts: it is part of the memo key.
      const key = `${global ? 'g' : 'l'}${JSON.stringify(serviceState)}`;
      const previous = this.services.get(serviceState.service.id);
      const memo =
        previous === undefined ? { key, resources: translateService(serviceState, state.region, global) }
        : previous.key === key ? previous
        : { key, resources: reuseUnchanged(previous.resources, translateService(serviceState, state.region, global)) };
      next.set(serviceState.service.id, memo);
      perService.push(memo.resources);
    }
    this.services = next;
    const listener = toIngressListener(state);
    const json = JSON.stringify(listener);
    if (this.ingressListener === null || this.ingressListener.json !== json) this.ingressListener = { json, value: deepFreeze(listener) };
    return assembleTranslation(this.ingressListener.value, perService);
  }
}

/** `next` with every resource that equals its namesake in `previous` replaced by that object. */
function reuseUnchanged(previous: ServiceResources, next: ServiceResources): ServiceResources {
  return Object.freeze({
    apiListener: sameOrNew(previous.apiListener, next.apiListener),
    clusters: Object.freeze(reuseByName(previous.clusters, next.clusters, 'name')),
    namedOnlyClusters: next.namedOnlyClusters,
    clusterLoadAssignments: Object.freeze(reuseByName(previous.clusterLoadAssignments, next.clusterLoadAssignments, 'cluster_name')),
    virtualHostSpecs: next.virtualHostSpecs,
  });
}

function reuseByName(previous: readonly ProtoObject[], next: readonly ProtoObject[], key: string): ProtoObject[] {
  const byName = new Map<unknown, ProtoObject>();
  for (const p of previous) byName.set(p[key], p);
  return next.map((n) => {
    const p = byName.get(n[key]);
    return p === undefined ? n : sameOrNew(p, n);
  });
}

function sameOrNew(previous: ProtoObject, next: ProtoObject): ProtoObject {
  return JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
}
