import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApi } from './api-test-server.js';

test('platform routes over a real socket: healthz and openapi open, xds clients and config versions for the admin', async (t) => {
  const api = await startApi(t, { adminToken: 'admin', xdsClients: () => [{ nodeId: 'router-1' }] });
  assert.deepEqual((await api.request('GET', '/healthz', undefined, null)).json, { status: 'ok', configVersion: 0 });
  const doc = await api.request('GET', '/openapi.json', undefined, null);
  assert.equal(doc.status, 200);
  assert.ok(doc.json.paths['/v1/services/{id}/traffic'].put);
  assert.deepEqual((await api.request('GET', '/v1/xds/clients')).json, { clients: [{ nodeId: 'router-1' }] });
  await api.request('POST', '/v1/services', { name: 'web' });
  const versions = await api.request('GET', '/v1/config-versions?limit=5');
  assert.equal(versions.json.current, 1);
  assert.match(versions.json.versions[0].reason, /^create service web \(/);
  const wrong = await api.request('DELETE', '/v1/tenants');
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'POST, GET');
});
