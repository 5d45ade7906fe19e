/**
 * The platform with everything real and separate: `switchyard control-plane` as a child process
 * (SQLite in a temp dir), two routers as child processes — one on state-of-the-world ADS, one on
 * Delta — and real upstreams. Each router has its own static listener whose routes (RDS `ingress`),
 * clusters and endpoints come over ADS: the Envoy shape for several routers on one host.
 *
 *   create a service, deploy two revisions, split 90/10 → both routers serve the split
 *   shift traffic twice under bounded load through both routers → zero failed requests
 *   kill the control plane → both keep serving; restart it on the same data → they resync
 *   GET /v1/xds/clients shows both routers with their ACKed versions
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { boundedLoad } from '../../helpers/bounded-load.js';
import { HCM_TYPE, ROUTER_TYPE } from '../../helpers/fixtures.js';
import { keepAliveAgent, request } from '../../helpers/http-client.js';
import { freePort } from '../../helpers/ports.js';
import { startRouter, type RunningRouter } from '../../helpers/start-router.js';
import { startUpstream, type TestUpstream } from '../../helpers/upstream.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../bin/switchyard.js');

function routerBootstrap(nodeId: string, apiType: 'GRPC' | 'DELTA_GRPC', xdsPort: number, adminPort: number, port: number): unknown {
  return {
    node: { id: nodeId, cluster: 'routers', locality: { region: 'local' } },
    dynamic_resources: {
      ads_config: { api_type: apiType, transport_api_version: 'V3', grpc_services: [{ envoy_grpc: { cluster_name: 'xds_cluster' } }] },
      cds_config: { resource_api_version: 'V3', ads: {} },
    },
    static_resources: {
      listeners: [
        {
          name: 'ingress',
          address: { socket_address: { address: '127.0.0.1', port_value: port } },
          filter_chains: [
            {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type': HCM_TYPE,
                    stat_prefix: 'ingress_http',
                    strip_any_host_port: true,
                    rds: { route_config_name: 'ingress', config_source: { ads: {}, resource_api_version: 'V3' } },
                    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        {
          name: 'xds_cluster',
          type: 'STATIC',
          connect_timeout: '1s',
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              explicit_http_config: { http2_protocol_options: {} },
            },
          },
          load_assignment: { cluster_name: 'xds_cluster', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: xdsPort } } } }] }] },
        },
      ],
    },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } },
  };
}

interface ControlPlaneProcess {
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function startControlPlaneProcess(dataDir: string, apiPort: number, xdsPort: number, httpPort: number): Promise<ControlPlaneProcess> {
  const child = spawn(process.execPath, [BIN, 'control-plane', '--data-dir', dataDir, '--api-port', String(apiPort), '--xds-port', String(xdsPort), '--http-port', String(httpPort)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const deadline = Date.now() + 15_000;
  while (!out.includes('"ready":true') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  assert.ok(out.includes('"ready":true'), `control plane did not start:\n${out}\n${err}`);
  return {
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

describe('two routers and the control plane, all real processes', () => {
  let dataDir: string;
  let apiPort: number;
  let xdsPort: number;
  let cp: ControlPlaneProcess;
  let v1: TestUpstream;
  let v2: TestUpstream;
  const routers: { router: RunningRouter; port: number }[] = [];
  let host = '';
  let serviceId = '';
  const api = async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`http://127.0.0.1:${apiPort}${p}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    assert.ok(res.ok, `${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const agent = keepAliveAgent(8);

  /** Which revision answers, over `n` requests through router `r`. */
  const shares = async (r: number, n: number): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    const load = await boundedLoad(n, 8, 20_000, async () => {
      const res = await request(routers[r].port, { headers: { host }, agent });
      const who = res.status === 200 ? String(res.headers['x-upstream']) : `status ${res.status}`;
      counts.set(who, (counts.get(who) ?? 0) + 1);
      return res.status === 200;
    });
    assert.equal(load.failed, 0, load.errors.join('\n'));
    return counts;
  };
  const until = async (what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`timed out waiting for ${what}`);
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-platform-'));
    [apiPort, xdsPort] = await Promise.all([freePort(), freePort()]);
    cp = await startControlPlaneProcess(dataDir, apiPort, xdsPort, 8080);
    [v1, v2] = await Promise.all([startUpstream('rev-1'), startUpstream('rev-2')]);
    for (const [i, apiType] of (['GRPC', 'DELTA_GRPC'] as const).entries()) {
      const [port, adminPort] = await Promise.all([freePort(), freePort()]);
      routers.push({ router: await startRouter(routerBootstrap(`router-${i + 1}`, apiType, xdsPort, adminPort, port), adminPort, { concurrency: 1 }), port });
    }
  });

  after(async () => {
    agent.destroy();
    await Promise.all(routers.map((r) => r.router.stop()));
    await cp?.stop('SIGKILL');
    await Promise.all([v1?.close(), v2?.close()]);
  });

  test('a service split 90/10 through the API is served by both routers', async () => {
    const service = await api('POST', '/v1/services', { name: 'shop' });
    serviceId = service.id;
    host = service.host;
    await api('POST', `/v1/services/${serviceId}/revisions`, { endpoints: [{ address: '127.0.0.1', port: v1.port }] });
    await api('POST', `/v1/services/${serviceId}/revisions`, { endpoints: [{ address: '127.0.0.1', port: v2.port }] });
    await api('PUT', `/v1/services/${serviceId}/traffic`, { targets: [{ revision: 'rev-1', percent: 90 }, { revision: 'rev-2', percent: 10 }] });
    for (let r = 0; r < routers.length; r++) {
      await until(`router ${r + 1} serving the split`, async () => {
        const res = await request(routers[r].port, { headers: { host } });
        return res.status === 200;
      });
      const counts = await shares(r, 1_000);
      const v1Share = (counts.get('rev-1') ?? 0) / 1_000;
      assert.ok(Math.abs(v1Share - 0.9) <= 0.03, `router ${r + 1}: ${JSON.stringify([...counts])}`);
    }
  });

  test('traffic shifts under bounded load through both routers fail no request', async () => {
    const load = boundedLoad(3_000, 8, 30_000, async (i) => {
      const res = await request(routers[i % 2].port, { headers: { host }, agent });
      return res.status === 200;
    });
    await new Promise((r) => setTimeout(r, 200));
    await api('PUT', `/v1/services/${serviceId}/traffic`, { targets: [{ revision: 'rev-1', percent: 50 }, { revision: 'rev-2', percent: 50 }] });
    await new Promise((r) => setTimeout(r, 300));
    await api('PUT', `/v1/services/${serviceId}/traffic`, { targets: [{ revision: 'rev-1', percent: 0 }, { revision: 'rev-2', percent: 100 }] });
    const result = await load;
    assert.equal(result.failed, 0, result.errors.join('\n'));
    assert.ok(result.sent >= 1_000, `only ${result.sent} requests went out`);
    for (let r = 0; r < routers.length; r++) {
      await until(`router ${r + 1} on 0/100`, async () => ((await shares(r, 20)).get('rev-2') ?? 0) === 20);
    }
  });

  test('the API lists both routers with their ACKed versions', async () => {
    const { clients } = await api('GET', '/v1/xds/clients');
    const byNode = new Map((clients as { nodeId: string; streamKind: string }[]).map((c) => [c.nodeId, c]));
    assert.equal(byNode.get('router-1')?.streamKind, 'ads');
    assert.equal(byNode.get('router-2')?.streamKind, 'ads-delta');
  });

  test('with the control plane killed both routers keep serving; restarted, they resync', async () => {
    await cp.stop('SIGKILL');
    for (let r = 0; r < routers.length; r++) assert.equal((await shares(r, 100)).get('rev-2'), 100);
    cp = await startControlPlaneProcess(dataDir, apiPort, xdsPort, 8080);
    const { targets } = await api('GET', `/v1/services/${serviceId}/traffic`);
    assert.deepEqual(targets.map((t: { revision: string; percent: number }) => [t.revision, t.percent]), [['rev-1', 0], ['rev-2', 100]], 'the store kept the split');
    await api('PUT', `/v1/services/${serviceId}/traffic`, { targets: [{ revision: 'rev-1', percent: 100 }, { revision: 'rev-2', percent: 0 }] });
    for (let r = 0; r < routers.length; r++) {
      await until(`router ${r + 1} resynced to rev-1`, async () => ((await shares(r, 20)).get('rev-1') ?? 0) === 20, 30_000);
    }
  });
});
