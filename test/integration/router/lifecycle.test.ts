/**
 * Process lifecycle of the real router: bad bootstraps are rejected with every error and its path
 * (exit 1); the worker runs with its Node flags; SIGTERM drains in-flight requests and exits 0; a
 * client abort cancels the upstream request without leaking pool state; a pooled connection the
 * upstream closed is not a 502.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, runRouterOnce, startRouter, writeBootstrap, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';
import { WORKER_SEMI_SPACE_MIB } from '../../../src/router/worker/worker-exec-argv.js';

const route = (cluster: string, extra: object = {}) => ({ virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster, ...extra } }] }] });

describe('bad bootstrap', () => {
  const cases = [
    {
      name: 'unknown field',
      doc: { static_resources: { clusters: [{ name: 'x', type: 'STATIC', connect_timout: '1s' }] } },
      error: /staticResources\.clusters\[0\]\.connect_timout|connectTimout/,
    },
    {
      name: 'route to an undefined cluster',
      doc: bootstrap(9, [httpListener(10, route('missing'))], []),
      error: /unknown cluster "missing"/,
    },
    {
      name: 'weights that sum to zero',
      doc: bootstrap(9, [httpListener(10, { virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { weighted_clusters: { clusters: [{ name: 'a', weight: 0 }] } } }] }] })], [staticCluster('a', ['127.0.0.1:1'])]),
      error: /weightedClusters/,
    },
    {
      name: 'bad regex',
      doc: bootstrap(9, [httpListener(10, { virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { safe_regex: { regex: '(a)\\1' } }, route: { cluster: 'a' } }] }] })], [staticCluster('a', ['127.0.0.1:1'])]),
      error: /safeRegex/,
    },
    {
      name: 'unknown http filter',
      doc: bootstrap(9, [httpListener(10, route('a'), { http_filters: [{ name: 'envoy.filters.http.lua', typed_config: { '@type': 'type.googleapis.com/google.protobuf.Empty' } }, { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }] })], [staticCluster('a', ['127.0.0.1:1'])]),
      error: /httpFilters\[0\]/,
    },
  ];
  for (const c of cases) {
    test(`rejects ${c.name} at start with exit 1`, async () => {
      const { code, stderr } = await runRouterOnce(await writeBootstrap(c.doc));
      assert.equal(code, 1, stderr);
      assert.match(stderr, c.error);
    });
  }
});

describe('draining and connection hygiene', () => {
  let slow: TestUpstream;
  let fast: TestUpstream;
  let router: RunningRouter;
  let port: number;
  let adminPort: number;

  before(async () => {
    slow = await startUpstream('slow', { delayMs: 600 });
    fast = await startUpstream('fast');
    // The upstream closes idle keep-alive connections quickly: the router must notice or retry.
    fast.server.keepAliveTimeout = 100;
    port = await freePort();
    adminPort = await freePort();
    const routeConfig = {
      virtual_hosts: [
        {
          name: 'all',
          domains: ['*'],
          routes: [
            { match: { prefix: '/slow' }, route: { cluster: 'slow' } },
            { match: { prefix: '/' }, route: { cluster: 'fast' } },
          ],
        },
      ],
    };
    router = await startRouter(bootstrap(adminPort, [httpListener(port, routeConfig)], [staticCluster('slow', [slow.address]), staticCluster('fast', [fast.address])]), adminPort, { drainTimeS: 5 });
  });

  after(async () => {
    await router?.stop();
    await Promise.all([slow?.close(), fast?.close()]);
  });

  test("the worker runs with the proxy's GC flags (worker-exec-argv.ts)", async () => {
    // The primary forks its worker through node:cluster; the kernel lists it as the primary's child.
    const pid = router.child.pid!;
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/);
    assert.equal(children.length, 1, `one worker: ${children.join(' ')}`);
    const argv = (await readFile(`/proc/${children[0]}/cmdline`, 'utf8')).split('\0');
    assert.ok(argv.includes(`--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`), argv.join(' '));
    assert.ok(argv.includes('--single-threaded-gc'), argv.join(' '));
    assert.ok(argv.some((a) => a.endsWith('worker-entry.js')), argv.join(' '));
  });

  test('upstream keep-alive closes between requests never surface as errors', async () => {
    const agent = keepAliveAgent(2);
    for (let i = 0; i < 8; i++) {
      const r = await request(port, { agent });
      assert.equal(r.status, 200, r.body);
      await new Promise((res) => setTimeout(res, i % 2 === 0 ? 150 : 95));
    }
    agent.destroy();
  });

  test('a client abort cancels the upstream request and frees its pool slot', async () => {
    const abortedBefore = slow.aborted;
    const req = http.request({ host: '127.0.0.1', port, path: '/slow' });
    req.on('error', () => {});
    req.end();
    await new Promise((r) => setTimeout(r, 150));
    req.destroy();
    for (let i = 0; i < 40 && slow.aborted === abortedBefore; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(slow.aborted, abortedBefore + 1, 'the upstream saw its request go away');
    assert.equal(await readStat(adminPort, 'cluster.slow.upstream_rq_active'), 0);
    assert.equal(await readStat(adminPort, 'cluster.slow.upstream_cx_active'), 0, 'the aborted connection was not returned to the pool');
    // The cluster still works afterwards.
    assert.equal((await request(port, { path: '/slow' })).status, 200);
  });

  test('SIGTERM lets in-flight requests finish, then exits 0', async () => {
    const inflight = Array.from({ length: 5 }, (_, i) => request(port, { path: `/slow/${i}` }));
    await new Promise((r) => setTimeout(r, 150));
    router.child.kill('SIGTERM');
    const replies = await Promise.all(inflight);
    for (const r of replies) assert.equal(r.status, 200);
    const [code] = (await once(router.child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
