/**
 * The publisher controller: store → translate → snapshot cache. Every committed store change
 * (one transaction, one config version) schedules one publish; changes that land in the same tick
 * are coalesced, so a burst of API calls costs one snapshot per region, not one per call.
 *
 * Each region is one node group: its routers get a snapshot with that region's services (a router
 * naming no region gets the default region's, see XdsServer's nodeGroup). A snapshot that fails
 * the consistency check is not published (the routers keep the last good one) and becomes a
 * `config.rejected` event; that is a translator bug, never a tenant's doing.
 *
 * The API listeners and `--grpc` twin clusters are published named-only (resource-snapshot.ts):
 * proxyless gRPC clients get them by name, routers' wildcard LDS/CDS never do.
 */
import { Logger } from '../../common/logger.js';
import type { EventBus } from '../events/event-bus.js';
import type { GlobalRateLimitSettings } from '../model/rate-limit-contract.js';
import type { Store } from '../store/store.js';
import { IncrementalTranslator } from '../translate/incremental-translator.js';
import { buildSnapshot } from '../xds-server/cache/resource-snapshot.js';
import type { SnapshotCache } from '../xds-server/cache/snapshot-cache.js';

const log = new Logger('publisher');

export interface PublisherOptions {
  readonly store: Store;
  readonly cache: SnapshotCache;
  readonly events: EventBus;
  readonly defaultRegion: string;
  readonly baseDomain: string;
  readonly listenAddress: string;
  readonly httpPort: number;
  /** Global (RLS) rate limiting; absent/null = local token buckets. */
  readonly globalRateLimit?: GlobalRateLimitSettings | null;
}

export class Publisher {
  private scheduled = false;
  private unsubscribe: (() => void) | null = null;
  /** The config version last published per region, so an unchanged region is not republished. */
  private readonly published = new Map<string, number>();
  private readonly translators = new Map<string, IncrementalTranslator>();

  constructor(private readonly options: PublisherOptions) {}

  /** Publishes every region now and then after every store change. */
  start(): void {
    this.unsubscribe = this.options.store.onChange(() => this.schedule());
    this.publishAll();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.publishAll();
    });
  }

  /** One snapshot per region whose config version moved. */
  publishAll(): void {
    const { store, defaultRegion } = this.options;
    const version = store.configVersion();
    const regions = new Set([defaultRegion, ...store.regions(), ...this.published.keys()]);
    for (const region of regions) {
      if (this.published.get(region) === version) continue;
      this.publishRegion(region);
    }
  }

  private publishRegion(region: string): void {
    const { store, cache, events, baseDomain, listenAddress, httpPort } = this.options;
    const started = performance.now();
    const read = store.readPlatformState(region, { listenAddress, httpPort, baseDomain });
    const globalRateLimit = this.options.globalRateLimit ?? null;
    const state = globalRateLimit === null ? read : { ...read, globalRateLimit };
    let translator = this.translators.get(region);
    if (translator === undefined) this.translators.set(region, (translator = new IncrementalTranslator()));
    const resources = translator.translate(state);
    // API listeners and --grpc twins only for clients that name them: routers subscribe LDS/CDS by
    // wildcard and would otherwise receive (and SotW re-send) every service's share (XDS.md §9).
    const snapshot = buildSnapshot(String(state.version), resources, { namedOnly: resources.namedOnly });
    const result = cache.setSnapshot(region, snapshot);
    if (!result.ok) {
      log.error('snapshot rejected by the consistency check', { region, version: state.version, errors: result.errors });
      events.emit('config.rejected', { region, version: state.version, errors: result.errors });
      return;
    }
    this.published.set(region, state.version);
    const ms = performance.now() - started;
    if (log.debugEnabled) log.debug('published', { region, version: state.version, services: state.services.length, ms });
    events.emit('config.published', { region, version: state.version, services: state.services.length, buildMs: Math.round(ms * 100) / 100 });
  }
}
