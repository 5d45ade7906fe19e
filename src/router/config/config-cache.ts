/**
 * `switchyard router --config-cache PATH`: the last good (ACKed) dynamic resources on disk, so a
 * router that restarts while the control plane is down serves what it served before instead of
 * nothing (Envoy has no such file; this is the xDS "latch on to the previous configuration"
 * carried across a restart).
 *
 * File format (JSON), raw Any bytes so a load replays them through the same decoders as a
 * DiscoveryResponse and nothing is lost in a JSON round trip:
 *
 *   { "format": "switchyard.config-cache.v1", "savedAt": "<ISO time>",
 *     "types": { "cds": { "version": "<version_info>",
 *                          "resources": [{ "name", "version", "typeUrl", "value": "<base64>" }] }, … } }
 *
 * Written atomically (temp file in the same directory, then rename), at most one write in flight,
 * coalescing bursts of updates. Runs in the primary process.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Buffer } from 'node:buffer';
import { Logger } from '../../common/logger.js';
import type { ResourceStore, StoredResource } from '../xds-client/resource-store.js';
import { RESOURCE_TYPES, decodeResourceAny } from '../xds-client/resource-types.js';

const log = new Logger('config-cache');
const FORMAT = 'switchyard.config-cache.v1';
/** Bursts of xDS updates (CDS, EDS, LDS, RDS in a row) become one write. */
const SAVE_DELAY_MS = 50;

interface CachedResource {
  name: string;
  version: string;
  typeUrl: string;
  value: string;
}

interface CacheFile {
  format: string;
  savedAt: string;
  types: Record<string, { version: string; resources: CachedResource[] }>;
}

export class ConfigCache {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(readonly path: string) {}

  /**
   * Fills `store` from the file. Returns how many resources were loaded (0 when there is no file).
   * A resource that no longer decodes is skipped with a warning; a damaged file loads nothing.
   */
  async load(store: ResourceStore): Promise<number> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('cannot read the config cache', { path: this.path, error: String(err) });
      return 0;
    }
    let file: CacheFile;
    try {
      file = JSON.parse(text) as CacheFile;
      if (file.format !== FORMAT || typeof file.types !== 'object') throw new Error(`not a ${FORMAT} file`);
    } catch (err) {
      log.warn('ignoring a damaged config cache', { path: this.path, error: String(err) });
      return 0;
    }
    let loaded = 0;
    for (const type of RESOURCE_TYPES) {
      const entry = file.types[type.kind];
      if (entry === undefined) continue;
      const resources: StoredResource[] = [];
      for (const r of entry.resources) {
        const raw = Buffer.from(r.value, 'base64');
        const decoded = decodeResourceAny(type, { type_url: r.typeUrl, value: raw }, `${type.kind}/${r.name}`);
        if (!decoded.ok) {
          log.warn('skipping a cached resource that does not decode', { type: type.kind, name: r.name, errors: decoded.errors.slice(0, 3) });
          continue;
        }
        resources.push({ name: decoded.value.name, version: r.version, value: decoded.value.value, resource: decoded.value, raw, updatedAtMs: Date.now() });
      }
      store.upsert(type.kind, resources);
      store.setVersion(type.kind, entry.version);
      loaded += resources.length;
    }
    log.info('loaded the config cache', { path: this.path, resources: loaded, savedAt: file.savedAt });
    return loaded;
  }

  /** Saves `store` soon (coalesced); call after every accepted update. */
  scheduleSave(store: ResourceStore): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.writing.then(() => this.save(store));
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** Resolves once pending writes are on disk (shutdown, tests). */
  async flush(store: ResourceStore): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      this.writing = this.writing.then(() => this.save(store));
    }
    await this.writing;
  }

  private async save(store: ResourceStore): Promise<void> {
    const file: CacheFile = { format: FORMAT, savedAt: new Date().toISOString(), types: {} };
    for (const type of RESOURCE_TYPES) {
      file.types[type.kind] = {
        version: store.versionOf(type.kind),
        resources: store.list(type.kind).map((r) => ({ name: r.name, version: r.version, typeUrl: type.typeUrl, value: r.raw.toString('base64') })),
      };
    }
    const tmp = `${this.path}.${process.pid}.${++this.seq}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(tmp, JSON.stringify(file));
      await rename(tmp, this.path);
    } catch (err) {
      log.warn('cannot write the config cache', { path: this.path, error: String(err) });
    }
  }
}
