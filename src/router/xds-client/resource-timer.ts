/**
 * Does-not-exist timers for named subscriptions (RDS, EDS). SotW has no "does not exist" signal:
 * a client that asked for a name and heard nothing within RESOURCE_TIMEOUT_MS treats it as absent
 * [xDS protocol, "Knowing When a Requested Resource Does Not Exist"; grpc-js-xds ResourceTimer,
 * RESOURCE_TIMEOUT_MS = 15 000; Envoy's initial_fetch_timeout default, 15 s]. Then a listener
 * waiting for that RouteConfiguration, or a cluster waiting for that ClusterLoadAssignment, stops
 * warming and is served empty (404 NR / 503 UH), as in Envoy.
 *
 * A timer runs only while a stream is up (armed when the name is requested, disarmed when it
 * arrives, when it is unsubscribed, or when the stream ends), so a control plane that is merely
 * down never makes resources "not exist".
 */
import type { XdsKind } from './resource-types.js';

export const RESOURCE_TIMEOUT_MS = 15_000;

export class ResourceTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly onTimeout: (kind: XdsKind, name: string) => void,
    private readonly timeoutMs: number = RESOURCE_TIMEOUT_MS,
  ) {}

  /** Starts the timer of `name` unless it runs already. */
  arm(kind: XdsKind, name: string): void {
    const key = `${kind}/${name}`;
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.onTimeout(kind, name);
    }, this.timeoutMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  disarm(kind: XdsKind, name: string): void {
    const key = `${kind}/${name}`;
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(key);
  }

  /** Keeps only the timers of `kind` whose names are in `names`. */
  retain(kind: XdsKind, names: ReadonlySet<string>): void {
    const prefix = `${kind}/`;
    for (const [key, timer] of this.timers) {
      if (key.startsWith(prefix) && !names.has(key.slice(prefix.length))) {
        clearTimeout(timer);
        this.timers.delete(key);
      }
    }
  }

  disarmAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  get armed(): number {
    return this.timers.size;
  }
}
