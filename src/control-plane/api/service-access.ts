/**
 * Tenant isolation for every /v1/services/{id}/… route: a service of another tenant answers 404
 * exactly like one that does not exist, so a tenant token cannot probe for other tenants' ids.
 */
import type { Service } from '../model/types.js';
import { ApiError } from './errors.js';
import type { Principal, RequestContext } from './route.js';

/** The tenant a principal is confined to, or undefined for the admin. */
export function tenantScope(principal: Principal): string | undefined {
  return principal.kind === 'tenant' ? principal.tenant : undefined;
}

/** The service `{id}` names, if the caller may see it; else 404 SY_ERR_SERVICE_NOT_FOUND. */
export function serviceFor(ctx: RequestContext): Service {
  const id = ctx.params.id;
  const service = ctx.store.getService(id);
  const scope = tenantScope(ctx.principal);
  if (service === null || (scope !== undefined && service.tenant !== scope)) {
    throw new ApiError('SY_ERR_SERVICE_NOT_FOUND', `no service with id "${id}"`);
  }
  return service;
}

/** Emits a platform event about a service, if an event sink is configured. */
export function emitEvent(ctx: RequestContext, type: string, data: Record<string, unknown>, serviceId: string | null = null): void {
  ctx.events?.emit(type, data, serviceId);
}
