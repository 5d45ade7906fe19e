/**
 * envoy.filters.http.ratelimit through the real router (a child process) against the control
 * plane's real RateLimitServer in this process (fixed limits through its LimitLookup), a rate limit
 * service that is down, and one that never answers:
 *   - 5 per window for one virtual host: the 6th request gets 429, x-envoy-ratelimited, RL in the
 *     access log, cluster.echo.ratelimit.over_limit; another virtual host is never limited;
 *   - RLS down: allowed (failure_mode_allowed), or 500 RLSE with failure_mode_deny;
 *   - RLS that never answers: allowed once the filter timeout passes, a body sent meanwhile is
 *     held and forwarded (and replayed by a retry); a client that leaves meanwhile is dropped
 *     without reaching the upstream.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { MemoryRateLimitCounters } from '../../../src/control-plane/ratelimit/memory-rate-limit-counters.js';
import { RateLimitServer } from '../../../src/control-plane/ratelimit/rate-limit-server.js';
import type { LimitLookup } from '../../../src/control-plane/ratelimit/service-limits.js';
import { rateLimitServiceConstructor } from '../../../src/xds/ratelimit-service-protos.js';
import { bootstrap, fileAccessLog, httpListener, ROUTER_TYPE, staticCluster, type Json } from '../../helpers/fixtures.js';
import { request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

const RATELIMIT = 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit';

/** A test limit: descriptor generic_key tenant=<t> → 5 per minute (one window for the whole test). */
class FixedLimits implements LimitLookup {
  limits = new Map<string, number>([['limited', 5]]);
  limitFor(domain: string, entries: readonly { key: string; value: string }[]) {
    const limit = domain === 'test' && entries.length === 1 && entries[0].key === 'tenant' ? this.limits.get(entries[0].value) : undefined;
    return limit === undefined ? null : { limit, windowMs: 60_000, requestsPerSecond: limit / 60 };
  }
}

function rateLimitFilter(cluster: string, extra: Json = {}): Json[] {
  return [
    { name: 'envoy.filters.http.ratelimit', typed_config: { '@type': RATELIMIT, domain: 'test', rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: cluster } }, transport_api_version: 'V3' }, ...extra } },
    { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } },
  ];
}

function routes(tenant: string): Json {
  return {
    virtual_hosts: [
      {
        name: 'limited',
        domains: ['limited.test'],
        rate_limits: [{ actions: [{ generic_key: { descriptor_key: 'tenant', descriptor_value: tenant } }] }],
        routes: [
          { match: { prefix: '/retry' }, route: { cluster: 'echo', retry_policy: { retry_on: '5xx', num_retries: 1 } } },
          { match: { prefix: '/' }, route: { cluster: 'echo' } },
        ],
      },
      { name: 'free', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'echo' } }] },
    ],
  };
}

describe('global rate limit (RLS)', () => {
  let echo: TestUpstream;
  let router: RunningRouter;
  let rls: RateLimitServer;
  let hanging: grpc.Server;
  let down: net.Server;
  const ports = { live: 0, allow: 0, deny: 0, slow: 0, admin: 0, rls: 0, down: 0, hang: 0 };
  const logPath = path.join(os.tmpdir(), `switchyard-grl-${process.pid}-${Date.now()}.log`);
  let hangingCalls = 0;

  before(async () => {
    echo = await startUpstream('echo');
    for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
    // "Down" is a port that resets every connection: an unbound port could be taken by a parallel test.
    down = net.createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => down.listen(ports.down, '127.0.0.1', resolve));
    rls = new RateLimitServer({ limits: new FixedLimits(), counters: new MemoryRateLimitCounters() });
    await rls.listen(ports.rls);
    hanging = new grpc.Server();
    hanging.addService(rateLimitServiceConstructor().service, { ShouldRateLimit: () => void hangingCalls++ });
    await new Promise<number>((resolve, reject) => hanging.bindAsync(`127.0.0.1:${ports.hang}`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    const log = { access_log: [fileAccessLog(logPath, '%REQ(:AUTHORITY)% %RESPONSE_CODE% %RESPONSE_FLAGS%\n')] };
    const listeners = [
      httpListener(ports.live, routes('limited'), { ...log, http_filters: rateLimitFilter('rls', { timeout: '2s', enable_x_ratelimit_headers: 'DRAFT_VERSION_03' }) }, 'live'),
      httpListener(ports.allow, routes('limited'), { http_filters: rateLimitFilter('rls_down') }, 'allow'),
      httpListener(ports.deny, routes('limited'), { ...log, http_filters: rateLimitFilter('rls_down', { failure_mode_deny: true }) }, 'deny'),
      httpListener(ports.slow, routes('limited'), { http_filters: rateLimitFilter('rls_hang', { timeout: '0.3s' }) }, 'slow'),
    ];
    const clusters = [
      staticCluster('echo', [echo.address]),
      staticCluster('rls', [`127.0.0.1:${ports.rls}`]),
      staticCluster('rls_down', [`127.0.0.1:${ports.down}`]),
      staticCluster('rls_hang', [`127.0.0.1:${ports.hang}`]),
    ];
    router = await startRouter(bootstrap(ports.admin, listeners, clusters), ports.admin, { concurrency: 1 });
  });

  after(async () => {
    await router?.stop();
    await rls?.close();
    hanging?.forceShutdown();
    down?.close();
    await echo?.close();
  });

  test('5 per window: the 6th request gets 429 x-envoy-ratelimited; the other virtual host is untouched', async () => {
    const before = echo.hits;
    const limited = [];
    for (let i = 0; i < 8; i++) limited.push(await request(ports.live, { headers: { host: 'limited.test' } }));
    assert.deepEqual(limited.map((r) => r.status), [200, 200, 200, 200, 200, 429, 429, 429]);
    assert.equal(limited[5].headers['x-envoy-ratelimited'], 'true');
    assert.equal(limited[5].body, '');
    // RateLimit header draft 03 from the RLS's DescriptorStatus: 5 per 60 s window, none left.
    assert.equal(limited[5].headers['x-ratelimit-limit'], '5, 5;w=60');
    assert.equal(limited[5].headers['x-ratelimit-remaining'], '0');
    const reset = Number(limited[5].headers['x-ratelimit-reset']);
    assert.ok(reset >= 0 && reset <= 60, `x-ratelimit-reset ${reset}`);
    for (let i = 0; i < 8; i++) assert.equal((await request(ports.live, { headers: { host: 'free.test' } })).status, 200);
    assert.equal(echo.hits - before, 5 + 8, 'limited requests never reached the upstream');
    assert.equal(await readStat(ports.admin, 'cluster.echo.ratelimit.ok'), 5);
    assert.equal(await readStat(ports.admin, 'cluster.echo.ratelimit.over_limit'), 3);
    assert.equal(rls.calls, 8, 'the free host costs no RLS call');
  });

  test('RLS down: requests are allowed (failure_mode_allowed)', async () => {
    const errorsBefore = await readStat(ports.admin, 'cluster.echo.ratelimit.error');
    for (let i = 0; i < 3; i++) assert.equal((await request(ports.allow, { headers: { host: 'limited.test' } })).status, 200);
    assert.equal(await readStat(ports.admin, 'cluster.echo.ratelimit.failure_mode_allowed'), 3);
    assert.equal((await readStat(ports.admin, 'cluster.echo.ratelimit.error')) - errorsBefore, 3);
  });

  test('RLS down with failure_mode_deny: 500, flag RLSE', async () => {
    const hits = echo.hits;
    const r = await request(ports.deny, { headers: { host: 'limited.test' } });
    assert.equal(r.status, 500);
    assert.equal(echo.hits, hits);
    assert.equal((await request(ports.deny, { headers: { host: 'free.test' } })).status, 200);
  });

  test('an RLS that never answers: allowed after the 300 ms timeout, with the body sent meanwhile', async () => {
    const started = performance.now();
    const req = http.request({ host: '127.0.0.1', port: ports.slow, method: 'POST', path: '/post', headers: { host: 'limited.test', 'content-length': '11' }, agent: false });
    req.flushHeaders();
    await new Promise((r) => setTimeout(r, 100));
    req.end('hello world');
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const ms = performance.now() - started;
    assert.equal(res.statusCode, 200);
    assert.equal(JSON.parse(Buffer.concat(chunks).toString()).body, 'hello world');
    assert.ok(ms >= 290, `answered after ${ms} ms, before the filter timeout`);
    assert.ok(ms < 3000, `answered after ${ms} ms`);
    assert.ok(hangingCalls >= 1);
  });

  test('a body held during the RLS call is replayed by a retry', async () => {
    const hits = echo.hits;
    echo.queue = [{ status: 503 }];
    const req = http.request({ host: '127.0.0.1', port: ports.slow, method: 'POST', path: '/retry', headers: { host: 'limited.test', 'content-length': '5' }, agent: false });
    req.flushHeaders();
    await new Promise((r) => setTimeout(r, 100));
    req.end('again');
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    assert.equal(res.statusCode, 200);
    assert.equal(JSON.parse(Buffer.concat(chunks).toString()).body, 'again');
    assert.equal(echo.hits - hits, 2, 'the 503, then the retry');
  });

  test('a client that leaves while the RLS call is out is dropped; the answer is ignored', async () => {
    const hits = echo.hits;
    const socket = net.connect(ports.slow, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /gone HTTP/1.1\r\nhost: limited.test\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(echo.hits, hits, 'the request never went upstream');
    assert.equal((await request(ports.slow, { headers: { host: 'free.test' } })).status, 200, 'the router is fine');
  });

  test('the access log shows RL and RLSE', async () => {
    await router.stop();
    const lines = (await readFile(logPath, 'utf8')).trim().split('\n');
    assert.equal(lines.filter((l) => l === 'limited.test 429 RL').length, 3, lines.join('\n'));
    assert.equal(lines.filter((l) => l === 'limited.test 500 RLSE').length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => l === 'free.test 200 -').length, 9, lines.join('\n'));
  });
});
