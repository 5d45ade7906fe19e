/** /v1/services/{id}/traffic: the split between revisions and their tags. */
import { TRAFFIC_SCHEMA } from '../../model/schemas.js';
import { validateTraffic } from '../../model/validate-traffic.js';
import { ApiError } from '../errors.js';
import { TRAFFIC_VIEW_SCHEMA } from '../response-schemas.js';
import type { Route } from '../route.js';
import { emitEvent, serviceFor } from '../service-access.js';
import { trafficView } from '../views.js';

export const TRAFFIC_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/services/{id}/traffic',
    summary: 'The current split; tagged targets carry their own URL.',
    access: 'tenant',
    tag: 'traffic',
    status: 200,
    response: TRAFFIC_VIEW_SCHEMA,
    errors: ['SY_ERR_SERVICE_NOT_FOUND'],
    handler(ctx) {
      const service = serviceFor(ctx);
      return { status: 200, body: { targets: trafficView(service, ctx.store.getTraffic(service.id), ctx.store.options.httpPort) } };
    },
  },
  {
    method: 'PUT',
    path: '/v1/services/{id}/traffic',
    summary: 'Replace the split: integer percents summing to 100, existing revisions, each once, unique DNS-label tags.',
    access: 'tenant',
    tag: 'traffic',
    requestBody: TRAFFIC_SCHEMA,
    status: 200,
    response: TRAFFIC_VIEW_SCHEMA,
    errors: ['SY_ERR_VALIDATION', 'SY_ERR_SERVICE_NOT_FOUND'],
    handler(ctx) {
      const service = serviceFor(ctx);
      const revisions = ctx.store.listRevisions(service.id).map((r) => r.name);
      const result = validateTraffic(ctx.body, { serviceName: service.name, revisions });
      if (!result.ok) throw ApiError.validation(result.errors);
      const targets = ctx.store.setTraffic(service.id, result.value);
      emitEvent(ctx, 'traffic.updated', { service: service.name, targets }, service.id);
      return { status: 200, body: { targets: trafficView(service, targets, ctx.store.options.httpPort) } };
    },
  },
];
