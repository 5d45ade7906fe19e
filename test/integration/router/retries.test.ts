/**
 * Router retries (route and virtual host retry_policy) against real upstreams that fail on cue:
 * retry on 5xx with x-envoy-attempt-count, retriable-status-codes (429), connect failures moved to
 * another host by previous_hosts, POST bodies replayed, bodies past the buffer limit not retried,
 * num_retries exhausted (URX), per_try_timeout (504 UT after every try), and the stats of each.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { once } from 'node:events';
import type net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { bootstrap, fileAccessLog, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type EchoBody, type TestUpstream } from '../../helpers/upstream.js';

const PREVIOUS_HOSTS = { name: 'envoy.retry_host_predicates.previous_hosts' };

describe('retries', () => {
  let flaky: TestUpstream, limited: TestUpstream, quiet: TestUpstream, live: TestUpstream, echo: TestUpstream, big: TestUpstream, failing: TestUpstream, hanging: TestUpstream, inherit: TestUpstream;
  /** Answers its first request 503 at once, before the body arrived; then echoes bodies. */
  let early: http.Server;
  const earlyBodies: string[] = [];
  let router: RunningRouter;
  let port: number;
  let adminPort: number;
  const logPath = path.join(os.tmpdir(), `switchyard-retries-${process.pid}-${Date.now()}.log`);

  before(async () => {
    [flaky, limited, quiet, live, echo, big, failing, hanging, inherit] = await Promise.all([
      startUpstream('flaky'),
      startUpstream('limited'),
      startUpstream('quiet', { hang: true }),
      startUpstream('live'),
      startUpstream('echo'),
      startUpstream('big'),
      startUpstream('failing', { status: 503, body: 'still failing' }),
      startUpstream('hanging', { hang: true }),
      startUpstream('inherit', { status: 503 }),
    ]);
    let earlyFailed = false;
    early = http.createServer((req, res) => {
      if (!earlyFailed) {
        earlyFailed = true;
        earlyBodies.push('<early 503>');
        res.writeHead(503, { connection: 'close' }).end('busy');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        earlyBodies.push(Buffer.concat(chunks).toString());
        res.writeHead(200).end('ok');
      });
    });
    early.listen(0, '127.0.0.1');
    await once(early, 'listening');
    const earlyAddress = `127.0.0.1:${(early.address() as net.AddressInfo).port}`;
    const deadPort = await freePort(); // nothing listens there: connection refused
    port = await freePort();
    adminPort = await freePort();
    const routeConfig = {
      virtual_hosts: [
        {
          name: 'all',
          domains: ['*'],
          include_request_attempt_count: true,
          include_attempt_count_in_response: true,
          // The virtual host's policy; routes with their own retry_policy override it whole.
          retry_policy: { retry_on: '5xx', num_retries: 1, retry_back_off: { base_interval: '0.005s' } },
          routes: [
            { match: { prefix: '/flaky' }, route: { cluster: 'flaky', retry_policy: { retry_on: '5xx', num_retries: 2, retry_back_off: { base_interval: '0.005s' } } } },
            {
              match: { prefix: '/limited-reset' },
              route: {
                cluster: 'limited',
                retry_policy: {
                  retry_on: 'retriable-status-codes',
                  retriable_status_codes: [429],
                  retry_back_off: { base_interval: '0.005s' },
                  rate_limited_retry_back_off: { reset_headers: [{ name: 'Retry-After', format: 'SECONDS' }], max_interval: '5s' },
                },
              },
            },
            {
              match: { prefix: '/quiet' },
              route: { cluster: 'quiet', timeout: '5s', retry_policy: { retry_on: 'reset', num_retries: 1, per_try_idle_timeout: '0.2s', retry_back_off: { base_interval: '0.005s' } } },
            },
            { match: { prefix: '/limited-5xx' }, route: { cluster: 'limited', retry_policy: { retry_on: '5xx', retry_back_off: { base_interval: '0.005s' } } } },
            {
              match: { prefix: '/limited' },
              route: { cluster: 'limited', retry_policy: { retry_on: 'retriable-status-codes', retriable_status_codes: [429], retry_back_off: { base_interval: '0.005s' } } },
            },
            {
              match: { prefix: '/pair' },
              route: {
                cluster: 'pair',
                retry_policy: { retry_on: 'connect-failure', num_retries: 2, retry_host_predicate: [PREVIOUS_HOSTS], host_selection_retry_max_attempts: 5, retry_back_off: { base_interval: '0.005s' } },
              },
            },
            { match: { prefix: '/echo' }, route: { cluster: 'echo', retry_policy: { retry_on: '5xx', retry_back_off: { base_interval: '0.005s' } } } },
            { match: { prefix: '/big' }, per_request_buffer_limit_bytes: 1024, route: { cluster: 'big', retry_policy: { retry_on: '5xx', retry_back_off: { base_interval: '0.005s' } } } },
            { match: { prefix: '/failing' }, route: { cluster: 'failing', retry_policy: { retry_on: '5xx', num_retries: 2, retry_back_off: { base_interval: '0.005s' } } } },
            {
              match: { prefix: '/hanging' },
              route: { cluster: 'hanging', timeout: '5s', retry_policy: { retry_on: '5xx', num_retries: 1, per_try_timeout: '0.2s', retry_back_off: { base_interval: '0.005s' } } },
            },
            { match: { prefix: '/inherit' }, route: { cluster: 'inherit' } },
            { match: { prefix: '/early' }, route: { cluster: 'early', retry_policy: { retry_on: '5xx', retry_back_off: { base_interval: '0.005s' } } } },
          ],
        },
      ],
    };
    const format = '%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_REQUEST_ATTEMPT_COUNT%\n';
    const doc = bootstrap(
      adminPort,
      [httpListener(port, routeConfig, { access_log: [fileAccessLog(logPath, format)] })],
      [
        staticCluster('flaky', [flaky.address]),
        staticCluster('limited', [limited.address]),
        staticCluster('quiet', [quiet.address]),
        // Four clients may all be retrying at once: above the default max_retries (3), which would answer UO.
        staticCluster('pair', [`127.0.0.1:${deadPort}`, live.address], { circuit_breakers: { thresholds: [{ max_retries: 16 }] } }),
        staticCluster('echo', [echo.address]),
        staticCluster('big', [big.address]),
        staticCluster('failing', [failing.address]),
        staticCluster('hanging', [hanging.address]),
        staticCluster('inherit', [inherit.address]),
        staticCluster('early', [earlyAddress]),
      ],
    );
    router = await startRouter(doc, adminPort);
  });

  after(async () => {
    await router?.stop();
    early?.closeAllConnections();
    await new Promise<void>((r) => (early ? early.close(() => r()) : r()));
    await Promise.all([flaky, limited, quiet, live, echo, big, failing, hanging, inherit].map((u) => u?.close()));
  });

  test('a 503 then a 200: the client sees the 200, the retry carried x-envoy-attempt-count: 2', async () => {
    flaky.queue.push({ status: 503, body: 'try again' });
    const r = await request(port, { path: '/flaky' });
    assert.equal(r.status, 200);
    assert.equal(flaky.hits, 2);
    const echoed = JSON.parse(r.body) as EchoBody;
    assert.equal(echoed.headers['x-envoy-attempt-count'], '2');
    // include_attempt_count_in_response
    assert.equal(r.headers['x-envoy-attempt-count'], '2');
    assert.equal(await readStat(adminPort, 'cluster.flaky.upstream_rq_retry'), 1);
    assert.equal(await readStat(adminPort, 'cluster.flaky.upstream_rq_retry_success'), 1);
    assert.equal(await readStat(adminPort, 'cluster.flaky.upstream_rq_retry_backoff_exponential'), 1);
    assert.equal(await readStat(adminPort, 'cluster.flaky.retry.upstream_rq_503'), 1);
    assert.equal(await readStat(adminPort, 'cluster.flaky.upstream_rq_200'), 1);
    assert.equal(await readStat(adminPort, 'cluster.flaky.upstream_rq_503'), 0);
  });

  test('a first attempt that succeeds sends x-envoy-attempt-count: 1 and counts no retry', async () => {
    const before = flaky.hits;
    const r = await request(port, { path: '/flaky' });
    assert.equal(r.status, 200);
    assert.equal(flaky.hits, before + 1);
    assert.equal((JSON.parse(r.body) as EchoBody).headers['x-envoy-attempt-count'], '1');
    assert.equal(r.headers['x-envoy-attempt-count'], '1');
  });

  test('429 is retried only where retriable-status-codes names it', async () => {
    limited.queue.push({ status: 429 });
    const retried = await request(port, { path: '/limited' });
    assert.equal(retried.status, 200);
    assert.equal(limited.hits, 2);

    limited.queue.push({ status: 429 });
    const notRetried = await request(port, { path: '/limited-5xx' });
    assert.equal(notRetried.status, 429);
    assert.equal(limited.hits, 3);
    assert.equal(await readStat(adminPort, 'cluster.limited.upstream_rq_retry'), 1);
  });

  test('rate_limited_retry_back_off: a 429 with Retry-After: 1 is retried after about a second', async () => {
    const before = limited.hits;
    limited.queue.push({ status: 429, headers: { 'retry-after': '1' } });
    const started = Date.now();
    const r = await request(port, { path: '/limited-reset' });
    const elapsed = Date.now() - started;
    assert.equal(r.status, 200);
    assert.equal(limited.hits, before + 2);
    // Envoy jitters the named interval upwards by up to half of it: [1 s, 1.5 s).
    assert.ok(elapsed >= 950 && elapsed < 3_000, `retried after ${elapsed} ms`);
    assert.equal(await readStat(adminPort, 'cluster.limited.upstream_rq_retry_backoff_ratelimited'), 1);
  });

  test('per_try_idle_timeout: a silent try is reset and retried, then 504 UT', async () => {
    const started = Date.now();
    const r = await request(port, { path: '/quiet' });
    assert.equal(r.status, 504);
    assert.equal(quiet.hits, 2);
    assert.ok(Date.now() - started < 4_000);
    assert.equal(await readStat(adminPort, 'cluster.quiet.upstream_rq_per_try_idle_timeout'), 2);
    assert.equal(await readStat(adminPort, 'cluster.quiet.upstream_rq_retry'), 1);
  });

  test('connect failures to a dead host are retried on the live one (previous_hosts): no client errors', async () => {
    const agent = keepAliveAgent(4);
    const result = await boundedLoad(40, 4, 10_000, async (i) => {
      const r = await request(port, { path: `/pair/${i}`, agent });
      return r.status === 200 && (JSON.parse(r.body) as EchoBody).name === 'live';
    });
    agent.destroy();
    assert.equal(result.sent, 40);
    assert.equal(result.failed, 0, result.errors.join('\n'));
    assert.ok((await readStat(adminPort, 'cluster.pair.upstream_cx_connect_fail')) >= 1);
    assert.ok((await readStat(adminPort, 'cluster.pair.upstream_rq_retry')) >= 1);
  });

  test('a POST body is replayed on the retry', async () => {
    echo.queue.push({ status: 503 });
    const body = 'x'.repeat(20_000) + '-end';
    const r = await request(port, { method: 'POST', path: '/echo', body, headers: { 'content-type': 'text/plain' } });
    assert.equal(r.status, 200);
    assert.equal(echo.hits, 2);
    assert.equal((JSON.parse(r.body) as EchoBody).body, body);
  });

  test('a 503 while the body is still streaming: the retry replays what arrived and streams the rest', async () => {
    const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/early', headers: { 'content-length': '10' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('hello');
      // The rest comes after the first attempt failed and the retry started.
      setTimeout(() => req.end('world'), 300);
    });
    const r = await reply;
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok');
    assert.deepEqual(earlyBodies, ['<early 503>', 'helloworld']);
  });

  test('a body bigger than per_request_buffer_limit_bytes is not retried', async () => {
    big.queue.push({ status: 503, body: 'unavailable' });
    const r = await request(port, { method: 'POST', path: '/big', body: 'y'.repeat(8 * 1024) });
    assert.equal(r.status, 503);
    assert.equal(r.body, 'unavailable');
    assert.equal(big.hits, 1);
    assert.equal(await readStat(adminPort, 'cluster.big.retry_or_shadow_abandoned'), 1);
    assert.equal(await readStat(adminPort, 'cluster.big.upstream_rq_retry'), 0);
    // A small body on the same route is still retried.
    big.queue.push({ status: 503 });
    const small = await request(port, { method: 'POST', path: '/big', body: 'small' });
    assert.equal(small.status, 200);
    assert.equal((JSON.parse(small.body) as EchoBody).body, 'small');
  });

  test('num_retries exhausted: the last response is forwarded, flagged URX', async () => {
    const r = await request(port, { path: '/failing' });
    assert.equal(r.status, 503);
    assert.equal(r.body, 'still failing');
    assert.equal(failing.hits, 3);
    assert.equal(r.headers['x-envoy-attempt-count'], '3');
    assert.equal(await readStat(adminPort, 'cluster.failing.upstream_rq_retry'), 2);
    assert.equal(await readStat(adminPort, 'cluster.failing.upstream_rq_retry_limit_exceeded'), 1);
    assert.equal(await readStat(adminPort, 'cluster.failing.upstream_rq_retry_success'), 0);
  });

  test('a route without its own policy uses the virtual host one (num_retries 1)', async () => {
    const r = await request(port, { path: '/inherit' });
    assert.equal(r.status, 503);
    assert.equal(inherit.hits, 2);
  });

  test('per_try_timeout: each try times out (504 UT), is retried, then the last one answers 504 UT', async () => {
    const started = Date.now();
    const r = await request(port, { path: '/hanging' });
    const elapsed = Date.now() - started;
    assert.equal(r.status, 504);
    assert.equal(r.body, 'upstream request timeout');
    assert.equal(hanging.hits, 2);
    assert.ok(elapsed < 4_000, `took ${elapsed} ms: the per-try timeout, not the route timeout, ended it`);
    assert.equal(await readStat(adminPort, 'cluster.hanging.upstream_rq_per_try_timeout'), 2);
    assert.equal(await readStat(adminPort, 'cluster.hanging.upstream_rq_retry'), 1);
    assert.equal(await readStat(adminPort, 'cluster.hanging.upstream_rq_retry_limit_exceeded'), 1);
  });

  test('the access log records attempts and URX', async () => {
    const want = ['/failing 503 URX 3', '/hanging 504 UT,URX 2', '/flaky 200 - 2', '/inherit 503 URX 2'];
    let text = '';
    for (let i = 0; i < 50; i++) {
      text = await readFile(logPath, 'utf8').catch(() => '');
      if (want.every((w) => text.includes(w))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const w of want) assert.ok(text.includes(w), `missing "${w}" in:\n${text}`);
  });

  test('retry slots are given back: rq_retry_open is 0 and no request is left active', async () => {
    for (const name of ['flaky', 'limited', 'quiet', 'pair', 'echo', 'big', 'failing', 'hanging', 'inherit']) {
      assert.equal(await readStat(adminPort, `cluster.${name}.circuit_breakers.default.rq_retry_open`), 0, name);
      assert.equal(await readStat(adminPort, `cluster.${name}.upstream_rq_active`), 0, name);
    }
  });
});
