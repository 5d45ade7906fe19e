/**
 * ServedStream: what SotW and Delta streams share. It owns the gRPC call's lifecycle, takes the
 * node from the first request (XDS.md §2), resolves the node group once, keeps one state object
 * per type URL and runs the push loop with the ADS ordering gate.
 *
 * Ordering gate (ADS only; XDS.md §23 make-before-break). Types are visited in the order
 * CDS → EDS → LDS → RDS (then any other type). Once a type has a response in flight (sent, not
 * yet ACKed/NACKed) — including one sent in this very pass — every later type is held back, so
 * a snapshot change reaches the client as clusters, then (after the CDS ACK) endpoints, then
 * listeners, then routes: the order Envoy's doc asks for, which go-control-plane only
 * approximates by sorting one batch. Two exceptions keep the gate from costing latency or
 * liveness:
 *   - a request that names resources the client has not been answered for (`wantsAnswer`) is
 *     answered at once: a client that names a child (EDS for a new cluster, RDS for a new
 *     listener) has already received the parent, so the order is kept by the client itself;
 *   - an unanswered response stops holding later types back after ORDER_ACK_WAIT_MS, so a client
 *     that delays an ACK (Envoy may, while warming) cannot stall the stream.
 * Deletions (XDS.md §23.5, "only then remove stale clusters"): the gate passes run with
 * `deferRemovals`, so a CDS/LDS response still carries the clusters/listeners the snapshot
 * deleted (SotW) or leaves them out of removed_resources (Delta). Only when a pass finds every
 * type idle — nothing sent, nothing in flight — does a second pass send the deletions, in the
 * same order. A cluster removed together with the route that used it thus disappears only
 * after the client has ACKed the new routes.
 * Single-type services (CDS/EDS/LDS/RDS) have nothing to order and send deletions at once.
 */
import { performance } from 'node:perf_hooks';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../../common/logger.js';
import type { EncodedResource, EncodedSnapshot } from '../cache/encoded-snapshot.js';
import { SNAPSHOT_TYPE_URLS } from '../cache/resource-snapshot.js';
import type { EmitEvent } from './callbacks.js';
import type { StreamKind, TypeStatus, XdsClientStatus } from './client-status.js';
import { toNodeInfo, type NodeInfo } from './node-group.js';
import type { WireNode } from './wire-types.js';

/** How long an unanswered response of one type holds back later types on ADS. */
export const ORDER_ACK_WAIT_MS = 2_000;

/** What a stream needs from the server that owns it. */
export interface StreamHost {
  groupOf(node: NodeInfo): string;
  /** The encoded snapshot in force for `group`, or undefined (the stream then waits). */
  snapshotFor(group: string): EncodedSnapshot | undefined;
  readonly emit: EmitEvent;
  readonly logger: Logger;
  /** The stream has its node: count it as connected. */
  opened(stream: HostedStream): void;
  closed(stream: HostedStream): void;
}

/** A stream as the server sees it (what SotW and Delta streams have in common). */
export interface HostedStream {
  readonly kind: StreamKind;
  readonly peer: string;
  readonly group: string;
  readonly nodeId: string;
  readonly started: boolean;
  onSnapshot(): void;
  end(): void;
  status(): XdsClientStatus;
}

/** The per-type state contract the push loop relies on. */
export interface TypeStateLike {
  readonly typeUrl: string;
  readonly inFlight: boolean;
  readonly sentAt: number;
  /**
   * True when the client asked for names it has not been answered for yet. Such a request is
   * answered even while the ordering gate holds pushes back: a client that names a child
   * resource has already received the parent that references it.
   */
  wantsAnswer(available: ReadonlyMap<string, EncodedResource>): boolean;
  status(): TypeStatus;
}

const EMPTY: ReadonlyMap<string, EncodedResource> = new Map();

export abstract class ServedStream<S extends TypeStateLike, Req extends { node: WireNode | null; type_url: string }> implements HostedStream {
  protected nodeInfo: NodeInfo | null = null;
  protected groupName = '';
  protected readonly states = new Map<string, S>();
  readonly connectedAt = new Date().toISOString();
  readonly peer: string;
  private nonceCounter = 0;
  private recheck: NodeJS.Timeout | null = null;
  private recheckDue = 0;
  private finished = false;

  constructor(
    protected readonly call: grpc.ServerDuplexStream<Req, unknown>,
    protected readonly host: StreamHost,
    readonly kind: StreamKind,
    /** Set for the single-type services: requests' type_url is implicit (may be empty). */
    protected readonly fixedTypeUrl: string | null,
  ) {
    this.peer = call.getPeer();
    call.on('data', (req: Req) => this.onData(req));
    call.on('end', () => {
      call.end();
      this.finish();
    });
    call.on('error', () => this.finish());
    call.on('cancelled', () => this.finish());
    call.on('close', () => this.finish());
  }

  /** The group whose snapshot this stream is served ('' until the first request). */
  get group(): string {
    return this.groupName;
  }

  get nodeId(): string {
    return this.nodeInfo?.id ?? '';
  }

  /** True once the first request arrived (node and group known). */
  get started(): boolean {
    return this.nodeInfo !== null;
  }

  /** A new snapshot was published for this stream's group. */
  onSnapshot(): void {
    if (!this.finished && this.started) this.flush();
  }

  /** Ends the stream from the server side (server shutdown). */
  end(): void {
    if (this.finished) return;
    this.call.end();
    this.finish();
  }

  status(): XdsClientStatus {
    const types: Record<string, TypeStatus> = {};
    for (const [typeUrl, state] of this.states) types[typeUrl] = state.status();
    const node = this.nodeInfo;
    return {
      nodeId: node?.id ?? '',
      cluster: node?.cluster ?? '',
      region: node?.locality.region ?? '',
      group: this.groupName,
      streamKind: this.kind,
      connectedAt: this.connectedAt,
      peer: this.peer,
      types,
    };
  }

  /** Applies one request to the state of `typeUrl` (creating it on first use). */
  protected abstract handleRequest(typeUrl: string, req: Req): void;
  /**
   * Sends what `state` needs given the type's resources; returns whether it sent.
   * `deferRemovals`: keep LDS/CDS deletions for a later pass (make-before-break).
   */
  protected abstract pushType(state: S, available: ReadonlyMap<string, EncodedResource>, snapshot: EncodedSnapshot, deferRemovals: boolean): boolean;

  /** Hook run after the flush that follows a request of `typeUrl`. */
  protected afterRequestFlush(_typeUrl: string): void {}

  protected nextNonce(): string {
    this.nonceCounter += 1;
    return String(this.nonceCounter);
  }

  /** The node id plus kind, for log lines and events. */
  protected get label(): string {
    return `${this.kind} ${this.nodeId || '(no node id)'} ${this.peer}`;
  }

  private onData(req: Req): void {
    if (this.finished) return;
    try {
      if (this.nodeInfo === null) {
        this.nodeInfo = toNodeInfo(req.node);
        this.groupName = this.host.groupOf(this.nodeInfo);
        this.host.opened(this);
      }
      const typeUrl = this.fixedTypeUrl ?? req.type_url;
      if (typeUrl === '') {
        this.host.logger.warn('xDS request without type_url ignored (required on ADS)', { stream: this.label });
        return;
      }
      this.handleRequest(typeUrl, req);
      this.flush();
      this.afterRequestFlush(typeUrl);
    } catch (err) {
      this.host.logger.error('xDS stream failed', { stream: this.label, error: (err as Error).stack ?? String(err) });
      this.call.destroy(err as Error);
      this.finish();
    }
  }

  /** The push loop with the ordering gate (file comment). */
  protected flush(): void {
    const snapshot = this.host.snapshotFor(this.groupName);
    if (snapshot === undefined) return;
    if (this.fixedTypeUrl !== null) {
      for (const state of this.states.values()) if (!state.inFlight) this.pushType(state, snapshot.byType.get(state.typeUrl) ?? EMPTY, snapshot, false);
      return;
    }
    // Make, then break: deletions go out only once every type is idle on the new snapshot.
    if (this.orderedPass(snapshot, true) === 'idle') this.orderedPass(snapshot, false);
  }

  /** One visit of the types in ADS order; 'idle' = nothing sent, in flight or held back. */
  private orderedPass(snapshot: EncodedSnapshot, deferRemovals: boolean): 'idle' | 'busy' {
    const now = performance.now();
    // Time (ms) until the oldest blocking response stops blocking; Infinity = nothing blocks.
    let blockedFor = Infinity;
    for (const state of this.orderedStates()) {
      const available = snapshot.byType.get(state.typeUrl) ?? EMPTY;
      if (state.inFlight) {
        const left = ORDER_ACK_WAIT_MS - (now - state.sentAt);
        if (left > 0) blockedFor = Math.min(blockedFor, left);
        continue;
      }
      if (blockedFor !== Infinity && !state.wantsAnswer(available)) continue;
      if (this.pushType(state, available, snapshot, deferRemovals)) blockedFor = Math.min(blockedFor, ORDER_ACK_WAIT_MS);
    }
    // Normally the ACK comes first and flushes; the timer covers a client that never answers
    // (held-back types and deferred deletions must still go out).
    if (blockedFor !== Infinity) this.scheduleRecheck(blockedFor);
    return blockedFor === Infinity ? 'idle' : 'busy';
  }

  private *orderedStates(): Iterable<S> {
    for (const typeUrl of SNAPSHOT_TYPE_URLS) {
      const s = this.states.get(typeUrl);
      if (s !== undefined) yield s;
    }
    for (const [typeUrl, s] of this.states) if (!SNAPSHOT_TYPE_URLS.includes(typeUrl)) yield s;
  }

  private scheduleRecheck(ms: number): void {
    const due = performance.now() + ms;
    if (this.recheck !== null && this.recheckDue <= due) return;
    if (this.recheck !== null) clearTimeout(this.recheck);
    this.recheckDue = due;
    this.recheck = setTimeout(() => {
      this.recheck = null;
      if (!this.finished) this.flush();
    }, Math.ceil(ms) + 1);
    this.recheck.unref();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.recheck !== null) clearTimeout(this.recheck);
    this.recheck = null;
    this.host.closed(this);
  }
}
