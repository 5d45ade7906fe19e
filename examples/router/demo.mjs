// npm start: two revisions of examples/hello behind the router with a 90/10 split, on embedded
// defaults (router :8080, admin :9901). Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const children = [];
const stopAll = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
};
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

async function startRevision(revision) {
  const child = spawn(process.execPath, [path.join(root, 'examples/hello/server.mjs'), '--revision', revision], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [line] = await once(child.stdout, 'data');
  return JSON.parse(line.toString()).port;
}

const [p1, p2] = await Promise.all([startRevision('rev-1'), startRevision('rev-2')]);
const cluster = (name, port) => ({
  name,
  type: 'STATIC',
  connect_timeout: '1s',
  load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: port } } } }] }] },
});
const bootstrap = {
  node: { id: 'demo-router', cluster: 'demo' },
  admin: { address: { socket_address: { address: '127.0.0.1', port_value: Number(process.env.ADMIN_PORT ?? 9901) } } },
  static_resources: {
    clusters: [cluster('hello--rev-1', p1), cluster('hello--rev-2', p2)],
    listeners: [
      {
        name: 'http',
        address: { socket_address: { address: '127.0.0.1', port_value: Number(process.env.HTTP_PORT ?? 8080) } },
        filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
          stat_prefix: 'ingress_http',
          access_log: [{ name: 'envoy.access_loggers.stdout', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog' } }],
          http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
          route_config: { name: 'ingress', virtual_hosts: [{ name: 'hello', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { weighted_clusters: { clusters: [{ name: 'hello--rev-1', weight: 90 }, { name: 'hello--rev-2', weight: 10 }] } } }] }] },
        } }] }],
      },
    ],
  },
};
const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-demo-'));
const configPath = path.join(dir, 'bootstrap.json');
writeFileSync(configPath, JSON.stringify(bootstrap, null, 2));
const router = spawn(process.execPath, [path.join(root, 'bin/switchyard.js'), 'router', '--config', configPath, '--concurrency', '2'], { stdio: 'inherit' });
children.push(router);
const http = Number(process.env.HTTP_PORT ?? 8080);
const admin = Number(process.env.ADMIN_PORT ?? 9901);
console.log(`\nSwitchyard router demo: hello rev-1 (90%) and rev-2 (10%)
  try:    curl http://127.0.0.1:${http}/
          for i in $(seq 20); do curl -s http://127.0.0.1:${http}/; done | sort | uniq -c
  admin:  curl http://127.0.0.1:${admin}/stats | grep upstream_rq_2xx
          curl http://127.0.0.1:${admin}/clusters
  config: ${configPath}
  Ctrl-C stops everything.\n`);
const [code] = await once(router, 'exit');
stopAll();
process.exit(code ?? 0);
