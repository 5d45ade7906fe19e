/**
 * The publisher's translator: translatePlatform's result, but an unchanged service yields the very
 * same frozen objects as last time, and a change costs work in proportion to what changed. The
 * snapshot cache encodes resources by object identity, so a change to one service costs the
 * encoding of that service's resources (and of the one ingress RouteConfiguration that spans
 * services), not of every tenant's.
 *
 *   serviceId → { key: JSON of ServiceState, resources }     the memo, one per live service
 *   RegionAssembly                                           the sorted lists, patched per service
 *
 * Two ways in:
 *   translate(state)           every live service: the ones whose key changed are translated again
 *   update(context, changes)   only the services the store says changed (Store.readChangedServices),
 *                              valid after a translate() with the same region settings (canUpdate)
 *
 * A changed service is translated again, and then each of its resources that came out
 * JSON-identical to last time (a traffic shift leaves the clusters alone) is swapped back for
 * the previous object, so only what really changed is new.
 *
 * Not pure (it remembers), so it lives beside the pure functions it memoizes and does no I/O.
 */
import { InvalidArgumentError, InvalidStateError } from '../../common/errors.js';
import type { PlatformChanges, PlatformState, ServiceState } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { deepFreeze } from '../../xds/validation.js';
import { hasRateLimit } from './local-rate-limit.js';
import { RegionAssembly } from './region-assembly.js';
import { ingressListener } from './to-listener.js';
import type { TranslatedResources } from './translate-platform.js';
import { translateService, type ServiceResources } from './translate-service.js';

/** A region's settings without its services: what update() is given besides the changes. */
export type TranslationContext = Omit<PlatformState, 'services'>;

interface Memo {
  readonly key: string;
  readonly resources: ServiceResources;
  readonly rateLimited: boolean;
}

interface Changed {
  readonly state: ServiceState;
  readonly key: string;
}

export class IncrementalTranslator {
  private readonly services = new Map<string, Memo>();
  private readonly assembly = new RegionAssembly();
  private ingress: { readonly json: string; readonly value: ProtoObject } | null = null;
  private region: string | null = null;
  /** What every memo depends on besides its service; null before the first translate(). */
  private settings: string | null = null;
  private rateLimited = 0;

  /** Live services in the last result. */
  get serviceCount(): number {
    return this.services.size;
  }

  /** Same contract as translatePlatform. One translator serves one region. */
  translate(state: PlatformState): TranslatedResources {
    this.checkRegion(state.region);
    const global = isGlobal(state);
    const live = new Set<string>();
    const changed: Changed[] = [];
    for (const s of state.services) {
      if (s.service.status === 'DELETED') continue;
      live.add(s.service.id);
      const key = keyOf(s, global);
      if (this.services.get(s.service.id)?.key !== key) changed.push({ state: s, key });
    }
    const removed = [...this.services.keys()].filter((id) => !live.has(id));
    this.settings = settingsOf(state);
    return this.apply(state, changed, removed);
  }

  /** Whether update() may apply changes for `context`: translate() ran before with the same region settings. */
  canUpdate(context: TranslationContext): boolean {
    return this.settings !== null && this.settings === settingsOf(context);
  }

  /**
   * The result for the services last translated with `changes` applied (every changed service
   * complete, removed ids gone): the same as translate() of the whole new state.
   */
  update(context: TranslationContext, changes: Pick<PlatformChanges, 'changed' | 'removed'>): TranslatedResources {
    if (!this.canUpdate(context)) throw new InvalidStateError('IncrementalTranslator.update needs a translate() with the same region settings first');
    const global = isGlobal(context);
    const changed: Changed[] = [];
    const removed = [...changes.removed];
    for (const s of changes.changed) {
      if (s.service.status === 'DELETED') {
        removed.push(s.service.id);
        continue;
      }
      const key = keyOf(s, global);
      if (this.services.get(s.service.id)?.key !== key) changed.push({ state: s, key });
    }
    return this.apply(context, changed, removed);
  }

  private apply(context: TranslationContext, changed: readonly Changed[], removed: readonly string[]): TranslatedResources {
    const global = isGlobal(context);
    for (const id of removed) {
      const memo = this.services.get(id);
      if (memo === undefined) continue;
      this.assembly.replaceService(memo.resources, undefined);
      if (memo.rateLimited) this.rateLimited -= 1;
      this.services.delete(id);
    }
    for (const { state, key } of changed) {
      const previous = this.services.get(state.service.id);
      const fresh = translateService(state, context.region, global);
      const resources = previous === undefined ? fresh : reuseUnchanged(previous.resources, fresh);
      const rateLimited = hasRateLimit(state.service);
      this.rateLimited += (rateLimited ? 1 : 0) - (previous?.rateLimited === true ? 1 : 0);
      this.assembly.replaceService(previous?.resources, resources);
      this.services.set(state.service.id, { key, resources, rateLimited });
    }
    const listener = ingressListener(context, this.rateLimited > 0);
    const json = JSON.stringify(listener);
    if (this.ingress === null || this.ingress.json !== json) this.ingress = { json, value: deepFreeze(listener) };
    this.assembly.setIngressListener(this.ingress.value);
    return this.assembly.build();
  }

  private checkRegion(region: string): void {
    if (this.region !== null && this.region !== region) throw new InvalidArgumentError(`IncrementalTranslator for ${this.region} given ${region}`);
    this.region = region;
  }
}

function isGlobal(context: TranslationContext): boolean {
  return (context.globalRateLimit ?? null) !== null;
}

/** The rate limit mode changes a service's virtual hosts: it is part of the memo key. */
function keyOf(s: ServiceState, global: boolean): string {
  return `${global ? 'g' : 'l'}${JSON.stringify(s)}`;
}

/** Everything a service's memo depends on besides the service itself (hosts are in ServiceState already). */
function settingsOf(context: TranslationContext): string {
  return JSON.stringify([context.region, context.baseDomain, context.httpPort, isGlobal(context)]);
}

/** `next` with every resource that equals its namesake in `previous` replaced by that object. */
function reuseUnchanged(previous: ServiceResources, next: ServiceResources): ServiceResources {
  return Object.freeze({
    apiListener: sameOrNew(previous.apiListener, next.apiListener),
    clusters: Object.freeze(reuseByName(previous.clusters, next.clusters, 'name')),
    namedOnlyClusters: next.namedOnlyClusters,
    clusterLoadAssignments: Object.freeze(reuseByName(previous.clusterLoadAssignments, next.clusterLoadAssignments, 'cluster_name')),
    // A spec kept as it was keeps its VirtualHost object, so the RouteConfiguration may stay too.
    virtualHostSpecs: Object.freeze(reuseByName(previous.virtualHostSpecs, next.virtualHostSpecs, 'name')),
  });
}

function reuseByName<T extends object>(previous: readonly T[], next: readonly T[], key: keyof T): T[] {
  const byName = new Map<unknown, T>();
  for (const p of previous) byName.set(p[key], p);
  return next.map((n) => {
    const p = byName.get(n[key]);
    return p === undefined ? n : sameOrNew(p, n);
  });
}

function sameOrNew<T>(previous: T, next: T): T {
  return JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
}
