/**
 * Process lifecycle of the real router: bad bootstraps are rejected with every error and its path
 * (exit 1); the worker runs with its Node flags; SIGTERM drains in-flight requests and exits 0; a
 * client abort cancels the upstream request without leaking pool state; a pooled connection the
 * upstream closed is not a 502.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir, readFile, readlink } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, runRouterOnce, startRouter, writeBootstrap, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';
import { WORKER_SEMI_SPACE_MIB } from '../../../src/router/worker/worker-exec-argv.js';
import { EXTRA_ACCEPT_FDS } from '../../../src/router/listener/acceptors.js';

/** The inode of the socket listening on 127.0.0.1:`port`, from /proc/net/tcp (state 0A = LISTEN). */
async function listeningInode(port: number): Promise<string> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of (await readFile('/proc/net/tcp', 'utf8')).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[3] === '0A') return f[9];
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** How many of process `pid`'s descriptors are the socket `inode`. */
async function descriptorsOf(pid: string, inode: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target === `socket:[${inode}]`) n++;
  }
  return n;
}

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

  test('the worker accepts on several descriptors of each listening socket (acceptors.ts)', async () => {
    const pid = router.child.pid!;
    const worker = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim();
    const inode = await listeningInode(port);
    // The copies come from the primary just after the listener binds: wait for them (bounded).
    let count = 0;
    for (let i = 0; i < 50 && count !== EXTRA_ACCEPT_FDS + 1; i++) {
      count = await descriptorsOf(worker, inode);
      if (count !== EXTRA_ACCEPT_FDS + 1) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(count, EXTRA_ACCEPT_FDS + 1);
  });

  test('a burst of 200 new connections is served, each on its own connection', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1');
          let data = '';
          socket.setEncoding('latin1');
          socket.on('data', (d: string) => (data += d));
          socket.on('end', () => resolve(data));
          socket.on('error', reject);
          socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
          socket.write('GET /burst HTTP/1.1\r\nHost: burst\r\nConnection: close\r\n\r\n');
        }),
      ),
    );
    for (const r of responses) assert.match(r, /^HTTP\/1\.1 200 /);
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
