import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiListenerName,
  clusterName,
  grpcClusterName,
  INGRESS_HTTP_LISTENER_NAME,
  INGRESS_ROUTE_CONFIG_NAME,
  tagHost,
  tagVirtualHostName,
  virtualHostName,
} from '../../../../src/control-plane/translate/names.js';

const HOST = 'shop-a1b2c3d4.local.switchyard.localhost';

const cases: { name: string; actual: () => string; expected: string }[] = [
  { name: 'clusterName is <service-id>--<revision>', actual: () => clusterName('a1b2c3d4', 'rev-1'), expected: 'a1b2c3d4--rev-1' },
  { name: 'grpcClusterName adds --grpc', actual: () => grpcClusterName('a1b2c3d4', 'rev-12'), expected: 'a1b2c3d4--rev-12--grpc' },
  { name: 'tagHost is <tag>---<host>', actual: () => tagHost('canary', HOST), expected: `canary---${HOST}` },
  { name: 'virtualHostName is the service id', actual: () => virtualHostName('a1b2c3d4'), expected: 'a1b2c3d4' },
  { name: 'tagVirtualHostName is <service-id>--tag--<tag>', actual: () => tagVirtualHostName('a1b2c3d4', 'canary'), expected: 'a1b2c3d4--tag--canary' },
  { name: 'apiListenerName is the service host (what xds:///<host> asks for)', actual: () => apiListenerName(HOST), expected: HOST },
  { name: 'the ingress listener name', actual: () => INGRESS_HTTP_LISTENER_NAME, expected: 'ingress_http' },
  { name: 'the ingress route configuration name', actual: () => INGRESS_ROUTE_CONFIG_NAME, expected: 'ingress' },
];

for (const c of cases) test(c.name, () => assert.equal(c.actual(), c.expected));

test('names of different services or revisions never collide', () => {
  const names = new Set<string>();
  for (const id of ['a1b2c3d4', 'b2c3d4e5']) {
    for (const rev of ['rev-1', 'rev-2', 'rev-10']) {
      names.add(clusterName(id, rev));
      names.add(grpcClusterName(id, rev));
    }
    names.add(virtualHostName(id));
    names.add(tagVirtualHostName(id, 'canary'));
  }
  assert.equal(names.size, 2 * (3 * 2 + 2));
});
