/**
 * The unary Fetch* RPCs (FetchClusters, FetchListeners, …): one DiscoveryResponse with the
 * current snapshot's resources of the service's type — the requested names, or every resource
 * for an LDS/CDS request naming none (wildcard, XDS.md §9). No state is kept.
 */
import type { EncodedSnapshot } from '../cache/encoded-snapshot.js';
import { isFullStateType } from './ads-sotw.js';
import { WILDCARD } from './stream-state.js';
import type { WireDiscoveryRequest, WireDiscoveryResponse } from './wire-types.js';

let fetchNonce = 0;

/** The response to a Fetch request, or null when the node's group has no snapshot. */
export function fetchResponse(req: WireDiscoveryRequest, typeUrl: string, snapshot: EncodedSnapshot | undefined): WireDiscoveryResponse | null {
  if (snapshot === undefined) return null;
  const available = snapshot.byType.get(typeUrl) ?? new Map();
  const names = req.resource_names;
  const all = isFullStateType(typeUrl) && (names.length === 0 || names.includes(WILDCARD));
  const resources = all ? [...available.values()] : names.flatMap((n) => (available.has(n) ? [available.get(n)!] : []));
  fetchNonce += 1;
  return { version_info: snapshot.version, resources: resources.map((r) => r.any), type_url: typeUrl, nonce: `fetch-${fetchNonce}` };
}
