/**
 * SotwTypeState: the state-of-the-world sub-stream of one type on one stream (XDS.md §1–14). Pure:
 * no I/O, no timers; the SotW stream handler feeds it requests and snapshots and sends what
 * `plan` returns.
 *
 * State and transitions
 *
 *   subscription   wildcard flag + explicit names (replaced by every non-stale request, §8)
 *   sent           nonce / version / content signature of the last response, `inFlight` until the
 *                  client answers that nonce with an ACK or NACK (at most one outstanding response
 *                  per type, so every request we act on refers to our latest response)
 *   mustSend       names newly subscribed since the last response: sent even if unchanged (§10),
 *                  and for RDS/EDS kept until they exist in a snapshot (§13)
 *
 *   onRequest: nonce ≠ last sent nonce (once one was sent) → 'stale', ignored entirely (§7,
 *              go-control-plane sotw/v3/ads.go); else the subscription is replaced and the request
 *              is an ACK or a NACK (by error_detail, §6) of the in-flight response, or 'initial'.
 *   plan:      nothing while in flight; otherwise the content = subscribed resources that exist:
 *              the wildcard set (every resource but the snapshot's named-only ones,
 *              cache/resource-snapshot.ts) when the subscription has '*', plus every explicit name
 *              (explicit wins, so a named-only resource reaches exactly the streams that name it). Send it when nothing was sent yet (LDS/CDS always;
 *              RDS/EDS only if some resource exists), or a newly subscribed name can be served,
 *              or the content differs from what was last sent. "Differs from the last sent"
 *              rather than "version changed" is what stops the NACK loop (§6): after a NACK the
 *              rejected content is not resent; a snapshot that changes the content is.
 *
 * Full state (§11): LDS/CDS responses always carry every subscribed resource — for a
 * wildcard+explicit stream the wildcard set ∪ the explicit names — so a missing one is a
 * deletion; RDS/EDS responses carry the subscribed resources that exist and are never empty.
 */
import { performance } from 'node:perf_hooks';
import type { EncodedResource } from '../cache/encoded-snapshot.js';
import type { NackInfo, TypeStatus } from './client-status.js';
import type { WireDiscoveryRequest } from './wire-types.js';

/** How a request was taken. */
export type SotwRequestKind = 'stale' | 'initial' | 'ack' | 'nack';

/** A response to send: the resources, in name order, and their content signature. */
export interface SotwPlan {
  readonly resources: readonly EncodedResource[];
  /** name+version of every resource: equal signatures ⇔ identical responses. */
  readonly signature: string;
  /**
   * True when the response still carries resources the snapshot deleted (make-before-break:
   * their removal is sent once the later types have caught up). Such a response is versioned
   * `<snapshot version>-mbb` so it is never mistaken for the snapshot's final state.
   */
  readonly transitional?: boolean;
}

/**
 * Wildcard content depends only on the snapshot's wildcard set of the type, so it is computed once
 * per snapshot and shared by every wildcard stream (Envoy fleets all subscribe LDS/CDS by wildcard).
 */
const wildcardContent = new WeakMap<ReadonlyMap<string, EncodedResource>, SotwPlan>();

export const WILDCARD = '*';

export class SotwTypeState {
  private wildcard = false;
  private names = new Set<string>();
  private namedEver = false;
  private requested = false;
  private readonly mustSend = new Set<string>();
  /** Explicit names the latest request added: owed an answer now (ordering gate bypass). */
  private readonly fresh = new Set<string>();
  private sentNonce: string | null = null;
  private sentSignature: string | null = null;
  private sentResources: readonly EncodedResource[] = [];
  private sentVersionValue: string | null = null;
  private ackedVersionValue: string | null = null;
  private lastNackValue: NackInfo | null = null;
  /**
   * The last content and the maps it was computed from: the same maps (a type the snapshot did
   * not change) and subscription give the same content, so an EDS stream naming every cluster
   * does not re-collect and re-sort them per snapshot. Cleared by every subscription change.
   */
  private contentMemo: { readonly available: ReadonlyMap<string, EncodedResource>; readonly wildcardSet: ReadonlyMap<string, EncodedResource>; readonly plan: SotwPlan } | null = null;
  /** True from a send until the client answers that nonce. */
  inFlight = false;
  /** performance.now() of the last send, for the ADS ordering gate's time limit. */
  sentAt = 0;

  /**
   * @param typeUrl the resource type of this sub-stream
   * @param fullState LDS/CDS: wildcard allowed and every response carries the full set (§9, §11)
   */
  constructor(
    readonly typeUrl: string,
    readonly fullState: boolean,
  ) {}

  /** Applies one DiscoveryRequest of this type. `now` is the ISO time recorded on a NACK. */
  onRequest(req: WireDiscoveryRequest, now: string): SotwRequestKind {
    if (this.sentNonce !== null && req.response_nonce !== this.sentNonce) return 'stale';
    this.applySubscription(req.resource_names);
    this.requested = true;
    if (this.sentNonce === null) return 'initial';
    this.inFlight = false;
    if (req.error_detail != null) {
      // Record the version that was rejected (the nonce's response); the request carries the last accepted one.
      this.lastNackValue = { version: this.sentVersionValue ?? req.version_info, nonce: req.response_nonce, message: req.error_detail.message, at: now };
      return 'nack';
    }
    this.ackedVersionValue = req.version_info;
    return 'ack';
  }

  /**
   * What to send now given the type's resources in the current snapshot, or null for nothing.
   * `available` holds every resource of the type (what explicit names can get), `wildcardSet` the
   * ones a wildcard covers (EncodedSnapshot.wildcardByType; the same map when nothing is
   * named-only). With `deferRemovals` (ADS make-before-break, served-stream.ts) a full-state type
   * keeps the resources it last sent that this stream no longer sees and is still subscribed to.
   * The maps are a snapshot's and never change (the content is memoized on their identity).
   */
  plan(available: ReadonlyMap<string, EncodedResource>, deferRemovals = false, wildcardSet: ReadonlyMap<string, EncodedResource> = available): SotwPlan | null {
    if (!this.requested || this.inFlight) return null;
    // An empty non-wildcard subscription is "no interest" (§8): nothing to tell the client.
    if (!this.wildcard && this.names.size === 0) return null;
    const current = this.content(available, wildcardSet);
    const content = deferRemovals && this.fullState ? this.withDeferredRemovals(current, available, wildcardSet) : current;
    if (!this.fullState && content.resources.length === 0) return null;
    if (this.sentSignature === null) return content;
    const servable = this.fullState ? this.mustSend.size > 0 : [...this.mustSend].some((n) => available.has(n));
    if (servable || content.signature !== this.sentSignature) return content;
    return null;
  }

  /**
   * Whether the latest request added explicit names that can be served now (served-stream.ts
   * ordering gate). Names that were absent then and appear in a later snapshot are a push, not
   * an answer, so `settle()` forgets them after the request's flush.
   */
  wantsAnswer(available: ReadonlyMap<string, EncodedResource>): boolean {
    if (!this.requested || this.inFlight) return false;
    for (const n of this.fresh) if (this.fullState || available.has(n)) return true;
    return false;
  }

  /** Called after the flush that followed a request. */
  settle(): void {
    this.fresh.clear();
  }

  /** Records that `plan` was sent as `version` with `nonce`. */
  markSent(plan: SotwPlan, version: string, nonce: string, at: number): void {
    this.sentNonce = nonce;
    this.sentVersionValue = version;
    this.sentSignature = plan.signature;
    this.sentResources = plan.resources;
    this.inFlight = true;
    this.sentAt = at;
    this.fresh.clear();
    if (this.fullState) this.mustSend.clear();
    else for (const r of plan.resources) this.mustSend.delete(r.name);
  }

  status(): TypeStatus {
    return {
      subscribed: this.wildcard ? [WILDCARD, ...[...this.names].sort()] : [...this.names].sort(),
      sentVersion: this.sentVersionValue,
      ackedVersion: this.ackedVersionValue,
      lastNack: this.lastNackValue,
    };
  }

  private applySubscription(resourceNames: readonly string[]): void {
    const explicit = resourceNames.filter((n) => n !== WILDCARD);
    // §9: '*' or, for a type that never named resources on this stream, an empty list. §8: an
    // empty list after names were given means "no interest".
    const wildcard = this.fullState && (resourceNames.includes(WILDCARD) || (resourceNames.length === 0 && !this.namedEver));
    if (explicit.length > 0) this.namedEver = true;
    const next = new Set(explicit);
    this.fresh.clear();
    for (const n of next) {
      if (this.names.has(n)) continue;
      this.mustSend.add(n);
      this.fresh.add(n);
    }
    // Turning wildcard on widens a full-state subscription: answer it even if nothing changed.
    if (wildcard && !this.wildcard) this.mustSend.add(WILDCARD);
    for (const n of this.mustSend) if (n === WILDCARD ? !wildcard : !next.has(n)) this.mustSend.delete(n);
    this.wildcard = wildcard;
    this.names = next;
    this.contentMemo = null;
  }

  /** Whether the current content holds `name` (a wildcard covers only the wildcard set). */
  private shows(name: string, available: ReadonlyMap<string, EncodedResource>, wildcardSet: ReadonlyMap<string, EncodedResource>): boolean {
    return (this.wildcard && wildcardSet.has(name)) || (this.names.has(name) && available.has(name));
  }

  private withDeferredRemovals(content: SotwPlan, available: ReadonlyMap<string, EncodedResource>, wildcardSet: ReadonlyMap<string, EncodedResource>): SotwPlan {
    // "Removed" is per stream: deleted from the snapshot, or no longer in this stream's view
    // (a resource that became named-only leaves a wildcard stream like a deletion, §11).
    const kept = this.sentResources.filter((r) => !this.shows(r.name, available, wildcardSet) && (this.wildcard || this.names.has(r.name)));
    if (kept.length === 0) return content;
    return { ...planOf([...content.resources, ...kept]), transitional: true };
  }

  private content(available: ReadonlyMap<string, EncodedResource>, wildcardSet: ReadonlyMap<string, EncodedResource>): SotwPlan {
    const memo = this.contentMemo;
    if (memo !== null && memo.available === available && memo.wildcardSet === wildcardSet) return memo.plan;
    const plan = this.collect(available, wildcardSet);
    this.contentMemo = { available, wildcardSet, plan };
    return plan;
  }

  private collect(available: ReadonlyMap<string, EncodedResource>, wildcardSet: ReadonlyMap<string, EncodedResource>): SotwPlan {
    if (this.wildcard) {
      let shared = wildcardContent.get(wildcardSet);
      if (shared === undefined) {
        shared = planOf([...wildcardSet.values()]);
        wildcardContent.set(wildcardSet, shared);
      }
      // Explicit names outside the wildcard set (named-only resources) are added: explicit wins.
      let extra: EncodedResource[] | null = null;
      for (const n of this.names) {
        if (wildcardSet.has(n)) continue;
        const r = available.get(n);
        if (r !== undefined) (extra ??= []).push(r);
      }
      return extra === null ? shared : planOf([...shared.resources, ...extra]);
    }
    const out: EncodedResource[] = [];
    for (const n of this.names) {
      const r = available.get(n);
      if (r !== undefined) out.push(r);
    }
    return planOf(out);
  }
}

function planOf(resources: EncodedResource[]): SotwPlan {
  resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { resources, signature: signatureOf(resources) };
}

function signatureOf(resources: readonly EncodedResource[]): string {
  let s = '';
  for (const r of resources) s += `${r.name}\u0000${r.version}\u0001`;
  return s;
}
