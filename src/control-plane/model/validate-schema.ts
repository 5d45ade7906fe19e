/**
 * Checks a JSON value against a model/schema.ts schema and collects *every* error with its path
 * (`healthCheck.intervalMs`, `targets[1].percent`). Unknown fields are errors, so a typo such as
 * `healtCheck` is reported instead of silently ignored.
 */
import { joinPath, type FieldError } from '../../xds/validation.js';
import { checkDnsLabel, checkDomainName, checkServiceName, isIpAddress } from './names.js';
import type { Schema, StringFormat } from './schema.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REVISION_NAME = /^rev-[1-9][0-9]{0,8}$/;

const FORMAT_CHECKS: Record<StringFormat, (value: string) => string | null> = {
  'dns-label': (v) => checkDnsLabel(v),
  'service-name': checkServiceName,
  domain: checkDomainName,
  'ip-address': (v) => (isIpAddress(v) ? null : `must be an IPv4 or IPv6 address (endpoints are not resolved by DNS), got ${JSON.stringify(v)}`),
  'http-path': (v) => (v.startsWith('/') && !/[\s?#]/.test(v) ? null : `must be an absolute path starting with '/' without spaces, '?' or '#', got ${JSON.stringify(v)}`),
  'env-name': (v) => (ENV_NAME.test(v) ? null : `must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got ${JSON.stringify(v)}`),
  'revision-name': (v) => (REVISION_NAME.test(v) ? null : `must be a revision name such as "rev-1", got ${JSON.stringify(v)}`),
  'date-time': () => null,
};

/** Describes a JSON value's kind for "must be X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `an ${typeof value}`;
}

/**
 * Validates `value` against `schema`, appending to `errors`; `path` is where `value` sits in the
 * body ('' for the body itself).
 */
export function validateSchema(schema: Schema, value: unknown, path: string, errors: FieldError[]): void {
  const at = path; // '' is the body itself
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) errors.push({ path: at, message: 'must not be null' });
    return;
  }
  switch (schema.type) {
    case undefined:
      return;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push({ path: at, message: `must be an object, got ${describeValue(value)}` });
        return;
      }
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      for (const name of schema.required ?? []) {
        if (record[name] === undefined) errors.push({ path: joinPath(path, name), message: 'is required' });
      }
      const keys = Object.keys(record);
      if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
        errors.push({ path: at, message: `must have at most ${schema.maxProperties} entries, got ${keys.length}` });
      }
      for (const key of keys) {
        const child = Object.hasOwn(properties, key) ? properties[key] : undefined;
        if (child !== undefined) validateSchema(child, record[key], joinPath(path, key), errors);
        else if (schema.additionalProperties === undefined || schema.additionalProperties === false) {
          const allowed = Object.keys(properties);
          errors.push({ path: joinPath(path, key), message: `is not a known field${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ''}` });
        } else validateSchema(schema.additionalProperties, record[key], joinPath(path, key), errors);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) {
        errors.push({ path: at, message: `must be a list, got ${describeValue(value)}` });
        return;
      }
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        errors.push({ path: at, message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, got ${value.length}` });
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        errors.push({ path: at, message: `must have at most ${schema.maxItems} items, got ${value.length}` });
        return; // don't report thousands of item errors for a list that is too long anyway
      }
      for (let i = 0; i < value.length; i++) validateSchema(schema.items, value[i], joinPath(path, i), errors);
      return;
    }
    case 'string': {
      if (typeof value !== 'string') {
        errors.push({ path: at, message: `must be a string, got ${describeValue(value)}` });
        return;
      }
      if (schema.enum !== undefined) {
        if (!schema.enum.includes(value)) errors.push({ path: at, message: `must be one of ${schema.enum.join(', ')}, got ${describeValue(value)}` });
        return;
      }
      const min = schema.minLength ?? 0;
      if (value.length < min || (schema.maxLength !== undefined && value.length > schema.maxLength)) {
        const range = schema.maxLength === undefined ? `at least ${min}` : `${min}–${schema.maxLength}`;
        errors.push({ path: at, message: `must be ${range} characters, got ${value.length}` });
        return;
      }
      if (schema.format !== undefined) {
        const message = FORMAT_CHECKS[schema.format](value);
        if (message !== null) errors.push({ path: at, message });
      } else if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
        errors.push({ path: at, message: `must match ${schema.pattern}, got ${describeValue(value)}` });
      }
      return;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        errors.push({ path: at, message: `must be an integer, got ${describeValue(value)}` });
        return;
      }
      const { minimum, maximum } = schema;
      if ((minimum !== undefined && value < minimum) || (maximum !== undefined && value > maximum)) {
        const range = minimum !== undefined && maximum !== undefined ? `${minimum}–${maximum}` : minimum !== undefined ? `at least ${minimum}` : `at most ${maximum}`;
        errors.push({ path: at, message: `must be ${range}, got ${value}` });
      }
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') errors.push({ path: at, message: `must be true or false, got ${describeValue(value)}` });
      return;
  }
}
