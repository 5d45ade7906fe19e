/**
 * Turns one DiscoveryResponse / DeltaDiscoveryResponse (proto-loader keepCase form) into the
 * resources to store, or into the NACK text. Pure; the AdsClient applies the result.
 *
 * All-or-nothing, as Envoy: any resource that does not decode, a duplicate name, a resource of
 * another type than the response's, or (Delta) a Resource whose name disagrees with its content
 * rejects the whole response [xDS protocol, "ACK/NACK"; "Duplicate Resource Names"]. Accepted
 * RDS/EDS resources the router did not ask for are dropped, as Envoy ignores them.
 */
import { Buffer } from 'node:buffer';
import type { PackedAny } from '../../xds/any.js';
import type { FieldError } from '../../xds/validation.js';
import type { DecodeMemo } from './decode-memo.js';
import type { StoredResource } from './resource-store.js';
import { decodeResourceAny, type ResourceType } from './resource-types.js';

export type DecodedResponse =
  | { readonly ok: true; readonly resources: StoredResource[]; readonly removed: string[]; readonly version: string; readonly nonce: string }
  | { readonly ok: false; readonly message: string; readonly version: string; readonly nonce: string };

/** The NACK's error_detail.message: every `path: message`, joined. */
export function nackMessage(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('; ');
}

interface Item {
  readonly any: PackedAny | null | undefined;
  readonly where: string;
  /** Delta: the Resource's own name and version. */
  readonly declaredName?: string;
  readonly version: string;
}

function decodeItems(type: ResourceType, items: readonly Item[], wanted: ReadonlySet<string> | null, nowMs: number, memo: DecodeMemo | undefined): { errors: FieldError[]; resources: StoredResource[] } {
  memo?.begin(type);
  const errors: FieldError[] = [];
  const resources: StoredResource[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.any === null || item.any === undefined) {
      errors.push({ path: item.where, message: 'is required' });
      continue;
    }
    const result = memo === undefined ? decodeResourceAny(type, item.any, item.where) : memo.decode(type, item.any, item.where);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const name = result.value.name;
    if (item.declaredName !== undefined && item.declaredName !== '' && item.declaredName !== name) {
      errors.push({ path: item.where, message: `the resource is named "${name}" but its Resource.name is "${item.declaredName}"` });
    } else if (seen.has(name)) {
      errors.push({ path: item.where, message: `duplicate resource name "${name}" in one response` });
    } else {
      seen.add(name);
      if (wanted !== null && !wanted.has(name)) continue;
      resources.push({ name, version: item.version, value: result.value.value, resource: result.value, raw: Buffer.from(item.any.value), updatedAtMs: nowMs });
    }
  }
  memo?.end(errors.length === 0);
  return { errors, resources };
}

/**
 * A SotW DiscoveryResponse. `wanted` = the subscribed names, null for a wildcard type. With a
 * `memo`, bytes decoded before give back the same objects (decode-memo.ts).
 */
export function decodeSotwResponse(type: ResourceType, message: Record<string, unknown>, wanted: ReadonlySet<string> | null, nowMs = Date.now(), memo?: DecodeMemo): DecodedResponse {
  const version = String(message.version_info ?? '');
  const nonce = String(message.nonce ?? '');
  const anys = (message.resources ?? []) as PackedAny[];
  const items = anys.map((any, i): Item => ({ any, where: `resources[${i}]`, version }));
  const { errors, resources } = decodeItems(type, items, wanted, nowMs, memo);
  if (errors.length > 0) return { ok: false, message: nackMessage(errors), version, nonce };
  return { ok: true, resources, removed: [], version, nonce };
}

/** A DeltaDiscoveryResponse; `version` is its system_version_info. */
export function decodeDeltaResponse(type: ResourceType, message: Record<string, unknown>, wanted: ReadonlySet<string> | null, nowMs = Date.now(), memo?: DecodeMemo): DecodedResponse {
  const version = String(message.system_version_info ?? '');
  const nonce = String(message.nonce ?? '');
  const list = (message.resources ?? []) as { name?: string; version?: string; resource?: PackedAny | null }[];
  const items = list.map((r, i): Item => ({ any: r.resource, where: `resources[${i}].resource`, declaredName: r.name, version: String(r.version ?? '') }));
  const { errors, resources } = decodeItems(type, items, wanted, nowMs, memo);
  if (errors.length > 0) return { ok: false, message: nackMessage(errors), version, nonce };
  return { ok: true, resources, removed: ((message.removed_resources ?? []) as unknown[]).map(String), version, nonce };
}
