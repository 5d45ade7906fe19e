/**
 * Validation results shared by both planes. Config is never thrown at: every decoder returns a
 * ValidationResult that carries *all* the errors it found, each with the field path, so the router
 * can NACK with the whole list and the API can answer 400 with it.
 */
import { Buffer } from 'node:buffer';

/** One problem with one field. `path` uses the resource's own (camelCase) field names: `virtualHosts[2].routes[0].match`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export function ok<T>(value: T): ValidationResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(errors: readonly FieldError[]): ValidationResult<T> {
  return { ok: false, errors };
}

/** Joins a path prefix and a field name or index: joinPath('a', 'b') = 'a.b', joinPath('a', 2) = 'a[2]'. */
export function joinPath(prefix: string, field: string | number): string {
  if (typeof field === 'number') return `${prefix}[${field}]`;
  return prefix === '' ? field : `${prefix}.${field}`;
}

/** Formats errors as one line per error, `path: message`: the text of a NACK or a startup failure. */
export function formatErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n');
}

/** Recursively freezes a validated view so a snapshot can never be mutated after it is published. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !Buffer.isBuffer(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value as object)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
