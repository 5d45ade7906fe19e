/**
 * SnapshotCache: the latest consistent ResourceSnapshot per node group (go-control-plane
 * `pkg/cache/v3/simple.go`, keyed by group instead of node id).
 *
 * A node group is any string the XdsServer derives from a client's node (by default its
 * `locality.region`, see server/node-group.ts); the cache itself knows nothing of nodes, tenants
 * or services. The control plane's publisher calls `setSnapshot(group, snapshot)`; the
 * XdsServer subscribes with `onSnapshot` and updates every open stream of that group.
 *
 * Publication is all-or-nothing: a snapshot that is inconsistent (checkConsistency) or that
 * cannot be encoded (a field that does not fit the proto) is rejected with every error and the
 * group keeps serving its previous snapshot.
 */
import { fail, ok, type FieldError, type ValidationResult } from '../../../xds/validation.js';
import { InvalidArgumentError } from '../../../common/errors.js';
import { checkConsistency, checkRouteClusters } from './consistency.js';
import { encodeSnapshot } from './encoded-snapshot.js';
import type { ResourceSnapshot } from './resource-snapshot.js';

/** Called synchronously after a snapshot is published for `group`. */
export type SnapshotListener = (group: string, snapshot: ResourceSnapshot) => void;

/** SnapshotCache options. */
export interface SnapshotCacheOptions {
  /** Also reject snapshots whose routes name a cluster that is not in CDS (consistency.ts rule 3). Default false. */
  readonly requireRouteClusters?: boolean;
}

export class SnapshotCache {
  private readonly snapshots = new Map<string, ResourceSnapshot>();
  private readonly listeners = new Set<SnapshotListener>();
  private readonly requireRouteClusters: boolean;

  constructor(opts: SnapshotCacheOptions = {}) {
    this.requireRouteClusters = opts.requireRouteClusters === true;
  }

  /**
   * Publishes `s` for `group` and notifies listeners (the XdsServer pushes it to that group's
   * streams). Returns `{ ok: false, errors }` without publishing when the snapshot is
   * inconsistent or not encodable; the previous snapshot stays in force.
   */
  setSnapshot(group: string, s: ResourceSnapshot): ValidationResult<void> {
    if (typeof group !== 'string') throw new InvalidArgumentError('group must be a string');
    const errors: FieldError[] = checkConsistency(s);
    if (this.requireRouteClusters) errors.push(...checkRouteClusters(s));
    const encoded = encodeSnapshot(s);
    if (!encoded.ok) errors.push(...encoded.errors);
    if (errors.length > 0) return fail(errors);
    this.snapshots.set(group, s);
    for (const listener of [...this.listeners]) listener(group, s);
    return ok(undefined);
  }

  /** The snapshot in force for `group`, or undefined when none was ever published. */
  getSnapshot(group: string): ResourceSnapshot | undefined {
    return this.snapshots.get(group);
  }

  /** Removes a group's snapshot. Open streams keep what they were sent and get nothing new. */
  clearSnapshot(group: string): void {
    this.snapshots.delete(group);
  }

  /** Groups that have a snapshot, sorted. */
  groups(): string[] {
    return [...this.snapshots.keys()].sort();
  }

  /** Subscribes to publications; returns the unsubscribe function. */
  onSnapshot(cb: SnapshotListener): () => void {
    this.listeners.add(cb);
    return () => {
      this.listeners.delete(cb);
    };
  }
}
