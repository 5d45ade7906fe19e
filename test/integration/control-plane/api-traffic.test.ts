import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApi } from './api-test-server.js';

test('traffic over a real socket: a 90/10 split with a tag, and a bad split answered field by field', async (t) => {
  const api = await startApi(t);
  const id = (await api.request('POST', '/v1/services', { name: 'web' })).json.id;
  await api.request('POST', `/v1/services/${id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: 9001 }] });
  await api.request('POST', `/v1/services/${id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: 9002 }] });
  const put = await api.request('PUT', `/v1/services/${id}/traffic`, { targets: [{ revision: 'rev-1', percent: 90 }, { revision: 'rev-2', percent: 10, tag: 'canary' }] });
  assert.equal(put.status, 200);
  assert.equal(put.json.targets[1].url, `http://canary---web-${id}.local.switchyard.localhost:8080`);
  assert.deepEqual((await api.request('GET', `/v1/services/${id}/traffic`)).json, put.json);
  const bad = await api.request('PUT', `/v1/services/${id}/traffic`, { targets: [{ revision: 'rev-1', percent: 90 }, { revision: 'rev-2', percent: 1.5 }] });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.error.errors, [{ path: 'targets[1].percent', message: 'must be an integer, got 1.5' }]);
});
