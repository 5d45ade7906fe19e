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
 * Reads are incremental: the first publish of a region reads every service of it
 * (readPlatformState), every later one only the services changed since the version it read last
 * (readChangedServices), which the region's translator applies to what it holds. So a change
 * costs O(changed services) in the store and the translator, not O(region). After a translator
 * failure the region starts over from a full read.
 *
 * The API listeners and `--grpc` twin clusters are published named-only (resource-snapshot.ts):
 * proxyless gRPC clients get them by name, routers' wildcard LDS/CDS never do.
 */
import { performance } from 'node:perf_hooks';
import { Logger } from '../../common/logger.js';
import type { EventBus } from '../events/event-bus.js';
import type { GlobalRateLimitSettings } from '../model/rate-limit-contract.js';
import type { Store } from '../store/store.js';
import { IncrementalTranslator } from '../translate/incremental-translator.js';
import type { TranslatedResources } from '../translate/translate-platform.js';
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
  /** The config version each region's translator holds the services of (its next read starts there). */
  private readonly readAt = new Map<string, number>();

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
    const { version, resources, services } = this.translateRegion(region);
    // API listeners and --grpc twins only for clients that name them: routers subscribe LDS/CDS by
    // wildcard and would otherwise receive (and SotW re-send) every service's share (XDS.md §9).
    const snapshot = buildSnapshot(String(version), resources, { namedOnly: resources.namedOnly });
    const result = cache.setSnapshot(region, snapshot);
    if (!result.ok) {
      log.error('snapshot rejected by the consistency check', { region, version, errors: result.errors });
      events.emit('config.rejected', { region, version, errors: result.errors });
      return;
    }
    this.published.set(region, version);
    const ms = performance.now() - started;
    if (log.debugEnabled) log.debug('published', { region, version, services, ms });
    events.emit('config.published', { region, version, services, buildMs: Math.round(ms * 100) / 100 });
  }

  /** The region's resources at the store's current version: read and translate only what changed since the last read. */
  private translateRegion(region: string): { version: number; resources: TranslatedResources; services: number } {
    const { store, baseDomain, listenAddress, httpPort } = this.options;
    const globalRateLimit = this.options.globalRateLimit ?? null;
    let translator = this.translators.get(region);
    if (translator === undefined) this.translators.set(region, (translator = new IncrementalTranslator()));
    const since = this.readAt.get(region);
    try {
      let version: number;
      let resources: TranslatedResources;
      const context = { region, baseDomain, listenAddress, httpPort, globalRateLimit };
      if (since !== undefined && translator.canUpdate({ ...context, version: since })) {
        const changes = store.readChangedServices(region, since, { baseDomain, httpPort });
        version = changes.version;
        resources = translator.update({ ...context, version }, changes);
      } else {
        const read = store.readPlatformState(region, { listenAddress, httpPort, baseDomain });
        version = read.version;
        resources = translator.translate(globalRateLimit === null ? read : { ...read, globalRateLimit });
      }
      this.readAt.set(region, version);
      return { version, resources, services: translator.serviceCount };
    } catch (err) {
      // In doubt about what the translator holds: the next publish starts from a full read.
      this.translators.delete(region);
      this.readAt.delete(region);
      throw err;
    }
  }
}
