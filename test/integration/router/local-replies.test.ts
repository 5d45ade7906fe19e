/**
 * Envoy's local replies and response flags, checked against real failing upstreams and recorded
 * in a real access log file: NR 404, UH 503, UF 503, UT 504, UC 503 (reset before headers).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bootstrap, fileAccessLog, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

describe('local replies and response flags', () => {
  let slow: TestUpstream, resetting: TestUpstream;
  let router: RunningRouter;
  let port: number;
  let adminPort: number;
  const logPath = path.join(os.tmpdir(), `switchyard-access-${process.pid}-${Date.now()}.log`);

  before(async () => {
    [slow, resetting] = await Promise.all([startUpstream('slow', { delayMs: 3_000 }), startUpstream('resetting', { reset: true })]);
    const closedPort = await freePort(); // nothing listens there: connection refused
    port = await freePort();
    adminPort = await freePort();
    const routeConfig = {
      virtual_hosts: [
        {
          name: 'all',
          domains: ['*'],
          routes: [
            { match: { prefix: '/slow' }, route: { cluster: 'slow', timeout: '0.3s' } },
            { match: { prefix: '/refused' }, route: { cluster: 'refused' } },
            { match: { prefix: '/empty' }, route: { cluster: 'empty' } },
            { match: { prefix: '/reset' }, route: { cluster: 'resetting' } },
          ],
        },
      ],
    };
    const doc = bootstrap(
      adminPort,
      [httpListener(port, routeConfig, { access_log: [fileAccessLog(logPath, '%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_CLUSTER%\n')] })],
      [
        staticCluster('slow', [slow.address]),
        staticCluster('refused', [`127.0.0.1:${closedPort}`]),
        { name: 'empty', type: 'STATIC', connect_timeout: '1s', load_assignment: { cluster_name: 'empty', endpoints: [] } },
        staticCluster('resetting', [resetting.address]),
      ],
    );
    router = await startRouter(doc, adminPort);
  });

  after(async () => {
    await router?.stop();
    await Promise.all([slow?.close(), resetting?.close()]);
  });

  const cases = [
    { name: 'no route: 404 NR', path: '/nothing-here', status: 404, body: '', flag: 'NR' },
    { name: 'no host: 503 UH', path: '/empty', status: 503, body: 'no healthy upstream', flag: 'UH' },
    { name: 'connection refused: 503 UF', path: '/refused', status: 503, body: /^upstream connect error or disconnect\/reset before headers/, flag: 'UF' },
    { name: 'route timeout: 504 UT', path: '/slow', status: 504, body: 'upstream request timeout', flag: 'UT' },
    { name: 'reset before headers: 503 UC', path: '/reset', status: 503, body: /reset reason: connection termination/, flag: 'UC' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await request(port, { path: c.path });
      assert.equal(r.status, c.status);
      if (c.body instanceof RegExp) assert.match(r.body, c.body);
      else assert.equal(r.body, c.body);
    });
  }

  test('the access log records each flag, and stats count them', async () => {
    // Logs are flushed asynchronously (off the hot path): poll briefly.
    let text = '';
    for (let i = 0; i < 50; i++) {
      text = await readFile(logPath, 'utf8').catch(() => '');
      if (cases.every((c) => text.includes(`${c.path} ${c.status} ${c.flag}`))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const c of cases) assert.ok(text.includes(`${c.path} ${c.status} ${c.flag}`), `missing "${c.path} ${c.status} ${c.flag}" in:\n${text}`);
    assert.equal(await readStat(adminPort, 'cluster.slow.upstream_rq_timeout'), 1);
    assert.equal(await readStat(adminPort, 'cluster.refused.upstream_cx_connect_fail'), 1);
    assert.equal(await readStat(adminPort, 'http.ingress_http.no_route'), 1);
    assert.equal(await readStat(adminPort, 'http.ingress_http.downstream_rq_5xx'), 4);
    assert.equal(await readStat(adminPort, 'http.ingress_http.downstream_rq_4xx'), 1);
  });

  test('the timed-out request was cancelled upstream', async () => {
    for (let i = 0; i < 50 && slow.aborted < 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(slow.aborted, 1);
  });
});
