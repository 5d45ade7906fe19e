import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiFixture, createService, errorCode, fieldErrors, type ApiFixture } from './api-fixture.js';

async function serviceWithRevisions(f: ApiFixture, n: number): Promise<string> {
  const id = await createService(f);
  for (let i = 0; i < n; i++) await f.call('POST', `/v1/services/${id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: 9000 + i }] });
  return id;
}

test('PUT /v1/services/{id}/traffic replaces the split; tagged targets get their own URL', async (t) => {
  const f = apiFixture(t);
  const id = await serviceWithRevisions(f, 2);
  const res = await f.call('PUT', `/v1/services/${id}/traffic`, { targets: [{ revision: 'rev-1', percent: 90 }, { revision: 'rev-2', percent: 10, tag: 'canary' }] });
  assert.equal(res.status, 200);
  const expected = [
    { revision: 'rev-1', percent: 90, tag: null, url: null },
    { revision: 'rev-2', percent: 10, tag: 'canary', url: `http://canary---web-${id}.local.switchyard.localhost:8080` },
  ];
  assert.deepEqual((res.json as any).targets, expected);
  assert.deepEqual(((await f.call('GET', `/v1/services/${id}/traffic`)).json as any).targets, expected);
  assert.equal(f.events.at(-1)?.type, 'traffic.updated');
});

test('a bad split answers every field error with its path', async (t) => {
  const f = apiFixture(t);
  const id = await serviceWithRevisions(f, 2);
  const res = await f.call('PUT', `/v1/services/${id}/traffic`, {
    targets: [{ revision: 'rev-1', percent: 50, tag: 'x' }, { revision: 'rev-2', percent: -5 }, { revision: 'rev-3', percent: 20, tag: 'x' }],
  });
  assert.equal(res.status, 400);
  assert.equal(errorCode(res), 'SY_ERR_VALIDATION');
  assert.deepEqual(fieldErrors(res), [
    'targets[1].percent: must be 0–100, got -5',
    'targets[2].revision: unknown revision "rev-3" (the service has rev-1, rev-2)',
    'targets[2].tag: duplicates targets[0].tag "x"',
  ]);
  const sum = await f.call('PUT', `/v1/services/${id}/traffic`, { targets: [{ revision: 'rev-1', percent: 50 }, { revision: 'rev-2', percent: 49 }] });
  assert.deepEqual(fieldErrors(sum), ['targets: percents must sum to 100, got 99']);
  const empty = await f.call('PUT', `/v1/services/${id}/traffic`, { targets: [] });
  assert.deepEqual(fieldErrors(empty), ['targets: must have at least 1 item, got 0']);
  assert.deepEqual(((await f.call('GET', `/v1/services/${id}/traffic`)).json as any).targets.map((x: any) => [x.revision, x.percent]), [['rev-2', 100]]);
});

test('traffic of an unknown service is 404', async (t) => {
  const f = apiFixture(t);
  assert.equal(errorCode(await f.call('GET', '/v1/services/nosuch00/traffic')), 'SY_ERR_SERVICE_NOT_FOUND');
  assert.equal(errorCode(await f.call('PUT', '/v1/services/nosuch00/traffic', { targets: [] })), 'SY_ERR_SERVICE_NOT_FOUND');
});
