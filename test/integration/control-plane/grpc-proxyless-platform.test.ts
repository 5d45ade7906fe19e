/**
 * The platform end to end for a proxyless gRPC client: the real control plane (store, publisher,
 * translator, xDS server, REST API) and @grpc/grpc-js-xds as an independent xDS client. A service
 * whose two revisions are real gRPC servers is split 80/20 through the API; `xds:///<service host>`
 * follows it, then follows a 0/100 change. The bootstrap is per process, so this file is alone in
 * its process (node --test isolates files) and sets it before the first import of grpc-js-xds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { CONTROL_PLANE_DEFAULTS, startControlPlane } from '../../../src/control-plane/index.js';
import { countCalls as split, startGrpcBackend as startBackend } from '../../helpers/grpc-backend.js';

const CALLS = 300;
const FOLLOW_TIMEOUT_MS = 20_000;

async function api(url: string, method: string, body?: unknown): Promise<any> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

test('a grpc-js-xds client follows the platform API traffic split of a service', async (t) => {
  const [p1, p2] = [await startBackend(t, 'rev-1'), await startBackend(t, 'rev-2')];
  const cp = await startControlPlane({ ...CONTROL_PLANE_DEFAULTS, dataDir: mkdtempSync(path.join(os.tmpdir(), 'switchyard-grpc-')), apiPort: 0, xdsPort: 0, httpPort: 18080 });
  t.after(() => cp.stop());
  const nacks: unknown[] = [];
  cp.events.subscribe((e) => e.type === 'xds.nack' && nacks.push(e.data));

  const service = await api(`${cp.apiUrl}/v1/services`, 'POST', { name: 'echo' });
  await api(`${cp.apiUrl}/v1/services/${service.id}/revisions`, 'POST', { endpoints: [{ address: '127.0.0.1', port: p1 }] });
  await api(`${cp.apiUrl}/v1/services/${service.id}/revisions`, 'POST', { endpoints: [{ address: '127.0.0.1', port: p2 }] });
  await api(`${cp.apiUrl}/v1/services/${service.id}/traffic`, 'PUT', { targets: [{ revision: 'rev-1', percent: 80 }, { revision: 'rev-2', percent: 20 }] });

  process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify({
    xds_servers: [{ server_uri: `127.0.0.1:${cp.xdsPort}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
    node: { id: 'grpc-client', cluster: 'grpc-client', locality: { region: 'local', zone: 'local' }, metadata: {} },
  });
  const xds = await import('@grpc/grpc-js-xds');
  xds.register();
  const client = new grpc.Client(`xds:///${service.host}`, grpc.credentials.createInsecure());
  t.after(() => client.close());

  const first = await split(client, CALLS);
  const share1 = (first.get('rev-1') ?? 0) / CALLS;
  assert.ok(share1 > 0.72 && share1 < 0.88, `rev-1 got ${JSON.stringify([...first])} of ${CALLS}`);

  await api(`${cp.apiUrl}/v1/services/${service.id}/traffic`, 'PUT', { targets: [{ revision: 'rev-1', percent: 0 }, { revision: 'rev-2', percent: 100 }] });
  const deadline = Date.now() + FOLLOW_TIMEOUT_MS;
  let after = new Map<string, number>();
  while (Date.now() < deadline) {
    after = await split(client, 20);
    if (after.get('rev-2') === 20) break;
  }
  assert.equal(after.get('rev-2'), 20, JSON.stringify([...after]));
  assert.deepEqual(nacks, [], 'the client accepted every resource the translator made');
  const clients = await api(`${cp.apiUrl}/v1/xds/clients`, 'GET');
  assert.ok(clients.clients.some((c: { nodeId: string }) => c.nodeId === 'grpc-client'));
});
