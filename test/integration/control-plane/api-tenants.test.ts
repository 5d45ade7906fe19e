import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApi } from './api-test-server.js';

test('tenants over a real socket: the admin creates a tenant, whose token sees only its own services', async (t) => {
  const api = await startApi(t, { adminToken: 'admin' });
  const created = await api.request('POST', '/v1/tenants', { name: 'acme' });
  assert.equal(created.status, 201);
  const token = created.json.token;
  assert.deepEqual((await api.request('GET', '/v1/tenants')).json.tenants.map((x: any) => x.name), ['default', 'acme']);
  const adminService = (await api.request('POST', '/v1/services', { name: 'internal' })).json.id;
  const own = await api.request('POST', '/v1/services', { name: 'shop' }, token);
  assert.equal(own.json.tenant, 'acme');
  assert.deepEqual((await api.request('GET', '/v1/services', undefined, token)).json.services.map((s: any) => s.name), ['shop']);
  assert.equal((await api.request('GET', `/v1/services/${adminService}`, undefined, token)).status, 404);
  assert.equal((await api.request('GET', '/v1/tenants', undefined, token)).status, 403);
  assert.equal((await api.request('GET', '/v1/tenants', undefined, 'nope')).status, 401);
});
