/**
 * Worker side of the config patch protocol (config-patch.ts): applies each patch to the objects
 * held from the previous ones and returns the whole RouterConfig. An object the patch does not
 * resend is the very object of the previous config, so the worker tells what changed by identity
 * (a cluster whose object is the same was not touched) and keeps compiled state for it.
 */
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { ClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.types.js';
import type { Listener } from '../../xds/resources/listener.types.js';
import type { RouteConfiguration, VirtualHost } from '../../xds/resources/route-configuration.types.js';
import { InvalidStateError } from '../../common/errors.js';
import { heldIds, type ConfigIds, type ConfigPatch } from './config-patch.js';
import type { RouterConfig } from './messages.js';

export class ConfigPatchDecoder {
  private values = new Map<number, unknown>();
  private ids: ConfigIds | null = null;

  apply(patch: ConfigPatch): RouterConfig {
    for (const [id, value] of patch.values) this.values.set(id, value);
    const virtualHostsOf = new Map<number, readonly number[]>();
    for (const entry of patch.routeConfigs) {
      const rc: RouteConfiguration = Object.freeze({ ...entry.header, virtualHosts: Object.freeze(entry.virtualHosts.map((id) => this.get<VirtualHost>(id))) });
      this.values.set(entry.id, rc);
      virtualHostsOf.set(entry.id, entry.virtualHosts);
    }
    const previous = this.ids;
    const pick = (next: readonly number[] | null, prev: readonly number[] | undefined): readonly number[] => {
      if (next !== null) return next;
      if (prev === undefined) throw new InvalidStateError('config patch refers to a previous config this worker does not have');
      return prev;
    };
    const routeConfigIds = pick(patch.routeConfigIds, previous?.routeConfigs);
    for (const id of routeConfigIds) if (!virtualHostsOf.has(id)) virtualHostsOf.set(id, previous?.virtualHostsOf.get(id) ?? []);
    const ids: ConfigIds = {
      listeners: pick(patch.listeners, previous?.listeners),
      clusters: pick(patch.clusters, previous?.clusters),
      endpoints: pick(patch.endpoints, previous?.endpoints),
      routeConfigs: routeConfigIds,
      virtualHostsOf,
    };
    const config: RouterConfig = {
      version: patch.version,
      outlierEventLogPath: patch.outlierEventLogPath,
      listeners: ids.listeners.map((id) => this.get<Listener>(id)),
      clusters: ids.clusters.map((id) => this.get<Cluster>(id)),
      endpoints: ids.endpoints.map((id) => this.get<ClusterLoadAssignment>(id)),
      routeConfigs: ids.routeConfigs.map((id) => this.get<RouteConfiguration>(id)),
    };
    this.ids = ids;
    // Forget what the config no longer references, by the rule the primary applies too.
    if (patch.values.length > 0 || patch.routeConfigs.length > 0 || patch.listeners !== null || patch.clusters !== null || patch.endpoints !== null || patch.routeConfigIds !== null) {
      const held = heldIds(ids);
      for (const id of this.values.keys()) if (!held.has(id)) this.values.delete(id);
    }
    return config;
  }

  private get<T>(id: number): T {
    const v = this.values.get(id);
    if (v === undefined) throw new InvalidStateError(`config patch refers to object ${id}, which this worker does not hold`);
    return v as T;
  }
}
