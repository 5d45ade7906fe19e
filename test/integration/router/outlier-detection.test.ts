/**
 * Outlier detection in a real router (one worker, so one detector sees every response) against
 * three real upstreams: a host answering 500 is ejected after 5 consecutive 5xx, gets no traffic
 * while ejected, and returns once base_ejection_time has passed (checked on the interval tick);
 * a host that resets connections is ejected the same way (local-origin failures count as 503).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

const INTERVAL_MS = 500;
const BASE_EJECTION_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const P = 'cluster.svc.outlier_detection.';

describe('outlier detection', () => {
  const ups: TestUpstream[] = [];
  let router: RunningRouter;
  let port: number;
  let adminPort: number;
  let eventLog: string;
  const agent = keepAliveAgent(8);

  before(async () => {
    for (let i = 0; i < 3; i++) ups.push(await startUpstream(`u${i}`));
    port = await freePort();
    adminPort = await freePort();
    eventLog = path.join(await mkdtemp(path.join(os.tmpdir(), 'outlier-it-')), 'outlier.log');
    const routeConfig = { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'svc' } }] }] };
    const doc = bootstrap(adminPort, [httpListener(port, routeConfig)], [
      staticCluster('svc', ups.map((u) => u.address), {
        outlier_detection: {
          consecutive_5xx: 5,
          interval: `${INTERVAL_MS / 1000}s`,
          base_ejection_time: `${BASE_EJECTION_MS / 1000}s`,
          // 1 of 3 hosts is 33%: the default 10% would refuse every ejection.
          max_ejection_percent: 50,
        },
      }),
    ]);
    // Envoy keeps the outlier event log in the bootstrap's cluster manager.
    doc.cluster_manager = { outlier_detection: { event_log_path: eventLog } };
    router = await startRouter(doc, adminPort, { concurrency: 1 });
  });

  after(async () => {
    agent.destroy();
    await router?.stop();
    await Promise.all(ups.map((u) => u?.close()));
  });

  async function flagsOf(address: string): Promise<string> {
    const text = (await request(adminPort, { path: '/clusters' })).body;
    return text.split('\n').find((l) => l.startsWith(`svc::${address}::health_flags::`))?.split('::')[3] ?? '';
  }

  /** Sends requests one at a time until `count` failures were seen (bounded); returns the statuses. */
  async function untilFailures(count: number, max = 60): Promise<number[]> {
    const statuses: number[] = [];
    let failures = 0;
    for (let i = 0; i < max && failures < count; i++) {
      const r = await request(port, { path: `/r${i}`, agent });
      statuses.push(r.status);
      if (r.status !== 200) failures++;
    }
    return statuses;
  }

  /** `n` requests with 8 in flight; counts non-200 answers. */
  async function load(n: number): Promise<number> {
    const result = await boundedLoad(n, 8, 10_000, async (i) => (await request(port, { path: `/l${i}`, agent })).status === 200);
    assert.equal(result.sent, n);
    return result.failed;
  }

  test('5 consecutive 500s eject the host; it gets no traffic while ejected and returns after base_ejection_time', async () => {
    const bad = ups[0];
    bad.behaviour = { status: 500 };
    const statuses = await untilFailures(5);
    const ejectedAt = Date.now();
    assert.equal(statuses.filter((s) => s === 500).length, 5);
    assert.equal(await flagsOf(bad.address), '/failed_outlier_check');
    assert.equal(await readStat(adminPort, P + 'ejections_active'), 1);
    assert.equal(await readStat(adminPort, P + 'ejections_enforced_total'), 1);
    assert.equal(await readStat(adminPort, P + 'ejections_enforced_consecutive_5xx'), 1);
    assert.equal(await readStat(adminPort, P + 'ejections_detected_consecutive_5xx'), 1);

    const hitsBefore = bad.hits;
    const failed = await load(200);
    assert.equal(Date.now() - ejectedAt < BASE_EJECTION_MS, true, 'the load ran inside the ejection');
    assert.equal(failed, 0, 'zero errors while the host is ejected');
    assert.equal(bad.hits, hitsBefore, 'the ejected host got no request');

    bad.behaviour = {};
    const deadline = Date.now() + 5_000;
    while ((await flagsOf(bad.address)) !== 'healthy' && Date.now() < deadline) await sleep(25);
    const ejectedForMs = Date.now() - ejectedAt;
    assert.equal(await flagsOf(bad.address), 'healthy');
    assert.ok(ejectedForMs >= BASE_EJECTION_MS - 100, `returned after ${ejectedForMs}ms`);
    assert.ok(ejectedForMs <= BASE_EJECTION_MS + INTERVAL_MS + 500, `returned after ${ejectedForMs}ms`);
    assert.equal(await readStat(adminPort, P + 'ejections_active'), 0);
    const hitsBack = bad.hits;
    assert.equal(await load(90), 0);
    assert.ok(bad.hits - hitsBack >= 20, `back in rotation (${bad.hits - hitsBack} requests)`);
  });

  test('a host that resets connections is ejected as well (local-origin failures count as 503)', async () => {
    const bad = ups[2];
    bad.behaviour = { reset: true };
    const statuses = await untilFailures(5);
    assert.ok(statuses.filter((s) => s === 503).length >= 5, statuses.join(','));
    assert.equal(await flagsOf(bad.address), '/failed_outlier_check');
    const hitsBefore = bad.hits;
    assert.equal(await load(100), 0);
    assert.equal(bad.hits, hitsBefore);
    assert.equal(await readStat(adminPort, P + 'ejections_enforced_total'), 2);
    bad.behaviour = {};
  });

  test('ejections and unejections are in the outlier event log as Envoy OutlierDetectionEvent lines', async () => {
    const events = (await readFile(eventLog, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = events.filter((e) => e.upstream_url === ups[0].address);
    assert.deepEqual(
      first.map((e) => [e.action, e.type, e.enforced, e.num_ejections, e.cluster_name]),
      [
        ['EJECT', 'CONSECUTIVE_5XX', true, 1, 'svc'],
        ['UNEJECT', 'CONSECUTIVE_5XX', false, 1, 'svc'],
      ],
    );
    assert.deepEqual(first[0].eject_consecutive_event, {});
    assert.equal(first[1].secs_since_last_action, '2', 'unejected about 2 s after the ejection');
    assert.match(String(first[0].timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const reset = events.filter((e) => e.upstream_url === ups[2].address);
    // 503s are gateway failures too: detected (logged, not enforced: enforcing default 0), then the 5xx ejection.
    assert.deepEqual(
      reset.map((e) => [e.action, e.type, e.enforced]),
      [
        ['EJECT', 'CONSECUTIVE_GATEWAY_FAILURE', false],
        ['EJECT', 'CONSECUTIVE_5XX', true],
      ],
    );
  });
});
