/**
 * One rule for Envoy fields the router does not implement, shared by the listener, HCM and cluster
 * decoders: a field that would change behaviour is refused with "is not supported" (the resource
 * is NACKed) rather than silently ignored, so a config never means something else here than in
 * Envoy. Pure tuning knobs (buffer sizes, socket backlog, …) are accepted and ignored by the
 * decoders themselves and are not listed here.
 */
import type { ProtoObject, ProtoValue } from '../proto-object.js';
import { fieldPath, isObject, type Errors } from './fields.js';

/**
 * Whether a field carries a non-default value. The ProtoObject form already leaves out implicit
 * scalars at their default; on top of that an empty list, an empty map and a wrapper holding
 * false/0 count as unset (`use_original_dst: { value: false }` asks for nothing).
 */
export function isSet(value: ProtoValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'value') return isSet(value.value);
  }
  return true;
}

/** Pushes `<field>: is not supported` for each of `fields` that is set in `msg`. */
export function rejectUnsupported(msg: ProtoObject, path: string, fields: readonly string[], errors: Errors, why = ''): void {
  for (const field of fields) {
    if (isSet(msg[field])) errors.push({ path: fieldPath(path, field), message: `is not supported${why === '' ? '' : ` (${why})`}` });
  }
}
