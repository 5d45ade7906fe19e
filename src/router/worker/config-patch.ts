/**
 * The primary → worker config message: a RouterConfig sent as a patch against the previous one,
 * so a change costs the IPC of what changed, not of every tenant's resources.
 *
 * Every listener, cluster, ClusterLoadAssignment, RouteConfiguration and virtual host the primary
 * publishes gets a numeric id (by object identity: the xDS client hands out the same decoded
 * object for the same bytes). A patch carries
 *
 *   values        [id, object] for the objects the workers do not hold yet
 *   routeConfigs  the new RouteConfigurations: their fields but virtualHosts, and the ids of those
 *   listeners / clusters / endpoints / routeConfigIds
 *                 the config's lists as ids, or null when the list equals the previous one
 *
 * Both sides keep exactly the ids the latest config references (the "held" set) and forget the
 * rest after each patch, by the same rule, so the primary always knows what a worker holds. A
 * worker that (re)starts gets a patch against nothing (every value).
 */
import type { RouteConfiguration } from '../../xds/resources/route-configuration.types.js';

/** A RouteConfiguration's fields other than its virtual hosts. */
export type RouteConfigHeader = Omit<RouteConfiguration, 'virtualHosts'>;

/** A RouteConfiguration new to the workers: its fields, and its virtual hosts by id, in order. */
export interface RouteConfigEntry {
  readonly id: number;
  readonly header: RouteConfigHeader;
  readonly virtualHosts: readonly number[];
}

export interface ConfigPatch {
  readonly version: string;
  readonly outlierEventLogPath: string;
  readonly values: readonly (readonly [number, unknown])[];
  readonly routeConfigs: readonly RouteConfigEntry[];
  readonly listeners: readonly number[] | null;
  readonly clusters: readonly number[] | null;
  readonly endpoints: readonly number[] | null;
  readonly routeConfigIds: readonly number[] | null;
}

/** The config's four lists as ids, and the virtual host ids of each RouteConfiguration. */
export interface ConfigIds {
  readonly listeners: readonly number[];
  readonly clusters: readonly number[];
  readonly endpoints: readonly number[];
  readonly routeConfigs: readonly number[];
  readonly virtualHostsOf: ReadonlyMap<number, readonly number[]>;
}

/** Every id `ids` references: what both sides hold after the patch that produced it. */
export function heldIds(ids: ConfigIds): Set<number> {
  const held = new Set<number>();
  for (const list of [ids.listeners, ids.clusters, ids.endpoints, ids.routeConfigs]) for (const id of list) held.add(id);
  for (const rc of ids.routeConfigs) for (const id of ids.virtualHostsOf.get(rc) ?? []) held.add(id);
  return held;
}

/** Element-wise equality of two id lists (an unchanged list is sent as null). */
export function sameIds(a: readonly number[] | null, b: readonly number[]): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
