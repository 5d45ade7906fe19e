/**
 * Downstream connection ids (%CONNECTION_ID%): one sequence for HTTP/1 and HTTP/2 connections.
 * Envoy's are unique within its one process; a router here is several worker processes, so each
 * worker numbers from its own block — worker k (node:cluster's id, new for a respawned worker)
 * hands out k × 2^32 + 1, + 2, … — and the ids stay unique across the router and exact as
 * numbers (far below 2^53).
 */
import cluster from 'node:cluster';

const BLOCK = 2 ** 32;

let next = (cluster.isWorker && cluster.worker !== undefined ? cluster.worker.id : 0) * BLOCK + 1;

export function nextConnectionId(): number {
  return next++;
}
