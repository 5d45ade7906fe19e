/**
 * A route's rate_limits (of one filter stage) compiled once into descriptor generators, run per
 * request by the global rate limit filter. Envoy's rules (router/router_ratelimit.cc):
 *
 *   each rate_limits entry → at most one descriptor, its actions' entries in order;
 *   an action that cannot produce its entry drops the whole descriptor (a missing header, a
 *   header_value_match whose result is not expect_match, a remote address that is not an IP),
 *   except request_headers with skip_if_absent, which only leaves its own entry out;
 *   a descriptor left with no entries is not sent.
 *
 * Action views come from xds/resources/rate-limit-action.ts (validated when RDS was decoded).
 */
import { isIP } from 'node:net';
import { decodeRateLimitAction, type RateLimitAction } from '../../xds/resources/rate-limit-action.js';
import type { RateLimit } from '../../xds/resources/route-configuration.types.js';
import { CompiledHeaderMatcher } from '../routing/header-matcher.js';
import { firstHeaderValue, requestHeaderValue, type RouteRequest } from '../routing/route-request.js';

/** One RateLimitDescriptor as the RLS wire wants it (keepCase). */
export interface Descriptor {
  readonly entries: { key: string; value: string }[];
}

/** What the actions read from one request. */
export interface DescriptorInput {
  readonly request: RouteRequest;
  /** The client address as the connection manager settled it (client-address.ts). */
  readonly remoteAddress: string;
  /** The route's target cluster (destination_cluster). */
  readonly clusterName: string;
}

type CompiledAction =
  | { readonly kind: 'destinationCluster' }
  | { readonly kind: 'remoteAddress' }
  | { readonly kind: 'requestHeaders'; readonly headerName: string; readonly key: string; readonly skipIfAbsent: boolean }
  | { readonly kind: 'genericKey'; readonly key: string; readonly value: string }
  | { readonly kind: 'headerValueMatch'; readonly key: string; readonly value: string; readonly expectMatch: boolean; readonly matchers: readonly CompiledHeaderMatcher[] };

export class DescriptorBuilder {
  private constructor(private readonly policies: readonly (readonly CompiledAction[])[]) {}

  /** The builder for `rateLimits` entries of `stage`, or null when none has that stage (no RLS call). */
  static compile(rateLimits: readonly RateLimit[], stage: number): DescriptorBuilder | null {
    const policies: CompiledAction[][] = [];
    for (const rl of rateLimits) {
      if (rl.stage !== stage) continue;
      const actions: CompiledAction[] = [];
      for (const raw of rl.actions) {
        const a = decodeRateLimitAction(raw, '', []);
        if (a !== null) actions.push(compileAction(a));
      }
      if (actions.length > 0) policies.push(actions);
    }
    return policies.length === 0 ? null : new DescriptorBuilder(policies);
  }

  /** The descriptors of one request; empty means the RLS is not asked. */
  build(input: DescriptorInput): Descriptor[] {
    const out: Descriptor[] = [];
    for (let p = 0; p < this.policies.length; p++) {
      const actions = this.policies[p];
      const entries: { key: string; value: string }[] = [];
      let keep = true;
      for (let i = 0; i < actions.length && keep; i++) keep = apply(actions[i], input, entries);
      if (keep && entries.length > 0) out.push({ entries });
    }
    return out;
  }
}

/** Adds the action's entry; false drops the descriptor. */
function apply(a: CompiledAction, input: DescriptorInput, entries: { key: string; value: string }[]): boolean {
  switch (a.kind) {
    case 'destinationCluster':
      entries.push({ key: 'destination_cluster', value: input.clusterName });
      return true;
    case 'remoteAddress':
      if (isIP(input.remoteAddress) === 0) return false;
      entries.push({ key: 'remote_address', value: input.remoteAddress });
      return true;
    case 'requestHeaders': {
      // Pseudo-headers (:path, :authority, :method) from the request fields, others by first value (Envoy).
      const v = a.headerName.charCodeAt(0) === 58 /* ':' */ ? requestHeaderValue(input.request, a.headerName) : firstHeaderValue(input.request.headers, a.headerName);
      if (v === null) return a.skipIfAbsent;
      entries.push({ key: a.key, value: v });
      return true;
    }
    case 'genericKey':
      entries.push({ key: a.key, value: a.value });
      return true;
    case 'headerValueMatch': {
      let all = true;
      for (let i = 0; i < a.matchers.length && all; i++) all = a.matchers[i].matches(input.request);
      if (all !== a.expectMatch) return false;
      entries.push({ key: a.key, value: a.value });
      return true;
    }
  }
}

function compileAction(a: RateLimitAction): CompiledAction {
  switch (a.kind) {
    case 'destinationCluster':
    case 'remoteAddress':
      return { kind: a.kind };
    case 'requestHeaders':
      return { kind: 'requestHeaders', headerName: a.headerName, key: a.descriptorKey, skipIfAbsent: a.skipIfAbsent };
    case 'genericKey':
      return { kind: 'genericKey', key: a.descriptorKey, value: a.descriptorValue };
    case 'headerValueMatch': {
      const matchers: CompiledHeaderMatcher[] = [];
      for (const h of a.headers) {
        const r = CompiledHeaderMatcher.compile(h);
        if (r.ok) matchers.push(r.matcher);
      }
      return { kind: 'headerValueMatch', key: a.descriptorKey, value: a.descriptorValue, expectMatch: a.expectMatch, matchers };
    }
  }
}
