/**
 * admin /config_dump in Envoy's shape (envoy.admin.v3.*ConfigDump): static resources from the
 * bootstrap; dynamic ones with the version each was accepted at, active and warming; each type's
 * last accepted version_info. Dynamic resources are shown in their proto form as received.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/admin/v3/config_dump.proto
 */
import type { Bootstrap } from '../../xds/resources/bootstrap.types.js';
import type { ResourceStore, StoredResource } from '../xds-client/resource-store.js';
import type { TypeStatus } from '../xds-client/xds-client.js';
import type { AssembledConfig, Versioned } from './config-assembler.js';

export interface ConfigDumpSources {
  readonly bootstrap: Bootstrap;
  readonly assembly: AssembledConfig;
  readonly store: ResourceStore | null;
  readonly xds: readonly TypeStatus[];
}

function entry(v: Versioned<unknown>): { version_info: string; last_updated: string | undefined; proto: unknown } {
  const stored = v as Partial<StoredResource>;
  return {
    version_info: v.version,
    last_updated: stored.updatedAtMs === undefined ? undefined : new Date(stored.updatedAtMs).toISOString(),
    proto: stored.resource?.proto ?? v.value,
  };
}

export function buildConfigDump(src: ConfigDumpSources): unknown {
  const { bootstrap, assembly: a } = src;
  const version = (kind: string): string => src.store?.versionOf(kind as never) ?? '';
  const error = (kind: string) => {
    const s = src.xds.find((t) => t.kind === kind);
    return s === undefined || s.lastError === null ? undefined : { details: s.lastError };
  };
  return {
    configs: [
      { '@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump', bootstrap: { node: bootstrap.node, admin: bootstrap.admin, dynamic_resources: bootstrap.dynamicResources } },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
        version_info: version('cds'),
        static_clusters: bootstrap.staticClusters.map((cluster) => ({ cluster })),
        dynamic_active_clusters: [...a.activeClusters.values()].map((c) => {
          const e = entry(c);
          return { version_info: e.version_info, cluster: e.proto, last_updated: e.last_updated };
        }),
        dynamic_warming_clusters: [...a.warmingClusters.values()].map((c) => {
          const e = entry(c);
          return { version_info: e.version_info, cluster: e.proto, last_updated: e.last_updated };
        }),
        last_error_state: error('cds'),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
        version_info: version('lds'),
        static_listeners: bootstrap.staticListeners.map((listener) => ({ listener })),
        dynamic_listeners: [...new Set([...a.activeListeners.keys(), ...a.warmingListeners.keys()])].map((name) => {
          const active = a.activeListeners.get(name);
          const warming = a.warmingListeners.get(name);
          const state = (v: Versioned<unknown> | undefined) => {
            if (v === undefined) return undefined;
            const e = entry(v);
            return { version_info: e.version_info, listener: e.proto, last_updated: e.last_updated };
          };
          return { name, active_state: state(active), warming_state: state(warming) };
        }),
        last_error_state: error('lds'),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
        version_info: version('rds'),
        dynamic_route_configs: [...a.activeRouteConfigs.values()].map((r) => {
          const e = entry(r);
          return { version_info: e.version_info, route_config: e.proto, last_updated: e.last_updated };
        }),
        last_error_state: error('rds'),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
        version_info: version('eds'),
        dynamic_endpoint_configs: [...a.activeEndpoints.values()].map((r) => {
          const e = entry(r);
          return { version_info: e.version_info, endpoint_config: e.proto, last_updated: e.last_updated };
        }),
        last_error_state: error('eds'),
      },
    ],
  };
}
