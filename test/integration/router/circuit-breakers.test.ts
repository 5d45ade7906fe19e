/**
 * Circuit breakers (cluster circuit_breakers.thresholds, DEFAULT priority) against real upstreams:
 * max_requests and max_pending_requests overflow answer 503 UO with x-envoy-overloaded,
 * max_connections holds the pool to its connections while the queue waits, max_retries turns a
 * retry into a forwarded response flagged UO, the circuit_breakers.default.* gauges in /stats —
 * and per-tenant fairness: a cluster whose upstream hangs under a flood costs another cluster
 * neither errors nor latency beyond noise.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { bootstrap, fileAccessLog, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request, type Reply } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

const OVERFLOW_BODY = 'upstream connect error or disconnect/reset before headers. reset reason: overflow';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `predicate` every 20 ms for up to `ms`. */
async function waitFor(predicate: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe('circuit breakers', () => {
  let hanging: TestUpstream, slow: TestUpstream, failing: TestUpstream, tenantA: TestUpstream, tenantB: TestUpstream;
  let router: RunningRouter;
  let port: number;
  let adminPort: number;
  const logPath = path.join(os.tmpdir(), `switchyard-cb-${process.pid}-${Date.now()}.log`);

  before(async () => {
    [hanging, slow, failing, tenantA, tenantB] = await Promise.all([
      startUpstream('hanging', { hang: true }),
      startUpstream('slow', { delayMs: 300 }),
      startUpstream('failing', { status: 503, delayMs: 300 }),
      startUpstream('tenant-a', { hang: true }),
      startUpstream('tenant-b'),
    ]);
    port = await freePort();
    adminPort = await freePort();
    const routeConfig = {
      virtual_hosts: [
        {
          name: 'all',
          domains: ['*'],
          routes: [
            { match: { prefix: '/hanging' }, route: { cluster: 'hanging', timeout: '1.5s' } },
            { match: { prefix: '/slow' }, route: { cluster: 'slow' } },
            { match: { prefix: '/failing' }, route: { cluster: 'failing', retry_policy: { retry_on: '5xx', num_retries: 1, retry_back_off: { base_interval: '0.005s' } } } },
            { match: { prefix: '/a' }, route: { cluster: 'tenant-a', timeout: '2s' } },
            { match: { prefix: '/b' }, route: { cluster: 'tenant-b' } },
          ],
        },
      ],
    };
    const doc = bootstrap(
      adminPort,
      [httpListener(port, routeConfig, { access_log: [fileAccessLog(logPath, '%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS%\n')] })],
      [
        staticCluster('hanging', [hanging.address], { circuit_breakers: { thresholds: [{ max_requests: 2, track_remaining: true }] } }),
        staticCluster('slow', [slow.address], { circuit_breakers: { thresholds: [{ max_connections: 1, max_pending_requests: 1, track_remaining: true }] } }),
        staticCluster('failing', [failing.address], { circuit_breakers: { thresholds: [{ max_retries: 1, track_remaining: true }] } }),
        staticCluster('tenant-a', [tenantA.address], { circuit_breakers: { thresholds: [{ max_requests: 20 }] } }),
        staticCluster('tenant-b', [tenantB.address]),
      ],
    );
    router = await startRouter(doc, adminPort);
  });

  after(async () => {
    await router?.stop();
    await Promise.all([hanging, slow, failing, tenantA, tenantB].map((u) => u?.close()));
  });

  const gauge = (cluster: string, name: string): Promise<number> => readStat(adminPort, `cluster.${cluster}.circuit_breakers.default.${name}`);

  test('remaining_* and *_open gauges are in /stats from the start', async () => {
    assert.equal(await gauge('hanging', 'remaining_rq'), 2);
    assert.equal(await gauge('hanging', 'remaining_cx'), 1024);
    assert.equal(await gauge('hanging', 'remaining_pending'), 1024);
    assert.equal(await gauge('failing', 'remaining_retries'), 1);
    assert.equal(await gauge('hanging', 'rq_open'), 0);
    const text = (await request(adminPort, { path: '/stats' })).body;
    for (const name of ['cx_open', 'rq_pending_open', 'rq_open', 'rq_retry_open', 'remaining_cx', 'remaining_pending', 'remaining_rq', 'remaining_retries']) {
      assert.match(text, new RegExp(`^cluster\\.hanging\\.circuit_breakers\\.default\\.${name}: \\d+$`, 'm'), name);
    }
    // Without track_remaining only the *_open gauges exist (Envoy).
    assert.doesNotMatch(text, /^cluster\.tenant-b\.circuit_breakers\.default\.remaining_rq:/m);
    assert.match(text, /^cluster\.tenant-b\.circuit_breakers\.default\.rq_open: 0$/m);
    // /clusters prints the thresholds in force, Envoy defaults where the cluster sets none.
    const clusters = (await request(adminPort, { path: '/clusters' })).body;
    assert.match(clusters, /^hanging::default_priority::max_requests::2$/m);
    assert.match(clusters, /^hanging::default_priority::max_connections::1024$/m);
    assert.match(clusters, /^tenant-b::default_priority::max_retries::3$/m);
  });

  test('max_requests: the request past the limit gets 503 UO with x-envoy-overloaded, at once', async () => {
    const held = [request(port, { path: '/hanging/1' }), request(port, { path: '/hanging/2' })];
    await waitFor(async () => hanging.hits === 2, 5_000, 'two hanging requests');
    assert.equal(await gauge('hanging', 'rq_open'), 1);
    assert.equal(await gauge('hanging', 'remaining_rq'), 0);
    const started = Date.now();
    const r = await request(port, { path: '/hanging/3' });
    assert.equal(r.status, 503);
    assert.equal(r.headers['x-envoy-overloaded'], 'true');
    assert.equal(r.body, OVERFLOW_BODY);
    assert.ok(Date.now() - started < 1_000, 'overflow is answered without waiting for the upstream');
    assert.equal(hanging.hits, 2);
    assert.equal(await readStat(adminPort, 'cluster.hanging.upstream_rq_pending_overflow'), 1);
    // The held requests end with the route timeout; their slots come back.
    const ended = await Promise.all(held);
    assert.deepEqual(ended.map((e) => e.status), [504, 504]);
    await waitFor(async () => (await gauge('hanging', 'remaining_rq')) === 2, 5_000, 'remaining_rq back to 2');
    assert.equal(await gauge('hanging', 'rq_open'), 0);
  });

  test('max_connections 1, max_pending_requests 1: one connection, one waiter, the third overflows', async () => {
    const agent = keepAliveAgent(8);
    const first = request(port, { path: '/slow/1', agent });
    await waitFor(() => slow.hits === 1, 5_000, 'first request upstream');
    const second = request(port, { path: '/slow/2', agent });
    await waitFor(async () => (await gauge('slow', 'rq_pending_open')) === 1, 5_000, 'second request pending');
    assert.equal(await gauge('slow', 'cx_open'), 1);
    assert.equal(await gauge('slow', 'remaining_cx'), 0);
    const third = await request(port, { path: '/slow/3', agent });
    assert.equal(third.status, 503);
    assert.equal(third.headers['x-envoy-overloaded'], 'true');
    const [a, b] = await Promise.all([first, second]);
    agent.destroy();
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    // The waiter got the first request's connection back: the pool never opened a second.
    assert.equal(slow.connections, 1);
    assert.ok((await readStat(adminPort, 'cluster.slow.upstream_cx_overflow')) >= 1);
    assert.equal(await readStat(adminPort, 'cluster.slow.upstream_rq_pending_overflow'), 1);
    assert.equal(await gauge('slow', 'rq_pending_open'), 0);
  });

  test('max_retries 1: a second concurrent retry overflows; its 503 is forwarded, flagged UO', async () => {
    const replies = await Promise.all([request(port, { path: '/failing/1' }), request(port, { path: '/failing/2' })]);
    assert.deepEqual(replies.map((r) => r.status), [503, 503]);
    // One request retried (2 hits), the other could not (1 hit).
    assert.equal(failing.hits, 3);
    assert.equal(await readStat(adminPort, 'cluster.failing.upstream_rq_retry'), 1);
    assert.equal(await readStat(adminPort, 'cluster.failing.upstream_rq_retry_overflow'), 1);
    assert.equal(await gauge('failing', 'rq_retry_open'), 0);
    assert.equal(await gauge('failing', 'remaining_retries'), 1);
    let text = '';
    for (let i = 0; i < 50 && !(text.includes('503 UO') && text.includes('503 URX')); i++) {
      text = await readFile(logPath, 'utf8').catch(() => '');
      await sleep(100);
    }
    assert.match(text, /^\/failing\/\d 503 UO$/m);
    assert.match(text, /^\/failing\/\d 503 URX$/m);
  });

  test('fairness: tenant A hangs under a flood; tenant B keeps its error rate and latency', async () => {
    const agentB = keepAliveAgent(4);
    const latencies: number[] = [];
    const sendB = async (i: number): Promise<boolean> => {
      const t0 = performance.now();
      const r = await request(port, { path: `/b/${i}`, agent: agentB });
      latencies.push(performance.now() - t0);
      return r.status === 200;
    };
    // Warm up B's connections, then its baseline with nothing else going on.
    await boundedLoad(20, 4, 5_000, sendB);
    latencies.length = 0;
    const baseline = await boundedLoad(300, 4, 15_000, sendB);
    const base = latencies.slice().sort((x, y) => x - y);
    latencies.length = 0;

    // The flood on A (bounded): 40 clients, each sending again 20 ms after its answer, until B is done.
    let flooding = true;
    const aReplies: { status: number; overloaded: boolean; ms: number }[] = [];
    const agentA = keepAliveAgent(40);
    const lane = async (): Promise<void> => {
      const until = Date.now() + 20_000;
      while (flooding && Date.now() < until) {
        const t0 = performance.now();
        let r: Reply | null = null;
        try {
          r = await request(port, { path: '/a', agent: agentA, timeoutMs: 5_000 });
        } catch {
          // counted below as status 0
        }
        aReplies.push({ status: r?.status ?? 0, overloaded: r?.headers['x-envoy-overloaded'] === 'true', ms: performance.now() - t0 });
        await sleep(20);
      }
    };
    const floodStarted = Date.now();
    const lanes = Array.from({ length: 40 }, lane);
    await waitFor(async () => (await gauge('tenant-a', 'rq_open')) === 1, 5_000, 'tenant A at max_requests');
    const loaded = await boundedLoad(300, 4, 15_000, sendB);
    const underFlood = latencies.slice().sort((x, y) => x - y);
    latencies.length = 0;
    flooding = false;
    await Promise.all(lanes);
    const floodMs = Date.now() - floodStarted;
    // A second baseline after the flood: the reference is the worse of the two, so a quiet moment
    // of the shared machine during one of them does not make the comparison unfair.
    const after = await boundedLoad(300, 4, 15_000, sendB);
    const base2 = latencies.slice().sort((x, y) => x - y);
    agentA.destroy();
    agentB.destroy();

    assert.equal(baseline.failed, 0);
    assert.equal(after.failed, 0);
    assert.equal(loaded.sent, 300);
    assert.equal(loaded.failed, 0, loaded.errors.join('\n'));
    // A's excess was refused at once with 503 UO; only its 20 admitted requests waited (then 504).
    const overflowed = aReplies.filter((r) => r.status === 503);
    assert.ok(overflowed.length >= 20, `only ${overflowed.length} overflow replies for A`);
    assert.ok(overflowed.every((r) => r.overloaded), 'every 503 of A carries x-envoy-overloaded');
    assert.ok(aReplies.every((r) => r.status === 503 || r.status === 504), `A statuses: ${[...new Set(aReplies.map((r) => r.status))].join(',')}`);
    const overflowSorted = overflowed.map((r) => r.ms).sort((x, y) => x - y);
    assert.ok(percentile(overflowSorted, 99) < 500, `A's overflow p99 ${percentile(overflowSorted, 99).toFixed(1)} ms`);
    // At most max_requests (20) admitted per 2 s route timeout of A.
    const admitted = 20 * (Math.ceil(floodMs / 2_000) + 1);
    assert.ok(tenantA.hits <= admitted, `tenant A upstream saw ${tenantA.hits} requests in ${floodMs} ms (≤ ${admitted})`);

    const p50Base = Math.max(percentile(base, 50), percentile(base2, 50));
    const p99Base = Math.max(percentile(base, 99), percentile(base2, 99));
    const p50Flood = percentile(underFlood, 50);
    const p99Flood = percentile(underFlood, 99);
    const detail = `B p50 ${p50Base.toFixed(2)} → ${p50Flood.toFixed(2)} ms, p99 ${p99Base.toFixed(2)} → ${p99Flood.toFixed(2)} ms (A: ${aReplies.length} replies)`;
    // Ratios within this run; the additive slack absorbs scheduler noise on shared CPUs.
    assert.ok(p99Flood <= 3 * p99Base + 15, `B's p99 rose beyond noise: ${detail}`);
    assert.ok(p50Flood <= 4 * p50Base + 5, `B's p50 rose beyond noise: ${detail}`);
    assert.ok(p99Flood < 1_000, `sanity: ${detail}`);
    console.log(`# fairness: ${detail}`);
  });
});
