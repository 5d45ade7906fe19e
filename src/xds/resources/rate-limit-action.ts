/**
 * envoy.config.route.v3.RateLimit.Action → a RateLimitAction view: one entry of the descriptor a
 * route's (or virtual host's) rate_limits entry sends to the rate limit service.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-ratelimit-action
 *
 *   destination_cluster  → ("destination_cluster", <route target cluster>)
 *   request_headers      → (descriptor_key, <header value>)       absent: skip_if_absent ? skip : no descriptor
 *   remote_address       → ("remote_address", <trusted client address>)
 *   generic_key          → (descriptor_key || "generic_key", descriptor_value)
 *   header_value_match   → (descriptor_key || "header_match", descriptor_value) when
 *                          (all headers match) == expect_match (default true); else no descriptor
 *
 * source_cluster, metadata, dynamic_metadata, extension, masked_remote_address and
 * query_parameter_value_match are refused by name (the resource is NACKed).
 */
import type { ProtoObject } from '../proto-object.js';
import { decodeHeaderMatcher, isHeaderName } from './common.js';
import { bool, fieldPath, has, messages, obj, str, wrappedBool, type Errors } from './fields.js';
import type { HeaderMatcher } from './route-configuration.types.js';

export type RateLimitAction =
  | { readonly kind: 'destinationCluster' }
  | { readonly kind: 'requestHeaders'; readonly headerName: string; readonly descriptorKey: string; readonly skipIfAbsent: boolean }
  | { readonly kind: 'remoteAddress' }
  | { readonly kind: 'genericKey'; readonly descriptorKey: string; readonly descriptorValue: string }
  | { readonly kind: 'headerValueMatch'; readonly descriptorKey: string; readonly descriptorValue: string; readonly expectMatch: boolean; readonly headers: readonly HeaderMatcher[] };

const SUPPORTED = ['destination_cluster', 'request_headers', 'remote_address', 'generic_key', 'header_value_match'] as const;
const UNSUPPORTED = ['source_cluster', 'metadata', 'dynamic_metadata', 'extension', 'masked_remote_address', 'query_parameter_value_match'] as const;

/** Decodes one action; null when it is unusable (the errors say why). */
export function decodeRateLimitAction(msg: ProtoObject, path: string, errors: Errors): RateLimitAction | null {
  for (const field of UNSUPPORTED) if (has(msg, field)) errors.push({ path: fieldPath(path, field), message: 'is not supported' });
  const set = SUPPORTED.filter((f) => has(msg, f));
  if (set.length === 0) {
    if (!UNSUPPORTED.some((f) => has(msg, f))) errors.push({ path, message: `must set one of ${SUPPORTED.map((f) => fieldPath('', f)).join(', ')}` });
    return null;
  }
  if (set.length > 1) {
    errors.push({ path, message: `must set only one action, got ${set.map((f) => fieldPath('', f)).join(', ')}` });
    return null;
  }
  const field = set[0];
  const p = fieldPath(path, field);
  const m = obj(msg, field, path, errors) ?? {};
  switch (field) {
    case 'destination_cluster':
      return { kind: 'destinationCluster' };
    case 'remote_address':
      return { kind: 'remoteAddress' };
    case 'request_headers': {
      const headerName = str(m, 'header_name', p, errors).toLowerCase();
      if (headerName === '') errors.push({ path: fieldPath(p, 'header_name'), message: 'is required' });
      else if (!isHeaderName(headerName, true)) errors.push({ path: fieldPath(p, 'header_name'), message: `${JSON.stringify(headerName)} is not a valid header name` });
      const descriptorKey = str(m, 'descriptor_key', p, errors);
      if (descriptorKey === '') errors.push({ path: fieldPath(p, 'descriptor_key'), message: 'is required' });
      return { kind: 'requestHeaders', headerName, descriptorKey, skipIfAbsent: bool(m, 'skip_if_absent', p, errors) };
    }
    case 'generic_key': {
      const descriptorValue = str(m, 'descriptor_value', p, errors);
      if (descriptorValue === '') errors.push({ path: fieldPath(p, 'descriptor_value'), message: 'is required' });
      return { kind: 'genericKey', descriptorKey: str(m, 'descriptor_key', p, errors) || 'generic_key', descriptorValue };
    }
    case 'header_value_match': {
      const descriptorValue = str(m, 'descriptor_value', p, errors);
      if (descriptorValue === '') errors.push({ path: fieldPath(p, 'descriptor_value'), message: 'is required' });
      const headers = messages(m, 'headers', p, errors, (h, hp) => decodeHeaderMatcher(h, hp, errors));
      if (headers.length === 0) errors.push({ path: fieldPath(p, 'headers'), message: 'must have at least one header matcher' });
      return {
        kind: 'headerValueMatch',
        descriptorKey: str(m, 'descriptor_key', p, errors) || 'header_match',
        descriptorValue,
        expectMatch: wrappedBool(m, 'expect_match', p, errors, true),
        headers,
      };
    }
  }
  return null;
}
