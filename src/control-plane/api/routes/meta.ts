/** Open routes: liveness and the OpenAPI document. */
import { integer, object, string } from '../../model/schema.js';
import type { Route } from '../route.js';

export function metaRoutes(openApiDocument: () => Record<string, unknown>): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      summary: 'Liveness: the API answers and the store is readable.',
      access: 'open',
      tag: 'meta',
      status: 200,
      response: object({ status: string(), configVersion: integer(0, 1e12) }),
      handler(ctx) {
        return { status: 200, body: { status: 'ok', configVersion: ctx.store.configVersion() } };
      },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      summary: 'This document.',
      access: 'open',
      tag: 'meta',
      status: 200,
      response: { type: 'object', description: 'An OpenAPI 3.0 document.' },
      handler() {
        return { status: 200, body: openApiDocument() };
      },
    },
  ];
}
