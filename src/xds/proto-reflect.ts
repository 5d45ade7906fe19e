/**
 * Reflection helpers shared by the JSON reader (proto-json.ts) and the binary codec (any.ts):
 * which well-known type a message is, proto3 field presence, JSON field names, and the
 * google.protobuf.Struct/Value/ListValue ↔ plain JSON conversions.
 *
 * Presence rule (both readers apply it, so a resource decodes the same from YAML or from the
 * wire): repeated/map fields are "set" when non-empty, message fields when present, scalars with
 * explicit presence (oneof members, proto3 `optional`) when present, and implicit-presence
 * scalars only when they differ from their default (proto3 never puts a default on the wire).
 */
import protobuf from 'protobufjs';

export type WellKnownKind = 'any' | 'duration' | 'timestamp' | 'wrapper' | 'struct' | 'value' | 'listValue' | 'empty' | 'fieldMask';

const WELL_KNOWN: ReadonlyMap<string, WellKnownKind> = new Map<string, WellKnownKind>([
  ['google.protobuf.Any', 'any'],
  ['google.protobuf.Duration', 'duration'],
  ['google.protobuf.Timestamp', 'timestamp'],
  ['google.protobuf.DoubleValue', 'wrapper'],
  ['google.protobuf.FloatValue', 'wrapper'],
  ['google.protobuf.Int64Value', 'wrapper'],
  ['google.protobuf.UInt64Value', 'wrapper'],
  ['google.protobuf.Int32Value', 'wrapper'],
  ['google.protobuf.UInt32Value', 'wrapper'],
  ['google.protobuf.BoolValue', 'wrapper'],
  ['google.protobuf.StringValue', 'wrapper'],
  ['google.protobuf.BytesValue', 'wrapper'],
  ['google.protobuf.Struct', 'struct'],
  ['google.protobuf.Value', 'value'],
  ['google.protobuf.ListValue', 'listValue'],
  ['google.protobuf.Empty', 'empty'],
  ['google.protobuf.FieldMask', 'fieldMask'],
]);

/** Full name without the leading dot: 'envoy.config.cluster.v3.Cluster'. */
export function fullNameOf(type: protobuf.Type): string {
  return type.fullName.startsWith('.') ? type.fullName.slice(1) : type.fullName;
}

export function wellKnownKind(type: protobuf.Type): WellKnownKind | null {
  return WELL_KNOWN.get(fullNameOf(type)) ?? null;
}

/**
 * Well-known types whose ProtoObject form inside an Any is `{ '@type', value: <converted> }`
 * (their form is not an object of fields). Duration, Timestamp, wrappers, FieldMask and Empty spread their
 * fields like any other message: `{ '@type': '…Duration', seconds, nanos }`.
 */
export function anyWrapsAsValue(kind: WellKnownKind | null): boolean {
  return kind === 'struct' || kind === 'value' || kind === 'listValue' || kind === 'any';
}

const jsonNames = new WeakMap<protobuf.Field, string>();

/**
 * protoc's lowerCamel JSON name: 'port_value' → 'portValue', 'consecutive_5xx' → 'consecutive5xx'.
 * Memoized per field: decoding an xDS response asks for it once per field of every message.
 */
export function jsonNameOf(field: protobuf.Field): string {
  let name = jsonNames.get(field);
  if (name === undefined) {
    const explicit = field.options?.['json_name'];
    name = typeof explicit === 'string' ? explicit : field.name.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
    jsonNames.set(field, name);
  }
  return name;
}

/** The field's message type when it is a message field, else null (scalars and enums). */
export function messageTypeOf(field: protobuf.Field): protobuf.Type | null {
  return field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
}

export function enumTypeOf(field: protobuf.Field): protobuf.Enum | null {
  return field.resolvedType instanceof protobuf.Enum ? field.resolvedType : null;
}

/** A singular scalar/enum field without explicit presence: its default value means "not set". */
export function hasImplicitPresence(field: protobuf.Field): boolean {
  return !field.repeated && !field.map && messageTypeOf(field) === null && !field.hasPresence;
}

/**
 * Whether an implicit-presence scalar/enum field holds its default and so counts as "not set".
 * Enums may be given by name (the ProtoObject form) or number (the wire form).
 */
export function isUnsetImplicit(field: protobuf.Field, value: unknown): boolean {
  if (!hasImplicitPresence(field)) return false;
  const enumType = enumTypeOf(field);
  if (enumType !== null && typeof value === 'string') return enumType.values[value] === 0;
  return isDefaultScalar(value);
}

/** Whether a scalar value equals the proto3 default (0, '', false, empty bytes, zero Long). */
export function isDefaultScalar(value: unknown): boolean {
  if (value === 0 || value === '' || value === false || value === null || value === undefined) return true;
  if (value instanceof Uint8Array) return value.length === 0;
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const long = value as { low: number; high: number };
    return long.low === 0 && long.high === 0;
  }
  return false;
}

/** Field of a type by field number (the bundled WKTs may use camelCase names even under keepCase). */
export function fieldNumbered(type: protobuf.Type, id: number): protobuf.Field {
  const field = type.fieldsById[id];
  if (field === undefined) throw new Error(`${type.fullName} has no field ${id}`);
  return field;
}

// google.protobuf.Value field numbers.
const NULL_VALUE = 1;
const NUMBER_VALUE = 2;
const STRING_VALUE = 3;
const BOOL_VALUE = 4;
const STRUCT_VALUE = 5;
const LIST_VALUE = 6;

function structTypes(type: protobuf.Type): { struct: protobuf.Type; value: protobuf.Type; list: protobuf.Type } {
  const value = type.lookupType('.google.protobuf.Value');
  return { struct: type.lookupType('.google.protobuf.Struct'), value, list: type.lookupType('.google.protobuf.ListValue') };
}

/** A decoded google.protobuf.Value message → plain JSON. */
export function valueToJson(valueType: protobuf.Type, msg: Record<string, unknown>): unknown {
  const t = structTypes(valueType);
  if (msg[fieldNumbered(t.value, STRUCT_VALUE).name] != null) {
    return structToJson(t.struct, msg[fieldNumbered(t.value, STRUCT_VALUE).name] as Record<string, unknown>);
  }
  const list = msg[fieldNumbered(t.value, LIST_VALUE).name];
  if (list != null) return listToJson(t.list, list as Record<string, unknown>);
  const str = msg[fieldNumbered(t.value, STRING_VALUE).name];
  if (Object.hasOwn(msg, fieldNumbered(t.value, STRING_VALUE).name)) return str;
  if (Object.hasOwn(msg, fieldNumbered(t.value, NUMBER_VALUE).name)) return msg[fieldNumbered(t.value, NUMBER_VALUE).name];
  if (Object.hasOwn(msg, fieldNumbered(t.value, BOOL_VALUE).name)) return msg[fieldNumbered(t.value, BOOL_VALUE).name];
  return null;
}

export function structToJson(structType: protobuf.Type, msg: Record<string, unknown>): Record<string, unknown> {
  const fields = (msg[fieldNumbered(structType, 1).name] ?? {}) as Record<string, Record<string, unknown>>;
  const valueType = structType.lookupType('.google.protobuf.Value');
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) out[key] = valueToJson(valueType, fields[key]);
  return out;
}

export function listToJson(listType: protobuf.Type, msg: Record<string, unknown>): unknown[] {
  const values = (msg[fieldNumbered(listType, 1).name] ?? []) as Record<string, unknown>[];
  const valueType = listType.lookupType('.google.protobuf.Value');
  return values.map((v) => valueToJson(valueType, v));
}

/** Plain JSON → a google.protobuf.Value message object ready for protobufjs encode. */
export function jsonToValue(valueType: protobuf.Type, json: unknown): Record<string, unknown> {
  const t = structTypes(valueType);
  if (json === null || json === undefined) return { [fieldNumbered(t.value, NULL_VALUE).name]: 0 };
  if (typeof json === 'number') return { [fieldNumbered(t.value, NUMBER_VALUE).name]: json };
  if (typeof json === 'string') return { [fieldNumbered(t.value, STRING_VALUE).name]: json };
  if (typeof json === 'boolean') return { [fieldNumbered(t.value, BOOL_VALUE).name]: json };
  if (Array.isArray(json)) return { [fieldNumbered(t.value, LIST_VALUE).name]: jsonToList(t.list, json) };
  if (typeof json === 'object') return { [fieldNumbered(t.value, STRUCT_VALUE).name]: jsonToStruct(t.struct, json as Record<string, unknown>) };
  throw new TypeError(`cannot represent ${typeof json} as google.protobuf.Value`);
}

export function jsonToStruct(structType: protobuf.Type, json: Record<string, unknown>): Record<string, unknown> {
  const valueType = structType.lookupType('.google.protobuf.Value');
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(json)) fields[key] = jsonToValue(valueType, json[key]);
  return { [fieldNumbered(structType, 1).name]: fields };
}

export function jsonToList(listType: protobuf.Type, json: readonly unknown[]): Record<string, unknown> {
  const valueType = listType.lookupType('.google.protobuf.Value');
  return { [fieldNumbered(listType, 1).name]: json.map((v) => jsonToValue(valueType, v)) };
}
