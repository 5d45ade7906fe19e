/**
 * `switchyard up`: the whole platform on one machine on embedded defaults. It runs the control
 * plane in this process, one router as a child process fed over ADS, and two revisions of
 * examples/hello as the sample service's static endpoints, splits traffic 90/10, waits until the
 * router serves the URL, and prints what to try next. Ctrl-C stops everything it started (by PID).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTROL_PLANE_DEFAULTS, startControlPlane } from '../../control-plane/index.js';
import { adsBootstrap } from '../ads-bootstrap.js';
import { ApiClient, CliError, listOf } from '../api-client.js';
import { portFlag as port } from './control-plane.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const BIN = path.join(ROOT, 'bin/switchyard.js');
const HELLO = path.join(ROOT, 'examples/hello/server.mjs');
const SAMPLE_SERVICE = 'hello';
/** How long `up` waits for the router to serve the sample URL. */
const SERVE_TIMEOUT_MS = 20_000;

interface ServiceView {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly host: string;
}

export async function upCommand(argv: readonly string[], out: (t: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string', default: CONTROL_PLANE_DEFAULTS.dataDir },
      'api-port': { type: 'string', default: String(CONTROL_PLANE_DEFAULTS.apiPort) },
      'xds-port': { type: 'string', default: String(CONTROL_PLANE_DEFAULTS.xdsPort) },
      'http-port': { type: 'string', default: String(CONTROL_PLANE_DEFAULTS.httpPort) },
      'https-port': { type: 'string', default: String(CONTROL_PLANE_DEFAULTS.httpsPort) },
      'admin-port': { type: 'string', default: '9901' },
    },
    strict: true,
  });
  const dataDir = path.resolve(values['data-dir']);
  const httpPort = port(values['http-port'], '--http-port');
  const adminPort = port(values['admin-port'], '--admin-port');
  const children: ChildProcess[] = [];
  const cp = await startControlPlane({
    ...CONTROL_PLANE_DEFAULTS,
    dataDir,
    apiPort: port(values['api-port'], '--api-port'),
    xdsPort: port(values['xds-port'], '--xds-port'),
    httpPort,
    httpsPort: port(values['https-port'], '--https-port'),
  });
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map(stopChild));
    await cp.stop();
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    const bootstrapPath = path.join(dataDir, 'router-bootstrap.json');
    writeFileSync(bootstrapPath, JSON.stringify(adsBootstrap({ nodeId: 'router-1', region: CONTROL_PLANE_DEFAULTS.region, xdsHost: '127.0.0.1', xdsPort: cp.xdsPort, adminPort }), null, 2));
    const router = spawn(process.execPath, [BIN, 'router', '--config', bootstrapPath, '--concurrency', '1', '--config-cache', path.join(dataDir, 'router-config-cache.json')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(router);
    const api = new ApiClient(cp.apiUrl);
    const service = await ensureService(api);
    // The apps say which revision they are: the next two names the store will give (rev-N counts up).
    const existing = listOf(await api.get<unknown>(`/v1/services/${service.id}/revisions`), 'revisions').length;
    const [p1, p2] = await Promise.all([startHello(`rev-${existing + 1}`, children), startHello(`rev-${existing + 2}`, children)]);
    // Each `up` deploys fresh instances as two new revisions; the URL stays the same across runs.
    const r1 = await api.post<{ name: string }>(`/v1/services/${service.id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: p1 }] });
    const r2 = await api.post<{ name: string }>(`/v1/services/${service.id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: p2 }] });
    await api.put(`/v1/services/${service.id}/traffic`, { targets: [{ revision: r1.name, percent: 90 }, { revision: r2.name, percent: 10, tag: 'canary' }] });
    await waitServing(httpPort, service.host, SERVE_TIMEOUT_MS);

    out(
      [
        '',
        `Switchyard is up. Service "${service.name}" (${service.id}): ${r1.name} 90%, ${r2.name} 10% (tag canary)`,
        '',
        `  URL       ${service.url}`,
        `  try       curl ${service.url}/`,
        `            curl -H 'Host: ${service.host}' http://127.0.0.1:${httpPort}/     (if *.localhost does not resolve)`,
        `  canary    curl -H 'Host: canary---${service.host}' http://127.0.0.1:${httpPort}/`,
        `  API       ${cp.apiUrl}   (OpenAPI at ${cp.apiUrl}/openapi.json)`,
        `  router    admin http://127.0.0.1:${adminPort}/stats   config http://127.0.0.1:${adminPort}/config_dump`,
        '',
        'next:',
        `  npx switchyard services list`,
        `  npx switchyard traffic ${service.name} ${r1.name}=50 ${r2.name}=50`,
        `  npx switchyard services get ${service.name}`,
        `  npx switchyard xds clients`,
        '',
        'Ctrl-C stops everything this command started.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function ensureService(api: ApiClient): Promise<ServiceView> {
  const list = listOf<ServiceView>(await api.get<unknown>('/v1/services'), 'services');
  return list.find((s) => s.name === SAMPLE_SERVICE) ?? (await api.post<ServiceView>('/v1/services', { name: SAMPLE_SERVICE, port: 8080 }));
}

async function startHello(revision: string, children: ChildProcess[]): Promise<number> {
  const child = spawn(process.execPath, [HELLO, '--revision', revision], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return (JSON.parse(line.toString()) as { port: number }).port;
}

/** Polls the router with the service's Host until it answers 200 (the config has propagated). */
async function waitServing(httpPort: number, host: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await statusOf(httpPort, host)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new CliError('SY_ERR_NOT_SERVING', `the router did not serve ${host} within ${timeoutMs / 1000}s (see its log above)`);
}

function statusOf(port: number, host: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
  await exited;
  clearTimeout(timer);
}
