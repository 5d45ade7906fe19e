/**
 * The wire form of a snapshot: every resource packed into an Any exactly once per snapshot, with
 * a per-resource version derived from its bytes. Streams share these objects, so serving N
 * clients costs N envelope encodings, not N × resources encodings.
 *
 *   ResourceSnapshot ──encodeSnapshot (memoized in a WeakMap)──► EncodedSnapshot
 *     type URL → name → EncodedResource { name, any: {type_url, value}, version = hash(value) }
 *
 *     + wildcardByType: the same maps minus the snapshot's named-only resources (resource-snapshot.ts)
 *
 * The per-resource version is what Delta xDS sends in `Resource.version` and compares with the
 * client's `initial_resource_versions` (xds_protocol "Incremental xDS"); SotW uses it to tell
 * whether a subscription's content changed between snapshots.
 */
import { createHash } from 'node:crypto';
import { packAny } from '../../../xds/any.js';
import type { ProtoObject } from '../../../xds/proto-object.js';
import { ROUTE_CONFIGURATION_TYPE_URL } from '../../../xds/type-urls.js';
import { fail, ok, type FieldError, type ValidationResult } from '../../../xds/validation.js';
import { packRouteConfiguration } from './route-configuration-encoding.js';
import { isSealedResourceMap, type ResourceSnapshot } from './resource-snapshot.js';

/** One resource ready for a DiscoveryResponse. Immutable and shared by every stream. */
export interface EncodedResource {
  readonly name: string;
  readonly typeUrl: string;
  /** google.protobuf.Any in proto-loader shape (keepCase). */
  readonly any: { readonly type_url: string; readonly value: Buffer };
  /** Hash of the encoded bytes: equal versions ⇔ identical resources. */
  readonly version: string;
}

/** A snapshot in wire form. */
export interface EncodedSnapshot {
  readonly version: string;
  readonly byType: ReadonlyMap<string, ReadonlyMap<string, EncodedResource>>;
  /**
   * What a wildcard subscription of each type gets: `byType` without the named-only resources.
   * For a type with none it is the very `byType` map, so per-snapshot sharing keyed by the map
   * (SotW's wildcard content) works either way.
   */
  readonly wildcardByType: ReadonlyMap<string, ReadonlyMap<string, EncodedResource>>;
}

const memo = new WeakMap<ResourceSnapshot, EncodedSnapshot>();
/**
 * Resources are frozen, so a publisher that carries an unchanged resource object over into the
 * next snapshot gets its encoding for free: only new or changed objects are packed.
 */
const byObject = new WeakMap<ProtoObject, EncodedResource>();

/**
 * A resource version: the first 16 hex digits of SHA-256 over the encoded bytes (64 bits; a
 * collision would only make Delta skip one update). Deterministic across processes.
 */
export function resourceVersion(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/**
 * Packs every resource of `s` (once; later calls return the memoized result). A resource whose
 * shape does not fit its proto (packAny throws) becomes a FieldError under
 * `<type name>["<name>"]`, and the snapshot then has no encoded form.
 */
export function encodeSnapshot(s: ResourceSnapshot): ValidationResult<EncodedSnapshot> {
  const cached = memo.get(s);
  if (cached !== undefined) return ok(cached);
  const errors: FieldError[] = [];
  const byType = new Map<string, ReadonlyMap<string, EncodedResource>>();
  for (const [typeUrl, resources] of s.resources) {
    const encoded = encodeType(typeUrl, resources, errors);
    if (encoded !== null) byType.set(typeUrl, encoded);
  }
  if (errors.length > 0) return fail(errors);
  const wildcardByType = new Map<string, ReadonlyMap<string, EncodedResource>>();
  for (const [typeUrl, encoded] of byType) wildcardByType.set(typeUrl, wildcardSet(encoded, s.namedOnly?.get(typeUrl)));
  const result: EncodedSnapshot = Object.freeze({ version: s.version, byType, wildcardByType });
  memo.set(s, result);
  return ok(result);
}

/**
 * A type's resource map (buildSnapshot's, immutable) → its encoded map. A publisher that carries
 * a whole untouched type over to the next snapshot (the same map) gets the same encoded map, and
 * with it SotW's shared wildcard content (stream-state.ts keys it on the map).
 */
const byMap = new WeakMap<ReadonlyMap<string, ProtoObject>, { readonly typeUrl: string; readonly encoded: ReadonlyMap<string, EncodedResource> }>();
/** An encoded map → its wildcard view for one named-only set. */
const wildcardByMap = new WeakMap<ReadonlyMap<string, EncodedResource>, { readonly hidden: ReadonlySet<string>; readonly visible: ReadonlyMap<string, EncodedResource> }>();

/** The encoded map of one type, or null after adding its errors. */
function encodeType(typeUrl: string, resources: ReadonlyMap<string, ProtoObject>, errors: FieldError[]): ReadonlyMap<string, EncodedResource> | null {
  const sealed = isSealedResourceMap(resources);
  const known = sealed ? byMap.get(resources) : undefined;
  if (known !== undefined && known.typeUrl === typeUrl) return known.encoded;
  const before = errors.length;
  const encoded = new Map<string, EncodedResource>();
  for (const [name, resource] of resources) {
    const reused = byObject.get(resource);
    if (reused !== undefined && reused.name === name && reused.typeUrl === typeUrl) {
      encoded.set(name, reused);
      continue;
    }
    try {
      // A RouteConfiguration spans tenants: encode it from its virtual hosts' cached bytes.
      const any = typeUrl === ROUTE_CONFIGURATION_TYPE_URL && Array.isArray(resource.virtual_hosts) ? packRouteConfiguration(resource) : packAny(resource);
      const e: EncodedResource = Object.freeze({ name, typeUrl, any: Object.freeze(any), version: resourceVersion(any.value) });
      byObject.set(resource, e);
      encoded.set(name, e);
    } catch (err) {
      errors.push({ path: `${shortType(typeUrl)}[${JSON.stringify(name)}]`, message: (err as Error).message });
    }
  }
  if (errors.length > before) return null;
  if (sealed) byMap.set(resources, { typeUrl, encoded });
  return encoded;
}

/** `encoded` without the `hidden` names: the very map when none are hidden, memoized per (map, set). */
function wildcardSet(encoded: ReadonlyMap<string, EncodedResource>, hidden: ReadonlySet<string> | undefined): ReadonlyMap<string, EncodedResource> {
  if (hidden === undefined || hidden.size === 0) return encoded;
  const known = wildcardByMap.get(encoded);
  if (known !== undefined && known.hidden === hidden) return known.visible;
  const visible = new Map<string, EncodedResource>();
  for (const [name, e] of encoded) if (!hidden.has(name)) visible.set(name, e);
  wildcardByMap.set(encoded, { hidden, visible });
  return visible;
}

function shortType(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('.') + 1);
}
