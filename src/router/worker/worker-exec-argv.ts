/**
 * The Node.js flags a router worker starts with: the primary's own, plus two garbage-collector
 * defaults for a proxy's heap, each unless the operator chose otherwise (on the command line or
 * in NODE_OPTIONS). Measured in BENCHMARKS.md (2026-12-03).
 *
 * - A small young generation (`--max-semi-space-size=4`). A proxy worker allocates a few KB per
 *   request that die within the request, so its heap is a nursery turned over every few
 *   milliseconds. V8 sizes each semi-space up to 16 MiB for that allocation rate; each scavenge
 *   then paused the worker ~0.6 ms every ~70 ms, and the requests in flight during those pauses
 *   made its p99. At 4 MiB the scavenges come every ~17 ms but pause ~0.2 ms (their cost follows
 *   the bytes allocated since the last one, not the few that survive) and the nursery stays in
 *   cache: p99 −15%, req/s +1–5%. 1–2 MiB were worse: in-flight requests then live through two
 *   scavenges and are promoted.
 * - The collector on the main thread only (`--single-threaded-gc`). A worker is one busy event
 *   loop per core; V8's parallel scavenge and concurrent marking threads have no idle core to
 *   run on, so they take turns with the main thread, which waits for them inside its pause or
 *   is preempted by them. Without them p99 read −3 to −20% and p99.9 about half, req/s the same.
 *   (Compilation stays concurrent: `--single-threaded` would stop the loop for every compile.)
 */

/** Semi-space size in MiB for router workers (V8's `--max-semi-space-size`). */
export const WORKER_SEMI_SPACE_MIB = 4;

interface DefaultFlag {
  /** What the worker gets when the operator set nothing matching `chosen`. */
  readonly flag: string;
  /** Flags by which the operator already decided this. */
  readonly chosen: RegExp;
}

const DEFAULT_FLAGS: readonly DefaultFlag[] = [
  { flag: `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`, chosen: /(^|\s)--(max|min)[-_]semi[-_]space[-_]size(=|\s|$)/ },
  { flag: '--single-threaded-gc', chosen: /(^|\s)--(no-)?single[-_]threaded([-_]gc)?(=|\s|$)/ },
];

/**
 * `execArgv` for workers: `primaryArgv` (the primary's flags, which node:cluster would pass on
 * anyway) followed by each default flag neither `primaryArgv` nor `nodeOptions` decides.
 */
export function workerExecArgv(primaryArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const argv = [...primaryArgv];
  for (const d of DEFAULT_FLAGS) {
    if (!primaryArgv.some((arg) => d.chosen.test(arg)) && !d.chosen.test(nodeOptions ?? '')) argv.push(d.flag);
  }
  return argv;
}
