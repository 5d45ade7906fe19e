/** /v1/services/{id}/domains: custom domains; each belongs to one service across all tenants. */
import { CREATE_DOMAIN_SCHEMA } from '../../model/schemas.js';
import { normalizeDomainName, validateCreateDomain } from '../../model/validate-domain.js';
import { ApiError } from '../errors.js';
import { DOMAIN_SCHEMA, listOf } from '../response-schemas.js';
import type { Route } from '../route.js';
import { emitEvent, serviceFor } from '../service-access.js';

export const DOMAIN_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/services/{id}/domains',
    summary: 'Add a custom domain (lowercased; not under the platform base domain).',
    access: 'tenant',
    tag: 'domains',
    requestBody: CREATE_DOMAIN_SCHEMA,
    status: 201,
    response: DOMAIN_SCHEMA,
    errors: ['SY_ERR_VALIDATION', 'SY_ERR_SERVICE_NOT_FOUND', 'SY_ERR_DOMAIN_TAKEN'],
    handler(ctx) {
      const service = serviceFor(ctx);
      const result = validateCreateDomain(ctx.body, ctx.store.options.baseDomain);
      if (!result.ok) throw ApiError.validation(result.errors);
      const domain = ctx.store.addDomain(service.id, result.value.name);
      emitEvent(ctx, 'domain.added', { service: service.name, domain: domain.name }, service.id);
      return { status: 201, body: domain };
    },
  },
  {
    method: 'GET',
    path: '/v1/services/{id}/domains',
    summary: 'The service’s custom domains.',
    access: 'tenant',
    tag: 'domains',
    status: 200,
    response: listOf('domains', DOMAIN_SCHEMA),
    errors: ['SY_ERR_SERVICE_NOT_FOUND'],
    handler(ctx) {
      return { status: 200, body: { domains: ctx.store.listDomains(serviceFor(ctx).id) } };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/services/{id}/domains/{domain}',
    summary: 'Remove a custom domain.',
    access: 'tenant',
    tag: 'domains',
    status: 204,
    errors: ['SY_ERR_SERVICE_NOT_FOUND', 'SY_ERR_NOT_FOUND'],
    handler(ctx) {
      const service = serviceFor(ctx);
      const name = normalizeDomainName(ctx.params.domain);
      ctx.store.removeDomain(service.id, name);
      emitEvent(ctx, 'domain.removed', { service: service.name, domain: name }, service.id);
      return { status: 204 };
    },
  },
];
