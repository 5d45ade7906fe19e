import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_TOKEN, apiFixture, createService, errorCode, fieldErrors } from './api-fixture.js';

test('open mode (no admin token): every caller is the admin', async (t) => {
  const f = apiFixture(t);
  assert.equal((await f.call('POST', '/v1/services', { name: 'web' }, null)).status, 201);
  assert.equal((await f.call('GET', '/v1/tenants', undefined, null)).status, 200);
  assert.equal((await f.call('GET', '/v1/services', undefined, 'some-stale-token')).status, 200, 'an unknown token is ignored in open mode');
});

test('open mode still confines a tenant token to its tenant', async (t) => {
  const f = apiFixture(t);
  const admins = await createService(f);
  const { token } = (await f.call('POST', '/v1/tenants', { name: 'acme' })).json as any;
  assert.equal((await f.call('GET', `/v1/services/${admins}`, undefined, token)).status, 404);
});

test('with an admin token, requests without or with a wrong token are 401 SY_ERR_UNAUTHORIZED', async (t) => {
  const f = apiFixture(t, { adminToken: ADMIN_TOKEN });
  for (const [method, url] of [
    ['GET', '/v1/services'],
    ['POST', '/v1/services'],
    ['GET', '/v1/tenants'],
    ['GET', '/v1/xds/clients'],
    ['GET', '/v1/config-versions'],
    ['GET', '/v1/services/abc/traffic'],
  ]) {
    for (const token of [null, 'wrong', `${ADMIN_TOKEN}x`]) {
      const res = await f.call(method, url, method === 'POST' ? { name: 'web' } : undefined, token);
      assert.equal(res.status, 401, `${method} ${url} with ${token}`);
      assert.equal(errorCode(res), 'SY_ERR_UNAUTHORIZED');
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="switchyard"');
    }
  }
  const malformed = await f.api.inject({ method: 'GET', url: '/v1/services', headers: { authorization: `Basic ${ADMIN_TOKEN}` } });
  assert.equal(malformed.status, 401);
  assert.equal(f.store.configVersion(), 0);
});

test('with an admin token, /healthz and /openapi.json stay open', async (t) => {
  const f = apiFixture(t, { adminToken: ADMIN_TOKEN });
  assert.equal((await f.call('GET', '/healthz', undefined, null)).status, 200);
  assert.equal((await f.call('GET', '/openapi.json', undefined, null)).status, 200);
});

test('the bearer scheme is case-insensitive', async (t) => {
  const f = apiFixture(t, { adminToken: ADMIN_TOKEN });
  const res = await f.api.inject({ method: 'GET', url: '/v1/services', headers: { authorization: `bearer ${ADMIN_TOKEN}` } });
  assert.equal(res.status, 200);
});

test('a tenant token sees and changes only its own services; another tenant’s service is 404, not 403', async (t) => {
  const f = apiFixture(t, { adminToken: ADMIN_TOKEN });
  const acme = ((await f.call('POST', '/v1/tenants', { name: 'acme' })).json as any).token as string;
  const globex = ((await f.call('POST', '/v1/tenants', { name: 'globex' })).json as any).token as string;
  const acmeService = await createService(f, { name: 'web' }, acme);
  const globexService = await createService(f, { name: 'web' }, globex);
  await f.call('POST', `/v1/services/${globexService}/revisions`, { endpoints: [{ address: '127.0.0.1', port: 1 }] }, globex);

  const listed = (await f.call('GET', '/v1/services?tenant=globex', undefined, acme)).json as any;
  assert.deepEqual(listed.services.map((s: any) => s.id), [acmeService], 'the tenant filter cannot widen a tenant token');

  const probes: [string, string, unknown?][] = [
    ['GET', `/v1/services/${globexService}`],
    ['PATCH', `/v1/services/${globexService}`, { port: 1 }],
    ['DELETE', `/v1/services/${globexService}`],
    ['POST', `/v1/services/${globexService}/revisions`, {}],
    ['GET', `/v1/services/${globexService}/revisions`],
    ['GET', `/v1/services/${globexService}/revisions/rev-1`],
    ['GET', `/v1/services/${globexService}/traffic`],
    ['PUT', `/v1/services/${globexService}/traffic`, { targets: [{ revision: 'rev-1', percent: 100 }] }],
    ['POST', `/v1/services/${globexService}/domains`, { name: 'x.example.com' }],
    ['GET', `/v1/services/${globexService}/domains`],
    ['DELETE', `/v1/services/${globexService}/domains/x.example.com`],
  ];
  const version = f.store.configVersion();
  for (const [method, url, body] of probes) {
    const res = await f.call(method, url, body, acme);
    assert.equal(res.status, 404, `${method} ${url}`);
    assert.equal(errorCode(res), 'SY_ERR_SERVICE_NOT_FOUND');
    assert.equal((res.json as any).error.message, `no service with id "${globexService}"`, 'same answer as a missing service');
  }
  assert.equal(f.store.configVersion(), version, 'no probe changed anything');
  assert.equal((await f.call('GET', `/v1/services/${acmeService}`, undefined, acme)).status, 200);
  assert.equal((await f.call('GET', `/v1/services/${globexService}`)).status, 200, 'the admin sees every tenant');
});

test('a tenant token creates services in its own tenant; naming another tenant is a 400', async (t) => {
  const f = apiFixture(t, { adminToken: ADMIN_TOKEN });
  const acme = ((await f.call('POST', '/v1/tenants', { name: 'acme' })).json as any).token as string;
  await f.call('POST', '/v1/tenants', { name: 'globex' });
  const own = await f.call('POST', '/v1/services', { name: 'web', tenant: 'acme' }, acme);
  assert.equal(own.status, 201);
  assert.equal((own.json as any).tenant, 'acme');
  const other = await f.call('POST', '/v1/services', { name: 'api', tenant: 'globex' }, acme);
  assert.equal(other.status, 400);
  assert.deepEqual(fieldErrors(other), ['tenant: a tenant token creates services only in its own tenant "acme", got "globex"']);
  const admin = await f.call('POST', '/v1/services', { name: 'web' });
  assert.equal((admin.json as any).tenant, 'default', 'the admin defaults to tenant "default"');
});

test('admin-only routes are 403 SY_ERR_FORBIDDEN for a tenant token', async (t) => {
  const f = apiFixture(t, { adminToken: ADMIN_TOKEN });
  const acme = ((await f.call('POST', '/v1/tenants', { name: 'acme' })).json as any).token as string;
  for (const [method, url] of [
    ['POST', '/v1/tenants'],
    ['GET', '/v1/tenants'],
    ['GET', '/v1/xds/clients'],
    ['GET', '/v1/config-versions'],
  ]) {
    const res = await f.call(method, url, method === 'POST' ? { name: 'evil' } : undefined, acme);
    assert.equal(res.status, 403, `${method} ${url}`);
    assert.equal(errorCode(res), 'SY_ERR_FORBIDDEN');
  }
});

test('POST /v1/tenants returns the token once; GET /v1/tenants never shows tokens', async (t) => {
  const f = apiFixture(t, { adminToken: ADMIN_TOKEN });
  const res = await f.call('POST', '/v1/tenants', { name: 'acme' });
  assert.equal(res.status, 201);
  const created = res.json as any;
  assert.match(created.id, /^[0-9a-z]{8}$/);
  assert.equal(created.name, 'acme');
  assert.match(created.token, /^sy_acme_/);
  const list = (await f.call('GET', '/v1/tenants')).json as any;
  assert.deepEqual(list.tenants.map((x: any) => x.name), ['default', 'acme']);
  assert.ok(!JSON.stringify(list).includes(created.token));
  assert.ok(list.tenants.every((x: any) => !('token' in x)));
  const dup = await f.call('POST', '/v1/tenants', { name: 'acme' });
  assert.equal(dup.status, 409);
  assert.equal(errorCode(dup), 'SY_ERR_TENANT_EXISTS');
  const bad = await f.call('POST', '/v1/tenants', { name: 'Not OK', extra: 1 });
  assert.deepEqual(fieldErrors(bad), ['name: must contain only lowercase letters, digits and \'-\', got "Not OK"', 'extra: is not a known field (allowed: name)']);
});

test('POST /v1/tenants/{name}/token issues a new token and retires the old one', async (t) => {
  const f = apiFixture(t, { adminToken: ADMIN_TOKEN });
  const old = ((await f.call('POST', '/v1/tenants', { name: 'acme' })).json as any).token as string;
  const rotated = await f.call('POST', '/v1/tenants/acme/token');
  assert.equal(rotated.status, 200);
  const fresh = (rotated.json as any).token as string;
  assert.notEqual(fresh, old);
  assert.equal((await f.call('GET', '/v1/services', undefined, old)).status, 401);
  assert.equal((await f.call('GET', '/v1/services', undefined, fresh)).status, 200);
  const forDefault = await f.call('POST', '/v1/tenants/default/token');
  assert.equal(forDefault.status, 200, "the built-in 'default' tenant can get a token too");
  const own = await f.call('POST', '/v1/services', { name: 'web' }, (forDefault.json as any).token);
  assert.equal((own.json as any).tenant, 'default');
  const missing = await f.call('POST', '/v1/tenants/nobody/token');
  assert.equal(missing.status, 404);
  assert.equal(errorCode(missing), 'SY_ERR_NOT_FOUND');
  assert.equal((await f.call('POST', '/v1/tenants/acme/token', undefined, fresh)).status, 403);
});
