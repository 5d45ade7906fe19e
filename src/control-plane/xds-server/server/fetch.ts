/**
 * The unary Fetch* RPCs (FetchClusters, FetchListeners, …): one DiscoveryResponse with the
 * current snapshot's resources of the service's type — the requested names, plus for an LDS/CDS
 * wildcard request ('*' or no names, XDS.md §9) the wildcard set: every resource except the
 * named-only ones (cache/resource-snapshot.ts), which only an explicit name gets. No state is kept.
 */
import type { EncodedResource, EncodedSnapshot } from '../cache/encoded-snapshot.js';
import { isFullStateType } from './ads-sotw.js';
import { WILDCARD } from './stream-state.js';
import type { WireDiscoveryRequest, WireDiscoveryResponse } from './wire-types.js';

const EMPTY: ReadonlyMap<string, EncodedResource> = new Map();

let fetchNonce = 0;

/** The response to a Fetch request, or null when the node's group has no snapshot. */
export function fetchResponse(req: WireDiscoveryRequest, typeUrl: string, snapshot: EncodedSnapshot | undefined): WireDiscoveryResponse | null {
  if (snapshot === undefined) return null;
  const available = snapshot.byType.get(typeUrl) ?? EMPTY;
  const names = req.resource_names;
  const wildcard = isFullStateType(typeUrl) && (names.length === 0 || names.includes(WILDCARD));
  const chosen = new Map<string, EncodedResource>(wildcard ? (snapshot.wildcardByType.get(typeUrl) ?? EMPTY) : EMPTY);
  for (const n of names) {
    const r = available.get(n);
    if (r !== undefined) chosen.set(n, r);
  }
  const resources = [...chosen.values()];
  fetchNonce += 1;
  return { version_info: snapshot.version, resources: resources.map((r) => r.any), type_url: typeUrl, nonce: `fetch-${fetchNonce}` };
}
