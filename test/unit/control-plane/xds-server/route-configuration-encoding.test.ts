import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packRouteConfiguration } from '../../../../src/control-plane/xds-server/cache/route-configuration-encoding.js';
import { packAny, unpackAny } from '../../../../src/xds/any.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { ROUTE_CONFIGURATION_TYPE_URL } from '../../../../src/xds/type-urls.js';

const vhost = (name: string): ProtoObject => ({ name, domains: [`${name}.example`], routes: [{ match: { prefix: '/' }, route: { cluster: name } }] });
const rc = (vhosts: ProtoObject[], extra: ProtoObject = {}): ProtoObject => ({ '@type': ROUTE_CONFIGURATION_TYPE_URL, name: 'ingress', virtual_hosts: vhosts, ...extra });

test('a name-and-virtual-hosts RouteConfiguration encodes to the ordinary bytes', () => {
  const long = Array.from({ length: 300 }, (_, i) => vhost(`service-${i}-with-a-rather-long-name`));
  for (const proto of [rc([]), rc([vhost('a')]), rc(long)]) assert.deepEqual(packRouteConfiguration(proto), packAny(proto));
});

test('other fields come first and the message decodes the same', () => {
  const proto = rc([vhost('a'), vhost('b')], { internal_only_headers: ['x-i'] });
  const back = unpackAny(packRouteConfiguration(proto));
  assert.ok(back.ok);
  assert.deepEqual(back.value, unpackAny(packAny(proto)).ok ? (unpackAny(packAny(proto)) as { value: unknown }).value : null);
});

test('a virtual host object is encoded once; a new object with new content changes the bytes', () => {
  const a = vhost('a');
  const first = packRouteConfiguration(rc([a, vhost('b')]));
  const second = packRouteConfiguration(rc([a, vhost('b2')]));
  assert.notDeepEqual(first.value, second.value);
  assert.deepEqual(second, packAny(rc([a, vhost('b2')])));
});

test('a virtual host that does not fit the proto throws, naming it', () => {
  assert.throws(() => packRouteConfiguration(rc([vhost('a'), { name: 'b', no_such_field: 1 }])), /virtual_hosts\[1\]/);
});
