/**
 * What the access log says about a request's downstream connection. The local and remote
 * addresses: a listener bound to one address takes every connection's local address from the
 * first (no getsockname per connection); a wildcard listener ('::', dual-stack) reads each
 * connection's own, so IPv4 and IPv6 clients of the same listener are told apart. And
 * %CONNECTION_ID%: one per connection, shared by the requests of a kept-alive HTTP/1.1 connection
 * and by the streams of an HTTP/2 one.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bootstrap, fileAccessLog, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { h2Request } from '../../helpers/http2-client.js';
import { freePort } from '../../helpers/ports.js';
import { startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

/** Whether this machine has IPv6 loopback (the wildcard listener's second family). */
async function hasIpv6Loopback(): Promise<boolean> {
  const server = net.createServer();
  try {
    server.listen(0, '::1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}
const ipv6 = await hasIpv6Loopback();

/** Every route to the one cluster, 'app'. */
const ROUTES = { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'app' } }] }] };

/** The lines of the access log at `logPath` once it has at least `n` (it is written off the hot path: polled briefly). */
async function logLines(logPath: string, n: number): Promise<string[]> {
  let lines: string[] = [];
  for (let i = 0; i < 50; i++) {
    lines = (await readFile(logPath, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
    if (lines.length >= n) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return lines;
}

describe('the downstream connection in the access log', { skip: ipv6 ? false : 'no IPv6 loopback on this machine' }, () => {
  let upstream: TestUpstream;
  let router: RunningRouter;
  let fixedPort: number;
  let wildcardPort: number;
  const logPath = path.join(os.tmpdir(), `switchyard-connection-log-${process.pid}-${Date.now()}.log`);

  before(async () => {
    upstream = await startUpstream('app');
    [fixedPort, wildcardPort] = [await freePort(), await freePort()];
    const adminPort = await freePort();
    const log = { access_log: [fileAccessLog(logPath, '%REQ(:PATH)% local=%DOWNSTREAM_LOCAL_ADDRESS% remote=%DOWNSTREAM_REMOTE_ADDRESS% id=%CONNECTION_ID%\n')] };
    const wildcard = httpListener(wildcardPort, ROUTES, log, 'wildcard') as { address: { socket_address: { address: string } } };
    wildcard.address.socket_address.address = '::';
    router = await startRouter(bootstrap(adminPort, [httpListener(fixedPort, ROUTES, log, 'fixed'), wildcard], [staticCluster('app', [upstream.address])]), adminPort);
  });

  after(async () => {
    await router?.stop();
    await upstream?.close();
  });

  test('each connection is logged with the address it arrived on', async () => {
    // New connections each; on the wildcard listener IPv4 again after IPv6, so a local address
    // wrongly kept from one connection would show on the next.
    // (request() opens a new connection each time.)
    assert.equal((await request(fixedPort, { path: '/fixed-1' })).status, 200);
    assert.equal((await request(fixedPort, { path: '/fixed-2' })).status, 200);
    assert.equal((await request(wildcardPort, { path: '/wild-v4' })).status, 200);
    assert.equal((await request(wildcardPort, { host: '::1', path: '/wild-v6' })).status, 200);
    assert.equal((await request(wildcardPort, { path: '/wild-v4-again' })).status, 200);

    const expected = [
      `/fixed-1 local=127.0.0.1:${fixedPort} remote=127.0.0.1:`,
      `/fixed-2 local=127.0.0.1:${fixedPort} remote=127.0.0.1:`,
      `/wild-v4 local=127.0.0.1:${wildcardPort} remote=127.0.0.1:`,
      `/wild-v6 local=[::1]:${wildcardPort} remote=[::1]:`,
      `/wild-v4-again local=127.0.0.1:${wildcardPort} remote=127.0.0.1:`,
    ];
    const lines = await logLines(logPath, expected.length);
    for (const want of expected) assert.ok(lines.some((l) => l.startsWith(want)), `no line starting "${want}" in:\n${lines.join('\n')}`);
    const remotePorts = lines.filter((l) => l.startsWith('/fixed-')).map((l) => l.split('remote=127.0.0.1:')[1].split(' ')[0]);
    assert.equal(remotePorts.length, 2);
    assert.notEqual(remotePorts[0], remotePorts[1], 'two connections, two client ports');
  });

  test('one connection id per connection: kept-alive HTTP/1.1 requests and HTTP/2 streams share theirs', async () => {
    const agent = keepAliveAgent(1);
    try {
      for (const p of ['/ka-1', '/ka-2']) assert.equal((await request(fixedPort, { path: p, agent })).status, 200);
    } finally {
      agent.destroy();
    }
    for (const [name, paths] of [['a', ['/h2a-1', '/h2a-2']], ['b', ['/h2b-1']]] as const) {
      const session = http2.connect(`http://127.0.0.1:${fixedPort}`);
      try {
        for (const p of paths) assert.equal((await h2Request(session, { ':path': p, ':authority': `h2-${name}.test` })).status, 200);
      } finally {
        session.close();
      }
    }
    const lines = await logLines(logPath, 10);
    const idOf = (p: string): string => {
      const line = lines.find((l) => l.startsWith(`${p} `));
      assert.ok(line !== undefined, `no line for ${p} in:\n${lines.join('\n')}`);
      return line.split(' id=')[1];
    };
    assert.equal(idOf('/ka-1'), idOf('/ka-2'));
    assert.equal(idOf('/h2a-1'), idOf('/h2a-2'));
    const distinct = new Set(['/fixed-1', '/fixed-2', '/ka-1', '/h2a-1', '/h2b-1'].map(idOf));
    assert.equal(distinct.size, 5, 'each connection its own id');
  });

});

describe('connection ids across worker processes', () => {
  let upstream: TestUpstream;
  let router: RunningRouter;
  let port: number;
  const logPath = path.join(os.tmpdir(), `switchyard-connection-ids-${process.pid}-${Date.now()}.log`);

  before(async () => {
    upstream = await startUpstream('app');
    port = await freePort();
    const adminPort = await freePort();
    const log = { access_log: [fileAccessLog(logPath, '%CONNECTION_ID%\n')] };
    router = await startRouter(bootstrap(adminPort, [httpListener(port, ROUTES, log)], [staticCluster('app', [upstream.address])]), adminPort, { concurrency: 2 });
  });

  after(async () => {
    await router?.stop();
    await upstream?.close();
  });

  test('connections served by different workers never share an id', async () => {
    // Each worker numbers from its own block of 2^32; which worker accepts is the kernel's choice,
    // so connections are opened in parallel batches until both workers have served some.
    const BLOCK = 2 ** 32;
    let ids: number[] = [];
    for (let batch = 1; batch <= 10; batch++) {
      const replies = await Promise.all(Array.from({ length: 20 }, () => request(port)));
      for (const r of replies) assert.equal(r.status, 200);
      ids = (await logLines(logPath, batch * 20)).map(Number);
      if (new Set(ids.map((id) => Math.floor(id / BLOCK))).size >= 2) break;
    }
    assert.equal(new Set(ids.map((id) => Math.floor(id / BLOCK))).size, 2, 'both workers served connections');
    assert.equal(new Set(ids).size, ids.length, `an id was given twice: ${ids.join(' ')}`);
  });
});
