/**
 * Bodies arrive byte for byte: the router reads every upstream socket, and every adopted
 * downstream socket, into one shared buffer (`onread`), so any byte it kept or queued without
 * copying would be overwritten by the next read of another connection. Several large downloads run at once through one worker, in
 * content-length and chunked framing, with odd write sizes, while one client reads slowly (the
 * router's downstream writes queue and its upstream reads pause) — each body's SHA-256 must match.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { freePort } from '../../helpers/ports.js';
import { startRouter, type RunningRouter } from '../../helpers/start-router.js';

const BODY = randomBytes(12 * 1024 * 1024 + 7);
const BODY_SHA = createHash('sha256').update(BODY).digest('hex');

/** BODY in pieces of varying size (1 B … 100 KB). */
function* bodyPieces(): Generator<Buffer> {
  let offset = 0;
  let i = 0;
  while (offset < BODY.length) {
    const size = [1, 1000, 65_536, 7, 100_000, 4096][i++ % 6];
    const piece = BODY.subarray(offset, Math.min(BODY.length, offset + size));
    offset += piece.length;
    yield piece;
  }
}

/** Writes BODY in pieces with backpressure, yielding between some of them. */
async function writeInPieces(out: http.ServerResponse | http.ClientRequest): Promise<void> {
  let i = 0;
  for (const piece of bodyPieces()) {
    if (!out.write(piece)) await once(out, 'drain');
    else if (++i % 5 === 0) await new Promise((r) => setImmediate(r));
  }
  out.end();
}

interface Download {
  sha: string;
  bytes: number;
  transferEncoding: string | undefined;
}

function download(port: number, path: string, slowReader: boolean): Promise<Download> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { host: 'bodies.test' } }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        if (slowReader) {
          res.pause();
          setTimeout(() => res.resume(), 5);
        }
      });
      res.on('end', () => resolve({ sha: hash.digest('hex'), bytes, transferEncoding: res.headers['transfer-encoding'] }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`download of ${path} timed out`)));
  });
}

describe('response body integrity through the shared upstream read buffer', () => {
  let origin: http.Server;
  let router: RunningRouter;
  let port: number;

  before(async () => {
    origin = http.createServer((req, res) => {
      if (req.method === 'POST') {
        // Uploads: answer with what arrived.
        const hash = createHash('sha256');
        let bytes = 0;
        req.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          bytes += chunk.length;
        });
        req.on('end', () => res.end(`${bytes} ${hash.digest('hex')}`));
        return;
      }
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream' };
      if (req.url === '/length') headers['content-length'] = BODY.length;
      res.writeHead(200, headers); // no content-length on /chunked: node frames it chunked
      void writeInPieces(res);
    });
    origin.listen(0, '127.0.0.1');
    await once(origin, 'listening');
    port = await freePort();
    const adminPort = await freePort();
    const routeConfig = { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'origin' } }] }] };
    const doc = bootstrap(adminPort, [httpListener(port, routeConfig)], [staticCluster('origin', [`127.0.0.1:${(origin.address() as net.AddressInfo).port}`])]);
    router = await startRouter(doc, adminPort);
  });

  after(async () => {
    await router?.stop();
    origin?.closeAllConnections();
    origin?.close();
  });

  test('concurrent large downloads, chunked and content-length, one slow reader: every byte intact', async () => {
    const results = await Promise.all([
      download(port, '/length', true),
      download(port, '/length', false),
      download(port, '/chunked', false),
      download(port, '/chunked', true),
      download(port, '/length', false),
    ]);
    for (const r of results) {
      assert.equal(r.bytes, BODY.length);
      assert.equal(r.sha, BODY_SHA);
    }
    assert.equal(results[2].transferEncoding, 'chunked');
    assert.equal(results[0].transferEncoding, undefined);
  });

  test('concurrent large uploads, two per keep-alive connection, chunked and content-length: every byte intact', async () => {
    // Downstream sockets read into one shared buffer too (listener/adopt-socket.ts): request
    // body chunks the router queues upstream must be copies.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 3 });
    try {
      const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => upload(port, agent, i % 2 === 0)));
      for (const r of results) assert.equal(r, `${BODY.length} ${BODY_SHA}`);
    } finally {
      agent.destroy();
    }
  });
});

/** POSTs BODY in pieces of varying size, with content-length or chunked; resolves with the origin's answer. */
function upload(port: number, agent: http.Agent, withLength: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { host: 'bodies.test', 'content-type': 'application/octet-stream' };
    if (withLength) headers['content-length'] = BODY.length;
    const req = http.request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('upload timed out')));
    void writeInPieces(req);
  });
}
