/**
 * The router's ADS client (primary process): one aggregated stream to the management server,
 * state-of-the-world (ads_config.api_type GRPC) or incremental (DELTA_GRPC), subscribed as Envoy
 * subscribes — wildcard LDS and CDS, RDS by the names the listeners' HTTP connection managers
 * give, EDS by the names of the EDS clusters.
 *
 * For each response it decodes every resource with the shared xds/resources validators. Any
 * error — a resource that does not decode, a duplicate name, a resource of the wrong type — NACKs
 * the whole response (error_detail code 3, message = every `path: message`) and nothing of it is
 * kept, so the last good resources stay [xDS protocol, "ACK/NACK"; STYLE.md: bad input never
 * replaces the last good state]. Accepted resources go to the ResourceStore, the response is
 * ACKed, the RDS/EDS subscriptions follow the new listeners/clusters, and the watcher is told.
 *
 * When the stream fails the client keeps everything it has (the router keeps serving, as Envoy
 * "latches on to the previous configuration") and reconnects after a jittered exponential
 * backoff. On the new stream SotW re-sends each type's last accepted version_info; Delta sends
 * initial_resource_versions so the server can skip what the router already has.
 *
 *   AdsClient ── AdsStream (one per attempt, grpc-js) ── management server
 *      │  SotwState / DeltaState per type (version, nonce, names)
 *      └─► ResourceStore ─► watcher.onResourcesChanged() ─► config assembler (config/)
 */
import { Logger } from '../../common/logger.js';
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { Listener } from '../../xds/resources/listener.types.js';
import { AdsStream, type AdsProtocol, type AdsStreamHandler } from './ads-stream.js';
import { Backoff } from './backoff.js';
import { DecodeMemo } from './decode-memo.js';
import { DeltaState } from './delta-state.js';
import type { ResourceStore } from './resource-store.js';
import { ResourceTimers } from './resource-timer.js';
import { RESOURCE_TYPES, resourceTypeOf, type ResourceType, type XdsKind } from './resource-types.js';
import { decodeDeltaResponse, decodeSotwResponse } from './response-decoder.js';
import { SotwState } from './sotw-state.js';
import { edsNamesOf, routeConfigNamesOf } from './subscription-names.js';
import { XdsStats } from './xds-stats.js';

const log = new Logger('xds-client');

/** The part of AdsStream the client uses; tests substitute a recording fake. */
export interface AdsStreamLike {
  send(request: Record<string, unknown>): void;
  close(): void;
}

export type AdsStreamFactory = (handler: AdsStreamHandler) => AdsStreamLike;

/** Who hears about accepted updates (the composition root, which re-assembles the config). */
export interface XdsClientWatcher {
  /** After an accepted response changed the store (called on the primary's event loop). */
  onResourcesChanged(kind: XdsKind): void;
  /** After a response was NACKed; the store is unchanged. */
  onRejected?(kind: XdsKind, message: string): void;
  onConnectionChanged?(connected: boolean): void;
  /** A requested RDS/EDS name did not arrive within RESOURCE_TIMEOUT_MS on a live stream (resource-timer.ts). */
  onResourceDoesNotExist?(kind: XdsKind, name: string): void;
}

export interface AdsClientOptions {
  readonly target: string;
  readonly protocol: AdsProtocol;
  /** envoy.config.core.v3.Node in proto-loader form (node-proto.ts). */
  readonly node: Record<string, unknown>;
  readonly nodeOnFirstMessageOnly: boolean;
  /** Bootstrap static resources: their RDS / EDS names are subscribed too. */
  readonly staticListeners: readonly Listener[];
  readonly staticClusters: readonly Cluster[];
  readonly store: ResourceStore;
  readonly stats: XdsStats;
  readonly watcher: XdsClientWatcher;
  readonly backoff?: Backoff;
  /**
   * The wildcard types this router takes from ADS: Envoy subscribes LDS only with
   * `dynamic_resources.lds_config` and CDS only with `cds_config` (a router with static listeners
   * and RDS/CDS over ADS must not be handed the control plane's listeners). Default: both.
   */
  readonly wildcardKinds?: ReadonlySet<XdsKind>;
  /** Does-not-exist timeout of RDS/EDS names; default RESOURCE_TIMEOUT_MS. */
  readonly resourceTimeoutMs?: number;
  /** Defaults to a real AdsStream to `target`. */
  readonly streamFactory?: AdsStreamFactory;
}

/** One type's client-side state, for /config_dump and tests. */
export interface TypeStatus {
  readonly kind: XdsKind;
  readonly version: string;
  readonly nonce: string;
  readonly names: readonly string[];
  readonly lastError: string | null;
}

export class AdsClient {
  private readonly sotw = new Map<XdsKind, SotwState>();
  private readonly delta = new Map<XdsKind, DeltaState>();
  private readonly backoff: Backoff;
  private readonly backoffBaseMs: number;
  private readonly timers: ResourceTimers;
  /** Unchanged resources (and RDS virtual hosts) decode to the objects the router already holds. */
  private readonly memo = new DecodeMemo();
  private readonly factory: AdsStreamFactory;
  private stream: AdsStreamLike | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private gotResponseOnStream = false;
  connected = false;

  constructor(private readonly options: AdsClientOptions) {
    for (const type of RESOURCE_TYPES) {
      this.sotw.set(type.kind, new SotwState(type.typeUrl, type.wildcard));
      this.delta.set(type.kind, new DeltaState(type.typeUrl, type.wildcard));
    }
    this.backoff = options.backoff ?? new Backoff();
    this.backoffBaseMs = this.backoff.ceilingMs;
    this.timers = new ResourceTimers((kind, name) => {
      log.warn('requested resource did not arrive; treating it as absent', { type: kind, name });
      options.watcher.onResourceDoesNotExist?.(kind, name);
    }, options.resourceTimeoutMs);
    this.factory =
      options.streamFactory ?? ((handler) => new AdsStream(options.target, options.protocol, options.node, options.nodeOnFirstMessageOnly, handler));
    this.seedFromStore();
  }

  get protocol(): AdsProtocol {
    return this.options.protocol;
  }

  /** Opens the stream (and keeps reopening it) until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.timers.disarmAll();
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const stream = this.stream;
    this.stream = null;
    stream?.close();
  }

  status(): TypeStatus[] {
    return RESOURCE_TYPES.map((t) => {
      const s = this.state(t.kind);
      return {
        kind: t.kind,
        version: s instanceof SotwState ? s.versionInfo : s.systemVersionInfo,
        nonce: s.nonce,
        names: s.resourceNames,
        lastError: s.lastError,
      };
    });
  }

  /**
   * Aligns the per-type state with what the store already holds (the config cache filled it
   * before the first stream): SotW resends the cached version_info, Delta sends the cached
   * per-resource versions as initial_resource_versions.
   */
  private seedFromStore(): void {
    const store = this.options.store;
    for (const type of RESOURCE_TYPES) {
      this.sotw.get(type.kind)!.versionInfo = store.versionOf(type.kind);
      const delta = this.delta.get(type.kind)!;
      for (const r of store.list(type.kind)) delta.versions.set(r.name, r.version);
    }
    this.refreshNames('rds', false);
    this.refreshNames('eds', false);
  }

  private state(kind: XdsKind): SotwState | DeltaState {
    return this.options.protocol === 'sotw' ? this.sotw.get(kind)! : this.delta.get(kind)!;
  }

  // --- stream lifecycle ---------------------------------------------------------------------

  private connect(): void {
    this.reconnectTimer = null;
    if (this.stopped) return;
    this.gotResponseOnStream = false;
    let self: AdsStreamLike | null = null;
    // Events of a stream that was replaced are ignored.
    const handler: AdsStreamHandler = {
      onEstablished: () => {
        if (self === this.stream) this.setConnected(true);
      },
      onResponse: (message) => {
        if (self === this.stream) this.onResponse(message);
      },
      onClosed: (reason) => {
        if (self === this.stream) this.onStreamClosed(reason);
      },
    };
    try {
      self = this.factory(handler);
    } catch (err) {
      // A target grpc-js refuses, say: keep serving and keep trying, like any other failure.
      this.scheduleReconnect(`cannot open the ADS stream: ${(err as Error).message}`);
      return;
    }
    this.stream = self;
    for (const type of RESOURCE_TYPES) {
      if (type.wildcard && this.options.wildcardKinds !== undefined && !this.options.wildcardKinds.has(type.kind)) continue;
      const s = this.state(type.kind);
      s.onStreamStart();
      if (s.wanted) this.sendSubscription(type.kind);
    }
  }

  /** Sends the type's subscription request and arms the timers of the names not held yet. */
  private sendSubscription(kind: XdsKind): void {
    const s = this.state(kind);
    this.send(s.subscriptionRequest() as unknown as Record<string, unknown>);
    if (kind !== 'rds' && kind !== 'eds') return;
    for (const name of s.resourceNames) if (this.options.store.get(kind, name) === undefined) this.timers.arm(kind, name);
  }

  private onStreamClosed(reason: string): void {
    this.stream = null;
    this.timers.disarmAll();
    this.setConnected(false);
    this.options.stats.count(['cluster_manager.cds.', 'listener_manager.lds.'], 'failure');
    if (this.stopped) return;
    if (this.gotResponseOnStream) this.backoff.reset();
    this.scheduleReconnect(reason);
  }

  private scheduleReconnect(reason: string): void {
    const first = this.backoff.ceilingMs === this.backoffBaseMs;
    const delay = this.backoff.nextDelayMs();
    // Loud once per outage, quiet while it lasts (the connected_state gauge tells the rest).
    if (first) log.warn('ADS stream closed; reconnecting with backoff', { target: this.options.target, reason, delayMs: delay });
    else if (log.debugEnabled) log.debug('ADS reconnect failed', { target: this.options.target, reason, delayMs: delay });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.reconnectTimer.unref();
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.options.stats.connectedState.set(connected ? 1 : 0);
    if (connected) log.info('ADS stream established', { target: this.options.target, protocol: this.options.protocol });
    this.options.watcher.onConnectionChanged?.(connected);
  }

  private send(request: Record<string, unknown>): void {
    this.stream?.send(request);
  }

  // --- responses ----------------------------------------------------------------------------

  private onResponse(message: Record<string, unknown>): void {
    this.gotResponseOnStream = true;
    this.setConnected(true);
    const typeUrl = String(message.type_url ?? '');
    const type = resourceTypeOf(typeUrl);
    if (type === undefined) {
      // Envoy ignores responses for types it never asked for.
      log.warn('ignoring a response of an unknown type', { typeUrl });
      return;
    }
    if (this.options.protocol === 'sotw') this.onSotwResponse(type, message);
    else this.onDeltaResponse(type, message);
  }

  private onSotwResponse(type: ResourceType, message: Record<string, unknown>): void {
    const state = this.sotw.get(type.kind)!;
    const decoded = decodeSotwResponse(type, message, type.wildcard ? null : new Set(state.resourceNames), Date.now(), this.memo);
    if (!decoded.ok) {
      this.send(state.nack(decoded.nonce, decoded.message) as unknown as Record<string, unknown>);
      this.rejected(type, decoded.version, decoded.message);
      return;
    }
    const store = this.options.store;
    if (type.fullStateInSotw) store.replaceAll(type.kind, decoded.resources);
    else store.upsert(type.kind, decoded.resources);
    store.setVersion(type.kind, decoded.version);
    this.send(state.ack(decoded.version, decoded.nonce) as unknown as Record<string, unknown>);
    this.accepted(type, decoded.resources.map((r) => r.name));
  }

  private onDeltaResponse(type: ResourceType, message: Record<string, unknown>): void {
    const state = this.delta.get(type.kind)!;
    const wanted = type.wildcard ? null : new Set(state.resourceNames);
    const decoded = decodeDeltaResponse(type, message, wanted, Date.now(), this.memo);
    if (!decoded.ok) {
      this.send(state.nack(decoded.nonce, decoded.message) as unknown as Record<string, unknown>);
      this.rejected(type, decoded.version, decoded.message);
      return;
    }
    const store = this.options.store;
    store.upsert(type.kind, decoded.resources);
    store.remove(type.kind, decoded.removed);
    store.setVersion(type.kind, decoded.version);
    const versions = new Map(decoded.resources.map((r) => [r.name, r.version]));
    this.send(state.ack(decoded.nonce, decoded.version, versions, decoded.removed) as unknown as Record<string, unknown>);
    this.accepted(type, decoded.resources.map((r) => r.name));
    // A subscribed name in removed_resources is Delta's fast "does not exist" [xDS protocol,
    // "Knowing When a Requested Resource Does Not Exist"].
    if (wanted !== null) {
      for (const name of decoded.removed) {
        if (!wanted.has(name)) continue;
        this.timers.disarm(type.kind, name);
        this.options.watcher.onResourceDoesNotExist?.(type.kind, name);
      }
    }
  }

  private accepted(type: ResourceType, names: readonly string[]): void {
    const stats = this.options.stats;
    const typePrefix = XdsStats.typePrefix(type.kind);
    if (typePrefix !== null) {
      stats.count([typePrefix], 'attempt');
      stats.count([typePrefix], 'success');
    }
    for (const name of names) {
      this.timers.disarm(type.kind, name);
      const prefixes = this.resourcePrefixes(type.kind, name);
      stats.count(prefixes, 'attempt');
      stats.count(prefixes, 'success');
    }
    if (type.kind === 'lds') this.refreshNames('rds', true);
    if (type.kind === 'cds') this.refreshNames('eds', true);
    this.options.watcher.onResourcesChanged(type.kind);
  }

  private rejected(type: ResourceType, version: string, detail: string): void {
    log.warn('NACK', { type: type.kind, version, error: detail });
    const stats = this.options.stats;
    const typePrefix = XdsStats.typePrefix(type.kind);
    const prefixes: string[] = typePrefix !== null ? [typePrefix] : [];
    if (typePrefix === null) for (const name of this.state(type.kind).resourceNames) prefixes.push(...this.resourcePrefixes(type.kind, name));
    stats.count(prefixes, 'attempt');
    stats.count(prefixes, 'rejected');
    this.options.watcher.onRejected?.(type.kind, detail);
  }

  /** RDS: http.<stat_prefix>.rds.<name>. for each HCM using it; EDS: cluster.<name>. for each cluster using it. */
  private resourcePrefixes(kind: XdsKind, name: string): string[] {
    const out: string[] = [];
    if (kind === 'rds') {
      for (const listener of this.allListeners()) {
        const chains = listener.defaultFilterChain === null ? listener.filterChains : [...listener.filterChains, listener.defaultFilterChain];
        for (const chain of chains) {
          const hcm = chain.httpConnectionManager;
          if (hcm.route.kind === 'rds' && hcm.route.routeConfigName === name) out.push(`http.${hcm.statPrefix}.rds.${name}.`);
        }
      }
    } else if (kind === 'eds') {
      for (const cluster of this.allClusters()) if (cluster.type === 'EDS' && cluster.edsServiceName === name) out.push(`cluster.${cluster.name}.`);
    }
    return [...new Set(out)];
  }

  private allListeners(): Listener[] {
    return [...this.options.staticListeners, ...this.options.store.list('lds').map((r) => r.value as Listener)];
  }

  private allClusters(): Cluster[] {
    return [...this.options.staticClusters, ...this.options.store.list('cds').map((r) => r.value as Cluster)];
  }

  /**
   * Re-derives the RDS or EDS subscription from the listeners / clusters held; a name no longer
   * referenced is unsubscribed and its resource dropped (deletion of RDS/EDS is implicit).
   */
  private refreshNames(kind: 'rds' | 'eds', sendNow: boolean): void {
    const names = kind === 'rds' ? routeConfigNamesOf(this.allListeners()) : edsNamesOf(this.allClusters());
    const state = this.state(kind);
    const changed = state.setNames(names);
    this.options.store.retain(kind, names);
    this.timers.retain(kind, names);
    if (changed && sendNow && this.stream !== null && state.shouldSendUpdate) this.sendSubscription(kind);
  }
}
