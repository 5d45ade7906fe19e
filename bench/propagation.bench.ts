/**
 * Control-plane benchmark (control-plane issue): propagation latency from a platform API traffic
 * change to every connected router serving it, with N services in the region; response bytes per
 * change with state-of-the-world vs Delta ADS; control-plane heap per service.
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/propagation.bench.js [services=1000] [changes=20]
 *
 * Everything is real: the control plane in this process (SQLite store, translator, xDS server,
 * REST API), router child processes fed over ADS, and two node:http upstreams that say who they
 * are. A change is one `PUT /v1/services/{id}/traffic` flipping the probe service between its two
 * revisions; the router "serves it" when a request with the probe's Host reaches the new revision.
 * One router: routers on one host would all bind the one published listener port (Node 20 has no
 * SO_REUSEPORT), so fan-out to many routers is measured by the xDS server tests, not here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adsBootstrap } from '../src/cli/ads-bootstrap.js';
import { CONTROL_PLANE_DEFAULTS, startControlPlane } from '../src/control-plane/index.js';
import { DEFAULT_AUTOSCALING, DEFAULT_DEPLOYMENT, DEFAULT_HEALTH_CHECK, DEFAULT_RATE_LIMIT, DEFAULT_ROUTING } from '../src/control-plane/model/defaults.js';
import type { NewService } from '../src/control-plane/model/types.js';

const SERVICES = Number(process.argv[2] ?? 1000);
const CHANGES = Number(process.argv[3] ?? 20);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/switchyard.js');
const SERVE_TIMEOUT_MS = 30_000;
/** The router's first full sync: 12–20 s at 10,000 services on a busy 2-core machine. */
const FIRST_SERVE_TIMEOUT_MS = 90_000;

function newService(name: string): NewService {
  return { name, tenant: null, region: null, port: 8080, healthCheck: DEFAULT_HEALTH_CHECK, autoscaling: DEFAULT_AUTOSCALING, routing: DEFAULT_ROUTING, rateLimit: DEFAULT_RATE_LIMIT, deployment: DEFAULT_DEPLOYMENT };
}

async function upstream(name: string): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((_req, res) => res.end(name));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port };
}

function get(port: number, host: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: keepAlive, timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(res.statusCode === 200 ? body : `status ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve('error'));
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });

async function waitFor(port: number, host: string, expected: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await get(port, host)) === expected) return performance.now() - started;
  }
  throw new Error(`router on :${port} did not serve ${expected} for ${host} within ${timeoutMs} ms`);
}

async function freePort(): Promise<number> {
  const s = http.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function runMode(apiType: 'GRPC' | 'DELTA_GRPC'): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-prop-'));
  const httpPort = await freePort();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const cp = await startControlPlane({ ...CONTROL_PLANE_DEFAULTS, dataDir, apiPort: 0, xdsPort: 0, httpPort });
  const [a, b] = await Promise.all([upstream('A'), upstream('B')]);
  // Seed in one tick: the publisher coalesces it into one snapshot.
  const seedStarted = performance.now();
  for (let i = 0; i < SERVICES; i++) {
    const s = cp.store.createService(newService(`svc-${i}`));
    cp.store.createRevision(s.id, { command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port: a.port }] });
  }
  const probe = cp.store.createService(newService('probe'));
  cp.store.createRevision(probe.id, { command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port: a.port }] });
  cp.store.createRevision(probe.id, { command: null, args: [], env: {}, endpoints: [{ address: '127.0.0.1', port: b.port }] });
  const seedMs = performance.now() - seedStarted;
  await new Promise((r) => setImmediate(r));
  gc?.();
  const heapPerServiceBytes = (process.memoryUsage().heapUsed - heapBefore) / (SERVICES + 1);

  const adminPort = await freePort();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'switchyard-prop-router-')), 'router.json');
  writeFileSync(file, JSON.stringify(adsBootstrap({ nodeId: 'bench-router', region: 'local', xdsHost: '127.0.0.1', xdsPort: cp.xdsPort, adminPort, apiType })));
  const router: ChildProcess = spawn(process.execPath, [BIN, 'router', '--config', file, '--concurrency', '1'], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await measure(cp, probe, httpPort, apiType, seedMs, heapPerServiceBytes);
  } finally {
    // Also when a wait timed out: the router, the upstreams' connections and the control plane go.
    if (router.exitCode === null && router.signalCode === null) {
      router.kill('SIGTERM');
      await once(router, 'exit');
    }
    keepAlive.destroy();
    for (const u of [a, b]) {
      u.server.closeAllConnections();
      u.server.close();
    }
    await cp.stop();
  }
}

async function measure(
  cp: Awaited<ReturnType<typeof startControlPlane>>,
  probe: { id: string; host: string },
  httpPort: number,
  apiType: 'GRPC' | 'DELTA_GRPC',
  seedMs: number,
  heapPerServiceBytes: number,
): Promise<void> {
  const host = probe.host;
  const firstServeMs = await waitFor(httpPort, host, 'B', FIRST_SERVE_TIMEOUT_MS); // all-at-once: rev-2 has 100%
  const latencies: number[] = [];
  const bytesBefore = cp.xds.bytesSent();
  for (let i = 0; i < CHANGES; i++) {
    const to = i % 2 === 0 ? 'rev-1' : 'rev-2';
    const expected = to === 'rev-1' ? 'A' : 'B';
    const started = performance.now();
    const res = await fetch(`${cp.apiUrl}/v1/services/${probe.id}/traffic`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ targets: [{ revision: to, percent: 100 }] }),
    });
    if (!res.ok) throw new Error(`PUT traffic: ${res.status} ${await res.text()}`);
    await waitFor(httpPort, host, expected, SERVE_TIMEOUT_MS);
    latencies.push(performance.now() - started);
  }
  const bytesPerChange = (cp.xds.bytesSent() - bytesBefore) / CHANGES;
  latencies.sort((x, y) => x - y);
  console.log(
    JSON.stringify({
      mode: apiType,
      services: SERVICES + 1,
      changes: CHANGES,
      seedMs: Math.round(seedMs),
      firstServeMs: Math.round(firstServeMs),
      p50Ms: Math.round(quantile(latencies, 0.5) * 10) / 10,
      p99Ms: Math.round(quantile(latencies, 0.99) * 10) / 10,
      maxMs: Math.round(latencies[latencies.length - 1] * 10) / 10,
      bytesPerChange: Math.round(bytesPerChange),
      heapPerServiceBytes: Math.round(heapPerServiceBytes),
    }),
  );
}

await runMode('GRPC');
await runMode('DELTA_GRPC');
// Everything started above was stopped; a library handle still open must not keep the bench alive.
setTimeout(() => process.exit(0), 5_000).unref();
