/** /v1/tenants (admin only): a tenant and its token, shown once. */
import { CREATE_TENANT_SCHEMA } from '../../model/schemas.js';
import { validateCreateTenant } from '../../model/validate-tenant.js';
import { ApiError } from '../errors.js';
import { NEW_TENANT_SCHEMA, TENANT_SCHEMA, listOf } from '../response-schemas.js';
import type { Route } from '../route.js';
import { emitEvent } from '../service-access.js';

export const TENANT_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/tenants',
    summary: 'Create a tenant; the answer carries its bearer token, which is stored only as a hash and never shown again.',
    access: 'admin',
    tag: 'tenants',
    requestBody: CREATE_TENANT_SCHEMA,
    status: 201,
    response: NEW_TENANT_SCHEMA,
    errors: ['SY_ERR_VALIDATION', 'SY_ERR_TENANT_EXISTS'],
    handler(ctx) {
      const result = validateCreateTenant(ctx.body);
      if (!result.ok) throw ApiError.validation(result.errors);
      const { tenant, token } = ctx.store.createTenant(result.value.name);
      emitEvent(ctx, 'tenant.created', { tenant: tenant.name });
      return { status: 201, body: { ...tenant, token } };
    },
  },
  {
    method: 'POST',
    path: '/v1/tenants/{name}/token',
    summary: "Issue a new token for a tenant (also the way to give the built-in 'default' tenant one); the old token stops working at once.",
    access: 'admin',
    tag: 'tenants',
    status: 200,
    response: NEW_TENANT_SCHEMA,
    errors: ['SY_ERR_NOT_FOUND'],
    handler(ctx) {
      const { tenant, token } = ctx.store.rotateTenantToken(ctx.params.name);
      emitEvent(ctx, 'tenant.token-rotated', { tenant: tenant.name });
      return { status: 200, body: { ...tenant, token } };
    },
  },
  {
    method: 'GET',
    path: '/v1/tenants',
    summary: 'List tenants (never their tokens).',
    access: 'admin',
    tag: 'tenants',
    status: 200,
    response: listOf('tenants', TENANT_SCHEMA),
    handler(ctx) {
      return { status: 200, body: { tenants: ctx.store.listTenants() } };
    },
  },
];
