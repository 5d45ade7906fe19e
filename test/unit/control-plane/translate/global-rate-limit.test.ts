/**
 * Global rate limiting in the translator: only with PlatformState.globalRateLimit, the ingress
 * HCM gets envoy.filters.http.ratelimit (domain "switchyard") instead of the local filter, and a
 * limited service's virtual hosts get rate_limits with the `service` descriptor instead of a token
 * bucket; everything passes the router's decoders after the wire. Without it nothing changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncrementalTranslator } from '../../../../src/control-plane/translate/incremental-translator.js';
import { translatePlatform } from '../../../../src/control-plane/translate/translate-platform.js';
import { DEFAULT_RATE_LIMIT_CLUSTER } from '../../../../src/control-plane/model/rate-limit-contract.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { RATELIMIT_FILTER_TYPE_URL, LOCAL_RATELIMIT_TYPE_URL } from '../../../../src/xds/type-urls.js';
import { decodeAll } from './resource-checks.js';
import { makeRevision, makeService, makeServiceState, makeState, target } from './sample-platform.js';

const limited = makeServiceState(makeService('b2c3d4e5', 'api', { rateLimit: { requestsPerSecond: 5, burst: null } }), [makeRevision('b2c3d4e5', 1, [{ address: '127.0.0.1', port: 9001 }])], [target('rev-1', 100)]);
const free = makeServiceState(makeService('a1b2c3d4', 'web'), [makeRevision('a1b2c3d4', 1, [{ address: '127.0.0.1', port: 9002 }])], [target('rev-1', 100)]);
const globalRateLimit = { clusterName: DEFAULT_RATE_LIMIT_CLUSTER, failureModeDeny: false };

function ingressFilters(listeners: readonly ProtoObject[]): ProtoObject[] {
  const ingress = listeners.find((l) => l.name === 'ingress_http')!;
  const hcm = ((ingress.filter_chains as ProtoObject[])[0].filters as ProtoObject[])[0].typed_config as ProtoObject;
  return hcm.http_filters as ProtoObject[];
}

function vhost(resources: ReturnType<typeof translatePlatform>, name: string): ProtoObject {
  return (resources.routeConfigurations[0].virtual_hosts as ProtoObject[]).find((v) => v.name === name)!;
}

test('global rate limit: the RLS filter and the service descriptor, valid for the router', () => {
  const out = translatePlatform(makeState([limited, free], { globalRateLimit }));
  const filters = ingressFilters(out.listeners);
  assert.deepEqual(filters.map((f) => (f.typed_config as ProtoObject)['@type']).slice(0, 1), [RATELIMIT_FILTER_TYPE_URL]);
  const config = filters[0].typed_config as ProtoObject;
  assert.equal(config.domain, 'switchyard');
  assert.deepEqual(config.rate_limit_service, { grpc_service: { envoy_grpc: { cluster_name: 'switchyard_ratelimit' } }, transport_api_version: 'V3' });
  assert.deepEqual(vhost(out, 'b2c3d4e5').rate_limits, [{ actions: [{ generic_key: { descriptor_key: 'service', descriptor_value: 'b2c3d4e5' } }] }]);
  assert.equal(vhost(out, 'b2c3d4e5').typed_per_filter_config, undefined);
  assert.equal(vhost(out, 'a1b2c3d4').rate_limits, undefined, 'an unlimited service costs no RLS call');
  decodeAll(out);
});

test('global rate limit: without the setting the local token buckets stay (the default)', () => {
  const out = translatePlatform(makeState([limited, free]));
  assert.equal((ingressFilters(out.listeners)[0].typed_config as ProtoObject)['@type'], LOCAL_RATELIMIT_TYPE_URL);
  assert.equal(vhost(out, 'b2c3d4e5').rate_limits, undefined);
});

test('global rate limit: the incremental translator gives the same output in both modes', () => {
  const t = new IncrementalTranslator();
  const local = makeState([limited, free]);
  const global = makeState([limited, free], { globalRateLimit });
  assert.deepEqual(t.translate(local), translatePlatform(local));
  assert.deepEqual(t.translate(global), translatePlatform(global));
  assert.deepEqual(t.translate(local), translatePlatform(local));
});
