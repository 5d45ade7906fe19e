/**
 * Validates POST /v1/services/{id}/domains. Names are case-insensitive, so they are lowercased
 * (and a trailing root dot dropped) before the checks; the value is the normalized name. A name
 * at or under the platform's base domain is refused: those hosts are the platform's to assign,
 * and letting a tenant claim one would let it capture another service's URL.
 */
import { fail, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';
import { isUnderBaseDomain } from './names.js';
import { CREATE_DOMAIN_SCHEMA } from './schemas.js';
import { validateSchema } from './validate-schema.js';

export function normalizeDomainName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export function validateCreateDomain(input: unknown, baseDomain: string): ValidationResult<{ readonly name: string }> {
  const errors: FieldError[] = [];
  const body = isRecord(input) && typeof input.name === 'string' ? { ...input, name: normalizeDomainName(input.name) } : input;
  validateSchema(CREATE_DOMAIN_SCHEMA, body, '', errors);
  if (errors.length > 0) return fail(errors);
  const name = (body as { name: string }).name;
  if (isUnderBaseDomain(name, baseDomain)) {
    return fail([{ path: 'name', message: `must not be under the platform's base domain "${baseDomain}", got ${JSON.stringify(name)}` }]);
  }
  return ok({ name });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
