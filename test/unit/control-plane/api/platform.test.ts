import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_STATUS } from '../../../../src/control-plane/api/errors.js';
import { apiFixture, createService, errorCode, fieldErrors } from './api-fixture.js';

test('GET /v1/xds/clients answers what the injected function reports', async (t) => {
  const clients = [{ nodeId: 'router-1', region: 'local', types: {} }];
  const f = apiFixture(t, { xdsClients: () => clients });
  const res = await f.call('GET', '/v1/xds/clients');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { clients });
});

test('GET /v1/config-versions lists the history newest first, with the current version', async (t) => {
  const f = apiFixture(t);
  const id = await createService(f);
  await f.call('POST', `/v1/services/${id}/revisions`, {});
  await f.call('POST', `/v1/services/${id}/domains`, { name: 'a.example.com' });
  const res = await f.call('GET', '/v1/config-versions');
  assert.equal(res.status, 200);
  const body = res.json as any;
  assert.equal(body.current, 3);
  assert.deepEqual(body.versions.map((v: any) => v.version), [3, 2, 1]);
  assert.match(body.versions[0].reason, /^add domain a\.example\.com to service web/);
  assert.ok(!Number.isNaN(Date.parse(body.versions[0].createdAt)));
  const two = (await f.call('GET', '/v1/config-versions?limit=2')).json as any;
  assert.deepEqual(two.versions.map((v: any) => v.version), [3, 2]);
  for (const limit of ['0', '1001', 'abc', '-1', '1.5']) {
    const bad = await f.call('GET', `/v1/config-versions?limit=${limit}`);
    assert.equal(bad.status, 400, limit);
    assert.deepEqual(fieldErrors(bad), [`limit: must be 1–1000, got "${limit}"`]);
  }
});

test('GET /healthz answers ok and the config version', async (t) => {
  const f = apiFixture(t);
  await createService(f);
  assert.deepEqual((await f.call('GET', '/healthz')).json, { status: 'ok', configVersion: 1 });
});

test('an unknown path is 404 SY_ERR_NOT_FOUND; a known path with the wrong method is 405 with Allow', async (t) => {
  const f = apiFixture(t);
  const missing = await f.call('GET', '/v2/services');
  assert.equal(missing.status, 404);
  assert.equal(errorCode(missing), 'SY_ERR_NOT_FOUND');
  const wrong = await f.call('PUT', '/v1/services');
  assert.equal(wrong.status, 405);
  assert.equal(errorCode(wrong), 'SY_ERR_METHOD_NOT_ALLOWED');
  assert.equal(wrong.headers.allow, 'POST, GET');
  assert.equal((await f.call('GET', '/v1/services/')).status, 200, 'a trailing slash is the same path');
  assert.equal((await f.call('GET', '/v1/services/%E0%A4%A/traffic')).status, 404, 'a malformed escape matches nothing');
});

test('an unexpected failure is 500 SY_ERR_INTERNAL without internals in the answer', async (t) => {
  const f = apiFixture(t, {
    xdsClients: () => {
      throw new Error('secret internal detail');
    },
  });
  const res = await f.call('GET', '/v1/xds/clients');
  assert.equal(res.status, 500);
  assert.equal(errorCode(res), 'SY_ERR_INTERNAL');
  assert.doesNotMatch(res.body, /secret internal detail/);
});

test('every answer status comes from the one error table', () => {
  assert.equal(ERROR_STATUS.SY_ERR_VALIDATION, 400);
  assert.equal(ERROR_STATUS.SY_ERR_SERVICE_NOT_FOUND, 404);
  assert.equal(ERROR_STATUS.SY_ERR_REVISION_NOT_FOUND, 404);
  assert.equal(ERROR_STATUS.SY_ERR_NOT_FOUND, 404);
  assert.equal(ERROR_STATUS.SY_ERR_DOMAIN_TAKEN, 409);
  assert.equal(ERROR_STATUS.SY_ERR_SERVICE_EXISTS, 409);
  assert.equal(ERROR_STATUS.SY_ERR_UNAUTHORIZED, 401);
});
