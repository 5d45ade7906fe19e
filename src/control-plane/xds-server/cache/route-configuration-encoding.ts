/**
 * Encodes a RouteConfiguration from per-virtual-host bytes: protobuf repeated fields concatenate,
 * so the message is its other fields' encoding followed by one `virtual_hosts` record (field 2,
 * length-delimited) per virtual host, each encoded and framed once per VirtualHost object (a WeakMap; the
 * translator keeps unchanged virtual hosts' objects). A change to one tenant then costs encoding
 * that tenant's virtual host and a copy, not re-encoding every tenant's.
 *
 * For a RouteConfiguration whose only other field is `name` (field 1, as the translator's) the
 * bytes equal the ordinary encoding; with fields numbered above 2 they come before the virtual
 * hosts, which any protobuf parser accepts (fields may appear in any order).
 */
import { Buffer } from 'node:buffer';
import { encodeMessage } from '../../../xds/any.js';
import type { ProtoObject } from '../../../xds/proto-object.js';
import { ANY_TYPE_KEY } from '../../../xds/proto-object.js';

const ROUTE_CONFIGURATION = 'envoy.config.route.v3.RouteConfiguration';
const VIRTUAL_HOST = 'envoy.config.route.v3.VirtualHost';
/** Field 2, wire type 2. */
const VIRTUAL_HOSTS_TAG = 0x12;

/** Per VirtualHost object: its whole `virtual_hosts` record (tag, length, message), framed once. */
const records = new WeakMap<ProtoObject, Buffer>();

/** The Any of a RouteConfiguration ProtoObject (with '@type'); throws like packAny. */
export function packRouteConfiguration(rc: ProtoObject): { type_url: string; value: Buffer } {
  const { [ANY_TYPE_KEY]: typeUrl, virtual_hosts: virtualHosts, ...header } = rc;
  const parts: Buffer[] = [encodeMessage(ROUTE_CONFIGURATION, header)];
  const list = Array.isArray(virtualHosts) ? (virtualHosts as readonly ProtoObject[]) : [];
  for (let i = 0; i < list.length; i++) {
    let record = records.get(list[i]);
    if (record === undefined) {
      let bytes: Buffer;
      try {
        bytes = encodeMessage(VIRTUAL_HOST, list[i]);
      } catch (err) {
        throw new Error(`virtual_hosts[${i}]: ${(err as Error).message}`);
      }
      record = Buffer.concat([lengthPrefix(bytes.length), bytes]);
      records.set(list[i], record);
    }
    parts.push(record);
  }
  return { type_url: String(typeUrl), value: Buffer.concat(parts) };
}

function lengthPrefix(n: number): Buffer {
  const out = [VIRTUAL_HOSTS_TAG];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
