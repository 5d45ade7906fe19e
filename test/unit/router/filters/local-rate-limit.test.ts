/**
 * Local rate limit: the LocalRateLimit decoder (Envoy's defaults and limits), the token bucket's
 * refill arithmetic, and the filter's decisions on a compiled route table (route config over the
 * listener's, enabled/enforced fractions, shared buckets across config snapshots).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalRateLimitFilter, type RateLimitedStream } from '../../../../src/router/filters/local-rate-limit-filter.js';
import { TokenBucket } from '../../../../src/router/filters/token-bucket.js';
import { compileRouteTable } from '../../../../src/router/routing/route-table.js';
import { StatsStore } from '../../../../src/router/stats/stats-store.js';
import { parseProtoJson } from '../../../../src/xds/proto-json.js';
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { decodeLocalRateLimit } from '../../../../src/xds/resources/local-rate-limit.js';
import { decodeRouteConfiguration } from '../../../../src/xds/resources/route-configuration.js';
import { LOCAL_RATELIMIT_TYPE_URL } from '../../../../src/xds/type-urls.js';

const TYPE = 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const percent = (n: number) => ({ default_value: { numerator: n, denominator: 'HUNDRED' }, runtime_key: 'k' });

function config(json: Record<string, unknown>): ProtoObject {
  const r = parseProtoJson(TYPE, json);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return { '@type': LOCAL_RATELIMIT_TYPE_URL, ...r.value };
}

const decodeCases: { name: string; input: Record<string, unknown>; error?: RegExp; check?: (v: ReturnType<typeof decodeLocalRateLimit>) => void }[] = [
  {
    name: 'defaults: no bucket, 0% enabled and enforced, 429',
    input: { stat_prefix: 'p' },
    check: (v) => {
      assert.equal(v.tokenBucket, null);
      assert.deepEqual(v.filterEnabled, { numerator: 0, denominator: 100 });
      assert.deepEqual(v.filterEnforced, { numerator: 0, denominator: 100 });
      assert.equal(v.status, 429);
      assert.equal(v.enableXRatelimitHeaders, false);
    },
  },
  {
    name: 'a bucket with tokens_per_fill defaulting to 1',
    input: { stat_prefix: 'p', token_bucket: { max_tokens: 10, fill_interval: '1s' }, enable_x_ratelimit_headers: 'DRAFT_VERSION_03', status: { code: 'ServiceUnavailable' } },
    check: (v) => {
      assert.deepEqual(v.tokenBucket, { maxTokens: 10, tokensPerFill: 1, fillIntervalMs: 1000 });
      assert.equal(v.enableXRatelimitHeaders, true);
      assert.equal(v.status, 503);
    },
  },
  { name: 'stat_prefix is required', input: { token_bucket: { max_tokens: 1, fill_interval: '1s' } }, error: /^statPrefix: is required$/ },
  { name: 'fill_interval under 50ms', input: { stat_prefix: 'p', token_bucket: { max_tokens: 1, fill_interval: '0.01s' } }, error: /^tokenBucket\.fillInterval: must be at least 50ms, got 10ms$/ },
  { name: 'max_tokens 0', input: { stat_prefix: 'p', token_bucket: { max_tokens: 0, fill_interval: '1s' } }, error: /^tokenBucket\.maxTokens: must be an integer ≥ 1, got 0$/ },
  {
    name: 'descriptors with their own buckets, and the stage',
    input: { stat_prefix: 'p', stage: 2, descriptors: [{ entries: [{ key: 'api_key', value: 'gold' }], token_bucket: { max_tokens: 5, fill_interval: '1s' } }] },
    check: (v) => {
      assert.equal(v.stage, 2);
      assert.deepEqual(v.descriptors, [{ entries: [{ key: 'api_key', value: 'gold' }], tokenBucket: { maxTokens: 5, tokensPerFill: 1, fillIntervalMs: 1000 } }]);
    },
  },
  { name: 'a descriptor needs entries and a bucket', input: { stat_prefix: 'p', descriptors: [{ entries: [] }] }, error: /^descriptors\[0\]\.entries: must not be empty$/ },
  { name: 'a descriptor bucket is required', input: { stat_prefix: 'p', descriptors: [{ entries: [{ key: 'k', value: 'v' }] }] }, error: /^descriptors\[0\]\.tokenBucket: is required$/ },
];

for (const c of decodeCases) {
  test(`decodeLocalRateLimit: ${c.name}`, () => {
    const errors: { path: string; message: string }[] = [];
    const v = decodeLocalRateLimit(config(c.input), '', errors);
    if (c.error !== undefined) assert.ok(errors.some((e) => c.error!.test(`${e.path}: ${e.message}`)), JSON.stringify(errors));
    else {
      assert.deepEqual(errors, []);
      c.check?.(v);
    }
  });
}

test('TokenBucket: refills in whole intervals, capped at max_tokens', () => {
  const b = new TokenBucket(3, 2, 1000, 0);
  assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
  assert.equal(b.take(999), false, 'no partial refill');
  assert.equal(b.remaining(1000), 2);
  assert.equal(b.remaining(10_000), 3, 'capped');
  assert.equal(b.msUntilFill(10_250), 750);
});

test('TokenBucket: fractional shares (1/N of the bucket per worker)', () => {
  const b = new TokenBucket(2.5, 0.5, 100, 0);
  assert.deepEqual([b.take(0), b.take(0), b.take(0)], [true, true, false]);
  assert.equal(b.take(100), true, '0.5 + 0.5 left = 1 token');
});

class Recorder implements RateLimitedStream {
  readonly requestHeaders: readonly string[] = [];
  readonly downstream = { remoteAddress: '127.0.0.1' };
  routeRequest() {
    return { method: 'GET', path: '/', query: '', headers: this.requestHeaders, scheme: 'http' as const };
  }
  replies: { status: number; body: string; flag: string; headers: string[] | null }[] = [];
  sendLocalReply(status: number, body: string, flag: string, _details: string, headers: string[] | null): void {
    this.replies.push({ status, body, flag, headers });
  }
}

function table(perVhost: ProtoObject | null) {
  const json = {
    name: 'rc',
    virtual_hosts: [
      { name: 'limited', domains: ['limited.test'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }], ...(perVhost === null ? {} : { typed_per_filter_config: { 'envoy.filters.http.local_ratelimit': perVhost } }) },
      { name: 'free', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }] },
    ],
  };
  const parsed = parseProtoJson('envoy.config.route.v3.RouteConfiguration', json);
  assert.ok(parsed.ok);
  const rc = decodeRouteConfiguration(parsed.value, '');
  assert.ok(rc.ok, JSON.stringify(!rc.ok && rc.errors));
  return compileRouteTable(rc.value, { stripMatchingHostPort: false, stripAnyHostPort: false, stripTrailingHostDot: false, listenerPort: 80 });
}

const route = (t: ReturnType<typeof table>, host: string) => t.selectVirtualHost(host)!.matchRoute({ method: 'GET', path: '/', query: '', headers: [], scheme: 'http', authority: host }, 0)!;

test('LocalRateLimitFilter: the virtual host bucket limits its routes only, with Envoy stats and reply', () => {
  const store = new StatsStore();
  const perVhost = config({ stat_prefix: 'tenant_a', token_bucket: { max_tokens: 2, fill_interval: '60s' }, filter_enabled: percent(100), filter_enforced: percent(100), enable_x_ratelimit_headers: 'DRAFT_VERSION_03' });
  const filter = LocalRateLimitFilter.fromFilters([{ name: 'envoy.filters.http.local_ratelimit', typeUrl: LOCAL_RATELIMIT_TYPE_URL, config: config({ stat_prefix: 'listener' }), isOptional: false, disabled: false }], store)!;
  const t = table(perVhost);
  const s = new Recorder();
  const limited = [1, 2, 3].map(() => filter.limit(route(t, 'limited.test'), s, 0.5));
  assert.deepEqual(limited, [false, false, true]);
  assert.deepEqual([1, 2, 3].map(() => filter.limit(route(t, 'other.test'), s, 0.5)), [false, false, false], 'the free host has no bucket');
  assert.equal(s.replies.length, 1);
  const [reply] = s.replies;
  assert.deepEqual([reply.status, reply.body, reply.flag], [429, 'local_rate_limited', 'RL']);
  const headers = new Map<string, string>();
  for (let i = 0; i < reply.headers!.length; i += 2) headers.set(reply.headers![i], reply.headers![i + 1]);
  assert.equal(headers.get('x-envoy-ratelimited'), 'true');
  assert.equal(headers.get('x-ratelimit-limit'), '2');
  assert.equal(headers.get('x-ratelimit-remaining'), '0');
  const snap = new Map(store.snapshot().counters.map((c) => [c[0], c[1]]));
  assert.equal(snap.get('tenant_a.http_local_rate_limit.enabled'), 3);
  assert.equal(snap.get('tenant_a.http_local_rate_limit.ok'), 2);
  assert.equal(snap.get('tenant_a.http_local_rate_limit.rate_limited'), 1);
  assert.equal(snap.get('tenant_a.http_local_rate_limit.enforced'), 1);
});

test('LocalRateLimitFilter: not enforced passes, 0% enabled is not counted; an unchanged config keeps its bucket across snapshots', () => {
  const store = new StatsStore();
  const shadow = config({ stat_prefix: 'shadow', token_bucket: { max_tokens: 1, fill_interval: '60s' }, filter_enabled: percent(100), filter_enforced: percent(0) });
  const listenerFilter = [{ name: 'rl', typeUrl: LOCAL_RATELIMIT_TYPE_URL, config: shadow, isOptional: false, disabled: false }];
  const first = LocalRateLimitFilter.fromFilters(listenerFilter, store)!;
  const s = new Recorder();
  const t = table(null);
  assert.deepEqual([first.limit(route(t, 'x.test'), s, 0.3), first.limit(route(t, 'x.test'), s, 0.3)], [false, false], 'shadow mode never answers');
  assert.equal(s.replies.length, 0);
  const enforcing = config({ stat_prefix: 'strict', token_bucket: { max_tokens: 1, fill_interval: '60s' }, filter_enabled: percent(100), filter_enforced: percent(100) });
  const a = LocalRateLimitFilter.fromFilters([{ ...listenerFilter[0], config: enforcing }], store)!;
  assert.equal(a.limit(route(t, 'x.test'), s, 0.3), false);
  const b = LocalRateLimitFilter.fromFilters([{ ...listenerFilter[0], config: config({ stat_prefix: 'strict', token_bucket: { max_tokens: 1, fill_interval: '60s' }, filter_enabled: percent(100), filter_enforced: percent(100) }) }], store)!;
  assert.equal(b.limit(route(table(null), 'x.test'), s, 0.3), true, 'the next snapshot shares the spent bucket');
  const off = LocalRateLimitFilter.fromFilters([{ ...listenerFilter[0], config: config({ stat_prefix: 'off', token_bucket: { max_tokens: 1, fill_interval: '60s' } }) }], store)!;
  assert.deepEqual([off.limit(route(t, 'x.test'), s, 0.3), off.limit(route(t, 'x.test'), s, 0.3)], [false, false], '0% enabled (the default)');
});
