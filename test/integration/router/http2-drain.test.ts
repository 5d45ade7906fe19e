/**
 * HTTP/2 draining as Envoy does it: on SIGTERM an HTTP/2 client first gets a GOAWAY "shutdown
 * notification" (last stream id 2^31-1: nothing it sent is refused), its streams in flight finish,
 * and the final GOAWAY follows the HCM's drain_timeout.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { after, before, describe, test } from 'node:test';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { h2Request } from '../../helpers/http2-client.js';
import { freePort } from '../../helpers/ports.js';
import { startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

describe('HTTP/2 drain', () => {
  let slow: TestUpstream;
  let router: RunningRouter;
  let port: number;

  before(async () => {
    slow = await startUpstream('slow', { delayMs: 600 });
    port = await freePort();
    const adminPort = await freePort();
    const routes = { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'slow' } }] }] };
    router = await startRouter(bootstrap(adminPort, [httpListener(port, routes, { drain_timeout: '0.3s' })], [staticCluster('slow', [slow.address])]), adminPort, { drainTimeS: 3 });
  });

  after(async () => {
    await router?.stop();
    await slow?.close();
  });

  test('SIGTERM: GOAWAY with the maximum stream id first, and the stream in flight still answers', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => {});
    const goaways: number[] = [];
    session.on('goaway', (_code: number, lastStreamId: number) => goaways.push(lastStreamId));
    const answer = h2Request(session, { ':path': '/in-flight', ':authority': 'drain.test' });
    await new Promise((r) => setTimeout(r, 150)); // the request is at the slow upstream
    router.child.kill('SIGTERM');
    const r = await answer;
    assert.equal(r.status, 200);
    assert.match(r.body, /"url":"\/in-flight"/);
    assert.equal(goaways[0], 2 ** 31 - 1, `GOAWAYs seen: ${goaways.join(', ')}`);
    session.destroy();
    assert.equal(await router.exited, 0);
  });
});
