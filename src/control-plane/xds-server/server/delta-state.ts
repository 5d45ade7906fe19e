/**
 * DeltaTypeState: the incremental (Delta) xDS sub-stream of one type on one stream
 * (XDS.md §15–20; xds_protocol "Incremental xDS"). Pure: no I/O.
 *
 * State
 *   wildcard, names   the subscription, changed only by subscribe/unsubscribe deltas, which are
 *                     honoured on every request whatever its nonce (§17)
 *   known             name → version the client holds, as far as we know: seeded from
 *                     `initial_resource_versions` on the first request (§18), set for every
 *                     resource we send, cleared for every name we remove
 *   reportedAbsent    subscribed names we already answered with removed_resources because they
 *                     do not exist (§19), so the answer is not repeated
 *
 * view  = (wildcard ? the wildcard set : ∅) ∪ explicitly subscribed names that exist. The wildcard
 *         set is every resource of the type except the snapshot's named-only ones
 *         (cache/resource-snapshot.ts), so a wildcard stream never sees a named-only resource
 *         appear or disappear, while an explicit name always gets it (explicit wins).
 *
 * plan: resources = names in the view whose version differs from `known` (§16);
 *       removed   = desired names the client holds that are not in the view (deleted from the
 *                   snapshot, or — on a wildcard stream — no longer covered by the wildcard and
 *                   not named), plus subscribed names that never existed and were not reported
 *                   yet (§19).
 * A name (re)subscribed is forgotten from `known`, so it is sent even if the client has it (§20).
 * A held name unsubscribed while the wildcard is on must be answered (§19): its `known` version
 * becomes UNCONFIRMED, so it is resent if the wildcard covers it and removed if it does not
 * (a named-only resource the client had asked for by name).
 * A NACKed response leaves `known` at the rejected versions: the same bytes are never resent in a
 * loop, and the next snapshot that changes a resource sends it again.
 */
import type { EncodedResource } from '../cache/encoded-snapshot.js';
import type { NackInfo, TypeStatus } from './client-status.js';
import { WILDCARD } from './stream-state.js';
import type { WireDeltaDiscoveryRequest } from './wire-types.js';

/** How a request was taken: ACK/NACK of the in-flight response, or a subscription change only. */
export type DeltaRequestKind = 'initial' | 'update' | 'ack' | 'nack';

/** A `known` version no resource has (versions are hex hashes): "send it again or remove it". */
const UNCONFIRMED = '';

export interface DeltaPlan {
  readonly resources: readonly EncodedResource[];
  readonly removed: readonly string[];
}

export class DeltaTypeState {
  private wildcard = false;
  private readonly names = new Set<string>();
  private readonly known = new Map<string, string>();
  private readonly reportedAbsent = new Set<string>();
  /** Explicit names subscribed since the last response (they are owed an answer). */
  private readonly owed = new Set<string>();
  private first = true;
  /**
   * A wildcard subscription is answered once even when the set is empty: a client (Envoy's
   * initial fetch, our router's init) waits for the first CDS/LDS answer before it serves.
   */
  private answered = false;
  private sentNonce: string | null = null;
  private sentVersionValue: string | null = null;
  private ackedVersionValue: string | null = null;
  private lastNackValue: NackInfo | null = null;
  inFlight = false;
  sentAt = 0;

  /**
   * @param typeUrl the resource type of this sub-stream
   * @param legacyWildcard LDS/CDS: a first request with both lists empty means wildcard (§17)
   */
  constructor(
    readonly typeUrl: string,
    readonly legacyWildcard: boolean,
  ) {}

  /** Applies one DeltaDiscoveryRequest of this type. */
  onRequest(req: WireDeltaDiscoveryRequest, now: string): DeltaRequestKind {
    const subscribe = req.resource_names_subscribe ?? [];
    const unsubscribe = req.resource_names_unsubscribe ?? [];
    const wasFirst = this.first;
    if (this.first) {
      this.first = false;
      for (const [name, version] of Object.entries(req.initial_resource_versions ?? {})) this.known.set(name, version);
      if (this.legacyWildcard && subscribe.length === 0 && unsubscribe.length === 0) this.wildcard = true;
    }
    for (const n of subscribe) {
      if (n === WILDCARD) {
        this.wildcard = true;
        continue;
      }
      this.names.add(n);
      this.owed.add(n);
      // §20: a name in subscribe is sent even if the server believes the client has it — unless
      // the client just told us its version in initial_resource_versions (§18).
      if (!wasFirst) this.known.delete(n);
      this.reportedAbsent.delete(n);
    }
    for (const n of unsubscribe) {
      if (n === WILDCARD) {
        this.wildcard = false;
        for (const name of [...this.known.keys()]) if (!this.names.has(name)) this.known.delete(name);
        continue;
      }
      this.names.delete(n);
      this.owed.delete(n);
      this.reportedAbsent.delete(n);
      // Without a wildcard the client drops it; with one it must be told again (§19): resent if
      // the wildcard covers it, removed if not (file comment).
      if (this.wildcard && this.known.has(n)) this.known.set(n, UNCONFIRMED);
      else this.known.delete(n);
    }
    if (wasFirst) return 'initial';
    if (!this.inFlight || req.response_nonce === '' || req.response_nonce !== this.sentNonce) return 'update';
    this.inFlight = false;
    if (req.error_detail != null) {
      this.lastNackValue = { version: this.sentVersionValue ?? '', nonce: req.response_nonce, message: req.error_detail.message, at: now };
      return 'nack';
    }
    this.ackedVersionValue = this.sentVersionValue;
    return 'ack';
  }

  /** The system version of the response currently in flight (or last sent). */
  get sentVersion(): string | null {
    return this.sentVersionValue;
  }

  /**
   * What to send now, or null for nothing. `available` holds every resource of the type,
   * `wildcardSet` the ones a wildcard covers (EncodedSnapshot.wildcardByType; the same map when
   * nothing is named-only). With `deferRemovals` (ADS make-before-break, served-stream.ts) an
   * LDS/CDS deletion is held back; answers for names that never existed are not.
   */
  plan(available: ReadonlyMap<string, EncodedResource>, deferRemovals = false, wildcardSet: ReadonlyMap<string, EncodedResource> = available): DeltaPlan | null {
    if (this.first || this.inFlight) return null;
    const resources: EncodedResource[] = [];
    const removed: string[] = [];
    if (this.wildcard) for (const r of wildcardSet.values()) if (this.known.get(r.name) !== r.version) resources.push(r);
    for (const n of this.names) {
      if (this.wildcard && wildcardSet.has(n)) continue; // sent above
      const r = available.get(n);
      if (r !== undefined && this.known.get(n) !== r.version) resources.push(r);
    }
    const holdDeletions = deferRemovals && this.legacyWildcard;
    if (!holdDeletions) {
      for (const name of this.known.keys()) if (this.desired(name) && !this.sees(name, available, wildcardSet)) removed.push(name);
    }
    for (const n of this.names) if (!available.has(n) && !this.known.has(n) && !this.reportedAbsent.has(n)) removed.push(n);
    if (resources.length === 0 && removed.length === 0 && (this.answered || !this.wildcard)) return null;
    resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { resources, removed: [...new Set(removed)].sort() };
  }

  /** Whether explicitly subscribed names await an answer (served-stream.ts ordering gate). */
  wantsAnswer(_available: ReadonlyMap<string, EncodedResource>): boolean {
    return !this.first && !this.inFlight && this.owed.size > 0;
  }

  markSent(plan: DeltaPlan, version: string, nonce: string, at: number): void {
    this.answered = true;
    this.owed.clear();
    for (const r of plan.resources) {
      this.known.set(r.name, r.version);
      this.reportedAbsent.delete(r.name);
    }
    for (const n of plan.removed) {
      this.known.delete(n);
      if (this.names.has(n)) this.reportedAbsent.add(n);
    }
    this.sentNonce = nonce;
    this.sentVersionValue = version;
    this.inFlight = true;
    this.sentAt = at;
  }

  status(): TypeStatus {
    return {
      subscribed: this.wildcard ? [WILDCARD, ...[...this.names].sort()] : [...this.names].sort(),
      sentVersion: this.sentVersionValue,
      ackedVersion: this.ackedVersionValue,
      lastNack: this.lastNackValue,
    };
  }

  private desired(name: string): boolean {
    return this.wildcard || this.names.has(name);
  }

  /** Whether `name` is in this stream's view (file comment). */
  private sees(name: string, available: ReadonlyMap<string, EncodedResource>, wildcardSet: ReadonlyMap<string, EncodedResource>): boolean {
    return (this.wildcard && wildcardSet.has(name)) || (this.names.has(name) && available.has(name));
  }
}
