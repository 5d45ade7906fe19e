/**
 * The dynamic resources the router currently holds, by type and name: the last *accepted* ones.
 * A rejected response never reaches the store, which is how "keep the last good resources" holds.
 *
 *   kind ─► name ─► { version, value (validated view), proto, raw Any bytes (for the config cache) }
 *
 * Written by the ADS client in the primary process; read by the config assembler, the config
 * cache and /config_dump.
 */
import type { DecodedResource, XdsKind } from './resource-types.js';

export interface StoredResource {
  readonly name: string;
  /** SotW: the response's version_info; Delta: the resource's own version. */
  readonly version: string;
  readonly value: unknown;
  readonly resource: DecodedResource;
  /** The Any's value bytes as received, so the cache can replay them through the same decoders. */
  readonly raw: Buffer;
  /** When it was accepted (config_dump last_updated). */
  readonly updatedAtMs: number;
}

export class ResourceStore {
  private readonly byKind = new Map<XdsKind, Map<string, StoredResource>>([
    ['lds', new Map()],
    ['rds', new Map()],
    ['cds', new Map()],
    ['eds', new Map()],
  ]);
  /** The type's last accepted version_info (SotW) or system_version_info (Delta). */
  private readonly versions = new Map<XdsKind, string>();
  get(kind: XdsKind, name: string): StoredResource | undefined {
    return this.byKind.get(kind)!.get(name);
  }

  list(kind: XdsKind): StoredResource[] {
    return [...this.byKind.get(kind)!.values()];
  }

  names(kind: XdsKind): string[] {
    return [...this.byKind.get(kind)!.keys()];
  }

  versionOf(kind: XdsKind): string {
    return this.versions.get(kind) ?? '';
  }

  setVersion(kind: XdsKind, version: string): void {
    this.versions.set(kind, version);
  }

  /** Adds or replaces resources. */
  upsert(kind: XdsKind, resources: readonly StoredResource[]): void {
    const map = this.byKind.get(kind)!;
    for (const r of resources) map.set(r.name, r);
  }

  /** Makes the type's set exactly `resources` (a SotW LDS/CDS response is the full state). */
  replaceAll(kind: XdsKind, resources: readonly StoredResource[]): void {
    const map = this.byKind.get(kind)!;
    map.clear();
    for (const r of resources) map.set(r.name, r);
  }

  /** Removes resources by name (Delta removed_resources). */
  remove(kind: XdsKind, names: Iterable<string>): void {
    const map = this.byKind.get(kind)!;
    for (const n of names) map.delete(n);
  }

  /** Keeps only `names` (RDS/EDS deletion is implicit: the parent stopped referencing it). */
  retain(kind: XdsKind, names: ReadonlySet<string>): void {
    const map = this.byKind.get(kind)!;
    for (const n of [...map.keys()]) if (!names.has(n)) map.delete(n);
  }
}
