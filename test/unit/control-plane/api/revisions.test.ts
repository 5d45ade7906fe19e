import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiFixture, createService, errorCode, fieldErrors } from './api-fixture.js';

const ep = (port: number) => ({ address: '127.0.0.1', port });

test('POST /v1/services/{id}/revisions creates rev-1, rev-2… (201) and GET lists them oldest first', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  const r1 = await f.call('POST', `/v1/services/${id}/revisions`, { command: 'node', args: ['app.js'], env: { PORT: '9000' }, endpoints: [ep(9000)] });
  assert.equal(r1.status, 201);
  assert.deepEqual({ ...(r1.json as any), createdAt: undefined }, { serviceId: id, name: 'rev-1', number: 1, command: 'node', args: ['app.js'], env: { PORT: '9000' }, endpoints: [ep(9000)], createdAt: undefined });
  const r2 = await f.call('POST', `/v1/services/${id}/revisions`);
  assert.equal(r2.status, 201, 'an empty body is a valid revision');
  assert.equal((r2.json as any).name, 'rev-2');
  const list = await f.call('GET', `/v1/services/${id}/revisions`);
  assert.equal(list.status, 200);
  assert.deepEqual((list.json as any).revisions.map((r: any) => r.name), ['rev-1', 'rev-2']);
  const one = await f.call('GET', `/v1/services/${id}/revisions/rev-1`);
  assert.deepEqual(one.json, r1.json);
});

test('a new revision moves traffic per the deployment strategy and says so in events', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  await f.call('POST', `/v1/services/${id}/revisions`, { endpoints: [ep(1)] });
  await f.call('POST', `/v1/services/${id}/revisions`, { endpoints: [ep(2)] });
  assert.deepEqual(((await f.call('GET', `/v1/services/${id}/traffic`)).json as any).targets, [{ revision: 'rev-2', percent: 100, tag: null, url: null }]);
  await f.call('PATCH', `/v1/services/${id}`, { deployment: { strategy: 'manual' } });
  await f.call('POST', `/v1/services/${id}/revisions`, { endpoints: [ep(3)] });
  assert.deepEqual(((await f.call('GET', `/v1/services/${id}/traffic`)).json as any).targets.map((x: any) => x.revision), ['rev-2']);
  assert.deepEqual(
    f.events.map((e) => e.type),
    ['service.created', 'revision.created', 'traffic.updated', 'revision.created', 'traffic.updated', 'service.updated', 'revision.created'],
  );
});

test('a bad revision body lists every field error', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  const res = await f.call('POST', `/v1/services/${id}/revisions`, { endpoints: [{ address: 'my-host', port: 0 }, ep(1), ep(1)], env: { 'BAD-NAME': 'x' }, image: 'x' });
  assert.equal(res.status, 400);
  assert.deepEqual(fieldErrors(res), [
    'endpoints[0].address: must be an IPv4 or IPv6 address (endpoints are not resolved by DNS), got "my-host"',
    'endpoints[0].port: must be 1–65535, got 0',
    'image: is not a known field (allowed: command, args, env, endpoints)',
    'env.BAD-NAME: must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got "BAD-NAME"',
    'endpoints[2]: duplicates endpoints[1] (127.0.0.1 port 1)',
  ]);
  assert.deepEqual(((await f.call('GET', `/v1/services/${id}/revisions`)).json as any).revisions, []);
});

test('unknown services and revisions are 404 with their own codes', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  for (const [method, url] of [
    ['POST', '/v1/services/nosuch00/revisions'],
    ['GET', '/v1/services/nosuch00/revisions'],
    ['GET', '/v1/services/nosuch00/revisions/rev-1'],
  ]) {
    const res = await f.call(method, url, method === 'POST' ? {} : undefined);
    assert.equal(res.status, 404, url);
    assert.equal(errorCode(res), 'SY_ERR_SERVICE_NOT_FOUND');
  }
  const res = await f.call('GET', `/v1/services/${id}/revisions/rev-7`);
  assert.equal(res.status, 404);
  assert.equal(errorCode(res), 'SY_ERR_REVISION_NOT_FOUND');
});
