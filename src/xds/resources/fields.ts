/**
 * Small typed readers for ProtoObject fields, used by every decoder in this folder. Each reader
 * takes the field's path and an error list, pushes a FieldError naming the field when the value
 * has the wrong shape, and returns a usable fallback so decoding goes on and collects every error.
 */
import { Buffer } from 'node:buffer';
import { ANY_TYPE_KEY, type ProtoObject, type ProtoValue } from '../proto-object.js';
import { joinPath, type FieldError } from '../validation.js';

export type Errors = FieldError[];

const camelNames = new Map<string, string>();

/** Proto field name (snake_case) → the camelCase name used in error paths (memoized: field names are a fixed set). */
export function camel(field: string): string {
  let name = camelNames.get(field);
  if (name === undefined) {
    name = field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camelNames.size < 10_000) camelNames.set(field, name);
  }
  return name;
}

/** Path of a proto field under `path`, in camelCase. */
export function fieldPath(path: string, field: string): string {
  return joinPath(path, camel(field));
}

export function isObject(value: ProtoValue | undefined): value is ProtoObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

export function has(msg: ProtoObject, field: string): boolean {
  return msg[field] !== undefined && msg[field] !== null;
}

export function str(msg: ProtoObject, field: string, path: string, errors: Errors, fallback = ''): string {
  const v = msg[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string') return v;
  errors.push({ path: fieldPath(path, field), message: `must be a string, got ${typeof v}` });
  return fallback;
}

export function num(msg: ProtoObject, field: string, path: string, errors: Errors, fallback = 0): number {
  const v = msg[field];
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  errors.push({ path: fieldPath(path, field), message: `must be a number, got ${JSON.stringify(v)}` });
  return fallback;
}

export function bool(msg: ProtoObject, field: string, path: string, errors: Errors, fallback = false): boolean {
  const v = msg[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  errors.push({ path: fieldPath(path, field), message: `must be a boolean, got ${JSON.stringify(v)}` });
  return fallback;
}

export function obj(msg: ProtoObject, field: string, path: string, errors: Errors): ProtoObject | null {
  const v = msg[field];
  if (v === undefined || v === null) return null;
  if (isObject(v)) return v;
  errors.push({ path: fieldPath(path, field), message: 'must be a message' });
  return null;
}

export function list(msg: ProtoObject, field: string, path: string, errors: Errors): readonly ProtoValue[] {
  const v = msg[field];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  errors.push({ path: fieldPath(path, field), message: 'must be a list' });
  return [];
}

/** A repeated message field: calls `decode(item, itemPath)` for each element that is a message. */
export function messages<T>(
  msg: ProtoObject,
  field: string,
  path: string,
  errors: Errors,
  decode: (item: ProtoObject, itemPath: string) => T,
): T[] {
  const items = list(msg, field, path, errors);
  const out: T[] = [];
  const base = fieldPath(path, field);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (isObject(item)) out.push(decode(item, itemPath));
    else errors.push({ path: itemPath, message: 'must be a message' });
  }
  return out;
}

/** An enum field given as its value name; `allowed` lists the names we implement. */
export function enumOf<T extends string>(msg: ProtoObject, field: string, path: string, errors: Errors, allowed: readonly T[], fallback: T): T {
  const v = msg[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  errors.push({ path: fieldPath(path, field), message: `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}` });
  return fallback;
}

/** A google.protobuf wrapper field ({ value }) → its value, or `fallback` when unset. */
export function wrapped(msg: ProtoObject, field: string, path: string, errors: Errors, fallback: number): number {
  const w = obj(msg, field, path, errors);
  if (w === null) return fallback;
  return num(w, 'value', fieldPath(path, field), errors, fallback);
}

export function wrappedBool(msg: ProtoObject, field: string, path: string, errors: Errors, fallback: boolean): boolean {
  const w = obj(msg, field, path, errors);
  if (w === null) return fallback;
  return bool(w, 'value', fieldPath(path, field), errors, fallback);
}

/** A google.protobuf.Duration field → milliseconds, or `fallback` when unset. Negative durations are errors. */
export function durationMs(msg: ProtoObject, field: string, path: string, errors: Errors, fallback: number): number {
  const d = obj(msg, field, path, errors);
  if (d === null) return fallback;
  const seconds = num(d, 'seconds', fieldPath(path, field), errors, 0);
  const nanos = num(d, 'nanos', fieldPath(path, field), errors, 0);
  const ms = seconds * 1000 + nanos / 1e6;
  if (ms < 0) {
    errors.push({ path: fieldPath(path, field), message: `must not be negative, got ${ms}ms` });
    return fallback;
  }
  return ms;
}

/** The type URL of an Any-shaped ProtoObject, or '' when it has none. */
export function typeUrlOf(any: ProtoObject): string {
  const t = any[ANY_TYPE_KEY];
  return typeof t === 'string' ? t : '';
}

/** Pushes an error for a value outside [min, max]. Returns the value clamped into range. */
export function inRange(value: number, min: number, max: number, path: string, errors: Errors): number {
  if (value < min || value > max) {
    errors.push({ path, message: `must be ${min}–${max}, got ${value}` });
    return Math.min(Math.max(value, min), max);
  }
  return value;
}
