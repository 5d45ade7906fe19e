/**
 * The primary's view of its workers (Envoy's main thread dispatching to workers): forks them with
 * node:cluster, hands each the current config, restarts a worker that dies, gathers stats and
 * cluster status on demand, and drains them all on shutdown.
 *
 * Listening sockets are shared with SCHED_NONE: every worker accepts from the same kernel queue,
 * as Envoy's workers do, instead of the primary accepting and passing handles round-robin.
 */
import cluster, { type Worker } from 'node:cluster';
import type net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Logger } from '../../common/logger.js';
import { ConfigPatchEncoder } from './config-patch-encoder.js';
import type { ClusterStatus, PrimaryToWorker, RouterConfig, WorkerToPrimary } from './messages.js';
import { workerExecArgv } from './worker-exec-argv.js';
import { closeHandle } from '../listener/acceptors.js';

const log = new Logger('primary');
const WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.js', import.meta.url));
/** How long the admin server waits for workers to answer a stats or clusters request. */
const GATHER_TIMEOUT_MS = 1_000;

interface Pending<T> {
  readonly expected: number;
  readonly results: T[];
  readonly resolve: (results: T[]) => void;
}

export class WorkerPool {
  private readonly workers = new Map<number, Worker>();
  private readonly appliedVersion = new Map<number, string>();
  /** Workers whose entry module has run and can hear messages (see worker-entry.ts). */
  private readonly started = new Set<number>();
  private config: RouterConfig | null = null;
  /** Configs go out as patches against the previous one; a (re)started worker gets a full one. */
  private readonly patches = new ConfigPatchEncoder();
  private live = false;
  private nextRequestId = 1;
  private readonly pendingStats = new Map<number, Pending<unknown>>();
  private readonly pendingClusters = new Map<number, Pending<ClusterStatus[]>>();
  private stopping = false;
  /** Bound ports by listener name, as the workers reported them. */
  readonly listenerPorts = new Map<string, number>();
  /** Called with each worker's final stats snapshot (drain) so counters are not lost. */
  onFinalStats: (workerId: number, snapshot: unknown) => void = () => {};
  onWorkerExit: (workerId: number) => void = () => {};

  constructor(private readonly concurrency: number) {
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({
      exec: WORKER_ENTRY,
      execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS),
      serialization: 'advanced',
      silent: false,
    });
  }

  start(): void {
    for (let i = 0; i < this.concurrency; i++) this.fork();
  }

  /**
   * Sends a new config to every worker, as a patch against the previous one (every started worker
   * gets every patch, in order); the newest config is also what a restarted worker gets, whole.
   */
  publish(config: RouterConfig): void {
    this.config = config;
    const patch = this.patches.next(config);
    for (const worker of this.workers.values()) this.sendTo(worker, { type: 'config', patch });
  }

  /**
   * True once every worker has applied a config (admin /ready: LIVE), and from then on: a later
   * config being applied, or a worker being restarted, does not make the router un-ready again,
   * as Envoy's server state stays LIVE after initialization.
   */
  get ready(): boolean {
    if (this.live) return true;
    if (this.config === null || this.workers.size < this.concurrency) return false;
    for (const id of this.workers.keys()) if (this.appliedVersion.get(id) !== this.config.version) return false;
    this.live = true;
    return true;
  }

  /** Resolves when every worker has applied the current config, or after `timeoutMs`. */
  async waitReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.ready;
  }

  gatherStats(): Promise<{ workerId: number; snapshot: unknown }[]> {
    return this.gather(this.pendingStats, (requestId) => ({ type: 'stats', requestId })) as Promise<{ workerId: number; snapshot: unknown }[]>;
  }

  async gatherClusters(): Promise<ClusterStatus[][]> {
    const results = await this.gather(this.pendingClusters, (requestId) => ({ type: 'clusters', requestId }));
    return results as unknown as ClusterStatus[][];
  }

  /** Drains every worker and resolves when all have exited (or are killed after a grace period). */
  async drain(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const exits = [...this.workers.values()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const kill = setTimeout(() => worker.process.kill('SIGKILL'), timeoutMs + 2_000);
          worker.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          // A worker still loading has no connections to drain.
          if (!this.started.has(worker.id)) worker.process.kill('SIGKILL');
          else this.sendTo(worker, { type: 'drain', timeoutMs });
        }),
    );
    await Promise.all(exits);
  }

  private fork(): void {
    // Per-process limits (local rate limit buckets) are split across this many workers.
    const worker = cluster.fork({ SWITCHYARD_WORKERS: String(this.concurrency) });
    this.workers.set(worker.id, worker);
    worker.on('message', (message: WorkerToPrimary, handle: unknown) => this.onMessage(worker, message, handle));
    worker.on('exit', (code, signal) => {
      this.workers.delete(worker.id);
      this.appliedVersion.delete(worker.id);
      this.started.delete(worker.id);
      this.onWorkerExit(worker.id);
      if (!this.stopping) {
        log.error('worker exited; starting a new one', { id: worker.id, code, signal });
        this.fork();
      }
    });
  }

  private onMessage(worker: Worker, message: WorkerToPrimary, handle: unknown): void {
    switch (message.type) {
      case 'started':
        this.started.add(worker.id);
        if (this.config !== null) this.sendTo(worker, { type: 'config', patch: this.patches.full()! });
        break;
      case 'config-applied':
        this.appliedVersion.set(worker.id, message.version);
        for (const l of message.listeners) this.listenerPorts.set(l.name, l.port);
        break;
      case 'config-failed':
        log.error('worker failed to apply config', { id: worker.id, version: message.version, message: message.message });
        break;
      case 'stats':
        if (message.requestId === -1) this.onFinalStats(worker.id, message.snapshot);
        else this.settle(this.pendingStats, message.requestId, { workerId: worker.id, snapshot: message.snapshot });
        break;
      case 'clusters':
        this.settle(this.pendingClusters, message.requestId, message.clusters as ClusterStatus[]);
        break;
      case 'listener-fds':
        this.sendListenerCopies(worker, message.listener, message.copies, handle);
        break;
    }
  }

  private gather<T>(pending: Map<number, Pending<T>>, make: (requestId: number) => PrimaryToWorker): Promise<T[]> {
    const requestId = this.nextRequestId++;
    const live = [...this.workers.values()].filter((w) => this.started.has(w.id) && w.isConnected());
    return new Promise<T[]>((resolve) => {
      if (live.length === 0) return resolve([]);
      const entry: Pending<T> = { expected: live.length, results: [], resolve };
      pending.set(requestId, entry);
      const timer = setTimeout(() => {
        pending.delete(requestId);
        resolve(entry.results);
      }, GATHER_TIMEOUT_MS);
      timer.unref();
      const done = entry.resolve;
      (entry as { resolve: (r: T[]) => void }).resolve = (r) => {
        clearTimeout(timer);
        done(r);
      };
      for (const worker of live) this.sendTo(worker, make(requestId));
    });
  }

  private settle<T>(pending: Map<number, Pending<T>>, requestId: number, result: T): void {
    const entry = pending.get(requestId);
    if (entry === undefined) return;
    entry.results.push(result);
    if (entry.results.length >= entry.expected) {
      pending.delete(requestId);
      entry.resolve(entry.results);
    }
  }

  /**
   * Sends `handle` (the worker's listening socket, arrived here as a descriptor of our own) back
   * `copies` times: each arrives in the worker as one more descriptor to accept on
   * (listener/acceptors.ts). Our descriptor is closed once the last copy is out; the
   * primary never listens on it.
   */
  private sendListenerCopies(worker: Worker, listener: string, copies: number, handle: unknown): void {
    if (handle === undefined || copies <= 0 || !worker.isConnected()) {
      closeHandle(handle);
      return;
    }
    let pending = copies;
    const sent = (): void => {
      if (--pending === 0) closeHandle(handle);
    };
    for (let i = 0; i < copies; i++) worker.send({ type: 'listener-fd', listener } satisfies PrimaryToWorker, handle as net.Server, sent);
  }

  private sendTo(worker: Worker, message: PrimaryToWorker): void {
    if (this.started.has(worker.id) && worker.isConnected()) worker.send(message);
  }
}
