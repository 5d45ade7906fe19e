/**
 * The region's resources kept assembled between translations: each service's share goes in and
 * out by name (replaceService), and build() hands out assembleTranslation's result without
 * re-sorting or re-concatenating what did not change (sorted-by-name.ts). A type nothing touched
 * comes out as the very same array as last time, and the `ingress` RouteConfiguration is the same
 * object when no virtual host changed: later stages key their memos on that identity.
 *
 * Equal to assembleTranslation over the same services (the translator tests check it after
 * random series of changes).
 */
import type { ProtoObject } from '../../xds/proto-object.js';
import { ROUTE_CONFIGURATION_TYPE_URL } from '../../xds/type-urls.js';
import { deepFreeze } from '../../xds/validation.js';
import { DomainClaims } from './domain-claims.js';
import { INGRESS_HTTP_LISTENER_NAME, INGRESS_ROUTE_CONFIG_NAME } from './names.js';
import { SortedByName } from './sorted-by-name.js';
import type { TranslatedResources } from './translate-platform.js';
import type { ServiceResources } from './translate-service.js';

export class RegionAssembly {
  private readonly listeners = new SortedByName<ProtoObject>();
  private readonly clusters = new SortedByName<ProtoObject>();
  private readonly assignments = new SortedByName<ProtoObject>();
  private readonly namedOnlyListeners = new SortedByName<string>();
  private readonly namedOnlyClusters = new SortedByName<string>();
  private readonly claims = new DomainClaims();
  private lastHosts: readonly ProtoObject[] | null = null;
  private routes: readonly ProtoObject[] = [];

  setIngressListener(listener: ProtoObject): void {
    this.listeners.set(INGRESS_HTTP_LISTENER_NAME, listener);
  }

  /** Replaces one service's share: `previous` (undefined for a new service) by `next` (undefined for a removed one). */
  replaceService(previous: ServiceResources | undefined, next: ServiceResources | undefined): void {
    const listeners = (r: ServiceResources | undefined): readonly ProtoObject[] => (r === undefined ? [] : [r.apiListener]);
    replaceAll(this.listeners, listeners(previous), listeners(next), byName);
    replaceAll(this.namedOnlyListeners, listeners(previous).map(byName), listeners(next).map(byName), itself);
    replaceAll(this.clusters, previous?.clusters ?? [], next?.clusters ?? [], byName);
    replaceAll(this.namedOnlyClusters, previous?.namedOnlyClusters ?? [], next?.namedOnlyClusters ?? [], itself);
    replaceAll(this.assignments, previous?.clusterLoadAssignments ?? [], next?.clusterLoadAssignments ?? [], (a) => a.cluster_name as string);
    const [gone, come] = [new Set(previous?.virtualHostSpecs), new Set(next?.virtualHostSpecs)];
    for (const s of gone) if (!come.has(s)) this.claims.remove(s);
    for (const s of come) if (!gone.has(s)) this.claims.add(s);
  }

  /** assembleTranslation's result for the services put in. */
  build(): TranslatedResources {
    const vhosts = this.claims.settle();
    if (vhosts !== this.lastHosts) {
      const previous = this.routes[0]?.virtual_hosts as readonly ProtoObject[] | undefined;
      if (previous === undefined || !sameItems(previous, vhosts)) {
        this.routes = deepFreeze([{ '@type': ROUTE_CONFIGURATION_TYPE_URL, name: INGRESS_ROUTE_CONFIG_NAME, virtual_hosts: vhosts }]);
      }
      this.lastHosts = vhosts;
    }
    return deepFreeze({
      listeners: this.listeners.array(),
      routeConfigurations: this.routes,
      clusters: this.clusters.array(),
      clusterLoadAssignments: this.assignments.array(),
      namedOnly: { listeners: this.namedOnlyListeners.array(), clusters: this.namedOnlyClusters.array() },
    });
  }
}

/** Removes the names `before` has and `after` lacks, and sets every one of `after` (a kept name is replaced in place, no re-sort). */
function replaceAll<T>(list: SortedByName<T>, before: readonly T[], after: readonly T[], nameOf: (item: T) => string): void {
  if (before.length > 0) {
    const kept = new Set(after.map(nameOf));
    for (const item of before) if (!kept.has(nameOf(item))) list.delete(nameOf(item));
  }
  for (const item of after) list.set(nameOf(item), item);
}

const byName = (r: ProtoObject): string => r.name as string;
const itself = (name: string): string => name;

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
