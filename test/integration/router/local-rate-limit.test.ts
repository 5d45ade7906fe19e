/**
 * envoy.filters.http.local_ratelimit through the real router: a virtual host's token bucket
 * answers 429 "local_rate_limited" with x-envoy-ratelimited and flag RL once spent, another
 * virtual host is untouched, and the stats count it.
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

const LOCAL_RATELIMIT = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const full = { default_value: { numerator: 100, denominator: 'HUNDRED' }, runtime_key: 'rl' };

describe('local rate limit', () => {
  let echo: TestUpstream;
  let router: RunningRouter;
  let port: number;
  let adminPort: number;
  const logPath = path.join(os.tmpdir(), `switchyard-rl-${process.pid}-${Date.now()}.log`);

  before(async () => {
    echo = await startUpstream('echo');
    [port, adminPort] = await Promise.all([freePort(), freePort()]);
    const routeConfig = {
      virtual_hosts: [
        {
          name: 'limited',
          domains: ['limited.test'],
          routes: [{ match: { prefix: '/' }, route: { cluster: 'echo' } }],
          typed_per_filter_config: {
            'envoy.filters.http.local_ratelimit': {
              '@type': LOCAL_RATELIMIT,
              stat_prefix: 'tenant_limited',
              token_bucket: { max_tokens: 5, tokens_per_fill: 5, fill_interval: '60s' },
              filter_enabled: full,
              filter_enforced: full,
              enable_x_ratelimit_headers: 'DRAFT_VERSION_03',
            },
          },
        },
        {
          name: 'keyed',
          domains: ['keyed.test'],
          routes: [{ match: { prefix: '/' }, route: { cluster: 'echo', rate_limits: [{ actions: [{ request_headers: { header_name: 'x-api-key', descriptor_key: 'api_key' } }] }] } }],
          typed_per_filter_config: {
            'envoy.filters.http.local_ratelimit': {
              '@type': LOCAL_RATELIMIT,
              stat_prefix: 'tenant_keyed',
              token_bucket: { max_tokens: 100, fill_interval: '60s' },
              descriptors: [
                { entries: [{ key: 'api_key', value: 'gold' }], token_bucket: { max_tokens: 4, fill_interval: '60s' } },
                { entries: [{ key: 'api_key' }], token_bucket: { max_tokens: 2, fill_interval: '60s' } },
              ],
              filter_enabled: full,
              filter_enforced: full,
            },
          },
        },
        { name: 'free', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'echo' } }] },
      ],
    };
    const listener = httpListener(port, routeConfig, {
      access_log: [fileAccessLog(logPath, '%REQ(:AUTHORITY)% %RESPONSE_CODE% %RESPONSE_FLAGS%\n')],
      http_filters: [
        { name: 'envoy.filters.http.local_ratelimit', typed_config: { '@type': LOCAL_RATELIMIT, stat_prefix: 'listener_rl' } },
        { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } },
      ],
    });
    router = await startRouter(bootstrap(adminPort, [listener], [staticCluster('echo', [echo.address])]), adminPort, { concurrency: 1 });
  });

  after(async () => {
    await router?.stop();
    await echo?.close();
  });

  test('the limited host gets 5 answers, then 429 local_rate_limited; the free host is untouched', async () => {
    const limited = [];
    for (let i = 0; i < 8; i++) limited.push(await request(port, { headers: { host: 'limited.test' } }));
    assert.deepEqual(limited.map((r) => r.status), [200, 200, 200, 200, 200, 429, 429, 429]);
    const denied = limited[5];
    assert.equal(denied.body, 'local_rate_limited');
    assert.equal(denied.headers['x-envoy-ratelimited'], 'true');
    assert.equal(denied.headers['x-ratelimit-limit'], '5');
    assert.equal(denied.headers['x-ratelimit-remaining'], '0');
    for (let i = 0; i < 8; i++) assert.equal((await request(port, { headers: { host: 'free.test' } })).status, 200);
    assert.equal(echo.hits, 5 + 8, 'rate-limited requests never reached the upstream');
  });

  test('descriptors: each api key its own bucket (gold 4, any other key 2), no key the default bucket', async () => {
    const statuses = async (key: string | null, n: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await request(port, { headers: { host: 'keyed.test', ...(key === null ? {} : { 'x-api-key': key }) } })).status);
      return out;
    };
    assert.deepEqual(await statuses('gold', 6), [200, 200, 200, 200, 429, 429]);
    assert.deepEqual(await statuses('silver', 3), [200, 200, 429]);
    assert.deepEqual(await statuses(null, 5), [200, 200, 200, 200, 200], 'no descriptor: the 100-token default bucket');
  });

  test('stats and the access log show it', async () => {
    assert.equal(await readStat(adminPort, 'tenant_limited.http_local_rate_limit.enabled'), 8);
    assert.equal(await readStat(adminPort, 'tenant_limited.http_local_rate_limit.ok'), 5);
    assert.equal(await readStat(adminPort, 'tenant_limited.http_local_rate_limit.rate_limited'), 3);
    assert.equal(await readStat(adminPort, 'tenant_limited.http_local_rate_limit.enforced'), 3);
    await router.stop();
    const lines = (await readFile(logPath, 'utf8')).trim().split('\n');
    assert.equal(lines.filter((l) => l === 'limited.test 429 RL').length, 3, lines.join('\n'));
    assert.equal(lines.filter((l) => l === 'free.test 200 -').length, 8);
  });
});
