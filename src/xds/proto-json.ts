/**
 * A strict proto3-JSON reader into the ProtoObject form: what Envoy does with a YAML/JSON
 * bootstrap (MessageUtil::loadFromJson with unknown fields rejected).
 * https://protobuf.dev/programming-guides/json/
 *
 * - Field names: the .proto name (`port_value`) or the lowerCamel JSON name (`portValue`), not both.
 * - Unknown fields, wrong shapes, unknown enum names, two members of one oneof: a FieldError each,
 *   with a camelCase path (`staticResources.clusters[0].loadAssignment`); every error is collected.
 * - `null` means "not set" (except for google.protobuf.Value, where it is JSON null).
 * - Well-known types take their JSON forms: Duration "1.5s", wrappers as plain values, Struct as
 *   plain JSON, Timestamp RFC 3339, FieldMask "a.b,c", Any `{ "@type": url, ...fields }`.
 * - The presence rule of proto-reflect.ts applies: implicit scalars equal to their default, and
 *   empty lists/maps, are left out, so YAML and wire input give the same ProtoObject.
 */
import { Buffer } from 'node:buffer';
import protobuf from 'protobufjs';
import { ANY_TYPE_KEY, type ProtoObject, type ProtoValue } from './proto-object.js';
import { lookupMessageType } from './protos.js';
import {
  anyWrapsAsValue,
  enumTypeOf,
  fieldNumbered,
  isUnsetImplicit,
  jsonNameOf,
  messageTypeOf,
  wellKnownKind,
} from './proto-reflect.js';
import { typeNameOf } from './type-urls.js';
import { fail, joinPath, ok, type FieldError, type ValidationResult } from './validation.js';

/** Deeper nesting than this is rejected rather than risking the stack on hostile input. */
const MAX_DEPTH = 100;
/** ±10000 years, the range protobuf allows for Duration.seconds. */
const MAX_DURATION_SECONDS = 315_576_000_000;
const DURATION_RE = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;
const BASE64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;
const INTEGER_RE = /^-?\d+$/;

type Errors = FieldError[];

/**
 * Reads `json` (parsed YAML or JSON) as the message `typeName` ('envoy.config.bootstrap.v3.Bootstrap').
 * Returns the ProtoObject, or every problem found, each with its path under `path`. Never throws
 * for bad input; an unknown `typeName` is reported as an error too.
 */
export function parseProtoJson(typeName: string, json: unknown, path = ''): ValidationResult<ProtoObject> {
  const type = lookupMessageType(typeName);
  if (type === null) return fail([{ path, message: `unknown message type "${typeName}"` }]);
  const errors: Errors = [];
  const value = parseMessage(type, json, path, errors, 0);
  if (errors.length > 0 || value === undefined) return fail(errors);
  if (!isPlainObject(value)) return fail([{ path, message: `${typeName} has no object form` }]);
  return ok(value as ProtoObject);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}

const fieldIndexCache = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>();

/** Both spellings of every field of `type` → the field. */
function fieldIndex(type: protobuf.Type): Map<string, protobuf.Field> {
  let index = fieldIndexCache.get(type);
  if (index === undefined) {
    index = new Map();
    for (const field of type.fieldsArray) {
      index.set(field.name, field);
      index.set(jsonNameOf(field), field);
    }
    fieldIndexCache.set(type, index);
  }
  return index;
}

/** A message value (regular or well-known). Returns undefined after pushing an error. */
function parseMessage(type: protobuf.Type, json: unknown, path: string, errors: Errors, depth: number): ProtoValue | undefined {
  if (depth > MAX_DEPTH) {
    errors.push({ path, message: `nesting deeper than ${MAX_DEPTH} levels` });
    return undefined;
  }
  const kind = wellKnownKind(type);
  switch (kind) {
    case 'duration':
      return parseDuration(json, path, errors);
    case 'timestamp':
      return parseTimestamp(json, path, errors);
    case 'wrapper': {
      const inner = parseScalar(fieldNumbered(type, 1), json, path, errors);
      return inner === undefined ? undefined : { value: inner };
    }
    case 'struct':
      if (isPlainObject(json)) return plainJson(json) as ProtoObject;
      errors.push({ path, message: `must be an object, got ${describe(json)}` });
      return undefined;
    case 'value':
      return plainJson(json) as ProtoValue;
    case 'listValue':
      if (Array.isArray(json)) return plainJson(json) as ProtoValue;
      errors.push({ path, message: `must be a list, got ${describe(json)}` });
      return undefined;
    case 'fieldMask':
      if (typeof json === 'string') {
        const paths = json === '' ? [] : json.split(',').map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
        return paths.length > 0 ? { paths } : {};
      }
      errors.push({ path, message: `must be a comma-separated string of field paths, got ${describe(json)}` });
      return undefined;
    case 'any':
      return parseAny(json, path, errors, depth);
    case 'empty':
    case null:
      return parseFields(type, json, path, errors, depth);
  }
}

function parseFields(type: protobuf.Type, json: unknown, path: string, errors: Errors, depth: number): ProtoObject | undefined {
  if (!isPlainObject(json)) {
    errors.push({ path, message: `must be an object (${type.name}), got ${describe(json)}` });
    return undefined;
  }
  const index = fieldIndex(type);
  const out: Record<string, ProtoValue> = {};
  const seenAs = new Map<protobuf.Field, string>();
  const oneofMember = new Map<string, protobuf.Field>();
  for (const key of Object.keys(json)) {
    const field = index.get(key);
    if (field === undefined) {
      errors.push({ path: joinPath(path, key), message: `unknown field "${key}"` });
      continue;
    }
    const fieldPath = joinPath(path, jsonNameOf(field));
    const earlier = seenAs.get(field);
    if (earlier !== undefined) {
      errors.push({ path: fieldPath, message: `given twice, as "${earlier}" and "${key}"` });
      continue;
    }
    seenAs.set(field, key);
    const raw = json[key];
    const isValueType = messageTypeOf(field) !== null && wellKnownKind(messageTypeOf(field)!) === 'value';
    if (raw === null && !(isValueType && !field.repeated && !field.map)) continue;
    const value = parseField(field, raw, fieldPath, errors, depth);
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (field.map && Object.keys(value as object).length === 0) continue;
    if (isUnsetImplicit(field, value)) continue;
    const oneof = field.partOf;
    if (oneof && !oneof.isProto3Optional) {
      const other = oneofMember.get(oneof.name);
      if (other !== undefined) {
        errors.push({
          path: fieldPath,
          message: `only one of ${oneof.fieldsArray.map(jsonNameOf).join(', ')} may be set (oneof ${oneof.name}), ${jsonNameOf(other)} is set too`,
        });
        continue;
      }
      oneofMember.set(oneof.name, field);
    }
    out[field.name] = value;
  }
  return out;
}

function parseField(field: protobuf.Field, raw: unknown, path: string, errors: Errors, depth: number): ProtoValue | undefined {
  if (field.map) {
    if (!isPlainObject(raw)) {
      errors.push({ path, message: `must be an object (map), got ${describe(raw)}` });
      return undefined;
    }
    const out: Record<string, ProtoValue> = {};
    for (const key of Object.keys(raw)) {
      const entryPath = `${path}[${JSON.stringify(key)}]`;
      const keyType = (field as unknown as protobuf.MapField).keyType;
      if (!validMapKey(keyType, key)) {
        errors.push({ path: entryPath, message: `map key must be a ${keyType}` });
        continue;
      }
      const v = parseSingle(field, raw[key], entryPath, errors, depth);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (field.repeated) {
    if (!Array.isArray(raw)) {
      errors.push({ path, message: `must be a list, got ${describe(raw)}` });
      return undefined;
    }
    const out: ProtoValue[] = [];
    for (let i = 0; i < raw.length; i++) {
      const v = parseSingle(field, raw[i], joinPath(path, i), errors, depth);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
  return parseSingle(field, raw, path, errors, depth);
}

function validMapKey(keyType: string, key: string): boolean {
  if (keyType === 'string') return true;
  if (keyType === 'bool') return key === 'true' || key === 'false';
  return INTEGER_RE.test(key);
}

function parseSingle(field: protobuf.Field, raw: unknown, path: string, errors: Errors, depth: number): ProtoValue | undefined {
  const messageType = messageTypeOf(field);
  if (messageType !== null) return parseMessage(messageType, raw, path, errors, depth + 1);
  const enumType = enumTypeOf(field);
  if (enumType !== null) return parseEnum(enumType, raw, path, errors);
  return parseScalar(field, raw, path, errors);
}

function parseEnum(enumType: protobuf.Enum, raw: unknown, path: string, errors: Errors): string | undefined {
  if (typeof raw === 'string' && Object.hasOwn(enumType.values, raw)) return raw;
  if (typeof raw === 'number' && Number.isInteger(raw) && enumType.valuesById[raw] !== undefined) return enumType.valuesById[raw];
  errors.push({ path, message: `must be one of ${Object.keys(enumType.values).join(', ')}, got ${describe(raw)}` });
  return undefined;
}

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  sint32: [-(2 ** 31), 2 ** 31 - 1],
  sfixed32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  fixed32: [0, 2 ** 32 - 1],
  int64: [-(2 ** 63), 2 ** 63],
  sint64: [-(2 ** 63), 2 ** 63],
  sfixed64: [-(2 ** 63), 2 ** 63],
  uint64: [0, 2 ** 64],
  fixed64: [0, 2 ** 64],
};

function parseScalar(field: protobuf.Field, raw: unknown, path: string, errors: Errors): ProtoValue | undefined {
  const type = field.type;
  switch (type) {
    case 'string':
      if (typeof raw === 'string') return raw;
      break;
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      break;
    case 'bytes':
      if (typeof raw === 'string' && BASE64_RE.test(raw)) return Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64');
      errors.push({ path, message: `must be base64 bytes, got ${describe(raw)}` });
      return undefined;
    case 'double':
    case 'float':
      if (typeof raw === 'number') return raw;
      if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') return Number(raw);
      if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
      break;
    default: {
      const range = INT_RANGES[type];
      if (range === undefined) break;
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && INTEGER_RE.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) break;
      if (n < range[0] || n > range[1]) {
        errors.push({ path, message: `must be ${range[0]}–${range[1]} (${type}), got ${describe(raw)}` });
        return undefined;
      }
      return n;
    }
  }
  errors.push({ path, message: `must be ${articled(type)}, got ${describe(raw)}` });
  return undefined;
}

function articled(type: string): string {
  if (type === 'string') return 'a string';
  if (type === 'bool') return 'a boolean';
  if (type === 'double' || type === 'float') return 'a number';
  return `an integer (${type})`;
}

function parseDuration(json: unknown, path: string, errors: Errors): ProtoObject | undefined {
  if (typeof json === 'string') {
    const m = DURATION_RE.exec(json);
    if (m !== null) {
      const sign = m[1] === '-' ? -1 : 1;
      const seconds = Number(m[2]);
      const nanos = m[3] === undefined ? 0 : Number(m[3].padEnd(9, '0'));
      if (seconds <= MAX_DURATION_SECONDS) return { seconds: sign * seconds || 0, nanos: sign * nanos || 0 };
    }
  } else if (isPlainObject(json) && Object.keys(json).every((k) => k === 'seconds' || k === 'nanos')) {
    const seconds = json.seconds === undefined ? 0 : typeof json.seconds === 'string' && INTEGER_RE.test(json.seconds) ? Number(json.seconds) : json.seconds;
    const nanos = json.nanos === undefined ? 0 : json.nanos;
    if (
      typeof seconds === 'number' && Number.isInteger(seconds) && Math.abs(seconds) <= MAX_DURATION_SECONDS &&
      typeof nanos === 'number' && Number.isInteger(nanos) && Math.abs(nanos) < 1e9
    ) {
      return { seconds, nanos };
    }
  }
  errors.push({ path, message: `must be a duration such as "1.5s" or "0.250s", got ${describe(json)}` });
  return undefined;
}

function parseTimestamp(json: unknown, path: string, errors: Errors): ProtoObject | undefined {
  const m = typeof json === 'string' ? TIMESTAMP_RE.exec(json) : null;
  const ms = m === null ? NaN : Date.parse(`${m[1]}${m[3]}`);
  if (m === null || Number.isNaN(ms)) {
    errors.push({ path, message: `must be an RFC 3339 timestamp such as "2024-01-01T00:00:00Z", got ${describe(json)}` });
    return undefined;
  }
  return { seconds: Math.floor(ms / 1000), nanos: m[2] === undefined ? 0 : Number(m[2].padEnd(9, '0')) };
}

function parseAny(json: unknown, path: string, errors: Errors, depth: number): ProtoObject | undefined {
  if (!isPlainObject(json)) {
    errors.push({ path, message: `must be an object with "@type", got ${describe(json)}` });
    return undefined;
  }
  const url = json[ANY_TYPE_KEY];
  const typePath = joinPath(path, ANY_TYPE_KEY);
  if (typeof url !== 'string' || url === '') {
    errors.push({ path: typePath, message: 'is required: the type URL of the packed message (type.googleapis.com/<name>)' });
    return undefined;
  }
  const type = lookupMessageType(typeNameOf(url));
  if (type === null) {
    errors.push({ path: typePath, message: `unknown type "${url}"` });
    return undefined;
  }
  const kind = wellKnownKind(type);
  if (kind !== null) {
    // Well-known types inside an Any carry their special JSON form under "value".
    for (const key of Object.keys(json)) {
      if (key !== ANY_TYPE_KEY && key !== 'value') errors.push({ path: joinPath(path, key), message: `unknown field "${key}"` });
    }
    const inner = parseMessage(type, json.value ?? (kind === 'empty' ? {} : null), joinPath(path, 'value'), errors, depth + 1);
    if (inner === undefined) return undefined;
    if (anyWrapsAsValue(kind)) return { [ANY_TYPE_KEY]: url, value: inner };
    return { [ANY_TYPE_KEY]: url, ...(inner as ProtoObject) };
  }
  const rest: Record<string, unknown> = { ...json };
  delete rest[ANY_TYPE_KEY];
  const fields = parseFields(type, rest, path, errors, depth + 1);
  return fields === undefined ? undefined : { [ANY_TYPE_KEY]: url, ...fields };
}

/** A deep copy of plain JSON (Struct/Value content), so callers never alias the input. */
function plainJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainJson);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) out[key] = plainJson(v[key]);
    return out;
  }
  return v === undefined ? null : v;
}
