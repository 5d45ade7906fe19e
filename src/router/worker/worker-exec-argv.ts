/**
 * The Node.js flags a router worker starts with: the primary's own, plus a small young generation
 * unless the operator chose one.
 *
 * A proxy worker allocates a few KB per request that die within the request, so its heap is a
 * nursery turned over every few milliseconds. V8 sizes each semi-space up to 16 MiB for that
 * allocation rate; at 16 MiB each scavenge paused the worker ~0.6 ms every ~70 ms under the
 * peer benchmark, and the requests in flight during those pauses made its p99. With 4 MiB the
 * scavenges come every ~17 ms but pause ~0.2 ms (their cost follows the bytes allocated since
 * the last one, not the few that survive), the nursery stays in cache, and the same load read
 * p99 −15% and req/s +1–5% (BENCHMARKS.md, 2026-12-03). 1–2 MiB were worse: in-flight requests
 * then live through two scavenges and are promoted.
 */

/** Semi-space size in MiB for router workers (V8's `--max-semi-space-size`). */
export const WORKER_SEMI_SPACE_MIB = 4;

const SEMI_SPACE_FLAG = /(^|\s)--(max|min)[-_]semi[-_]space[-_]size(=|\s|$)/;

/**
 * `execArgv` for workers: `primaryArgv` (the primary's flags, which node:cluster would pass on
 * anyway) with `--max-semi-space-size` added when neither it nor NODE_OPTIONS sizes the semi-space.
 */
export function workerExecArgv(primaryArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const chosen = primaryArgv.some((arg) => SEMI_SPACE_FLAG.test(arg)) || SEMI_SPACE_FLAG.test(nodeOptions ?? '');
  return chosen ? [...primaryArgv] : [...primaryArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`];
}
