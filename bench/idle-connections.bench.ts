/**
 * Router memory with many idle keep-alive connections (router-core issue): one worker, the bench
 * bootstrap's routing and access log, a node:http upstream; N client connections each send one
 * request and then sit idle. Reports the worker's heap and RSS (Envoy's server.memory_* gauges
 * from admin /stats) at start, after a load run (LOAD_REQUESTS over 50 keep-alive connections),
 * with the N connections open, and the cost per idle connection.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/idle-connections.bench.js [connections=10000]
 *
 * Needs `ulimit -n` above 2×N (client and router sockets live on this machine).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 10_000);
const LOAD_REQUESTS = Number(process.argv[3] ?? 50_000);
const LOAD_CONNECTIONS = 50;
const LOAD_DEADLINE_MS = 60_000;
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/switchyard.js');

async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function memory(adminPort: number): Promise<{ heapMiB: number; rssMiB: number }> {
  const body = await new Promise<string>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: adminPort, path: '/stats?format=json', agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
  const stats = new Map((JSON.parse(body) as { stats: { name: string; value: number }[] }).stats.map((s) => [s.name, s.value]));
  const mib = (v: number | undefined) => Math.round(((v ?? 0) / 1048576) * 10) / 10;
  return { heapMiB: mib(stats.get('server.memory_allocated')), rssMiB: mib(stats.get('server.memory_physical_size')) };
}

const upstream = http.createServer((_req, res) => res.end('hello\n'));
upstream.listen(0, '127.0.0.1');
await once(upstream, 'listening');
const upstreamPort = (upstream.address() as net.AddressInfo).port;
const [port, adminPort] = await Promise.all([freePort(), freePort()]);
const cluster = { name: 'backend', type: 'STATIC', connect_timeout: '1s', load_assignment: { cluster_name: 'backend', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: upstreamPort } } } }] }] } };
const hcm = {
  '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  stat_prefix: 'bench',
  http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
  route_config: { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'backend' } }] }] },
};
const bootstrap = {
  node: { id: 'idle-bench', cluster: 'bench' },
  admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } },
  static_resources: { clusters: [cluster], listeners: [{ name: 'l', address: { socket_address: { address: '127.0.0.1', port_value: port } }, filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm }] }] }] },
};
const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'switchyard-idle-')), 'bootstrap.json');
writeFileSync(file, JSON.stringify(bootstrap));
const router = spawn(process.execPath, [BIN, 'router', '--config', file, '--concurrency', '1'], { stdio: ['ignore', 'ignore', 'inherit'] });
for (let i = 0; i < 100; i++) {
  const up = await new Promise<boolean>((r) => http.get({ host: '127.0.0.1', port: adminPort, path: '/ready', agent: false }, (res) => (res.resume(), r(res.statusCode === 200))).on('error', () => r(false)));
  if (up) break;
  await new Promise((r) => setTimeout(r, 100));
}

const before = await memory(adminPort);

// The load run: bounded by count and by time.
const agent = new http.Agent({ keepAlive: true, maxSockets: LOAD_CONNECTIONS });
const get = () =>
  new Promise<number>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent, headers: { host: 'load.test' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
const loadDeadline = Date.now() + LOAD_DEADLINE_MS;
let sent = 0;
let loadErrors = 0;
await Promise.all(
  Array.from({ length: LOAD_CONNECTIONS }, async () => {
    while (sent < LOAD_REQUESTS && Date.now() < loadDeadline) {
      sent++;
      try {
        if ((await get()) !== 200) loadErrors++;
      } catch {
        loadErrors++;
      }
    }
  }),
);
agent.destroy();
await new Promise((r) => setTimeout(r, 1_000));
const afterLoad = { ...(await memory(adminPort)), requests: sent, errors: loadErrors };
const sockets: net.Socket[] = [];
const started = Date.now();
const BATCH = 200;
for (let i = 0; i < N; i += BATCH) {
  await Promise.all(
    Array.from({ length: Math.min(BATCH, N - i) }, async () => {
      const s = net.connect(port, '127.0.0.1');
      await once(s, 'connect');
      s.write('GET / HTTP/1.1\r\nHost: idle.test\r\n\r\n');
      await once(s, 'data');
      sockets.push(s);
    }),
  );
}
await new Promise((r) => setTimeout(r, 1_000));
const withIdle = await memory(adminPort);
console.log(
  JSON.stringify({
    connections: sockets.length,
    openMs: Date.now() - started,
    before,
    afterLoad,
    withIdle,
    heapPerConnectionBytes: Math.round(((withIdle.heapMiB - afterLoad.heapMiB) * 1048576) / sockets.length),
    rssPerConnectionBytes: Math.round(((withIdle.rssMiB - afterLoad.rssMiB) * 1048576) / sockets.length),
  }),
);
for (const s of sockets) s.destroy();
router.kill('SIGTERM');
await once(router, 'exit');
upstream.close();
