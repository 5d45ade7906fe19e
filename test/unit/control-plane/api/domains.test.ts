import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiFixture, createService, errorCode, fieldErrors } from './api-fixture.js';

test('POST/GET/DELETE /v1/services/{id}/domains', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  const added = await f.call('POST', `/v1/services/${id}/domains`, { name: 'Shop.Example.com' });
  assert.equal(added.status, 201);
  assert.deepEqual({ ...(added.json as any), createdAt: undefined }, { name: 'shop.example.com', serviceId: id, createdAt: undefined });
  const list = await f.call('GET', `/v1/services/${id}/domains`);
  assert.deepEqual((list.json as any).domains.map((d: any) => d.name), ['shop.example.com']);
  const removed = await f.call('DELETE', `/v1/services/${id}/domains/shop.example.com`);
  assert.equal(removed.status, 204);
  assert.equal(removed.body, '');
  const again = await f.call('DELETE', `/v1/services/${id}/domains/shop.example.com`);
  assert.equal(again.status, 404);
  assert.equal(errorCode(again), 'SY_ERR_NOT_FOUND');
  assert.deepEqual(f.events.map((e) => e.type), ['service.created', 'domain.added', 'domain.removed']);
});

test('a domain already used by any service, of any tenant, is 409 SY_ERR_DOMAIN_TAKEN', async (t) => {
  const f = apiFixture(t);
  const { token } = (await f.call('POST', '/v1/tenants', { name: 'acme' })).json as any;
  const mine = await createService(f);
  const theirs = await createService(f, { name: 'web' }, token);
  assert.equal((await f.call('POST', `/v1/services/${mine}/domains`, { name: 'app.example.com' })).status, 201);
  const taken = await f.call('POST', `/v1/services/${theirs}/domains`, { name: 'APP.example.com' }, token);
  assert.equal(taken.status, 409);
  assert.equal(errorCode(taken), 'SY_ERR_DOMAIN_TAKEN');
  assert.doesNotMatch((taken.json as any).error.message, new RegExp(mine), 'does not reveal whose it is');
});

test('domains under the platform base domain and malformed names are 400', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  const res = await f.call('POST', `/v1/services/${id}/domains`, { name: `other-abcd1234.local.switchyard.localhost` });
  assert.deepEqual(fieldErrors(res), ['name: must not be under the platform\'s base domain "switchyard.localhost", got "other-abcd1234.local.switchyard.localhost"']);
  const bad = await f.call('POST', `/v1/services/${id}/domains`, { name: 'not a domain' });
  assert.equal(bad.status, 400);
  assert.equal(errorCode(await f.call('POST', '/v1/services/nosuch00/domains', { name: 'a.example.com' })), 'SY_ERR_SERVICE_NOT_FOUND');
  assert.equal(errorCode(await f.call('GET', '/v1/services/nosuch00/domains')), 'SY_ERR_SERVICE_NOT_FOUND');
});
