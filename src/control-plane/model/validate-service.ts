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
  if (errors.length > 0) return fail(errors);
  const body = input as Json;
  const settings = mergeSettings(body, DEFAULT_SERVICE_SETTINGS);
  checkSettings(settings, errors);
  if (errors.length > 0) return fail(errors);
  return ok({
    name: body.name as string,
    tenant: (body.tenant as string | undefined) ?? null,
    region: (body.region as string | undefined) ?? null,
    ...settings,
  });
}

/** Validates a settings update and returns the merged settings. */
export function validateServiceUpdate(input: unknown, current: ServiceSettings): ValidationResult<ServiceSettings> {
  const errors: FieldError[] = [];
  validateSchema(UPDATE_SERVICE_SCHEMA, input, '', errors);
  if (errors.length > 0) return fail(errors);
  const settings = mergeSettings(input as Json, current);
  checkSettings(settings, errors);
  return errors.length > 0 ? fail(errors) : ok(settings);
}

/** Overlays the (schema-valid) body onto `base`, one level deeper for routing.retries. */
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

/** Rules across fields, checked on the merged result so a PATCH cannot break them either. */
function checkSettings(s: ServiceSettings, errors: FieldError[]): void {
  if (s.autoscaling.minInstances > s.autoscaling.maxInstances) {
    errors.push({ path: 'autoscaling.minInstances', message: `must not exceed autoscaling.maxInstances (${s.autoscaling.maxInstances}), got ${s.autoscaling.minInstances}` });
  }
  if (s.healthCheck.timeoutMs > s.healthCheck.intervalMs) {
    // A check that may outlast its interval would overlap the next one.
    errors.push({ path: 'healthCheck.timeoutMs', message: `must not exceed healthCheck.intervalMs (${s.healthCheck.intervalMs}), got ${s.healthCheck.timeoutMs}` });
  }
  if (s.rateLimit.burst !== null && s.rateLimit.requestsPerSecond === null) {
    errors.push({ path: 'rateLimit.burst', message: 'needs rateLimit.requestsPerSecond' });
  }
  const perTry = s.routing.retries.perTryTimeoutMs;
  if (perTry !== null && s.routing.requestTimeoutMs !== 0 && perTry > s.routing.requestTimeoutMs) {
    errors.push({ path: 'routing.retries.perTryTimeoutMs', message: `must not exceed routing.requestTimeoutMs (${s.routing.requestTimeoutMs}), got ${perTry}` });
  }
}
