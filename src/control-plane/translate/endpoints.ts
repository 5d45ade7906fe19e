/**
 * The instance addresses of a revision as they go into its ClusterLoadAssignment: IP literals only
 * (EDS endpoints must be; the router and grpc-js-xds reject the whole assignment otherwise), each
 * address:port once (grpc-js-xds rejects duplicates), sorted for stable output.
 */
import type { Endpoint, Revision } from '../model/types.js';
import { isIpLiteral } from '../../xds/resources/address.js';

const MAX_PORT = 65_535;

/** The revision's endpoints that can be emitted, deduplicated and sorted by address then port. */
export function usableEndpoints(revision: Revision): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const e of revision.endpoints) {
    // The model validates addresses; this only keeps one bad row from NACKing every router's EDS.
    if (!isIpLiteral(e.address) || !Number.isInteger(e.port) || e.port < 1 || e.port > MAX_PORT) continue;
    const key = `${e.address} ${e.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ address: e.address, port: e.port });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port));
}

/** Whether the revision has at least one endpoint to send traffic to. */
export function hasEndpoints(revision: Revision): boolean {
  return usableEndpoints(revision).length > 0;
}
