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
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(errors);
  // These checks run even beside shape errors (on the entries whose shape is fine), so one answer lists every problem.
  const b = body as { command?: string | null; args?: string[]; env?: unknown; endpoints?: unknown };
  const env = isRecord(b.env) ? (b.env as Record<string, string>) : {};
  for (const key of Object.keys(env)) {
    if (!ENV_NAME.test(key)) errors.push({ path: joinPath('env', key), message: `must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got ${JSON.stringify(key)}` });
  }
  const endpoints = (Array.isArray(b.endpoints) ? (b.endpoints as unknown[]) : []).map((e) => (isRecord(e) ? { address: e.address as string, port: e.port as number } : null));
  const seen = new Map<string, number>();
  endpoints.forEach((e, i) => {
    if (e === null || typeof e.address !== 'string' || typeof e.port !== 'number') return;
    const key = `${e.address}|${e.port}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ path: joinPath('endpoints', i), message: `duplicates endpoints[${first}] (${e.address} port ${e.port})` });
    else seen.set(key, i);
  });
  if (errors.length > 0) return fail(errors);
  return ok({ command: b.command ?? null, args: [...(b.args ?? [])], env: { ...env }, endpoints: endpoints as Endpoint[] });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
