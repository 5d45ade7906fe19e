/**
 * Primary side of the config patch protocol (config-patch.ts): turns each published RouterConfig
 * into a patch against the previous one. Ids follow object identity (a WeakMap, so objects no
 * config uses any more are collected); `held` is what every live worker holds.
 *
 * Cost per publish: O(resources) id lookups and list compares (integers, no serialization) plus
 * the structured clone of what is new.
 */
import type { RouteConfiguration, VirtualHost } from '../../xds/resources/route-configuration.types.js';
import { heldIds, sameIds, type ConfigIds, type ConfigPatch, type RouteConfigEntry, type RouteConfigHeader } from './config-patch.js';
import type { RouterConfig } from './messages.js';

export class ConfigPatchEncoder {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private last: { config: RouterConfig; ids: ConfigIds } | null = null;
  private held = new Set<number>();

  /** The patch that turns the previous config (or nothing) into `config`; every worker must get it. */
  next(config: RouterConfig): ConfigPatch {
    const { patch, ids } = this.encode(config, this.held, this.last?.ids ?? null);
    this.last = { config, ids };
    this.held = heldIds(ids);
    return patch;
  }

  /** The latest config as a patch against nothing, for a worker that (re)started; null before the first. */
  full(): ConfigPatch | null {
    return this.last === null ? null : this.encode(this.last.config, new Set(), null).patch;
  }

  private idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }

  private encode(config: RouterConfig, held: ReadonlySet<number>, previous: ConfigIds | null): { patch: ConfigPatch; ids: ConfigIds } {
    const values: (readonly [number, unknown])[] = [];
    const sent = new Set<number>();
    const list = (items: readonly object[]): number[] => {
      const out = new Array<number>(items.length);
      for (let i = 0; i < items.length; i++) {
        const id = this.idOf(items[i]);
        out[i] = id;
        if (!held.has(id) && !sent.has(id)) {
          sent.add(id);
          values.push([id, items[i]]);
        }
      }
      return out;
    };
    const listeners = list(config.listeners);
    const clusters = list(config.clusters);
    const endpoints = list(config.endpoints);
    const routeConfigs: RouteConfigEntry[] = [];
    const routeConfigIds: number[] = [];
    const virtualHostsOf = new Map<number, readonly number[]>();
    for (const rc of config.routeConfigs) {
      const id = this.idOf(rc);
      routeConfigIds.push(id);
      const known = held.has(id) ? previous?.virtualHostsOf.get(id) : undefined;
      if (known !== undefined) {
        virtualHostsOf.set(id, known);
        continue;
      }
      const virtualHosts = list(rc.virtualHosts as readonly VirtualHost[]);
      virtualHostsOf.set(id, virtualHosts);
      if (!sent.has(id)) {
        sent.add(id);
        routeConfigs.push({ id, header: headerOf(rc), virtualHosts });
      }
    }
    const ids: ConfigIds = { listeners, clusters, endpoints, routeConfigs: routeConfigIds, virtualHostsOf };
    const unchanged = (prev: readonly number[] | undefined, next: number[]): number[] | null => (prev !== undefined && sameIds(prev, next) ? null : next);
    const patch: ConfigPatch = {
      version: config.version,
      outlierEventLogPath: config.outlierEventLogPath ?? '',
      values,
      routeConfigs,
      listeners: unchanged(previous?.listeners, listeners),
      clusters: unchanged(previous?.clusters, clusters),
      endpoints: unchanged(previous?.endpoints, endpoints),
      routeConfigIds: unchanged(previous?.routeConfigs, routeConfigIds),
    };
    return { patch, ids };
  }
}

function headerOf(rc: RouteConfiguration): RouteConfigHeader {
  const { virtualHosts: _virtualHosts, ...header } = rc;
  return header;
}
