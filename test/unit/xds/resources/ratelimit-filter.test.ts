import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { decodeRateLimitFilter } from '../../../../src/xds/resources/ratelimit-filter.js';
import { decodeRateLimitAction } from '../../../../src/xds/resources/rate-limit-action.js';
import type { FieldError } from '../../../../src/xds/validation.js';

const P = 'httpFilters[0].typedConfig';
const SERVICE = { grpc_service: { envoy_grpc: { cluster_name: 'rls' } }, transport_api_version: 'V3' };
const base = (extra: ProtoObject = {}): ProtoObject => ({ domain: 'switchyard', rate_limit_service: SERVICE, ...extra });

interface Case {
  name: string;
  input: ProtoObject;
  expected?: Record<string, unknown>;
  error?: { path: string; message: RegExp };
}

const cases: Case[] = [
  {
    name: 'defaults: 20 ms timeout, 429, 500, both, fail open',
    input: base(),
    expected: { domain: 'switchyard', stage: 0, requestType: 'both', timeoutMs: 20, failureModeDeny: false, clusterName: 'rls', rateLimitedStatus: 429, statusOnError: 500, enableXRatelimitHeaders: false, disableXEnvoyRatelimitedHeader: false, statPrefix: '' },
  },
  {
    name: 'everything set',
    input: base({ stage: 3, request_type: 'external', timeout: { seconds: 1, nanos: 500_000_000 }, failure_mode_deny: true, enable_x_ratelimit_headers: 'DRAFT_VERSION_03', rate_limited_status: { code: 'ServiceUnavailable' }, status_on_error: { code: 503 }, stat_prefix: 'rl', disable_x_envoy_ratelimited_header: true }),
    expected: { stage: 3, requestType: 'external', timeoutMs: 1500, failureModeDeny: true, enableXRatelimitHeaders: true, rateLimitedStatus: 503, statusOnError: 503, statPrefix: 'rl', disableXEnvoyRatelimitedHeader: true },
  },
  { name: 'a rate_limited_status under 400 means 429 (Envoy)', input: base({ rate_limited_status: { code: 200 } }), expected: { rateLimitedStatus: 429 } },
  { name: 'domain is required', input: { rate_limit_service: SERVICE }, error: { path: `${P}.domain`, message: /is required/ } },
  { name: 'stage at most 10', input: base({ stage: 11 }), error: { path: `${P}.stage`, message: /0–10, got 11/ } },
  { name: 'request_type must be known', input: base({ request_type: 'sometimes' }), error: { path: `${P}.requestType`, message: /"internal", "external" or "both"/ } },
  { name: 'rate_limit_service is required', input: { domain: 'd' }, error: { path: `${P}.rateLimitService`, message: /is required/ } },
  { name: 'grpc_service is required', input: base({ rate_limit_service: { transport_api_version: 'V3' } }), error: { path: `${P}.rateLimitService.grpcService`, message: /is required/ } },
  { name: 'transport V3 only', input: base({ rate_limit_service: { ...SERVICE, transport_api_version: 'V2' } }), error: { path: `${P}.rateLimitService.transportApiVersion`, message: /must be V3/ } },
  { name: 'cluster_name is required', input: base({ rate_limit_service: { grpc_service: { envoy_grpc: {} } } }), error: { path: `${P}.rateLimitService.grpcService.envoyGrpc.clusterName`, message: /is required/ } },
  { name: 'google_grpc is refused', input: base({ rate_limit_service: { grpc_service: { google_grpc: { target_uri: 'x:1' } } } }), error: { path: `${P}.rateLimitService.grpcService.googleGrpc`, message: /is not supported/ } },
  { name: 'a bad status code', input: base({ status_on_error: { code: 99 } }), error: { path: `${P}.statusOnError.code`, message: /100–599, got 99/ } },
  {
    name: 'at most 10 response headers',
    input: base({ response_headers_to_add: Array.from({ length: 11 }, (_, i) => ({ header: { key: `x-h${i}`, value: 'v' } })) }),
    error: { path: `${P}.responseHeadersToAdd`, message: /at most 10 entries, got 11/ },
  },
];

for (const c of cases) {
  test(`ratelimit filter config: ${c.name}`, () => {
    const errors: FieldError[] = [];
    const view = decodeRateLimitFilter(c.input, P, errors);
    if (c.error !== undefined) {
      const e = errors.find((x) => x.path === c.error!.path);
      assert.ok(e !== undefined && c.error.message.test(e.message), `wanted ${c.error.path} ~ ${c.error.message}, got ${JSON.stringify(errors)}`);
      return;
    }
    assert.deepEqual(errors, []);
    for (const [k, v] of Object.entries(c.expected!)) assert.deepEqual((view as unknown as Record<string, unknown>)[k], v, k);
  });
}

const A = 'virtualHosts[0].rateLimits[0].actions[0]';
const actionCases: { name: string; input: ProtoObject; expected?: unknown; error?: { path: string; message: RegExp } }[] = [
  { name: 'generic_key defaults its key', input: { generic_key: { descriptor_value: 'v' } }, expected: { kind: 'genericKey', descriptorKey: 'generic_key', descriptorValue: 'v' } },
  { name: 'request_headers', input: { request_headers: { header_name: 'X-Tenant', descriptor_key: 'tenant', skip_if_absent: true } }, expected: { kind: 'requestHeaders', headerName: 'x-tenant', descriptorKey: 'tenant', skipIfAbsent: true } },
  { name: 'remote_address', input: { remote_address: {} }, expected: { kind: 'remoteAddress' } },
  { name: 'request_headers needs descriptor_key', input: { request_headers: { header_name: 'x' } }, error: { path: `${A}.requestHeaders.descriptorKey`, message: /is required/ } },
  { name: 'header_value_match needs headers', input: { header_value_match: { descriptor_value: 'v' } }, error: { path: `${A}.headerValueMatch.headers`, message: /at least one/ } },
  { name: 'source_cluster is refused', input: { source_cluster: {} }, error: { path: `${A}.sourceCluster`, message: /is not supported/ } },
  { name: 'two actions in one', input: { remote_address: {}, destination_cluster: {} }, error: { path: A, message: /only one action/ } },
];

for (const c of actionCases) {
  test(`rate limit action: ${c.name}`, () => {
    const errors: FieldError[] = [];
    const view = decodeRateLimitAction(c.input, A, errors);
    if (c.error !== undefined) {
      const e = errors.find((x) => x.path === c.error!.path);
      assert.ok(e !== undefined && c.error.message.test(e.message), `wanted ${c.error.path} ~ ${c.error.message}, got ${JSON.stringify(errors)}`);
      return;
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(view, c.expected);
  });
}
