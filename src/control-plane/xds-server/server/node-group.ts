/**
 * Node → node group: which snapshot a client is served. The default is the node's
 * `locality.region` (one snapshot per region, DESIGN §6), or the server's defaultGroup for a node
 * that names no region.
 */
import type { WireNode } from './wire-types.js';

/** The node fields a grouping function sees (from the stream's first request, XDS.md §2). */
export interface NodeInfo {
  readonly id: string;
  readonly cluster: string;
  readonly locality: { readonly region: string; readonly zone: string; readonly sub_zone: string };
  readonly metadata: unknown;
}

/** Maps a node to the name of its SnapshotCache group. Must be pure and fast. */
export type NodeGroupFn = (node: NodeInfo) => string;

/** `node.locality.region`, or `defaultGroup` when empty. */
export function regionGroup(defaultGroup: string): NodeGroupFn {
  return (node) => node.locality.region || defaultGroup;
}

/** A wire node (possibly null or partial) as NodeInfo with every field present. */
export function toNodeInfo(node: WireNode | null): NodeInfo {
  return {
    id: node?.id ?? '',
    cluster: node?.cluster ?? '',
    locality: {
      region: node?.locality?.region ?? '',
      zone: node?.locality?.zone ?? '',
      sub_zone: node?.locality?.sub_zone ?? '',
    },
    metadata: node?.metadata ?? null,
  };
}
