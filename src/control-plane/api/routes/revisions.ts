/** /v1/services/{id}/revisions: immutable versions of a service, deployed per its strategy. */
import { CREATE_REVISION_SCHEMA } from '../../model/schemas.js';
import { validateCreateRevision } from '../../model/validate-revision.js';
import { ApiError } from '../errors.js';
import { REVISION_SCHEMA, listOf } from '../response-schemas.js';
import type { Route } from '../route.js';
import { emitEvent, serviceFor } from '../service-access.js';

export const REVISION_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/services/{id}/revisions',
    summary:
      "Create the next revision (rev-1, rev-2, …). The first revision gets 100% of traffic; with the 'all-at-once' strategy a revision with endpoints takes 100% too, 'manual' leaves traffic alone.",
    access: 'tenant',
    tag: 'revisions',
    requestBody: CREATE_REVISION_SCHEMA,
    status: 201,
    response: REVISION_SCHEMA,
    errors: ['SY_ERR_VALIDATION', 'SY_ERR_SERVICE_NOT_FOUND'],
    handler(ctx) {
      const service = serviceFor(ctx);
      const result = validateCreateRevision(ctx.body);
      if (!result.ok) throw ApiError.validation(result.errors);
      const before = ctx.store.getTraffic(service.id);
      const revision = ctx.store.createRevision(service.id, result.value);
      const after = ctx.store.getTraffic(service.id);
      emitEvent(ctx, 'revision.created', { service: service.name, revision: revision.name, endpoints: revision.endpoints.length }, service.id);
      if (JSON.stringify(before) !== JSON.stringify(after)) emitEvent(ctx, 'traffic.updated', { service: service.name, targets: after }, service.id);
      return { status: 201, body: revision };
    },
  },
  {
    method: 'GET',
    path: '/v1/services/{id}/revisions',
    summary: 'The service’s revisions, oldest first.',
    access: 'tenant',
    tag: 'revisions',
    status: 200,
    response: listOf('revisions', REVISION_SCHEMA),
    errors: ['SY_ERR_SERVICE_NOT_FOUND'],
    handler(ctx) {
      return { status: 200, body: { revisions: ctx.store.listRevisions(serviceFor(ctx).id) } };
    },
  },
  {
    method: 'GET',
    path: '/v1/services/{id}/revisions/{revision}',
    summary: 'One revision.',
    access: 'tenant',
    tag: 'revisions',
    status: 200,
    response: REVISION_SCHEMA,
    errors: ['SY_ERR_SERVICE_NOT_FOUND', 'SY_ERR_REVISION_NOT_FOUND'],
    handler(ctx) {
      return { status: 200, body: ctx.store.getRevision(serviceFor(ctx).id, ctx.params.revision) };
    },
  },
];
