import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApi } from './api-test-server.js';

test('services over a real socket: create, list, get, patch, delete, and error answers', async (t) => {
  const api = await startApi(t, { adminToken: 'admin' });
  const created = await api.request('POST', '/v1/services', { name: 'web', port: 3000 });
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('content-type'), 'application/json; charset=utf-8');
  const id = created.json.id;
  assert.equal(created.json.url, `http://web-${id}.local.switchyard.localhost:8080`);
  assert.deepEqual((await api.request('GET', '/v1/services')).json.services.map((s: any) => s.id), [id]);
  assert.equal((await api.request('GET', `/v1/services/${id}`)).json.port, 3000);
  assert.equal((await api.request('PATCH', `/v1/services/${id}`, { port: 4000 })).json.port, 4000);

  const invalid = await api.request('POST', '/v1/services', { name: 'web', healthCheck: { intervalMs: 0 } });
  assert.equal(invalid.status, 400);
  assert.deepEqual(invalid.json.error.errors, [{ path: 'healthCheck.intervalMs', message: 'must be 1000–20000, got 0' }]);
  assert.equal((await api.request('POST', '/v1/services', '{oops')).json.error.code, 'SY_ERR_INVALID_JSON');
  assert.equal((await api.request('POST', '/v1/services', { name: 'web' })).status, 409);
  assert.equal((await api.request('GET', '/v1/services', undefined, null)).status, 401);

  assert.equal((await api.request('DELETE', `/v1/services/${id}`)).json.status, 'DELETED');
  assert.equal((await api.request('GET', `/v1/services/${id}`)).status, 404);
});
