import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApi } from './api-test-server.js';

test('domains over a real socket: add, list, taken by another tenant (409), remove', async (t) => {
  const api = await startApi(t, { adminToken: 'admin' });
  const token = (await api.request('POST', '/v1/tenants', { name: 'acme' })).json.token;
  const mine = (await api.request('POST', '/v1/services', { name: 'web' })).json.id;
  const theirs = (await api.request('POST', '/v1/services', { name: 'web' }, token)).json.id;
  assert.equal((await api.request('POST', `/v1/services/${mine}/domains`, { name: 'app.example.com' })).status, 201);
  assert.deepEqual((await api.request('GET', `/v1/services/${mine}/domains`)).json.domains.map((d: any) => d.name), ['app.example.com']);
  const taken = await api.request('POST', `/v1/services/${theirs}/domains`, { name: 'app.example.com' }, token);
  assert.equal(taken.status, 409);
  assert.equal(taken.json.error.code, 'SY_ERR_DOMAIN_TAKEN');
  const removed = await api.request('DELETE', `/v1/services/${mine}/domains/app.example.com`);
  assert.equal(removed.status, 204);
  assert.equal((await api.request('POST', `/v1/services/${theirs}/domains`, { name: 'app.example.com' }, token)).status, 201);
});
