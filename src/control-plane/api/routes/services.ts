/** /v1/services: create, list, read, update settings, delete (DESIGN §7). */
import { CREATE_SERVICE_SCHEMA, UPDATE_SERVICE_SCHEMA } from '../../model/schemas.js';
import { string } from '../../model/schema.js';
import { validateCreateService, validateServiceUpdate } from '../../model/validate-service.js';
import { settingsOf } from '../../store/service-repository.js';
import { ApiError } from '../errors.js';
import { SERVICE_DETAIL_SCHEMA, SERVICE_SCHEMA, listOf } from '../response-schemas.js';
import type { RequestContext, Route } from '../route.js';
import { emitEvent, serviceFor, tenantScope } from '../service-access.js';
import { serviceDetail } from '../views.js';

function detail(ctx: RequestContext, id: string): Record<string, unknown> {
  const state = ctx.store.getServiceState(id);
  if (state === null) throw new ApiError('SY_ERR_SERVICE_NOT_FOUND', `no service with id "${id}"`);
  return serviceDetail(state, ctx.store.options.httpPort);
}

export const SERVICE_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/services',
    summary: "Create a service (no revisions yet). A tenant token's service is always in its own tenant; naming another is a 400.",
    access: 'tenant',
    tag: 'services',
    requestBody: CREATE_SERVICE_SCHEMA,
    status: 201,
    response: SERVICE_DETAIL_SCHEMA,
    errors: ['SY_ERR_VALIDATION', 'SY_ERR_SERVICE_EXISTS'],
    handler(ctx) {
      const result = validateCreateService(ctx.body);
      if (!result.ok) throw ApiError.validation(result.errors);
      const scope = tenantScope(ctx.principal);
      if (scope !== undefined && result.value.tenant !== null && result.value.tenant !== scope) {
        throw ApiError.validation([{ path: 'tenant', message: `a tenant token creates services only in its own tenant "${scope}", got ${JSON.stringify(result.value.tenant)}` }]);
      }
      const service = ctx.store.createService({ ...result.value, tenant: scope ?? result.value.tenant });
      emitEvent(ctx, 'service.created', { name: service.name, tenant: service.tenant, url: service.url }, service.id);
      return { status: 201, body: detail(ctx, service.id) };
    },
  },
  {
    method: 'GET',
    path: '/v1/services',
    summary: "List live services: all of them for the admin, the tenant's own for a tenant token.",
    access: 'tenant',
    tag: 'services',
    query: [
      { name: 'tenant', description: 'Admin only: one tenant’s services.', schema: string() },
      { name: 'region', description: 'Only services in this region.', schema: string() },
    ],
    status: 200,
    response: listOf('services', SERVICE_SCHEMA),
    handler(ctx) {
      const tenant = tenantScope(ctx.principal) ?? ctx.query.get('tenant') ?? undefined;
      const region = ctx.query.get('region') ?? undefined;
      return { status: 200, body: { services: ctx.store.listServices({ tenant, region }) } };
    },
  },
  {
    method: 'GET',
    path: '/v1/services/{id}',
    summary: 'One service with its latest revision, traffic and domains.',
    access: 'tenant',
    tag: 'services',
    status: 200,
    response: SERVICE_DETAIL_SCHEMA,
    errors: ['SY_ERR_SERVICE_NOT_FOUND'],
    handler(ctx) {
      return { status: 200, body: detail(ctx, serviceFor(ctx).id) };
    },
  },
  {
    method: 'PATCH',
    path: '/v1/services/{id}',
    summary: 'Change settings (port, healthCheck, autoscaling, routing, rateLimit, deployment); absent fields keep their values.',
    access: 'tenant',
    tag: 'services',
    requestBody: UPDATE_SERVICE_SCHEMA,
    status: 200,
    response: SERVICE_DETAIL_SCHEMA,
    errors: ['SY_ERR_VALIDATION', 'SY_ERR_SERVICE_NOT_FOUND'],
    handler(ctx) {
      const service = serviceFor(ctx);
      const result = validateServiceUpdate(ctx.body, settingsOf(service));
      if (!result.ok) throw ApiError.validation(result.errors);
      ctx.store.updateService(service.id, result.value);
      emitEvent(ctx, 'service.updated', { name: service.name }, service.id);
      return { status: 200, body: detail(ctx, service.id) };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/services/{id}',
    summary: 'Delete a service: it leaves the routers’ config, its name and domains are freed.',
    access: 'tenant',
    tag: 'services',
    status: 200,
    response: SERVICE_SCHEMA,
    errors: ['SY_ERR_SERVICE_NOT_FOUND'],
    handler(ctx) {
      const deleted = ctx.store.deleteService(serviceFor(ctx).id);
      emitEvent(ctx, 'service.deleted', { name: deleted.name }, deleted.id);
      return { status: 200, body: deleted };
    },
  },
];
