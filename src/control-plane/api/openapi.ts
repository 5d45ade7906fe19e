/**
 * Builds the OpenAPI 3.0 document (GET /openapi.json) from the route table: each route's body
 * and answer schemas are the very objects the validators use, so the document lists exactly what
 * the API enforces.
 */
import type { Schema } from '../model/schema.js';
import { ERROR_STATUS } from './errors.js';
import { ERROR_SCHEMA } from './response-schemas.js';
import type { Route } from './route.js';

/** Error answers every authenticated route may give. */
const COMMON_ERRORS = ['SY_ERR_UNAUTHORIZED', 'SY_ERR_INVALID_JSON', 'SY_ERR_INTERNAL'];

/** Our schema as OpenAPI 3.0 wants it (`required` must not be empty, recursively). */
export function toOpenApiSchema(schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (value === undefined) continue;
    if (key === 'required' && Array.isArray(value) && value.length === 0) continue;
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, toOpenApiSchema(v)]));
    else if (key === 'items' || (key === 'additionalProperties' && value !== false)) out[key] = toOpenApiSchema(value as Schema);
    else out[key] = value;
  }
  return out;
}

const errorRef = { $ref: '#/components/schemas/Error' };

function responsesOf(route: Route): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  responses[String(route.status)] =
    route.streams !== undefined ? { description: 'A stream.', content: { [route.streams]: { schema: { type: 'string' } } } }
    : route.response === undefined ? { description: 'Done; no body.' } : { description: 'Success.', content: { 'application/json': { schema: toOpenApiSchema(route.response) } } };
  const codes = [...(route.access === 'open' ? ['SY_ERR_INTERNAL'] : COMMON_ERRORS), ...(route.access === 'admin' ? ['SY_ERR_FORBIDDEN'] : []), ...(route.errors ?? [])];
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code as keyof typeof ERROR_STATUS];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    responses[String(status)] = { description: [...new Set(list)].join(', '), content: { 'application/json': { schema: errorRef } } };
  }
  return responses;
}

function operationOf(route: Route): Record<string, unknown> {
  const pathParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const queryParams = (route.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: toOpenApiSchema(q.schema) }));
  const op: Record<string, unknown> = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/\{([^}]+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    responses: responsesOf(route),
  };
  if (pathParams.length + queryParams.length > 0) op.parameters = [...pathParams, ...queryParams];
  if (route.requestBody !== undefined) {
    op.requestBody = { required: route.method !== 'POST' || !route.path.endsWith('/revisions'), content: { 'application/json': { schema: toOpenApiSchema(route.requestBody) } } };
  }
  op.security = route.access === 'open' ? [] : [{ bearer: [] }];
  if (route.access === 'admin') op.description = 'Admin token only.';
  return op;
}

export function buildOpenApiDocument(routes: readonly Route[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operationOf(route);
  return {
    openapi: '3.0.3',
    info: {
      title: 'Switchyard platform API',
      version: info.version,
      description:
        'Services, revisions, traffic and domains of a multi-tenant platform (DESIGN §7). Errors are { error: { code, message, errors: [{ path, message }] } }. ' +
        'With an admin token configured every call but /healthz and /openapi.json needs `Authorization: Bearer <token>`; a tenant token sees only its tenant, and another tenant’s service is a 404.',
    },
    servers: [{ url: '/', description: 'The control plane that served this document (default http://127.0.0.1:7070).' }],
    paths,
    components: {
      schemas: { Error: toOpenApiSchema(ERROR_SCHEMA) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The admin token (--token) or a tenant token from POST /v1/tenants.' } },
    },
  };
}
