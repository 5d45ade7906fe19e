/**
 * The ProtoObject form → plain objects protobufjs can encode (enum numbers, Struct messages,
 * nested Any packed into bytes). Used by `encodeMessage` / `packAny` in any.ts, on the control
 * plane and in tests; a value that doesn't fit the proto throws InvalidArgumentError with its path.
 */
import { Buffer } from 'node:buffer';
import protobuf from 'protobufjs';
import { ANY_TYPE_KEY, ANY_UNKNOWN_KEY, type ProtoValue } from './proto-object.js';
import { anyWrapsAsValue, enumTypeOf, fieldNumbered, jsonToList, jsonToStruct, jsonToValue, jsonNameOf, messageTypeOf, wellKnownKind } from './proto-reflect.js';
import { lookupMessageType } from './protos.js';
import { typeNameOf } from './type-urls.js';
import { joinPath } from './validation.js';
import { InvalidArgumentError } from '../common/errors.js';

type Wire = Record<string, unknown>;

function bad(path: string, message: string): never {
  throw new InvalidArgumentError(path === '' ? message : `${path}: ${message}`);
}

function asObject(value: ProtoValue | undefined, path: string): Record<string, ProtoValue | undefined> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) bad(path, 'must be an object');
  return value as Record<string, ProtoValue | undefined>;
}

/** `value` (ProtoObject form of a `type` message) → a protobufjs-encodable plain object. */
export function toWireMessage(type: protobuf.Type, value: ProtoValue | undefined, path: string): Wire {
  switch (wellKnownKind(type)) {
    case 'duration':
    case 'timestamp': {
      const d = asObject(value, path);
      return { seconds: toNumber(d.seconds ?? 0, joinPath(path, 'seconds')), nanos: toNumber(d.nanos ?? 0, joinPath(path, 'nanos')) };
    }
    case 'wrapper': {
      const field = fieldNumbered(type, 1);
      // Accept the plain value too: `weight: 80` is how people write it in JSON.
      const inner = value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value) ? (value as { value?: ProtoValue }).value : value;
      return inner === undefined ? {} : { [field.name]: scalarIn(field, inner, joinPath(path, 'value')) };
    }
    case 'struct':
      return jsonToStruct(type, asObject(value, path));
    case 'value':
      return jsonToValue(type, value);
    case 'listValue':
      if (!Array.isArray(value)) bad(path, 'must be a list');
      return jsonToList(type, value as ProtoValue[]);
    case 'any':
      return anyToWire(asObject(value, path), path);
    default:
      return fieldsToWire(type, asObject(value, path), path);
  }
}

function anyToWire(obj: Record<string, ProtoValue | undefined>, path: string): Wire {
  const url = obj[ANY_TYPE_KEY];
  if (typeof url !== 'string' || url === '') bad(joinPath(path, ANY_TYPE_KEY), 'is required to pack an Any');
  if (obj[ANY_UNKNOWN_KEY] === true) bad(path, `cannot encode an Any of unknown type "${url}"`);
  const type = lookupMessageType(typeNameOf(url));
  if (type === null) bad(joinPath(path, ANY_TYPE_KEY), `unknown type "${url}"`);
  const rest: Record<string, ProtoValue | undefined> = { ...obj };
  delete rest[ANY_TYPE_KEY];
  const inner = anyWrapsAsValue(wellKnownKind(type)) ? rest.value : rest;
  const wire = toWireMessage(type, inner, path);
  const problem = type.verify(wire);
  if (problem !== null) bad(path, problem);
  const bytes = type.encode(wire).finish();
  return { type_url: url, value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function fieldsToWire(type: protobuf.Type, obj: Record<string, ProtoValue | undefined>, path: string): Wire {
  const out: Wire = {};
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    const field = type.fields[key];
    if (field === undefined) bad(joinPath(path, key), `unknown field of ${type.fullName.slice(1)}`);
    const fieldPath = joinPath(path, jsonNameOf(field));
    if (field.map) {
      const entries = asObject(v, fieldPath);
      const map: Wire = {};
      for (const k of Object.keys(entries)) map[k] = singleToWire(field, entries[k], `${fieldPath}[${JSON.stringify(k)}]`);
      out[field.name] = map;
    } else if (field.repeated) {
      if (!Array.isArray(v)) bad(fieldPath, 'must be a list');
      out[field.name] = (v as ProtoValue[]).map((item, i) => singleToWire(field, item, joinPath(fieldPath, i)));
    } else {
      out[field.name] = singleToWire(field, v, fieldPath);
    }
  }
  return out;
}

function singleToWire(field: protobuf.Field, v: ProtoValue | undefined, path: string): unknown {
  const messageType = messageTypeOf(field);
  if (messageType !== null) return toWireMessage(messageType, v, path);
  return scalarIn(field, v, path);
}

function scalarIn(field: protobuf.Field, v: ProtoValue | undefined, path: string): unknown {
  const enumType = enumTypeOf(field);
  if (enumType !== null) {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && Object.hasOwn(enumType.values, v)) return enumType.values[v];
    return bad(path, `must be one of ${Object.keys(enumType.values).join(', ')}, got ${JSON.stringify(v)}`);
  }
  switch (field.type) {
    case 'bytes':
      if (Buffer.isBuffer(v) || v instanceof Uint8Array) return v;
      if (typeof v === 'string') return Buffer.from(v, 'base64');
      return bad(path, 'must be bytes');
    case 'string':
    case 'bool':
      return v;
    default:
      return toNumber(v, path);
  }
}

function toNumber(v: ProtoValue | undefined, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return bad(path, `must be a number, got ${JSON.stringify(v)}`);
}
