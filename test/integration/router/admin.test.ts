/**
 * Admin endpoints of a real router: stats count exactly what was sent (summed across workers),
 * in Envoy's text, JSON and Prometheus forms; /clusters, /config_dump, /ready.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

describe('admin', () => {
  let up: TestUpstream;
  let router: RunningRouter;
  let port: number;
  let adminPort: number;
  const agent = keepAliveAgent(4);

  before(async () => {
    up = await startUpstream('svc');
    port = await freePort();
    adminPort = await freePort();
    const routeConfig = { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'svc' } }] }] };
    router = await startRouter(bootstrap(adminPort, [httpListener(port, routeConfig)], [staticCluster('svc', [up.address])]), adminPort, { concurrency: 2 });
    for (let i = 0; i < 25; i++) assert.equal((await request(port, { path: `/r${i}`, agent })).status, 200);
    up.behaviour = { status: 503 };
    for (let i = 0; i < 5; i++) assert.equal((await request(port, { path: '/fail', agent })).status, 503);
  });

  after(async () => {
    agent.destroy();
    await router?.stop();
    await up?.close();
  });

  test('/ready is LIVE', async () => {
    const r = await request(adminPort, { path: '/ready' });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'LIVE\n');
  });

  test('stats count every request with Envoy names', async () => {
    assert.equal(await readStat(adminPort, 'http.ingress_http.downstream_rq_total'), 30);
    assert.equal(await readStat(adminPort, 'http.ingress_http.downstream_rq_2xx'), 25);
    assert.equal(await readStat(adminPort, 'http.ingress_http.downstream_rq_5xx'), 5);
    assert.equal(await readStat(adminPort, 'cluster.svc.upstream_rq_total'), 30);
    assert.equal(await readStat(adminPort, 'cluster.svc.upstream_rq_2xx'), 25);
    assert.equal(await readStat(adminPort, 'cluster.svc.upstream_rq_503'), 5);
    assert.ok((await readStat(adminPort, 'cluster.svc.upstream_cx_total')) <= 4, 'keep-alive connections were reused');
  });

  test('text and prometheus formats', async () => {
    const text = (await request(adminPort, { path: '/stats' })).body;
    assert.match(text, /^cluster\.svc\.upstream_rq_total: 30$/m);
    assert.match(text, /^http\.ingress_http\.downstream_rq_time: P0\(/m);
    const prom = (await request(adminPort, { path: '/stats/prometheus' })).body;
    assert.match(prom, /envoy_cluster_upstream_rq_total\{envoy_cluster_name="svc"\} 30/);
    assert.match(prom, /# TYPE envoy_http_downstream_rq_time histogram/);
  });

  test('/clusters lists hosts with their counters', async () => {
    const text = (await request(adminPort, { path: '/clusters' })).body;
    assert.match(text, new RegExp(`^svc::${up.address.replace(/\./g, '\\.')}::rq_total::30$`, 'm'));
    assert.match(text, /::health_flags::healthy$/m);
  });

  test('/config_dump shows the static config', async () => {
    const dump = JSON.parse((await request(adminPort, { path: '/config_dump' })).body) as { configs: { '@type': string; static_clusters?: { cluster: { name: string } }[] }[] };
    const clusters = dump.configs.find((c) => c['@type'].endsWith('ClustersConfigDump'));
    assert.deepEqual(clusters?.static_clusters?.map((c) => c.cluster.name), ['svc']);
  });

  test('connection byte counters add up to the bytes on the wire', async () => {
    const names = ['http.ingress_http.downstream_cx_rx_bytes_total', 'http.ingress_http.downstream_cx_tx_bytes_total', 'cluster.svc.upstream_cx_rx_bytes_total', 'cluster.svc.upstream_cx_tx_bytes_total'];
    const read = () => Promise.all(names.map((n) => readStat(adminPort, n)));
    const [dsRx0, dsTx0, usRx0, usTx0] = await read();
    assert.ok(dsRx0 > 0 && dsTx0 > 0 && usRx0 > 0 && usTx0 > 0, `counters moved during the setup traffic: ${[dsRx0, dsTx0, usRx0, usTx0]}`);
    const sent = 'GET /bytes HTTP/1.1\r\nHost: bytes.test\r\nConnection: close\r\n\r\n';
    const socket = net.connect(port, '127.0.0.1');
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    // Not end(): like Envoy, the router drops a connection whose client half-closes; `connection: close` ends it after the response.
    socket.write(sent);
    await once(socket, 'close');
    assert.ok(received > 0, 'a response came back');
    const [dsRx, dsTx, usRx, usTx] = await read();
    assert.equal(dsRx - dsRx0, sent.length);
    assert.equal(dsTx - dsTx0, received);
    // The upstream request is rewritten (x-forwarded-proto, x-request-id, …), so only bounds upstream.
    assert.ok(usTx - usTx0 > sent.length, `upstream tx grew by ${usTx - usTx0}`);
    assert.ok(usRx - usRx0 > 0, `upstream rx grew: ${[dsRx0, dsTx0, usRx0, usTx0]} -> ${[dsRx, dsTx, usRx, usTx]}`);
  });
});
