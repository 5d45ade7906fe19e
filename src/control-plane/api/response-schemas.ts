/** Schemas of the API's answers, for /openapi.json only (answers are built by api/views.ts). */
import { AUTOSCALING_SCHEMA, DEPLOYMENT_SCHEMA, ENDPOINT_SCHEMA, HEALTH_CHECK_SCHEMA, RATE_LIMIT_SCHEMA, ROUTING_SCHEMA } from '../model/schemas.js';
import { array, integer, object, string, stringEnum, type ObjectSchema, type Schema } from '../model/schema.js';

const dateTime = string({ format: 'date-time' });
const text = string();

export const FIELD_ERROR_SCHEMA = object({ path: string({ description: "The field, e.g. 'healthCheck.intervalMs' or 'targets[1].percent'; '' is the body." }), message: text }, ['path', 'message']);

export const ERROR_SCHEMA = object(
  { error: object({ code: string({ description: 'SY_ERR_…' }), message: text, errors: array(FIELD_ERROR_SCHEMA, 1000) }, ['code', 'message', 'errors']) },
  ['error'],
);

export const TRAFFIC_TARGET_VIEW_SCHEMA = object({
  revision: text,
  percent: integer(0, 100),
  tag: string({ nullable: true }),
  url: string({ nullable: true, description: "The tag's own URL, <tag>---<service host>." }),
});
export const TRAFFIC_VIEW_SCHEMA = object({ targets: array(TRAFFIC_TARGET_VIEW_SCHEMA, 100) }, ['targets']);

export const DOMAIN_SCHEMA = object({ name: text, serviceId: text, createdAt: dateTime });

export const SERVICE_SCHEMA: ObjectSchema = object({
  id: string({ description: '8 random lowercase base-36 characters.' }),
  tenant: text,
  name: text,
  region: text,
  port: integer(1, 65_535),
  url: string({ description: 'http://<name>-<id>.<region>.<base-domain>[:port]' }),
  host: text,
  status: stringEnum(['CREATED', 'RUNNING', 'DELETED'], { description: 'RUNNING once the service has traffic.' }),
  healthCheck: HEALTH_CHECK_SCHEMA,
  autoscaling: AUTOSCALING_SCHEMA,
  routing: ROUTING_SCHEMA,
  rateLimit: RATE_LIMIT_SCHEMA,
  deployment: DEPLOYMENT_SCHEMA,
  createdAt: dateTime,
  updatedAt: dateTime,
});

/** A service with its traffic and domains (GET/POST/PATCH of one service). */
export const SERVICE_DETAIL_SCHEMA: ObjectSchema = {
  ...SERVICE_SCHEMA,
  properties: {
    ...SERVICE_SCHEMA.properties,
    latestRevision: string({ nullable: true }),
    traffic: array(TRAFFIC_TARGET_VIEW_SCHEMA, 100),
    domains: array(text, 1000),
  },
};

export const REVISION_SCHEMA = object({
  serviceId: text,
  name: string({ description: 'rev-N' }),
  number: integer(1, 1e9),
  command: string({ nullable: true }),
  args: array(text, 256),
  env: { type: 'object', additionalProperties: text },
  endpoints: array(ENDPOINT_SCHEMA, 256),
  createdAt: dateTime,
});

export const TENANT_SCHEMA = object({ id: text, name: text, createdAt: dateTime });
export const NEW_TENANT_SCHEMA = object({ ...TENANT_SCHEMA.properties, token: string({ description: 'Shown only here; the store keeps its hash.' }) });

export const CONFIG_VERSION_SCHEMA = object({ version: integer(1, 1e12), createdAt: dateTime, reason: text });

/** `{ <key>: [item] }`: every list answer. */
export function listOf(key: string, item: Schema, extra: Record<string, Schema> = {}): ObjectSchema {
  return object({ [key]: array(item, 10_000), ...extra }, [key]);
}
