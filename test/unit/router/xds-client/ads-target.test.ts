import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBootstrapText } from '../../../../src/router/bootstrap/load-bootstrap.js';
import { resolveAdsTarget } from '../../../../src/router/xds-client/ads-target.js';
import { nodeToProto } from '../../../../src/router/xds-client/node-proto.js';
import { adsBootstrap } from '../../../helpers/xds-test-server.js';

function bootstrapOf(doc: unknown) {
  const r = loadBootstrapText(JSON.stringify(doc), 'json');
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}

const cases = [
  { name: 'envoy_grpc: the static cluster\'s first endpoint', doc: adsBootstrap(9901, 18000, 'GRPC', 'envoy_grpc'), expected: { ok: true, target: '127.0.0.1:18000' } },
  { name: 'google_grpc: the target_uri as given', doc: adsBootstrap(9901, 18001, 'DELTA_GRPC', 'google_grpc'), expected: { ok: true, target: '127.0.0.1:18001' } },
  { name: 'no ads_config', doc: { node: { id: 'x' } }, expected: { ok: false, message: 'no dynamic_resources.ads_config' } },
];

for (const c of cases) {
  test(`resolveAdsTarget: ${c.name}`, () => {
    assert.deepEqual(resolveAdsTarget(bootstrapOf(c.doc)), c.expected);
  });
}

test('nodeToProto: locality and a Struct of the metadata, our user agent', () => {
  const doc = { ...adsBootstrap(1, 2), node: { id: 'r1', cluster: 'c', locality: { region: 'eu', zone: 'a' }, metadata: { n: 1, s: 'x', b: true, l: [1], o: { k: null } } } };
  const node = nodeToProto(bootstrapOf(doc).node);
  assert.deepEqual(node.locality, { region: 'eu', zone: 'a', sub_zone: '' });
  assert.deepEqual(node.metadata, {
    fields: {
      n: { number_value: 1 },
      s: { string_value: 'x' },
      b: { bool_value: true },
      l: { list_value: { values: [{ number_value: 1 }] } },
      o: { struct_value: { fields: { k: { null_value: 'NULL_VALUE' } } } },
    },
  });
  assert.equal(node.user_agent_name, 'switchyard');
});
