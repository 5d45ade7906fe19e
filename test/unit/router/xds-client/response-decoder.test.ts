import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packAny } from '../../../../src/xds/any.js';
import { CLUSTER_TYPE, ROUTE_CONFIGURATION_TYPE } from '../../../../src/router/xds-client/resource-types.js';
import { decodeDeltaResponse, decodeSotwResponse } from '../../../../src/router/xds-client/response-decoder.js';
import { xdsEdsCluster, xdsRouteConfig } from '../../../helpers/xds-resources.js';

const sotw = (resources: unknown[]) => ({ version_info: 'v', nonce: 'n', resources });

const cases = [
  { name: 'valid resources are accepted with the response version', message: sotw([packAny(xdsEdsCluster('a')), packAny(xdsEdsCluster('b'))]), accepted: ['a', 'b'] },
  { name: 'an empty response is accepted (for LDS/CDS: delete everything)', message: sotw([]), accepted: [] },
  { name: 'a resource that does not decode rejects all', message: sotw([packAny(xdsEdsCluster('a')), packAny(xdsEdsCluster('b', { lb_policy: 'CLUSTER_PROVIDED' }))]), error: /^resources\[1\]\(b\)\.lbPolicy: / },
  { name: 'undecodable bytes reject all', message: sotw([{ type_url: CLUSTER_TYPE.typeUrl, value: Buffer.from([0xff, 0xff, 0xff]) }]), error: /^resources\[0\]: cannot decode/ },
  { name: 'a duplicate name rejects all', message: sotw([packAny(xdsEdsCluster('a')), packAny(xdsEdsCluster('a'))]), error: /resources\[1\]: duplicate resource name "a"/ },
  { name: 'a resource of another type rejects all', message: sotw([packAny(xdsRouteConfig('r', 'c'))]), error: /resources\[0\]: resource type .* does not match/ },
];

for (const c of cases) {
  test(`SotW: ${c.name}`, () => {
    const r = decodeSotwResponse(CLUSTER_TYPE, c.message, null);
    assert.equal(r.nonce, 'n');
    assert.equal(r.version, 'v');
    if (c.error !== undefined) {
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.message : '', c.error);
    } else {
      assert.ok(r.ok);
      assert.deepEqual(r.resources.map((x) => [x.name, x.version]), c.accepted!.map((n) => [n, 'v']));
    }
  });
}

test('SotW: resources that were not asked for are dropped, not rejected', () => {
  const r = decodeSotwResponse(ROUTE_CONFIGURATION_TYPE, sotw([packAny(xdsRouteConfig('r1', 'c')), packAny(xdsRouteConfig('r2', 'c'))]), new Set(['r2']));
  assert.ok(r.ok);
  assert.deepEqual(r.resources.map((x) => x.name), ['r2']);
});

test('Delta: per-resource versions, removed names, and Resource.name must match the content', () => {
  const ok = decodeDeltaResponse(CLUSTER_TYPE, { nonce: 'n', system_version_info: 's', resources: [{ name: 'a', version: '7', resource: packAny(xdsEdsCluster('a')) }], removed_resources: ['z'] }, null);
  assert.ok(ok.ok);
  assert.deepEqual(ok.resources.map((x) => [x.name, x.version]), [['a', '7']]);
  assert.deepEqual(ok.removed, ['z']);
  const bad = decodeDeltaResponse(CLUSTER_TYPE, { nonce: 'n', resources: [{ name: 'x', version: '1', resource: packAny(xdsEdsCluster('a')) }, { name: 'b', version: '1' }] }, null);
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.message : '', /resources\[0\]\.resource: the resource is named "a" but its Resource.name is "x"; resources\[1\]\.resource: is required/);
});
