import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packAny } from '../../../../src/xds/any.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import type { RouteConfiguration } from '../../../../src/xds/resources/route-configuration.types.js';
import { DecodeMemo } from '../../../../src/router/xds-client/decode-memo.js';
import { splitRouteConfiguration } from '../../../../src/router/xds-client/route-configuration-bytes.js';
import { CLUSTER_TYPE, ROUTE_CONFIGURATION_TYPE, decodeResourceAny } from '../../../../src/router/xds-client/resource-types.js';
import { decodeSotwResponse } from '../../../../src/router/xds-client/response-decoder.js';
import { ROUTE_CONFIGURATION_TYPE_URL } from '../../../../src/xds/type-urls.js';
import { xdsEdsCluster } from '../../../helpers/xds-resources.js';

function vhost(name: string, cluster = name, extra: ProtoObject = {}): ProtoObject {
  return { name, domains: [`${name}.example`], routes: [{ match: { prefix: '/' }, route: { cluster } }], ...extra };
}
function rc(vhosts: ProtoObject[], extra: ProtoObject = {}): ProtoObject {
  return { '@type': ROUTE_CONFIGURATION_TYPE_URL, name: 'ingress', virtual_hosts: vhosts, ...extra };
}
const sotw = (resources: unknown[], version = 'v') => ({ version_info: version, nonce: 'n', resources });

function decodeRds(memo: DecodeMemo, proto: ProtoObject) {
  const r = decodeSotwResponse(ROUTE_CONFIGURATION_TYPE, sotw([packAny(proto)]), null, 0, memo);
  assert.ok(r.ok, !r.ok ? r.message : '');
  return r.resources[0];
}

const equalCases: { name: string; proto: ProtoObject }[] = [
  { name: 'several virtual hosts', proto: rc([vhost('a'), vhost('b'), vhost('c', 'x', { require_tls: 'ALL' })]) },
  { name: 'no virtual hosts', proto: rc([]) },
  { name: 'fields after the virtual hosts', proto: rc([vhost('a')], { internal_only_headers: ['x-internal'], max_direct_response_body_size_bytes: { value: 10 } }) },
];
for (const c of equalCases) {
  test(`the memoized RDS decode equals the ordinary one: ${c.name}`, () => {
    const plain = decodeResourceAny(ROUTE_CONFIGURATION_TYPE, packAny(c.proto), 'resources[0]');
    assert.ok(plain.ok);
    const memoized = decodeRds(new DecodeMemo(), c.proto);
    assert.deepEqual(memoized.value, plain.value.value);
    assert.deepEqual(memoized.resource.proto, plain.value.proto);
  });
}

test('an unchanged virtual host decodes to the same object, a changed one anew, a removed one is gone', () => {
  const memo = new DecodeMemo();
  const first = decodeRds(memo, rc([vhost('a'), vhost('b'), vhost('c')])).value as RouteConfiguration;
  const second = decodeRds(memo, rc([vhost('a'), vhost('b', 'b2')])).value as RouteConfiguration;
  assert.equal(second.virtualHosts[0], first.virtualHosts[0]);
  assert.notEqual(second.virtualHosts[1], first.virtualHosts[1]);
  assert.equal(second.virtualHosts.length, 2);
  const third = decodeRds(memo, rc([vhost('a'), vhost('b'), vhost('c')])).value as RouteConfiguration;
  assert.equal(third.virtualHosts[0], first.virtualHosts[0]);
  assert.notEqual(third.virtualHosts[2], first.virtualHosts[2], 'c was not in the previous version: decoded again');
});

test('a virtual host in a route configuration with another max body size is not reused', () => {
  const memo = new DecodeMemo();
  const first = decodeRds(memo, rc([vhost('a')])).value as RouteConfiguration;
  const second = decodeRds(memo, rc([vhost('a')], { max_direct_response_body_size_bytes: { value: 10 } })).value as RouteConfiguration;
  assert.notEqual(second.virtualHosts[0], first.virtualHosts[0]);
});

test('errors are the ordinary decode\'s: a bad virtual host, a domain in two virtual hosts', () => {
  for (const proto of [rc([vhost('a'), { name: 'b', domains: [], routes: [] }]), rc([vhost('a'), { ...vhost('b'), domains: ['a.example'] }])]) {
    const memo = new DecodeMemo();
    decodeRds(memo, rc([vhost('a')]));
    const memoized = decodeSotwResponse(ROUTE_CONFIGURATION_TYPE, sotw([packAny(proto)]), null, 0, memo);
    const plain = decodeSotwResponse(ROUTE_CONFIGURATION_TYPE, sotw([packAny(proto)]), null, 0);
    assert.equal(memoized.ok, false);
    assert.equal(!memoized.ok && memoized.message, !plain.ok && plain.message);
  }
});

test('LDS/CDS/EDS: the same bytes give the same decoded object; a NACKed response does not replace the memo', () => {
  const memo = new DecodeMemo();
  const a = packAny(xdsEdsCluster('a'));
  const first = decodeSotwResponse(CLUSTER_TYPE, sotw([a, packAny(xdsEdsCluster('b'))]), null, 0, memo);
  const rejected = decodeSotwResponse(CLUSTER_TYPE, sotw([packAny(xdsEdsCluster('a', { lb_policy: 'CLUSTER_PROVIDED' }))]), null, 0, memo);
  assert.equal(rejected.ok, false);
  const second = decodeSotwResponse(CLUSTER_TYPE, sotw([packAny(xdsEdsCluster('a')), packAny(xdsEdsCluster('b', { connect_timeout: { seconds: 2 } }))], 'v2'), null, 0, memo);
  assert.ok(first.ok && second.ok);
  assert.equal(second.resources[0].value, first.resources[0].value);
  assert.notEqual(second.resources[1].value, first.resources[1].value);
  assert.equal(second.resources[0].version, 'v2');
});

test('splitRouteConfiguration: virtual hosts apart, the rest in order; garbage is refused', () => {
  const bytes = packAny(rc([vhost('a'), vhost('b')], { internal_only_headers: ['x-i'] })).value;
  const parts = splitRouteConfiguration(bytes);
  assert.ok(parts !== null);
  assert.equal(parts.virtualHosts.length, 2);
  assert.equal(parts.header.length + parts.virtualHosts.reduce((n, v) => n + v.length + 2, 0), bytes.length);
  assert.equal(splitRouteConfiguration(Buffer.from([0x12, 0x05, 0x01])), null, 'truncated');
  assert.equal(splitRouteConfiguration(Buffer.from([0x0b])), null, 'a group');
});
