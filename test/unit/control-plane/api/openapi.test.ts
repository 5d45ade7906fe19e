import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_STATUS } from '../../../../src/control-plane/api/errors.js';
import { CREATE_SERVICE_SCHEMA, TRAFFIC_SCHEMA } from '../../../../src/control-plane/model/schemas.js';
import { toOpenApiSchema } from '../../../../src/control-plane/api/openapi.js';
import { apiFixture } from './api-fixture.js';

const EXPECTED_OPERATIONS = [
  'post /v1/services',
  'get /v1/services',
  'get /v1/services/{id}',
  'patch /v1/services/{id}',
  'delete /v1/services/{id}',
  'post /v1/services/{id}/revisions',
  'get /v1/services/{id}/revisions',
  'get /v1/services/{id}/revisions/{revision}',
  'get /v1/services/{id}/traffic',
  'put /v1/services/{id}/traffic',
  'post /v1/services/{id}/domains',
  'get /v1/services/{id}/domains',
  'delete /v1/services/{id}/domains/{domain}',
  'post /v1/tenants',
  'get /v1/tenants',
  'post /v1/tenants/{name}/token',
  'get /v1/xds/clients',
  'get /v1/config-versions',
  'get /v1/events',
  'get /healthz',
  'get /openapi.json',
];

test('GET /openapi.json is an OpenAPI 3 document listing every route', async (t) => {
  const f = apiFixture(t);
  const res = await f.call('GET', '/openapi.json');
  assert.equal(res.status, 200);
  const doc = JSON.parse(res.body);
  assert.match(doc.openapi, /^3\.0\.\d$/);
  assert.equal(typeof doc.info.title, 'string');
  const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
  assert.deepEqual(operations.sort(), [...EXPECTED_OPERATIONS].sort());
  assert.deepEqual(f.api.routes.map((r) => `${r.method.toLowerCase()} ${r.path}`).sort(), [...EXPECTED_OPERATIONS].sort());
});

test('the document’s body schemas are the validators’ schemas', async (t) => {
  const f = apiFixture(t);
  const doc = (await f.call('GET', '/openapi.json')).json as any;
  assert.deepEqual(doc.paths['/v1/services'].post.requestBody.content['application/json'].schema, toOpenApiSchema(CREATE_SERVICE_SCHEMA));
  assert.deepEqual(doc.paths['/v1/services/{id}/traffic'].put.requestBody.content['application/json'].schema, toOpenApiSchema(TRAFFIC_SCHEMA));
  const interval = doc.paths['/v1/services'].post.requestBody.content['application/json'].schema.properties.healthCheck.properties.intervalMs;
  assert.deepEqual(interval, { type: 'integer', minimum: 1000, maximum: 20000, default: 5000 });
});

test('every operation is well formed: path parameters declared, responses typed, security set, refs resolve', async (t) => {
  const f = apiFixture(t);
  const doc = (await f.call('GET', '/openapi.json')).json as any;
  const ids = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method} ${path}`;
      assert.ok(!ids.has(op.operationId), `unique operationId ${op.operationId}`);
      ids.add(op.operationId);
      const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
      assert.deepEqual(declared, [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]), where);
      assert.ok(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${where} has a success response`);
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) >= 400) {
          assert.deepEqual(response.content['application/json'].schema, { $ref: '#/components/schemas/Error' }, where);
          for (const code of String(response.description).split(', ')) assert.equal(ERROR_STATUS[code as keyof typeof ERROR_STATUS], Number(status), `${where} ${code}`);
        }
      }
      assert.ok(Array.isArray(op.security), where);
    }
  }
  const text = JSON.stringify(doc);
  for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(doc.components.schemas[m[1]], m[1]);
  assert.doesNotMatch(text, /"required":\[\]/, 'OpenAPI 3.0 forbids empty required lists');
  assert.equal(doc.paths['/healthz'].get.security.length, 0);
  assert.deepEqual(doc.paths['/v1/services'].get.security, [{ bearer: [] }]);
});
