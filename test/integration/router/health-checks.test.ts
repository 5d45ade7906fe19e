/**
 * Active health checks in a real router (2 workers) against real upstreams on 127.0.0.1: a host
 * that fails its HTTP check (503 on the path) or stops listening (TCP check) leaves the rotation
 * within about interval × threshold, traffic goes only to the healthy hosts with zero errors, the
 * host comes back after passing again; /clusters shows the flag, stats count, events are logged.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type EchoBody, type TestUpstream } from '../../helpers/upstream.js';

const INTERVAL_S = 0.2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function healthCheck(kind: 'http' | 'tcp', eventLogPath: string) {
  return {
    timeout: '0.5s',
    interval: `${INTERVAL_S}s`,
    no_traffic_interval: `${INTERVAL_S}s`,
    unhealthy_threshold: 2,
    healthy_threshold: 2,
    event_log_path: eventLogPath,
    ...(kind === 'http' ? { http_health_check: { path: '/healthz' } } : { tcp_health_check: {} }),
  };
}

describe('active health checks', () => {
  const web: TestUpstream[] = [];
  const tcp: TestUpstream[] = [];
  let router: RunningRouter;
  let port: number;
  let adminPort: number;
  let eventLog: string;
  const agent = keepAliveAgent(16);

  before(async () => {
    for (let i = 0; i < 3; i++) web.push(await startUpstream(`web${i}`));
    for (let i = 0; i < 3; i++) tcp.push(await startUpstream(`tcp${i}`));
    port = await freePort();
    adminPort = await freePort();
    eventLog = path.join(await mkdtemp(path.join(os.tmpdir(), 'hc-it-')), 'health.log');
    const routeConfig = {
      virtual_hosts: [
        { name: 'web', domains: ['web.test'], routes: [{ match: { prefix: '/' }, route: { cluster: 'web' } }] },
        { name: 'tcp', domains: ['tcp.test'], routes: [{ match: { prefix: '/' }, route: { cluster: 'tcp' } }] },
      ],
    };
    const doc = bootstrap(adminPort, [httpListener(port, routeConfig)], [
      staticCluster('web', web.map((u) => u.address), { health_checks: [healthCheck('http', eventLog)] }),
      staticCluster('tcp', tcp.map((u) => u.address), { health_checks: [healthCheck('tcp', eventLog)] }),
    ]);
    router = await startRouter(doc, adminPort, { concurrency: 2 });
  });

  after(async () => {
    agent.destroy();
    await router?.stop();
    await Promise.all([...web, ...tcp].map((u) => u?.close()));
  });

  /** 300 requests; returns how many each upstream served and every non-200. */
  async function traffic(host: string): Promise<{ by: Record<string, number>; errors: string[] }> {
    const by: Record<string, number> = {};
    const errors: string[] = [];
    const result = await boundedLoad(300, 8, 20_000, async (i) => {
      const r = await request(port, { path: `/app/${i}`, headers: { host }, agent });
      if (r.status !== 200) {
        if (errors.length < 5) errors.push(`${r.status} ${r.headers['x-upstream'] ?? ''} ${r.body.slice(0, 80)}`);
        return false;
      }
      const name = (JSON.parse(r.body) as EchoBody).name;
      by[name] = (by[name] ?? 0) + 1;
      return true;
    });
    assert.equal(result.sent, 300);
    errors.push(...result.errors);
    return { by, errors };
  }

  async function flagsOf(cluster: string, address: string): Promise<string> {
    const text = (await request(adminPort, { path: '/clusters' })).body;
    const line = text.split('\n').find((l) => l.startsWith(`${cluster}::${address}::health_flags::`));
    return line?.split('::')[3] ?? '';
  }

  /** Polls /clusters until the host's flags equal `flags`; resolves with the time it took. */
  async function waitForFlags(cluster: string, address: string, flags: string, timeoutMs = 5_000): Promise<number> {
    const started = Date.now();
    for (;;) {
      if ((await flagsOf(cluster, address)) === flags) return Date.now() - started;
      assert.ok(Date.now() - started < timeoutMs, `${cluster} ${address} not ${flags} after ${timeoutMs}ms`);
      await sleep(25);
    }
  }

  test('every host passes its first check before the router is ready', async () => {
    for (const u of web) assert.equal(await flagsOf('web', u.address), 'healthy');
    for (const u of tcp) assert.equal(await flagsOf('tcp', u.address), 'healthy');
    const { by, errors } = await traffic('web.test');
    assert.deepEqual(errors, []);
    assert.deepEqual(Object.keys(by).sort(), ['web0', 'web1', 'web2']);
  });

  test('HTTP: a host answering 503 on the health path leaves the rotation and comes back', async () => {
    const bad = web[1];
    bad.behaviour = { status: 503 };
    // One bad status ejects at once (Envoy): within an interval, plus the /clusters poll.
    const tookMs = await waitForFlags('web', bad.address, '/failed_active_hc');
    assert.ok(tookMs <= INTERVAL_S * 1000 * 2 + 500, `ejected after ${tookMs}ms`);
    await sleep(INTERVAL_S * 1000 * 3); // the other worker's checker sees it too
    const json = JSON.parse((await request(adminPort, { path: '/clusters?format=json' })).body) as {
      cluster_statuses: { name: string; host_statuses: { address: string; health_status: Record<string, unknown> }[] }[];
    };
    const status = json.cluster_statuses.find((c) => c.name === 'web')?.host_statuses.find((h) => h.address === bad.address)?.health_status;
    assert.equal(status?.failed_active_health_check, true, 'JSON /clusters has Envoy HostHealthStatus');
    const out = await traffic('web.test');
    assert.deepEqual(out.errors, [], 'zero errors while the host is out');
    assert.equal(out.by.web1, undefined, 'no request reached the failing host');
    assert.equal((out.by.web0 ?? 0) + (out.by.web2 ?? 0), 300);
    assert.equal(await readStat(adminPort, 'cluster.web.health_check.healthy'), 2);
    assert.equal(await readStat(adminPort, 'cluster.web.membership_healthy'), 2);
    assert.ok((await readStat(adminPort, 'cluster.web.health_check.failure')) >= 2, 'each worker counted a failure');

    bad.behaviour = {};
    await waitForFlags('web', bad.address, 'healthy');
    await sleep(INTERVAL_S * 1000 * 3);
    const back = await traffic('web.test');
    assert.deepEqual(back.errors, []);
    assert.ok((back.by.web1 ?? 0) > 50, `the host is back in rotation (${back.by.web1 ?? 0} requests)`);
  });

  test('TCP: a host that stops listening leaves after unhealthy_threshold failures and returns when it listens again', async () => {
    const bad = tcp[2];
    await bad.close();
    const tookMs = await waitForFlags('tcp', bad.address, '/failed_active_hc');
    // Two network failures in a row: about two intervals.
    assert.ok(tookMs <= INTERVAL_S * 1000 * 3 + 500, `ejected after ${tookMs}ms`);
    await sleep(INTERVAL_S * 1000 * 3);
    const out = await traffic('tcp.test');
    assert.deepEqual(out.errors, [], 'zero errors while the host is out');
    assert.equal(out.by.tcp2, undefined);
    assert.ok((await readStat(adminPort, 'cluster.tcp.health_check.network_failure')) >= 4, 'two per worker');

    bad.server.listen(bad.port, '127.0.0.1');
    await once(bad.server, 'listening');
    await waitForFlags('tcp', bad.address, 'healthy');
    await sleep(INTERVAL_S * 1000 * 3);
    const back = await traffic('tcp.test');
    assert.deepEqual(back.errors, []);
    assert.ok((back.by.tcp2 ?? 0) > 50, `the host is back (${back.by.tcp2 ?? 0} requests)`);
  });

  test('stats count attempts and successes; the event log has Envoy HealthCheckEvent lines', async () => {
    const attempts = await readStat(adminPort, 'cluster.web.health_check.attempt');
    const successes = await readStat(adminPort, 'cluster.web.health_check.success');
    assert.ok(attempts >= successes && successes > 6, `attempt ${attempts}, success ${successes}`);
    const events = (await readFile(eventLog, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, Record<string, unknown> & { socket_address?: { port_value: number } }>);
    const of = (cluster: string, port: number, kind: string) => events.filter((e) => (e.cluster_name as unknown) === cluster && e.host.socket_address?.port_value === port && kind in e);
    // Both workers log: the first pass of every host, the ejection and the return.
    assert.equal(of('web', web[0].port, 'add_healthy_event').length, 2);
    assert.deepEqual(of('web', web[1].port, 'eject_unhealthy_event').map((e) => e.eject_unhealthy_event), [{ failure_type: 'ACTIVE' }, { failure_type: 'ACTIVE' }]);
    assert.deepEqual(of('web', web[1].port, 'add_healthy_event').map((e) => e.add_healthy_event), [{ first_check: true }, { first_check: true }, { first_check: false }, { first_check: false }]);
    assert.deepEqual(of('tcp', tcp[2].port, 'eject_unhealthy_event').map((e) => e.eject_unhealthy_event), [{ failure_type: 'NETWORK' }, { failure_type: 'NETWORK' }]);
    assert.ok(events.every((e) => (e.health_checker_type as unknown) === ((e.cluster_name as unknown) === 'web' ? 'HTTP' : 'TCP')));
  });
});
