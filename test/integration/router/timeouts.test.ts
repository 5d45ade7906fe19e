/**
 * The connection manager's timeouts, each with Envoy's reply, flag and stat: request_timeout (408
 * "request timeout"), stream_idle_timeout and a route's idle_timeout (408 "stream timeout", SI; a
 * reset once the response started), request_headers_timeout (connection closed) and the
 * connection idle_timeout (keep-alive connection closed).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bootstrap, fileAccessLog, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { rawExchangeTimed } from '../../helpers/raw-exchange.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

describe('timeouts', () => {
  let hanging: TestUpstream;
  let stalling: http.Server;
  let router: RunningRouter;
  let fast: number; // listener with short HCM timeouts
  let lenient: number; // listener with long HCM timeouts, a short route idle_timeout
  let adminPort: number;
  const logPath = path.join(os.tmpdir(), `switchyard-timeouts-${process.pid}-${Date.now()}.log`);

  before(async () => {
    hanging = await startUpstream('hanging', { hang: true });
    // Sends the response head and one chunk, then goes quiet: the stream idles mid-response.
    stalling = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part');
    });
    stalling.listen(0, '127.0.0.1');
    await once(stalling, 'listening');
    const stallingAddress = `127.0.0.1:${(stalling.address() as net.AddressInfo).port}`;
    [fast, lenient, adminPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const routes = {
      virtual_hosts: [
        {
          name: 'all',
          domains: ['*'],
          routes: [
            { match: { prefix: '/hang' }, route: { cluster: 'hanging', timeout: '0s' } },
            { match: { prefix: '/stall' }, route: { cluster: 'stalling', timeout: '0s' } },
            { match: { prefix: '/route-idle' }, route: { cluster: 'hanging', timeout: '0s', idle_timeout: '0.3s' } },
            { match: { prefix: '/duration' }, route: { cluster: 'hanging', timeout: '0s', max_stream_duration: { max_stream_duration: '0.3s' } } },
            { match: { prefix: '/grpc' }, route: { cluster: 'hanging', timeout: '0s', max_stream_duration: { max_stream_duration: '20s', grpc_timeout_header_max: '0.4s' } } },
            { match: { prefix: '/' }, route: { cluster: 'hanging', timeout: '0s' } },
          ],
        },
      ],
    };
    const log = [fileAccessLog(logPath, '%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS%\n')];
    const doc = bootstrap(
      adminPort,
      [
        httpListener(
          fast,
          routes,
          {
            stat_prefix: 'fast',
            request_timeout: '0.4s',
            stream_idle_timeout: '1s', // longer than request_timeout, so the two never race
            request_headers_timeout: '0.4s',
            common_http_protocol_options: { idle_timeout: '0.5s' },
            access_log: log,
          },
          'fast',
        ),
        httpListener(lenient, routes, { stat_prefix: 'lenient', stream_idle_timeout: '30s', access_log: log }, 'lenient'),
      ],
      [staticCluster('hanging', [hanging.address]), staticCluster('stalling', [stallingAddress])],
    );
    router = await startRouter(doc, adminPort);
  });

  after(async () => {
    await router?.stop();
    await hanging?.close();
    stalling?.closeAllConnections();
    stalling?.close();
  });

  test('request_timeout: a request body that never completes gets 408 "request timeout"', async () => {
    const { out, elapsedMs } = await rawExchangeTimed(fast, 'POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly-part', 3_000);
    assert.match(out, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(out, /\r\n\r\nrequest timeout$/);
    assert.ok(elapsedMs >= 350, `fired after ${elapsedMs} ms`);
    assert.equal(await readStat(adminPort, 'http.fast.downstream_rq_timeout'), 1);
  });

  test('stream_idle_timeout: an upstream that never answers gets 408 "stream timeout" with SI', async () => {
    const r = await request(fast, { path: '/hang', timeoutMs: 5_000 });
    assert.equal(r.status, 408);
    assert.equal(r.body, 'stream timeout');
    assert.ok((await readStat(adminPort, 'http.fast.downstream_rq_idle_timeout')) >= 1);
  });

  test("a route's idle_timeout overrides the connection manager's stream_idle_timeout", async () => {
    const started = Date.now();
    const r = await request(lenient, { path: '/route-idle', timeoutMs: 5_000 });
    assert.equal(r.status, 408);
    assert.equal(r.body, 'stream timeout');
    assert.ok(Date.now() - started < 5_000);
    assert.equal(await readStat(adminPort, 'http.lenient.downstream_rq_idle_timeout'), 1);
  });

  test('max_stream_duration: 504 "downstream duration timeout" with DT once the request is complete, 408 while it is not', async () => {
    const started = Date.now();
    const r = await request(lenient, { path: '/duration', timeoutMs: 5_000 });
    assert.equal(r.status, 504);
    assert.equal(r.body, 'downstream duration timeout');
    assert.ok(Date.now() - started < 3_000);
    const { out } = await rawExchangeTimed(lenient, 'POST /duration-upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\npart', 3_000);
    assert.match(out, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.equal(await readStat(adminPort, 'http.lenient.downstream_rq_max_duration_reached'), 2);
  });

  test('grpc_timeout_header_max caps a grpc-timeout header, which then is the stream duration', async () => {
    let started = Date.now();
    const capped = await request(lenient, { path: '/grpc/capped', headers: { 'grpc-timeout': '30S' }, timeoutMs: 5_000 });
    const cappedMs = Date.now() - started;
    assert.equal(capped.status, 504);
    assert.ok(cappedMs >= 350 && cappedMs < 3_000, `capped at the 0.4 s max: ${cappedMs} ms`);
    started = Date.now();
    const short = await request(lenient, { path: '/grpc/short', headers: { 'grpc-timeout': '100m' }, timeoutMs: 5_000 });
    const shortMs = Date.now() - started;
    assert.equal(short.status, 504);
    assert.ok(shortMs < 350, `the header's own 100 ms applies: ${shortMs} ms`);
  });

  test('stream_idle_timeout after the response started resets the stream', async () => {
    const { out, closed } = await rawExchangeTimed(fast, 'GET /stall HTTP/1.1\r\nHost: a\r\n\r\n', 3_000);
    assert.match(out, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(out, /first part/);
    assert.ok(closed, 'the router closed the connection');
    assert.doesNotMatch(out, /\r\n0\r\n\r\n$/, 'the chunked body was not terminated: the client sees a truncated response');
  });

  test('request_headers_timeout closes a connection whose headers never finish', async () => {
    const { out, closed, elapsedMs } = await rawExchangeTimed(fast, 'GET / HTTP/1.1\r\nHost: a\r\nX-Slow', 3_000);
    assert.equal(out, '');
    assert.ok(closed && elapsedMs >= 350, `closed=${closed} after ${elapsedMs} ms`);
    assert.equal(await readStat(adminPort, 'http.fast.downstream_rq_header_timeout'), 1);
  });

  test('idle_timeout closes an idle keep-alive connection', async () => {
    const { closed, elapsedMs } = await rawExchangeTimed(fast, '', 3_000);
    assert.ok(closed && elapsedMs >= 450, `closed=${closed} after ${elapsedMs} ms`);
    assert.ok((await readStat(adminPort, 'http.fast.downstream_cx_idle_timeout')) >= 1);
  });

  test('the access log shows SI on idle timeouts', async () => {
    await router.stop();
    const lines = (await readFile(logPath, 'utf8')).trim().split('\n');
    assert.ok(lines.includes('/hang 408 SI'), lines.join('\n'));
    assert.ok(lines.includes('/route-idle 408 SI'), lines.join('\n'));
    assert.ok(lines.includes('/upload 408 -'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('/stall 200 SI')), lines.join('\n'));
    assert.ok(lines.includes('/duration 504 DT'), lines.join('\n'));
    assert.ok(lines.includes('/duration-upload 408 DT'), lines.join('\n'));
  });
});
