/**
 * A small JSON-Schema subset (OpenAPI 3.0 flavour) that describes every platform API body once.
 * The same objects drive `validateSchema` (model/validate-schema.ts) and the OpenAPI document
 * (api/openapi.ts), so the documentation can never drift from what is enforced (STYLE.md
 * "Config validation": a schema compiled once, with the doc produced from the same schema).
 *
 * `format` names a checker in validate-schema.ts that gives a precise message (a DNS label that
 * ends in '-' says so, rather than "does not match pattern"); `pattern` is documentation only.
 */

export type StringFormat = 'dns-label' | 'service-name' | 'domain' | 'ip-address' | 'http-path' | 'env-name' | 'revision-name' | 'date-time';

interface Common {
  readonly description?: string;
  /** OpenAPI 3.0 `nullable`: null is accepted (and means "no value"). */
  readonly nullable?: boolean;
  /** Shown in the OpenAPI document as the value used when the field is absent. */
  readonly default?: unknown;
}

export interface ObjectSchema extends Common {
  readonly type: 'object';
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  /** false (the default for our bodies): unknown fields are errors. A schema: a string map. */
  readonly additionalProperties?: false | Schema;
  readonly maxProperties?: number;
}

export interface ArraySchema extends Common {
  readonly type: 'array';
  readonly items: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface StringSchema extends Common {
  readonly type: 'string';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  readonly format?: StringFormat;
  readonly pattern?: string;
}

export interface IntegerSchema extends Common {
  readonly type: 'integer';
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface BooleanSchema extends Common {
  readonly type: 'boolean';
}

/** Anything: used only for documentation of opaque answers (xDS client records). */
export interface AnySchema extends Common {
  readonly type?: undefined;
}

export type Schema = ObjectSchema | ArraySchema | StringSchema | IntegerSchema | BooleanSchema | AnySchema;

/** An object schema whose unknown fields are errors; `required` lists the mandatory ones. */
export function object(properties: Record<string, Schema>, required: readonly string[] = [], extra: Partial<ObjectSchema> = {}): ObjectSchema {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}

export function integer(minimum: number, maximum: number, extra: Partial<IntegerSchema> = {}): IntegerSchema {
  return { type: 'integer', minimum, maximum, ...extra };
}

export function string(extra: Partial<StringSchema> = {}): StringSchema {
  return { type: 'string', ...extra };
}

export function array(items: Schema, maxItems: number, extra: Partial<ArraySchema> = {}): ArraySchema {
  return { type: 'array', items, maxItems, ...extra };
}

export function stringEnum(values: readonly string[], extra: Partial<StringSchema> = {}): StringSchema {
  return { type: 'string', enum: values, ...extra };
}
