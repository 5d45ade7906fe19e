/**
 * The upstream side's timeouts. The cluster's connect_timeout: an upstream whose accept queue is full never completes a TCP
 * handshake, so the router gives up after connect_timeout with Envoy's 503 UF ("upstream connect
 * error or disconnect/reset before headers. reset reason: connection timeout") and counts
 * `upstream_cx_connect_timeout`. The unresponsive upstream is a python3 socket that listens with
 * backlog 0 and never accepts (Node's net.Server always accepts). The cluster's HTTP idle_timeout
 * (HttpProtocolOptions.common_http_protocol_options): a pooled connection left idle is closed and
 * counted in `upstream_cx_idle_timeout`, and the next request opens a new one.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

const NEVER_ACCEPTS = `
import socket, sys, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
print(s.getsockname()[1], flush=True)
time.sleep(120)
`;

describe('connect_timeout', () => {
  let blackhole: ChildProcess;
  let fillers: net.Socket[] = [];
  let router: RunningRouter;
  let port: number;
  let adminPort: number;

  before(async () => {
    blackhole = spawn('python3', ['-c', NEVER_ACCEPTS], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(blackhole.stdout!, 'data')) as [Buffer];
    const upstreamPort = Number(line.toString().trim());
    // Fill the accept queue (backlog 0 holds one; take a few to be sure): later SYNs are dropped.
    fillers = await Promise.all(
      [0, 1, 2].map(
        (): Promise<net.Socket> =>
          new Promise((resolve) => {
            const s = net.connect(upstreamPort, '127.0.0.1');
            s.on('error', () => {});
            s.once('connect', () => resolve(s));
            setTimeout(() => resolve(s), 300);
          }),
      ),
    );
    [port, adminPort] = await Promise.all([freePort(), freePort()]);
    const routes = { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'blackhole' } }] }] };
    router = await startRouter(bootstrap(adminPort, [httpListener(port, routes)], [staticCluster('blackhole', [`127.0.0.1:${upstreamPort}`], { connect_timeout: '0.25s' })]), adminPort);
  });

  after(async () => {
    await router?.stop();
    for (const s of fillers) s.destroy();
    blackhole?.kill('SIGKILL');
  });

  test('503 UF with the connection timeout reason, after connect_timeout, counted', async () => {
    const started = Date.now();
    const r = await request(port, { path: '/', timeoutMs: 5_000 });
    const elapsed = Date.now() - started;
    assert.equal(r.status, 503);
    assert.match(r.body, /^upstream connect error or disconnect\/reset before headers\. .*connection timeout/);
    assert.ok(elapsed >= 200 && elapsed < 3_000, `answered after ${elapsed} ms`);
    assert.equal(await readStat(adminPort, 'cluster.blackhole.upstream_cx_connect_timeout'), 1);
    assert.equal(await readStat(adminPort, 'cluster.blackhole.upstream_cx_connect_fail'), 1);
  });
});

describe('upstream idle_timeout', () => {
  let app: TestUpstream;
  let router: RunningRouter;
  let port: number;
  let adminPort: number;

  before(async () => {
    app = await startUpstream('app');
    [port, adminPort] = await Promise.all([freePort(), freePort()]);
    const routes = { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'app' } }] }] };
    const cluster = staticCluster('app', [app.address], {
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
          common_http_protocol_options: { idle_timeout: '0.3s' },
          explicit_http_config: { http_protocol_options: {} },
        },
      },
    });
    router = await startRouter(bootstrap(adminPort, [httpListener(port, routes)], [cluster]), adminPort);
  });

  after(async () => {
    await router?.stop();
    await app?.close();
  });

  test('an idle pooled connection is closed after idle_timeout; the next request opens a new one', async () => {
    assert.equal((await request(port, { path: '/one' })).status, 200);
    assert.equal(app.connections, 1);
    const deadline = Date.now() + 5_000;
    while ((await readStat(adminPort, 'cluster.app.upstream_cx_idle_timeout')) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await readStat(adminPort, 'cluster.app.upstream_cx_idle_timeout'), 1);
    assert.equal((await request(port, { path: '/two' })).status, 200);
    assert.equal(app.connections, 2, 'a fresh connection, not the closed one');
  });
});
