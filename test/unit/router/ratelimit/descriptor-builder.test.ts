import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { clientAddress } from '../../../../src/router/http/client-address.js';
import { DescriptorBuilder, type DescriptorInput } from '../../../../src/router/ratelimit/descriptor-builder.js';

function input(headers: string[], remoteAddress = '10.0.0.7'): DescriptorInput {
  return { request: { method: 'GET', path: '/p', query: '', headers, scheme: 'http', authority: 'svc.test' }, remoteAddress, clusterName: 'svc--rev-1' };
}

const cases: { name: string; rateLimits: { stage: number; actions: ProtoObject[] }[]; headers?: string[]; remote?: string; expected: string[][] }[] = [
  { name: 'generic_key', rateLimits: [{ stage: 0, actions: [{ generic_key: { descriptor_key: 'service', descriptor_value: 'abc' } }] }], expected: [['service=abc']] },
  { name: 'destination_cluster', rateLimits: [{ stage: 0, actions: [{ destination_cluster: {} }] }], expected: [['destination_cluster=svc--rev-1']] },
  { name: 'remote_address', rateLimits: [{ stage: 0, actions: [{ remote_address: {} }] }], expected: [['remote_address=10.0.0.7']] },
  { name: 'remote_address that is not an IP drops the descriptor', rateLimits: [{ stage: 0, actions: [{ remote_address: {} }] }], remote: '', expected: [] },
  { name: 'request_headers present', rateLimits: [{ stage: 0, actions: [{ request_headers: { header_name: 'x-tenant', descriptor_key: 'tenant' } }] }], headers: ['x-tenant', 't1', 'x-tenant', 't2'], expected: [['tenant=t1']] },
  { name: 'request_headers absent drops the descriptor', rateLimits: [{ stage: 0, actions: [{ generic_key: { descriptor_value: 'g' } }, { request_headers: { header_name: 'x-tenant', descriptor_key: 'tenant' } }] }], expected: [] },
  {
    name: 'request_headers absent with skip_if_absent keeps the rest',
    rateLimits: [{ stage: 0, actions: [{ generic_key: { descriptor_value: 'g' } }, { request_headers: { header_name: 'x-tenant', descriptor_key: 'tenant', skip_if_absent: true } }] }],
    expected: [['generic_key=g']],
  },
  { name: 'request_headers of a pseudo-header', rateLimits: [{ stage: 0, actions: [{ request_headers: { header_name: ':path', descriptor_key: 'path' } }] }], expected: [['path=/p']] },
  {
    name: 'header_value_match that matches',
    rateLimits: [{ stage: 0, actions: [{ header_value_match: { descriptor_value: 'beta', headers: [{ name: 'x-beta', string_match: { exact: '1' } }] } }] }],
    headers: ['x-beta', '1'],
    expected: [['header_match=beta']],
  },
  { name: 'header_value_match that does not match', rateLimits: [{ stage: 0, actions: [{ header_value_match: { descriptor_value: 'beta', headers: [{ name: 'x-beta', string_match: { exact: '1' } }] } }] }], expected: [] },
  {
    name: 'header_value_match with expect_match false',
    rateLimits: [{ stage: 0, actions: [{ header_value_match: { descriptor_key: 'anon', descriptor_value: 'yes', expect_match: { value: false }, headers: [{ name: 'authorization', present_match: true }] } }] }],
    expected: [['anon=yes']],
  },
  {
    name: 'one descriptor per rate_limits entry, other stages left out',
    rateLimits: [
      { stage: 0, actions: [{ generic_key: { descriptor_value: 'a' } }, { remote_address: {} }] },
      { stage: 1, actions: [{ generic_key: { descriptor_value: 'other-stage' } }] },
      { stage: 0, actions: [{ destination_cluster: {} }] },
    ],
    expected: [['generic_key=a', 'remote_address=10.0.0.7'], ['destination_cluster=svc--rev-1']],
  },
];

for (const c of cases) {
  test(`descriptors: ${c.name}`, () => {
    const builder = DescriptorBuilder.compile(c.rateLimits, 0);
    assert.ok(builder !== null);
    const out = builder.build(input(c.headers ?? [], c.remote ?? '10.0.0.7'));
    assert.deepEqual(out.map((d) => d.entries.map((e) => `${e.key}=${e.value}`)), c.expected);
  });
}

test('descriptors: no rate_limits of the stage → no builder (no RLS call)', () => {
  assert.equal(DescriptorBuilder.compile([{ stage: 2, actions: [{ remote_address: {} }] }], 0), null);
  assert.equal(DescriptorBuilder.compile([], 0), null);
});

const addressCases: { name: string; useRemote: boolean; hops: number; xff?: string; expected: string }[] = [
  { name: 'use_remote_address: the peer, XFF ignored', useRemote: true, hops: 0, xff: '1.1.1.1', expected: '192.0.2.1' },
  { name: 'use_remote_address with 1 trusted hop: XFF rightmost', useRemote: true, hops: 1, xff: '1.1.1.1, 2.2.2.2', expected: '2.2.2.2' },
  { name: 'behind a proxy: XFF rightmost', useRemote: false, hops: 0, xff: '1.1.1.1, 2.2.2.2', expected: '2.2.2.2' },
  { name: 'behind a proxy with 1 trusted hop', useRemote: false, hops: 1, xff: '1.1.1.1, 2.2.2.2', expected: '1.1.1.1' },
  { name: 'no XFF: the peer', useRemote: false, hops: 0, expected: '192.0.2.1' },
  { name: 'XFF too short: the peer', useRemote: false, hops: 3, xff: '1.1.1.1', expected: '192.0.2.1' },
  { name: 'XFF entry not an IP: the peer', useRemote: false, hops: 0, xff: 'unknown', expected: '192.0.2.1' },
];

for (const c of addressCases) {
  test(`client address: ${c.name}`, () => {
    assert.equal(clientAddress(c.useRemote, c.hops, '192.0.2.1', c.xff === undefined ? [] : ['x-forwarded-for', c.xff]), c.expected);
  });
}
