import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApi } from './api-test-server.js';

test('revisions over a real socket: rev-1 and rev-2 with endpoints, listed, fetched, and kept in the data directory', async (t) => {
  const api = await startApi(t);
  const id = (await api.request('POST', '/v1/services', { name: 'web' })).json.id;
  const r1 = await api.request('POST', `/v1/services/${id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: 9001 }] });
  assert.equal(r1.status, 201);
  assert.equal(r1.json.name, 'rev-1');
  const r2 = await api.request('POST', `/v1/services/${id}/revisions`, { env: { MODE: 'blue' }, endpoints: [{ address: '::1', port: 9002 }] });
  assert.equal(r2.json.name, 'rev-2');
  const list = await api.request('GET', `/v1/services/${id}/revisions`);
  assert.deepEqual(list.json.revisions.map((r: any) => [r.name, r.endpoints]), [
    ['rev-1', [{ address: '127.0.0.1', port: 9001 }]],
    ['rev-2', [{ address: '::1', port: 9002 }]],
  ]);
  assert.deepEqual((await api.request('GET', `/v1/services/${id}/revisions/rev-2`)).json.env, { MODE: 'blue' });
  assert.equal((await api.request('GET', `/v1/services/${id}/revisions/rev-3`)).json.error.code, 'SY_ERR_REVISION_NOT_FOUND');
  const state = api.store.readPlatformState('local', { listenAddress: '127.0.0.1', httpPort: 8080, baseDomain: 'switchyard.localhost' });
  assert.deepEqual(state.services[0].traffic, [{ revision: 'rev-2', percent: 100, tag: null }]);
});
