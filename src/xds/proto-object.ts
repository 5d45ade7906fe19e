/**
 * The one intermediate form of an Envoy proto message, whatever it arrived as (a YAML/JSON
 * bootstrap file or binary Any over xDS). Decoders in `resources/` read only this form.
 *
 * Rules of the form:
 * - keys are the .proto field names (snake_case), present only when the field was set;
 * - enums are their value names ('EDS', 'ROUND_ROBIN'); 64-bit integers are numbers;
 * - bytes are Buffers; maps are plain objects; repeated fields are arrays;
 * - google.protobuf.Duration is `{ seconds: number, nanos: number }`;
 * - wrappers (UInt32Value, BoolValue, …) are `{ value: x }`;
 * - google.protobuf.Struct / Value / ListValue are plain JSON values;
 * - google.protobuf.Any is `{ '@type': 'type.googleapis.com/<full name>', ...fields of that message }`;
 *   an Any whose type is not in our proto root is `{ '@type': url, '@unknown': true }`.
 */
export type ProtoValue = string | number | boolean | Buffer | null | ProtoObject | readonly ProtoValue[];
export interface ProtoObject {
  readonly [field: string]: ProtoValue | undefined;
}

/** The key under which an Any's type URL sits in a ProtoObject. */
export const ANY_TYPE_KEY = '@type';
/** Set on an Any whose type URL is not known to our proto root. */
export const ANY_UNKNOWN_KEY = '@unknown';
