/**
 * The resilience scenario of the Resilience issue: bounded load through the router while its
 * instances misbehave — one is killed (connections reset, then refused), one hangs (answers
 * nothing, health checks included), both come back — and not one request fails, because a retry
 * (connect-failure, reset, per_try_timeout with previous_hosts) or another healthy host (active
 * health checks, outlier detection) can always serve it. Requests are idempotent GETs.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';

/** An instance that can be killed, made to hang, and brought back on the same port. */
class Instance {
  hits = 0;
  hanging = false;
  private server: http.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      if (this.hanging) return; // never answers: requests and health checks time out
      if (req.url !== '/healthz') this.hits++;
      res.writeHead(200, { 'content-type': 'text/plain', 'x-instance': this.name });
      res.end(`hello from ${this.name}`);
    });
    server.on('connection', (s: net.Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  /** Like a crashed process: every open connection reset, new ones refused. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    for (const s of this.sockets) s.resetAndDestroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

describe('resilience scenario: instances killed, hanging and back under load', () => {
  const instances: Instance[] = [];
  let router: RunningRouter;
  let port: number;
  let adminPort: number;

  before(async () => {
    for (const name of ['a', 'b', 'c']) {
      const i = new Instance(name, await freePort());
      await i.start();
      instances.push(i);
    }
    [port, adminPort] = await Promise.all([freePort(), freePort()]);
    const routeConfig = {
      virtual_hosts: [
        {
          name: 'app',
          domains: ['*'],
          routes: [
            {
              match: { prefix: '/' },
              route: {
                cluster: 'app',
                timeout: '10s',
                retry_policy: {
                  retry_on: 'connect-failure,reset,5xx',
                  num_retries: 3,
                  per_try_timeout: '0.4s',
                  retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
                  host_selection_retry_max_attempts: 5,
                  retry_back_off: { base_interval: '0.01s', max_interval: '0.05s' },
                },
              },
            },
          ],
        },
      ],
    };
    const cluster = staticCluster(
      'app',
      instances.map((i) => `127.0.0.1:${i.port}`),
      {
        lb_policy: 'ROUND_ROBIN',
        health_checks: [{ timeout: '0.25s', interval: '0.3s', no_traffic_interval: '0.3s', unhealthy_threshold: 2, healthy_threshold: 1, http_health_check: { path: '/healthz' } }],
        outlier_detection: { consecutive_5xx: 3, consecutive_local_origin_failure: 3, split_external_local_origin_errors: true, interval: '0.5s', base_ejection_time: '1s', max_ejection_percent: 50 },
        // Retries past Envoy's default of 3 concurrent may be needed while two hosts misbehave.
        circuit_breakers: { thresholds: [{ max_retries: 64 }] },
      },
    );
    router = await startRouter(bootstrap(adminPort, [httpListener(port, routeConfig)], [cluster]), adminPort, { concurrency: 1 });
  });

  after(async () => {
    await router?.stop();
    for (const i of instances) await i.kill();
  });

  test('zero failed requests through a kill, a hang and both recoveries', async () => {
    const agent = keepAliveAgent(8);
    const [a, b] = instances;
    const script = (async () => {
      await new Promise((r) => setTimeout(r, 800));
      await a.kill();
      await new Promise((r) => setTimeout(r, 1_200));
      b.hanging = true;
      await new Promise((r) => setTimeout(r, 1_500));
      await a.start();
      await new Promise((r) => setTimeout(r, 1_000));
      b.hanging = false;
    })();
    // Time-bound: the load runs 7 s, past the end of the script (about 4.5 s), whatever the machine speed.
    const load = await boundedLoad(50_000, 8, 7_000, async () => {
      const r = await request(port, { path: '/work', agent, timeoutMs: 8_000 });
      return r.status === 200;
    });
    await script;
    agent.destroy();
    assert.equal(load.failed, 0, `${load.failed} of ${load.sent} failed: ${load.errors.join('\n')}`);
    assert.ok(load.sent >= 1_000 && load.elapsedMs > 4_500, `the load overlapped the whole script: ${load.sent} in ${load.elapsedMs} ms`);
    assert.ok((await readStat(adminPort, 'cluster.app.upstream_rq_retry')) > 0, 'retries did the saving');
  });

  test('after recovery every instance serves again', async () => {
    const before = instances.map((i) => i.hits);
    const deadline = Date.now() + 10_000;
    let served = [0, 0, 0];
    while (Date.now() < deadline) {
      for (let n = 0; n < 30; n++) assert.equal((await request(port, { path: '/after' })).status, 200);
      served = instances.map((i, k) => i.hits - before[k]);
      if (served.every((h) => h > 0)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(served.every((h) => h > 0), `hits after recovery: ${served.join('/')}`);
  });
});
