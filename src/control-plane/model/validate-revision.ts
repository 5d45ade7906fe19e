/**
 * Validates POST /v1/services/{id}/revisions: the shape, environment variable names, and that
 * no endpoint is listed twice (it would double that instance's share of the load).
 */
import { fail, joinPath, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';
import { CREATE_REVISION_SCHEMA } from './schemas.js';
import type { Endpoint, NewRevision } from './types.js';
import { validateSchema } from './validate-schema.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function validateCreateRevision(input: unknown): ValidationResult<NewRevision> {
  const errors: FieldError[] = [];
  // An empty body is a valid revision (same instances, new version), so absent = {}.
  const body = input === undefined ? {} : input;
  validateSchema(CREATE_REVISION_SCHEMA, body, '', errors);
  if (errors.length > 0) return fail(errors);
  const b = body as { command?: string | null; args?: string[]; env?: Record<string, string>; endpoints?: Endpoint[] };
  const env = b.env ?? {};
  for (const key of Object.keys(env)) {
    if (!ENV_NAME.test(key)) errors.push({ path: joinPath('env', key), message: `must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got ${JSON.stringify(key)}` });
  }
  const endpoints = (b.endpoints ?? []).map((e) => ({ address: e.address, port: e.port }));
  const seen = new Map<string, number>();
  endpoints.forEach((e, i) => {
    const key = `${e.address}|${e.port}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ path: joinPath('endpoints', i), message: `duplicates endpoints[${first}] (${e.address} port ${e.port})` });
    else seen.set(key, i);
  });
  if (errors.length > 0) return fail(errors);
  return ok({ command: b.command ?? null, args: [...(b.args ?? [])], env: { ...env }, endpoints });
}
