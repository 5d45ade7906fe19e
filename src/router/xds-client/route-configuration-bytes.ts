/**
 * Splits an encoded envoy.config.route.v3.RouteConfiguration at the protobuf wire level into its
 * virtual hosts (field 2, `virtual_hosts`, one length-delimited record each) and everything else
 * (the "header": every other field's records, concatenated in their order). No decoding: the
 * memoizing RDS decoder (route-configuration-decoder.ts) looks each virtual host up by its bytes.
 *
 *   record = tag (varint: field << 3 | wire type) + payload
 *   wire type 0 varint · 1 fixed64 · 2 varint length + bytes · 5 fixed32   (3/4 groups: not proto3)
 *
 * Returns null for anything it cannot walk (truncated, a group, an over-long varint); the caller
 * then decodes the bytes the ordinary way, which reports the problem.
 */
import { Buffer } from 'node:buffer';

const VIRTUAL_HOSTS_FIELD = 2;

export interface RouteConfigurationParts {
  readonly header: Buffer;
  readonly virtualHosts: readonly Buffer[];
}

export function splitRouteConfiguration(bytes: Uint8Array): RouteConfigurationParts | null {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header: Buffer[] = [];
  const virtualHosts: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const tag = readVarint(buf, pos);
    if (tag === null) return null;
    pos = tag.next;
    const wireType = tag.value & 7;
    const field = Math.floor(tag.value / 8);
    let payloadStart = pos;
    switch (wireType) {
      case 0: {
        const v = readVarint(buf, pos);
        if (v === null) return null;
        pos = v.next;
        break;
      }
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2: {
        const len = readVarint(buf, pos);
        if (len === null) return null;
        payloadStart = len.next;
        pos = len.next + len.value;
        break;
      }
      default:
        return null;
    }
    if (pos > buf.length) return null;
    if (field === VIRTUAL_HOSTS_FIELD && wireType === 2) virtualHosts.push(buf.subarray(payloadStart, pos));
    else header.push(buf.subarray(start, pos));
  }
  return { header: header.length === 1 ? header[0] : Buffer.concat(header), virtualHosts };
}

/** A varint of at most 7 bytes (< 2^49, exact as a double): field tags and lengths fit easily. */
function readVarint(buf: Buffer, pos: number): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    if (pos + i >= buf.length) return null;
    const b = buf[pos + i];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
    scale *= 128;
  }
  return null;
}
