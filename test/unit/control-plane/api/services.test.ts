import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiFixture, createService, errorCode, fieldErrors } from './api-fixture.js';

test('POST /v1/services creates a service: 201 with id, url, status and defaults', async (t) => {
  const f = apiFixture(t);
  const res = await f.call('POST', '/v1/services', { name: 'web', port: 3000, healthCheck: { protocol: 'HTTP', path: '/ready' } });
  assert.equal(res.status, 201);
  const s = res.json as Record<string, any>;
  assert.match(s.id, /^[0-9a-z]{8}$/);
  assert.equal(s.url, `http://web-${s.id}.local.switchyard.localhost:8080`);
  assert.equal(s.status, 'CREATED');
  assert.equal(s.tenant, 'default');
  assert.equal(s.port, 3000);
  assert.deepEqual(s.healthCheck, { protocol: 'HTTP', path: '/ready', intervalMs: 5000, timeoutMs: 2000, healthyThreshold: 1, unhealthyThreshold: 5 });
  assert.deepEqual([s.latestRevision, s.traffic, s.domains], [null, [], []]);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(f.events.map((e) => [e.type, e.serviceId]), [['service.created', s.id]]);
});

test('POST /v1/services answers 400 SY_ERR_VALIDATION with every field error and its path', async (t) => {
  const f = apiFixture(t);
  const res = await f.call('POST', '/v1/services', { name: 'Web!', healthCheck: { intervalMs: 0, unhealthyThreshold: 50 }, autoscaling: { maxConcurrency: 0 }, color: 'blue' });
  assert.equal(res.status, 400);
  assert.equal(errorCode(res), 'SY_ERR_VALIDATION');
  assert.deepEqual(fieldErrors(res), [
    'name: must contain only lowercase letters, digits and \'-\', got "Web!"',
    'healthCheck.intervalMs: must be 1000–20000, got 0',
    'healthCheck.unhealthyThreshold: must be 1–20, got 50',
    'autoscaling.maxConcurrency: must be 1–200, got 0',
    'color: is not a known field (allowed: name, tenant, region, port, healthCheck, autoscaling, routing, rateLimit, deployment)',
  ]);
  assert.match((res.json as any).error.message, /^`name` must contain .*; `healthCheck.intervalMs` must be 1000–20000, got 0; /);
  assert.equal(f.store.configVersion(), 0, 'nothing was written');
});

for (const [name, body, headers, status, code] of [
  ['invalid JSON', '{"name": ', {}, 400, 'SY_ERR_INVALID_JSON'],
  ['no body', undefined, {}, 400, 'SY_ERR_VALIDATION'],
  ['a JSON list', '[1]', {}, 400, 'SY_ERR_VALIDATION'],
  ['a non-JSON content type', 'name=web', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'SY_ERR_UNSUPPORTED_MEDIA_TYPE'],
  ['a body over 1 MiB', JSON.stringify({ name: 'x'.repeat(1_100_000) }), {}, 413, 'SY_ERR_PAYLOAD_TOO_LARGE'],
] as const) {
  test(`POST /v1/services with ${name} → ${status} ${code}`, async (t) => {
    const f = apiFixture(t);
    const res = await f.api.inject({ method: 'POST', url: '/v1/services', body, headers });
    assert.equal(res.status, status);
    assert.equal(errorCode(res), code);
    assert.ok(Array.isArray((res.json as any).error.errors));
    if (status === 413) assert.equal(res.headers.connection, 'close', 'the unread rest of the body is not drained');
  });
}

test('a second service with the same name in the tenant is 409 SY_ERR_SERVICE_EXISTS', async (t) => {
  const f = apiFixture(t);
  await createService(f);
  const res = await f.call('POST', '/v1/services', { name: 'web' });
  assert.equal(res.status, 409);
  assert.equal(errorCode(res), 'SY_ERR_SERVICE_EXISTS');
});

test('the admin may name a tenant (it must exist) and a region', async (t) => {
  const f = apiFixture(t);
  await f.call('POST', '/v1/tenants', { name: 'acme' });
  const res = await f.call('POST', '/v1/services', { name: 'web', tenant: 'acme', region: 'eu-west' });
  assert.equal(res.status, 201);
  assert.equal((res.json as any).tenant, 'acme');
  assert.match((res.json as any).url, /\.eu-west\.switchyard\.localhost:8080$/);
  const unknown = await f.call('POST', '/v1/services', { name: 'web', tenant: 'nobody' });
  assert.equal(unknown.status, 400);
  assert.deepEqual(fieldErrors(unknown), ['tenant: unknown tenant "nobody" (create it with POST /v1/tenants)']);
});

test('GET /v1/services lists live services, filtered by tenant and region', async (t) => {
  const f = apiFixture(t);
  await f.call('POST', '/v1/tenants', { name: 'acme' });
  const a = await createService(f, { name: 'a' });
  const b = await createService(f, { name: 'b', tenant: 'acme', region: 'eu' });
  const ids = async (url: string) => ((await f.call('GET', url)).json as any).services.map((s: any) => s.id);
  assert.deepEqual(await ids('/v1/services'), [a, b]);
  assert.deepEqual(await ids('/v1/services?tenant=acme'), [b]);
  assert.deepEqual(await ids('/v1/services?region=local'), [a]);
});

test('GET /v1/services/{id} shows the service with its latest revision, traffic and domains; unknown ids are 404', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  await f.call('POST', `/v1/services/${id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: 9000 }] });
  await f.call('POST', `/v1/services/${id}/domains`, { name: 'app.example.com' });
  const res = await f.call('GET', `/v1/services/${id}`);
  assert.equal(res.status, 200);
  const s = res.json as any;
  assert.equal(s.status, 'RUNNING');
  assert.equal(s.latestRevision, 'rev-1');
  assert.deepEqual(s.traffic, [{ revision: 'rev-1', percent: 100, tag: null, url: null }]);
  assert.deepEqual(s.domains, ['app.example.com']);
  const missing = await f.call('GET', '/v1/services/nosuch00');
  assert.equal(missing.status, 404);
  assert.equal(errorCode(missing), 'SY_ERR_SERVICE_NOT_FOUND');
});

test('PATCH /v1/services/{id} changes settings and validates the merged result', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f, { name: 'web', autoscaling: { minInstances: 2 } });
  const ok = await f.call('PATCH', `/v1/services/${id}`, { routing: { lbPolicy: 'RING_HASH' }, deployment: { strategy: 'manual' } });
  assert.equal(ok.status, 200);
  assert.equal((ok.json as any).routing.lbPolicy, 'RING_HASH');
  assert.equal((ok.json as any).routing.requestTimeoutMs, 15000);
  assert.equal((ok.json as any).deployment.strategy, 'manual');
  const bad = await f.call('PATCH', `/v1/services/${id}`, { autoscaling: { maxInstances: 1 }, name: 'other' });
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldErrors(bad).map((l) => l.split(':')[0]), ['name', 'autoscaling.minInstances'], 'shape and cross-field errors in one answer');
  const cross = await f.call('PATCH', `/v1/services/${id}`, { autoscaling: { maxInstances: 1 } });
  assert.deepEqual(fieldErrors(cross), ['autoscaling.minInstances: must not exceed autoscaling.maxInstances (1), got 2']);
  assert.equal((await f.call('PATCH', '/v1/services/nosuch00', {})).status, 404);
});

test('DELETE /v1/services/{id} answers the deleted service; afterwards it is 404 and its name is free', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  const res = await f.call('DELETE', `/v1/services/${id}`);
  assert.equal(res.status, 200);
  assert.equal((res.json as any).status, 'DELETED');
  assert.equal((await f.call('GET', `/v1/services/${id}`)).status, 404);
  assert.equal((await f.call('DELETE', `/v1/services/${id}`)).status, 404);
  assert.deepEqual(((await f.call('GET', '/v1/services')).json as any).services, []);
  assert.equal((await f.call('POST', '/v1/services', { name: 'web' })).status, 201);
  assert.deepEqual(f.events.map((e) => e.type), ['service.created', 'service.deleted', 'service.created']);
});
