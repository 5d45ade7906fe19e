/**
 * Binary protobuf ↔ the ProtoObject form.
 *
 * The router calls `unpackAny` on every resource of a DiscoveryResponse and hands the result to
 * the matching `decodeX`. The control plane (and tests) go the other way with `packAny` /
 * `encodeMessage`, writing resources in the same ProtoObject form the decoders read.
 *
 * Decoding follows proto-object.ts: only fields that are set (see the presence rule in
 * proto-reflect.ts), enums as names, 64-bit integers as numbers, Duration as {seconds, nanos},
 * wrappers as {value}, Struct/Value/ListValue as plain JSON, nested Any unpacked recursively
 * (`{ '@type': url, '@unknown': true }` when our root lacks the type).
 */
import { Buffer } from 'node:buffer';
import protobuf from 'protobufjs';
import { ANY_TYPE_KEY, ANY_UNKNOWN_KEY, type ProtoObject, type ProtoValue } from './proto-object.js';
import { toWireMessage } from './proto-encode.js';
import {
  anyWrapsAsValue,
  enumTypeOf,
  fieldNumbered,
  isUnsetImplicit,
  jsonNameOf,
  listToJson,
  messageTypeOf,
  structToJson,
  valueToJson,
  wellKnownKind,
} from './proto-reflect.js';
import { lookupMessageType } from './protos.js';
import { typeNameOf } from './type-urls.js';
import { fail, joinPath, ok, type FieldError, type ValidationResult } from './validation.js';
import { InvalidArgumentError } from '../common/errors.js';

type Errors = FieldError[];
type Decoded = Record<string, unknown>;

/** google.protobuf.Any as it arrives in a DiscoveryResponse (protobufjs / proto-loader shape). */
export interface PackedAny {
  readonly type_url: string;
  readonly value: Uint8Array;
}

/**
 * Unpacks one Any into `{ '@type': type_url, ...fields }`. Fails when the type URL is not in our
 * proto root or the bytes do not decode; errors carry paths under `path`.
 */
export function unpackAny(any: PackedAny, path = ''): ValidationResult<ProtoObject> {
  const errors: Errors = [];
  const value = unpackAnyInto(any.type_url, any.value, path, errors, false);
  return errors.length > 0 ? fail(errors) : ok(value);
}

/** Decodes `bytes` as the message `typeName` ('envoy.config.cluster.v3.Cluster') into a ProtoObject. */
export function decodeMessage(typeName: string, bytes: Uint8Array, path = ''): ValidationResult<ProtoObject> {
  const type = lookupMessageType(typeName);
  if (type === null) return fail([{ path, message: `unknown message type "${typeName}"` }]);
  const errors: Errors = [];
  const msg = decodeBytes(type, bytes, path, errors);
  if (msg === null) return fail(errors);
  const value = toProtoValue(type, msg, path, errors);
  if (errors.length > 0) return fail(errors);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail([{ path, message: `${typeName} has no object form` }]);
  }
  return ok(value as ProtoObject);
}

/**
 * Encodes a ProtoObject as the message `typeName`. For the control plane and tests: a shape that
 * does not fit the proto (unknown field, unknown enum name, unknown '@type') is a bug in the
 * caller, so it throws InvalidArgumentError naming the field path.
 */
export function encodeMessage(typeName: string, obj: ProtoObject): Buffer {
  const type = lookupMessageType(typeName);
  if (type === null) throw new InvalidArgumentError(`unknown message type "${typeName}"`);
  return encodeWith(type, obj, '');
}

/** Packs a ProtoObject that carries '@type' into an Any ready for a DiscoveryResponse. Throws like encodeMessage. */
export function packAny(obj: ProtoObject): { type_url: string; value: Buffer } {
  const wire = toWireMessage(lookupAnyType(), obj, '');
  return { type_url: wire.type_url as string, value: wire.value as Buffer };
}

function lookupAnyType(): protobuf.Type {
  const type = lookupMessageType('google.protobuf.Any');
  if (type === null) throw new InvalidArgumentError('google.protobuf.Any is missing from the proto root');
  return type;
}

function encodeWith(type: protobuf.Type, obj: ProtoObject, path: string): Buffer {
  const wire = toWireMessage(type, obj, path);
  const problem = type.verify(wire);
  if (problem !== null) throw new InvalidArgumentError(`${path || type.name}: ${problem}`);
  const bytes = type.encode(wire).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decodeBytes(type: protobuf.Type, bytes: Uint8Array, path: string, errors: Errors): Decoded | null {
  try {
    return type.decode(bytes) as unknown as Decoded;
  } catch (err) {
    errors.push({ path, message: `cannot decode ${type.fullName.slice(1)}: ${(err as Error).message}` });
    return null;
  }
}

function unpackAnyInto(url: string, bytes: Uint8Array, path: string, errors: Errors, nested: boolean): ProtoObject {
  const type = lookupMessageType(typeNameOf(url));
  if (type === null) {
    // A nested Any of a type we don't know is left for the decoder to judge (an optional filter, say).
    if (!nested) errors.push({ path: joinPath(path, ANY_TYPE_KEY), message: `unknown type "${url}"` });
    return { [ANY_TYPE_KEY]: url, [ANY_UNKNOWN_KEY]: true };
  }
  const msg = decodeBytes(type, bytes, path, errors);
  if (msg === null) return { [ANY_TYPE_KEY]: url };
  const inner = toProtoValue(type, msg, path, errors);
  if (anyWrapsAsValue(wellKnownKind(type))) return { [ANY_TYPE_KEY]: url, value: inner };
  return { [ANY_TYPE_KEY]: url, ...(inner as ProtoObject) };
}

/** A decoded protobufjs message of `type` → its ProtoObject form (a plain JSON value for Struct/Value/ListValue). */
function toProtoValue(type: protobuf.Type, msg: Decoded, path: string, errors: Errors): ProtoValue {
  switch (wellKnownKind(type)) {
    case 'duration':
    case 'timestamp':
      return { seconds: longToNumber(msg.seconds ?? 0), nanos: Number(msg.nanos ?? 0) };
    case 'wrapper': {
      const field = fieldNumbered(type, 1);
      return { value: scalarOut(field, msg[field.name] ?? field.typeDefault) };
    }
    case 'struct':
      return structToJson(type, msg) as ProtoObject;
    case 'value':
      return valueToJson(type, msg) as ProtoValue;
    case 'listValue':
      return listToJson(type, msg) as ProtoValue;
    case 'any': {
      const bytes = (msg.value as Uint8Array | undefined) ?? new Uint8Array(0);
      return unpackAnyInto(String(msg.type_url ?? ''), bytes, path, errors, true);
    }
    default:
      return fieldsOut(type, msg, path, errors);
  }
}

function fieldsOut(type: protobuf.Type, msg: Decoded, path: string, errors: Errors): ProtoObject {
  const out: Record<string, ProtoValue> = {};
  for (const field of type.fieldsArray) {
    const v = msg[field.name];
    const fieldPath = joinPath(path, jsonNameOf(field));
    if (field.map) {
      const entries = v as Record<string, unknown> | undefined;
      if (entries == null || Object.keys(entries).length === 0) continue;
      const map: Record<string, ProtoValue> = {};
      for (const key of Object.keys(entries)) map[key] = valueOut(field, entries[key], `${fieldPath}[${JSON.stringify(key)}]`, errors);
      out[field.name] = map;
    } else if (field.repeated) {
      const items = v as unknown[] | undefined;
      if (items == null || items.length === 0) continue;
      out[field.name] = items.map((item, i) => valueOut(field, item, joinPath(fieldPath, i), errors));
    } else if (messageTypeOf(field) !== null) {
      if (v != null) out[field.name] = valueOut(field, v, fieldPath, errors);
    } else if (Object.hasOwn(msg, field.name) && !isUnsetImplicit(field, v)) {
      out[field.name] = valueOut(field, v, fieldPath, errors);
    }
  }
  return out;
}

function valueOut(field: protobuf.Field, v: unknown, path: string, errors: Errors): ProtoValue {
  const messageType = messageTypeOf(field);
  if (messageType !== null) return toProtoValue(messageType, v as Decoded, path, errors);
  return scalarOut(field, v);
}

function scalarOut(field: protobuf.Field, v: unknown): ProtoValue {
  const enumType = enumTypeOf(field);
  // An enum number our proto doesn't name (open enums) stays a number; decoders reject it.
  if (enumType !== null) return enumType.valuesById[v as number] ?? (v as number);
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'object' && v !== null) return longToNumber(v);
  return v as ProtoValue;
}

function longToNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  const long = v as { low: number; high: number; unsigned?: boolean };
  return new protobuf.util.LongBits(long.low >>> 0, long.high >>> 0).toNumber(long.unsigned === true);
}
