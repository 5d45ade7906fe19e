import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { decodeClusterLoadAssignment, decodeLbEndpoint } from '../../../../src/xds/resources/cluster-load-assignment.js';
import type { ClusterLoadAssignment } from '../../../../src/xds/resources/cluster-load-assignment.types.js';
import type { FieldError } from '../../../../src/xds/validation.js';

function ep(address: string, port: number, extra: ProtoObject = {}): ProtoObject {
  return { endpoint: { address: { socket_address: { address, port_value: port } } }, ...extra };
}

function cla(endpoints: ProtoObject[], extra: ProtoObject = {}): ProtoObject {
  return { cluster_name: 'backend', endpoints, ...extra };
}

function expectOk(msg: ProtoObject): ClusterLoadAssignment {
  const r = decodeClusterLoadAssignment(msg, '');
  assert.ok(r.ok, `unexpected errors: ${!r.ok ? JSON.stringify(r.errors) : ''}`);
  return r.value;
}

test('defaults: weight 1, UNKNOWN health, overprovisioning 1.4, no drops, never stale', () => {
  const v = expectOk(cla([{ lb_endpoints: [ep('10.0.0.1', 8080)] }]));
  assert.deepStrictEqual(v, {
    clusterName: 'backend',
    endpoints: [
      {
        locality: { region: '', zone: '', subZone: '' },
        loadBalancingWeight: null,
        priority: 0,
        lbEndpoints: [{ address: { host: '10.0.0.1', port: 8080 }, hostname: '', healthStatus: 'UNKNOWN', loadBalancingWeight: 1, healthCheckPort: 0 }],
      },
    ],
    overprovisioningFactor: 1.4,
    dropOverloads: [],
    endpointStaleAfterMs: 0,
  });
  assert.ok(Object.isFrozen(v.endpoints[0].lbEndpoints[0].address), 'deep-frozen');
});

test('every field set', () => {
  const v = expectOk(
    cla(
      [
        {
          locality: { region: 'eu', zone: 'eu-1a' },
          load_balancing_weight: { value: 3 },
          lb_endpoints: [
            ep('::1', 9000, { health_status: 'DRAINING', load_balancing_weight: { value: 5 } }),
            { endpoint: { address: { socket_address: { address: '10.0.0.2', port_value: 80 } }, hostname: 'a.internal', health_check_config: { port_value: 9901 } } },
          ],
        },
        { priority: 1, load_balancer_endpoints: { lb_endpoints: [ep('10.0.0.3', 80, { health_status: 'HEALTHY' })] } },
      ],
      {
        policy: {
          overprovisioning_factor: { value: 200 },
          drop_overloads: [{ category: 'throttle', drop_percentage: { numerator: 5, denominator: 'TEN_THOUSAND' } }],
          endpoint_stale_after: { seconds: 30, nanos: 0 },
        },
      },
    ),
  );
  assert.equal(v.endpoints[0].loadBalancingWeight, 3);
  assert.deepStrictEqual(v.endpoints[0].locality, { region: 'eu', zone: 'eu-1a', subZone: '' });
  assert.deepStrictEqual(
    v.endpoints[0].lbEndpoints.map((e) => [e.address.host, e.healthStatus, e.loadBalancingWeight, e.hostname, e.healthCheckPort]),
    [
      ['::1', 'DRAINING', 5, '', 0],
      ['10.0.0.2', 'UNKNOWN', 1, 'a.internal', 9901],
    ],
  );
  assert.equal(v.endpoints[1].priority, 1);
  assert.equal(v.endpoints[1].lbEndpoints[0].healthStatus, 'HEALTHY');
  assert.equal(v.overprovisioningFactor, 2);
  assert.deepStrictEqual(v.dropOverloads, [{ category: 'throttle', dropPercentage: { numerator: 5, denominator: 10_000 } }]);
  assert.equal(v.endpointStaleAfterMs, 30_000);
});

test('an empty assignment is valid (no endpoints yet)', () => {
  assert.deepStrictEqual(expectOk({ cluster_name: 'x' }).endpoints, []);
});

test('paths are prefixed with the caller path', () => {
  const r = decodeClusterLoadAssignment({}, 'resources[3]');
  assert.ok(!r.ok);
  assert.deepStrictEqual(r.errors, [{ path: 'resources[3].clusterName', message: 'is required' }]);
});

test('hostnames are allowed only when the owner resolves DNS', () => {
  const msg = cla([{ lb_endpoints: [ep('backend.svc', 80)] }]);
  assert.ok(decodeClusterLoadAssignment(msg, '', { allowHostnames: true }).ok);
  const r = decodeClusterLoadAssignment(msg, '');
  assert.ok(!r.ok);
  assert.equal(r.errors[0].path, 'endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.address');
  assert.match(r.errors[0].message, /must be an IP address, got "backend.svc"/);
});

test('decodeLbEndpoint alone', () => {
  const errors: FieldError[] = [];
  assert.deepStrictEqual(decodeLbEndpoint(ep('127.0.0.1', 1), 'x', errors), {
    address: { host: '127.0.0.1', port: 1 },
    hostname: '',
    healthStatus: 'UNKNOWN',
    loadBalancingWeight: 1,
    healthCheckPort: 0,
  });
  assert.deepStrictEqual(errors, []);
  assert.equal(decodeLbEndpoint({}, 'x', errors), null);
  assert.deepStrictEqual(errors, [{ path: 'x.endpoint', message: 'is required' }]);
});

const errorCases: { name: string; input: ProtoObject; errors: { path: string; message: RegExp }[] }[] = [
  { name: 'cluster_name required', input: { endpoints: [] }, errors: [{ path: 'clusterName', message: /is required/ }] },
  {
    name: 'endpoint weight 0',
    input: cla([{ lb_endpoints: [ep('10.0.0.1', 80, { load_balancing_weight: { value: 0 } })] }]),
    errors: [{ path: 'endpoints[0].lbEndpoints[0].loadBalancingWeight', message: /must be 1–4294967295, got 0/ }],
  },
  {
    name: 'locality weight 0',
    input: cla([{ load_balancing_weight: { value: 0 }, lb_endpoints: [ep('10.0.0.1', 80)] }]),
    errors: [{ path: 'endpoints[0].loadBalancingWeight', message: /must be 1–4294967295, got 0/ }],
  },
  {
    name: 'port out of range',
    input: cla([{ lb_endpoints: [ep('10.0.0.1', 70000)] }]),
    errors: [{ path: 'endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.portValue', message: /must be 0–65535, got 70000/ }],
  },
  {
    name: 'missing address',
    input: cla([{ lb_endpoints: [{ endpoint: {} }] }]),
    errors: [{ path: 'endpoints[0].lbEndpoints[0].endpoint.address', message: /is required/ }],
  },
  {
    name: 'pipe address',
    input: cla([{ lb_endpoints: [{ endpoint: { address: { pipe: { path: '/tmp/s' } } } }] }]),
    errors: [{ path: 'endpoints[0].lbEndpoints[0].endpoint.address.pipe', message: /not supported/ }],
  },
  {
    name: 'UDP endpoint',
    input: cla([{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 53, protocol: 'UDP' } } } }] }]),
    errors: [{ path: 'endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.protocol', message: /only TCP/ }],
  },
  {
    name: 'unknown health status',
    input: cla([{ lb_endpoints: [ep('10.0.0.1', 80, { health_status: 'SICK' })] }]),
    errors: [{ path: 'endpoints[0].lbEndpoints[0].healthStatus', message: /must be one of UNKNOWN, HEALTHY/ }],
  },
  {
    name: 'health check port out of range',
    input: cla([{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 80 } }, health_check_config: { port_value: 65536 } } }] }]),
    errors: [{ path: 'endpoints[0].lbEndpoints[0].endpoint.healthCheckConfig.portValue', message: /must be 0–65535/ }],
  },
  {
    name: 'endpoint_name',
    input: cla([{ lb_endpoints: [{ endpoint_name: 'named' }] }]),
    errors: [{ path: 'endpoints[0].lbEndpoints[0].endpointName', message: /not supported/ }],
  },
  {
    name: 'duplicate locality in one priority',
    input: cla([
      { locality: { zone: 'a' }, lb_endpoints: [ep('10.0.0.1', 80)] },
      { locality: { zone: 'b' }, lb_endpoints: [ep('10.0.0.2', 80)] },
      { locality: { zone: 'a' }, lb_endpoints: [ep('10.0.0.3', 80)] },
    ]),
    errors: [{ path: 'endpoints[2].locality', message: /duplicate locality in priority 0 \(also endpoints\[0\]\)/ }],
  },
  {
    name: 'priorities not contiguous',
    input: cla([
      { lb_endpoints: [ep('10.0.0.1', 80)] },
      { priority: 2, lb_endpoints: [ep('10.0.0.2', 80)] },
    ]),
    errors: [{ path: 'endpoints', message: /priority 1 is missing/ }],
  },
  {
    name: 'only priority 1',
    input: cla([{ priority: 1, lb_endpoints: [ep('10.0.0.1', 80)] }]),
    errors: [{ path: 'endpoints', message: /priority 0 is missing \(highest is 1\)/ }],
  },
  {
    name: 'priority above 128',
    input: cla([{ priority: 129, lb_endpoints: [ep('10.0.0.1', 80)] }]),
    errors: [
      { path: 'endpoints[0].priority', message: /must be 0–128, got 129/ },
      { path: 'endpoints', message: /priority 0 is missing/ },
    ],
  },
  {
    name: 'overprovisioning factor 0',
    input: cla([], { policy: { overprovisioning_factor: { value: 0 } } }),
    errors: [{ path: 'policy.overprovisioningFactor', message: /greater than 0/ }],
  },
  {
    name: 'two drop categories',
    input: cla([], {
      policy: {
        drop_overloads: [
          { category: 'a', drop_percentage: { numerator: 1 } },
          { category: 'b', drop_percentage: { numerator: 1 } },
        ],
      },
    }),
    errors: [{ path: 'policy.dropOverloads', message: /2 categories, at most one/ }],
  },
  {
    name: 'drop category empty',
    input: cla([], { policy: { drop_overloads: [{ drop_percentage: { numerator: 1 } }] } }),
    errors: [{ path: 'policy.dropOverloads[0].category', message: /is required/ }],
  },
  {
    name: 'endpoint_stale_after 0',
    input: cla([], { policy: { endpoint_stale_after: { seconds: 0, nanos: 0 } } }),
    errors: [{ path: 'policy.endpointStaleAfter', message: /greater than 0/ }],
  },
  {
    name: 'leds config',
    input: cla([{ leds_cluster_locality_config: { leds_collection_name: 'x' } }]),
    errors: [{ path: 'endpoints[0].ledsClusterLocalityConfig', message: /not supported/ }],
  },
];

for (const c of errorCases) {
  test(`rejects: ${c.name}`, () => {
    const r = decodeClusterLoadAssignment(c.input, '');
    assert.ok(!r.ok, 'expected errors');
    assert.deepStrictEqual(
      r.errors.map((e) => e.path),
      c.errors.map((e) => e.path),
      JSON.stringify(r.errors),
    );
    c.errors.forEach((e, i) => assert.match(r.errors[i].message, e.message));
  });
}
