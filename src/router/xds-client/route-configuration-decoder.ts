/**
 * The RDS decoder that remembers virtual hosts: a RouteConfiguration with one virtual host per
 * tenant changes one virtual host at a time, so each response is split at the wire level
 * (route-configuration-bytes.ts) and every virtual host whose bytes were in the previous version
 * of the same RouteConfiguration gets its previous decoded, validated and frozen object back.
 * A change costs decoding what changed plus an O(virtual hosts) byte-key scan, and unchanged
 * virtual hosts keep their identity all the way to the workers' compiled route tables
 * (worker/config-patch.ts, routing/route-table-compiler.ts).
 *
 *   per RouteConfiguration name:  "<max body>\0<virtual host bytes as latin1>" → { value, proto }
 *   (only the entries the latest decode used are kept)
 *
 * The result equals decodeProto(unpackAny(bytes)) — same view, same proto, same domain check. Any
 * error takes the ordinary path instead, so a NACK's text does not depend on the memo.
 */
import { decodeMessage, type PackedAny } from '../../xds/any.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { ANY_TYPE_KEY } from '../../xds/proto-object.js';
import { decodeRouteConfigurationWith, decodeVirtualHostMessage } from '../../xds/resources/route-configuration.js';
import type { RouteConfiguration, VirtualHost } from '../../xds/resources/route-configuration.types.js';
import { joinPath, ok, type ValidationResult } from '../../xds/validation.js';
import { splitRouteConfiguration } from './route-configuration-bytes.js';
import type { DecodedResource } from './resource-types.js';

const ROUTE_CONFIGURATION = 'envoy.config.route.v3.RouteConfiguration';
const VIRTUAL_HOST = 'envoy.config.route.v3.VirtualHost';

interface Entry {
  readonly value: VirtualHost;
  readonly proto: ProtoObject;
}

export class RouteConfigurationDecoder {
  private readonly byName = new Map<string, Map<string, Entry>>();

  /**
   * Decodes one RDS Any. Returns null when the memo cannot help (the bytes do not split, or
   * something in them is invalid): the caller decodes the ordinary way.
   */
  decode(any: PackedAny): ValidationResult<DecodedResource> | null {
    const parts = splitRouteConfiguration(any.value);
    if (parts === null) return null;
    const header = decodeMessage(ROUTE_CONFIGURATION, parts.header);
    if (!header.ok) return null;
    const name = typeof header.value.name === 'string' ? header.value.name : '';
    const previous = this.byName.get(name);
    const next = new Map<string, Entry>();
    const protos: ProtoObject[] = [];
    let failed = false;
    const decoded = decodeRouteConfigurationWith(header.value, '', (maxBody, base) => {
      const out: VirtualHost[] = [];
      for (let i = 0; i < parts.virtualHosts.length && !failed; i++) {
        const bytes = parts.virtualHosts[i];
        const key = `${maxBody}\u0000${bytes.toString('latin1')}`;
        let entry = next.get(key) ?? previous?.get(key);
        if (entry === undefined) {
          const proto = decodeMessage(VIRTUAL_HOST, bytes);
          const view = proto.ok ? decodeVirtualHostMessage(proto.value, joinPath(base, i), maxBody) : null;
          if (!proto.ok || view === null || !view.ok) {
            failed = true;
            break;
          }
          entry = { value: view.value, proto: proto.value };
        }
        next.set(key, entry);
        out.push(entry.value);
        protos.push(entry.proto);
      }
      return out;
    });
    if (failed || !decoded.ok) return null;
    this.byName.set(name, next);
    const rc: RouteConfiguration = decoded.value;
    return ok({ name: rc.name, value: rc, proto: withVirtualHosts(any.type_url, header.value, protos) });
  }
}

/** The header's ProtoObject with `virtual_hosts` put back after `name`, as unpackAny would give it. */
function withVirtualHosts(typeUrl: string, header: ProtoObject, virtualHosts: readonly ProtoObject[]): ProtoObject {
  const out: Record<string, ProtoObject[keyof ProtoObject]> = { [ANY_TYPE_KEY]: typeUrl };
  let placed = virtualHosts.length === 0;
  const place = (): void => {
    if (!placed) out.virtual_hosts = virtualHosts;
    placed = true;
  };
  if (!Object.hasOwn(header, 'name')) place();
  for (const key of Object.keys(header)) {
    out[key] = header[key];
    if (key === 'name') place();
  }
  place();
  return out;
}
