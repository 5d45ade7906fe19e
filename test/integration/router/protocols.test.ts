/**
 * Protocols through the router: WebSocket upgrade (ws client and server), cleartext HTTP/2 with
 * prior knowledge (node:http2 client), HTTP/1.0 clients, and pipelined HTTP/1.1 requests.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { h2Request } from '../../helpers/http2-client.js';
import { freePort } from '../../helpers/ports.js';
import { rawExchange } from '../../helpers/raw-exchange.js';
import { startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

describe('protocols', () => {
  let echo: TestUpstream;
  let wss: WebSocketServer;
  let wsPort: number;
  let streaming: http.Server;
  /** Resolved by the test when the client has the head and the first chunk; the upstream then ends. */
  let clientSawFirstChunk: () => void = () => {};
  let router: RunningRouter;
  let port: number;

  before(async () => {
    echo = await startUpstream('echo');
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    wsPort = (wss.address() as net.AddressInfo).port;
    wss.on('connection', (ws) => ws.on('message', (m, binary) => ws.send(binary ? m : `echo:${m.toString()}`)));
    // Head + first chunk now, the rest only once the client proved it got them: a router that held
    // the head for more upstream bytes would stall here.
    streaming = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '11' });
      res.write('first ');
      const timer = setTimeout(() => res.end('later'), 5_000);
      clientSawFirstChunk = () => {
        clearTimeout(timer);
        res.end('later');
      };
    });
    streaming.listen(0, '127.0.0.1');
    await once(streaming, 'listening');
    port = await freePort();
    const adminPort = await freePort();
    const routeConfig = {
      virtual_hosts: [
        {
          name: 'all',
          domains: ['*'],
          routes: [
            { match: { prefix: '/ws' }, route: { cluster: 'ws' } },
            { match: { prefix: '/stream' }, route: { cluster: 'streaming' } },
            { match: { prefix: '/' }, route: { cluster: 'echo' } },
          ],
        },
      ],
    };
    const doc = bootstrap(adminPort, [httpListener(port, routeConfig, { upgrade_configs: [{ upgrade_type: 'websocket' }] })], [
      staticCluster('echo', [echo.address]),
      staticCluster('ws', [`127.0.0.1:${wsPort}`]),
      staticCluster('streaming', [`127.0.0.1:${(streaming.address() as net.AddressInfo).port}`]),
    ]);
    router = await startRouter(doc, adminPort);
  });

  after(async () => {
    await router?.stop();
    await echo?.close();
    for (const c of wss?.clients ?? []) c.terminate();
    wss?.close();
    streaming?.close();
  });

  test('a response head and its first chunk go out before the upstream sends the rest', async () => {
    const started = Date.now();
    const { firstChunkAfterMs, body } = await new Promise<{ firstChunkAfterMs: number; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/stream', agent: false }, (res) => {
          let body = '';
          let firstChunkAfterMs = -1;
          res.setEncoding('latin1');
          res.on('data', (d: string) => {
            if (firstChunkAfterMs < 0) {
              firstChunkAfterMs = Date.now() - started;
              clientSawFirstChunk();
            }
            body += d;
          });
          res.on('end', () => resolve({ firstChunkAfterMs, body }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    assert.equal(body, 'first later');
    assert.ok(firstChunkAfterMs < 4_000, `the first chunk came only with the end (${firstChunkAfterMs} ms)`);
  });

  test('WebSocket echo through the router', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await once(ws, 'open');
    const replies: string[] = [];
    ws.on('message', (m) => replies.push(m.toString()));
    for (const m of ['one', 'two', 'three']) ws.send(m);
    for (let i = 0; i < 100 && replies.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(replies, ['echo:one', 'echo:two', 'echo:three']);
    ws.close();
    await once(ws, 'close');
  });

  test('HTTP/2 prior knowledge client', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const results = await Promise.all([1, 2, 3].map((i) => h2Request(session, { ':path': `/h2/${i}`, ':method': 'POST', ':authority': 'h2.test' }, `payload-${i}`)));
      for (const [i, r] of results.entries()) {
        assert.equal(r.status, 200);
        const parsed = JSON.parse(r.body) as { url: string; body: string; headers: Record<string, string> };
        assert.equal(parsed.url, `/h2/${i + 1}`);
        assert.equal(parsed.body, `payload-${i + 1}`);
        assert.equal(parsed.headers.host, 'h2.test');
      }
    } finally {
      session.close();
    }
  });

  test('HTTP/1.0 client gets a 1.0 response and the connection closes', async () => {
    const out = await rawExchange(port, 'GET /ten HTTP/1.0\r\nHost: a.test\r\n\r\n');
    assert.match(out, /^HTTP\/1\.0 200 OK\r\n/);
    assert.match(out, /"url":"\/ten"/);
  });

  test('pipelined requests are answered in order', async () => {
    const reqs = ['/p1', '/p2', '/p3'].map((p) => `GET ${p} HTTP/1.1\r\nHost: a.test\r\n\r\n`).join('') + 'GET /p4 HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n';
    const out = await rawExchange(port, reqs, 3_000);
    const urls = [...out.matchAll(/"url":"(\/p\d)"/g)].map((m) => m[1]);
    assert.deepEqual(urls, ['/p1', '/p2', '/p3', '/p4']);
    assert.equal(out.match(/HTTP\/1\.1 200 OK/g)?.length, 4);
  });

  test('a pipelined request that arrives while a response is still streaming waits its turn', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let out = '';
    socket.on('error', () => {});
    const sawFirst = new Promise<void>((resolve) => {
      socket.on('data', (c: Buffer) => {
        out += c.toString('latin1');
        if (out.includes('first ')) resolve();
      });
    });
    socket.write('GET /stream HTTP/1.1\r\nHost: a.test\r\n\r\n');
    await sawFirst;
    // Half of the next head in its own read while /stream's response is in flight (the router
    // pauses the socket), the rest once that response is done (it must read again).
    socket.write('GET /p2 HTTP/1.1\r\nHost: a.test\r\n');
    await new Promise((r) => setTimeout(r, 100));
    clientSawFirstChunk();
    for (let i = 0; i < 100 && !out.includes('first later'); i++) await new Promise((r) => setTimeout(r, 10));
    socket.write('Connection: close\r\n\r\n');
    await Promise.race([once(socket, 'close'), new Promise((r) => setTimeout(r, 3_000))]);
    socket.destroy();
    const later = out.indexOf('first later');
    const p2 = out.indexOf('"url":"/p2"');
    assert.ok(later > 0 && p2 > later, `responses out of order or missing: ${JSON.stringify(out.slice(0, 400))}`);
  });

  const malformed = [
    { name: 'both Content-Length and Transfer-Encoding', raw: 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' },
    { name: 'differing duplicate Content-Length', raw: 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab' },
    { name: 'Transfer-Encoding on HTTP/1.0', raw: 'POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' },
    { name: 'obs-fold', raw: 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n' },
    { name: 'space before colon', raw: 'GET / HTTP/1.1\r\nHost : a\r\n\r\n' },
    { name: 'missing Host', raw: 'GET / HTTP/1.1\r\n\r\n' },
    { name: 'NUL in a header value', raw: 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n' },
  ];
  for (const m of malformed) {
    test(`rejects ${m.name} with 400 and closes`, async () => {
      const before = echo.hits;
      const out = await rawExchange(port, m.raw);
      assert.match(out, /^HTTP\/1\.1 400 /);
      assert.match(out, /connection: close/i);
      assert.equal(echo.hits, before, 'nothing reached the upstream');
    });
  }

  test('oversized headers get 431', async () => {
    const out = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(70 * 1024)}\r\n\r\n`);
    assert.match(out, /^HTTP\/1\.1 431 /);
  });
});
