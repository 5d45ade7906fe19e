/**
 * Weighted clusters split real traffic within ±1.5 percentage points over 10,000 requests, and
 * ring-hash keeps a key on one host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { bootstrap, httpListener, staticCluster } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { readStat, startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

describe('traffic split and consistent hashing', () => {
  let v1: TestUpstream, v2: TestUpstream;
  const ring: TestUpstream[] = [];
  let router: RunningRouter;
  let port: number;
  let adminPort: number;
  const agent = keepAliveAgent(32);

  before(async () => {
    [v1, v2] = await Promise.all([startUpstream('v1', { body: 'v1' }), startUpstream('v2', { body: 'v2' })]);
    for (let i = 0; i < 4; i++) ring.push(await startUpstream(`r${i}`, { body: `r${i}` }));
    port = await freePort();
    adminPort = await freePort();
    const routeConfig = {
      virtual_hosts: [
        {
          name: 'split',
          domains: ['split.test'],
          routes: [{ match: { prefix: '/' }, route: { weighted_clusters: { clusters: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] } } }],
        },
        {
          name: 'sticky',
          domains: ['sticky.test'],
          routes: [{ match: { prefix: '/' }, route: { cluster: 'ring', hash_policy: [{ header: { header_name: 'x-user' } }] } }],
        },
      ],
    };
    const doc = bootstrap(adminPort, [httpListener(port, routeConfig)], [
      staticCluster('v1', [v1.address]),
      staticCluster('v2', [v2.address]),
      staticCluster('ring', ring.map((u) => u.address), { lb_policy: 'RING_HASH' }),
    ]);
    router = await startRouter(doc, adminPort, { concurrency: 2 });
  });

  after(async () => {
    agent.destroy();
    await router?.stop();
    await Promise.all([v1, v2, ...ring].map((u) => u?.close()));
  });

  test('90/10 split over 10,000 requests is within ±1.5 pp', async () => {
    const counts = { v1: 0, v2: 0 } as Record<string, number>;
    const result = await boundedLoad(10_000, 32, 60_000, async () => {
      const r = await request(port, { headers: { host: 'split.test' }, agent });
      counts[r.body] = (counts[r.body] ?? 0) + 1;
      return r.status === 200;
    });
    assert.equal(result.failed, 0, result.errors.join('\n'));
    assert.equal(result.sent, 10_000);
    const share = (counts.v1 / 10_000) * 100;
    assert.ok(Math.abs(share - 90) <= 1.5, `v1 got ${share}%`);
    // Admin stats are summed over both workers and count every request.
    assert.equal(await readStat(adminPort, 'cluster.v1.upstream_rq_2xx') + (await readStat(adminPort, 'cluster.v2.upstream_rq_2xx')), 10_000);
    // Upstream connections were pooled, not opened per request.
    assert.ok(v1.connections + v2.connections <= 2 * 64, `opened ${v1.connections + v2.connections} upstream connections`);
  });

  test('ring hash sends one key to one host', async () => {
    for (const user of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const r = await request(port, { headers: { host: 'sticky.test', 'x-user': user }, agent });
        assert.equal(r.status, 200);
        seen.add(r.body);
      }
      assert.equal(seen.size, 1, `${user} went to ${[...seen].join(', ')}`);
    }
  });
});
