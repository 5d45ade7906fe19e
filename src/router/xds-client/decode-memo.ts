/**
 * Remembers decoded resources by their bytes, so a response that repeats what the router already
 * holds costs a lookup instead of a decode — and hands back the very same frozen objects, which
 * is how the config assembler, the worker patches and the compiled route tables tell "unchanged"
 * by identity. A SotW LDS/CDS response carries every listener/cluster on each change; a SotW or
 * Delta RDS response carries the whole RouteConfiguration, whose virtual hosts are remembered one
 * by one (route-configuration-decoder.ts).
 *
 *   kind → "<type url>\0<bytes as latin1>" → DecodedResource     (LDS, CDS, EDS: whole resources)
 *
 * Each response's entries replace the kind's previous ones, so the memo holds one response's
 * worth. Only successful decodes are remembered; errors always come from the ordinary path.
 */
import { Buffer } from 'node:buffer';
import type { PackedAny } from '../../xds/any.js';
import type { ValidationResult } from '../../xds/validation.js';
import { RouteConfigurationDecoder } from './route-configuration-decoder.js';
import { decodeResourceAny, type DecodedResource, type ResourceType, type XdsKind } from './resource-types.js';

export class DecodeMemo {
  private readonly byKind = new Map<XdsKind, Map<string, DecodedResource>>();
  private readonly routes = new RouteConfigurationDecoder();
  private pending: { kind: XdsKind; entries: Map<string, DecodedResource> } | null = null;

  /** Starts one response of `type`: what it decodes becomes the kind's memo at `end()`. */
  begin(type: ResourceType): void {
    this.pending = { kind: type.kind, entries: new Map() };
  }

  /** decodeResourceAny, from the memo when these bytes were decoded before. */
  decode(type: ResourceType, any: PackedAny, where: string): ValidationResult<DecodedResource> {
    if (any.type_url !== type.typeUrl) return decodeResourceAny(type, any, where);
    if (type.kind === 'rds') return this.routes.decode(any) ?? decodeResourceAny(type, any, where);
    const key = `${any.type_url}\u0000${Buffer.from(any.value.buffer, any.value.byteOffset, any.value.byteLength).toString('latin1')}`;
    const known = this.pending?.entries.get(key) ?? this.byKind.get(type.kind)?.get(key);
    if (known !== undefined) {
      this.pending?.entries.set(key, known);
      return { ok: true, value: known };
    }
    const result = decodeResourceAny(type, any, where);
    if (result.ok) this.pending?.entries.set(key, result.value);
    return result;
  }

  /** Ends the response begun with `begin`; `accepted` false (a NACK) keeps the previous memo. */
  end(accepted: boolean): void {
    const p = this.pending;
    this.pending = null;
    if (p !== null && accepted && p.kind !== 'rds') this.byKind.set(p.kind, p.entries);
  }
}
