/**
 * Validates POST /v1/services and PATCH /v1/services/{id} bodies: the shape against
 * model/schemas.ts, then the rules that span fields (min ≤ max instances, burst needs a rate, a
 * per-try timeout within the request timeout). Absent settings keep `base` (the defaults on
 * create, the current settings on update); nested objects merge field by field.
 */
import { fail, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';
import { DEFAULT_AUTOSCALING, DEFAULT_DEPLOYMENT, DEFAULT_HEALTH_CHECK, DEFAULT_RATE_LIMIT, DEFAULT_ROUTING, DEFAULT_SERVICE_PORT } from './defaults.js';
import { CREATE_SERVICE_SCHEMA, UPDATE_SERVICE_SCHEMA } from './schemas.js';
import type { NewService, RoutingSettings, ServiceSettings } from './types.js';
import { validateSchema } from './validate-schema.js';

/** The settings a service gets when its body names none. */
export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = {
  port: DEFAULT_SERVICE_PORT,
  healthCheck: DEFAULT_HEALTH_CHECK,
  autoscaling: DEFAULT_AUTOSCALING,
  routing: DEFAULT_ROUTING,
  rateLimit: DEFAULT_RATE_LIMIT,
  deployment: DEFAULT_DEPLOYMENT,
};

type Json = Record<string, unknown>;

/** Validates a create body; settings default to DEFAULT_SERVICE_SETTINGS. */
export function validateCreateService(input: unknown): ValidationResult<NewService> {
  const errors: FieldError[] = [];
  validateSchema(CREATE_SERVICE_SCHEMA, input, '', errors);
  if (!isRecord(input)) return fail(errors);
  const settings = mergeSettings(withoutInvalid(input, errors), DEFAULT_SERVICE_SETTINGS);
  checkSettings(settings, errors);
  if (errors.length > 0) return fail(errors);
  return ok({
    name: input.name as string,
    tenant: (input.tenant as string | undefined) ?? null,
    region: (input.region as string | undefined) ?? null,
    ...settings,
  });
}

/** Validates a settings update and returns the merged settings. */
export function validateServiceUpdate(input: unknown, current: ServiceSettings): ValidationResult<ServiceSettings> {
  const errors: FieldError[] = [];
  validateSchema(UPDATE_SERVICE_SCHEMA, input, '', errors);
  if (!isRecord(input)) return fail(errors);
  const settings = mergeSettings(withoutInvalid(input, errors), current);
  checkSettings(settings, errors);
  return errors.length > 0 ? fail(errors) : ok(settings);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body minus every field that has a shape error, so the cross-field rules can still run on
 * the rest and one answer lists every problem (the rules skip fields that were invalid).
 */
function withoutInvalid(body: Json, errors: readonly FieldError[], path = ''): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (errors.some((e) => e.path === at || e.path.startsWith(`${at}[`))) continue;
    out[key] = isRecord(value) ? withoutInvalid(value, errors, at) : value;
  }
  return out;
}

/** Overlays the (schema-valid part of the) body onto `base`, one level deeper for routing.retries. */
function mergeSettings(body: Json, base: ServiceSettings): ServiceSettings {
  const routingIn = (body.routing ?? {}) as Json;
  const routing: RoutingSettings = {
    ...base.routing,
    ...(routingIn as Partial<RoutingSettings>),
    retries: { ...base.routing.retries, ...((routingIn.retries ?? {}) as Json) },
  };
  return {
    port: (body.port as number | undefined) ?? base.port,
    healthCheck: { ...base.healthCheck, ...(body.healthCheck as Json | undefined) },
    autoscaling: { ...base.autoscaling, ...(body.autoscaling as Json | undefined) },
    routing,
    rateLimit: { ...base.rateLimit, ...(body.rateLimit as Json | undefined) },
    deployment: { ...base.deployment, ...(body.deployment as Json | undefined) },
  };
}

/**
 * Rules across fields, checked on the merged result so a PATCH cannot break them either. A rule
 * is skipped when one of its fields already has an error (its value was not the caller's).
 */
function checkSettings(s: ServiceSettings, errors: FieldError[]): void {
  const invalid = new Set(errors.map((e) => e.path));
  const rule = (fields: readonly string[], broken: boolean, message: () => string): void => {
    if (broken && !fields.some((f) => invalid.has(f))) errors.push({ path: fields[0], message: message() });
  };
  rule(['autoscaling.minInstances', 'autoscaling.maxInstances'], s.autoscaling.minInstances > s.autoscaling.maxInstances, () => `must not exceed autoscaling.maxInstances (${s.autoscaling.maxInstances}), got ${s.autoscaling.minInstances}`);
  // A check that may outlast its interval would overlap the next one.
  rule(['healthCheck.timeoutMs', 'healthCheck.intervalMs'], s.healthCheck.timeoutMs > s.healthCheck.intervalMs, () => `must not exceed healthCheck.intervalMs (${s.healthCheck.intervalMs}), got ${s.healthCheck.timeoutMs}`);
  rule(['rateLimit.burst', 'rateLimit.requestsPerSecond'], s.rateLimit.burst !== null && s.rateLimit.requestsPerSecond === null, () => 'needs rateLimit.requestsPerSecond');
  const perTry = s.routing.retries.perTryTimeoutMs;
  rule(
    ['routing.retries.perTryTimeoutMs', 'routing.requestTimeoutMs'],
    perTry !== null && s.routing.requestTimeoutMs !== 0 && perTry > s.routing.requestTimeoutMs,
    () => `must not exceed routing.requestTimeoutMs (${s.routing.requestTimeoutMs}), got ${perTry}`,
  );
}
