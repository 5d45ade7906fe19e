/** `switchyard control-plane`: the control plane alone (DESIGN §2), until SIGTERM/SIGINT. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONTROL_PLANE_DEFAULTS, DEFAULT_RATE_LIMIT_PORT, startControlPlane } from '../../control-plane/index.js';
import { CliError } from '../api-client.js';

export async function controlPlaneCommand(argv: readonly string[]): Promise<void> {
  const d = CONTROL_PLANE_DEFAULTS;
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string', default: d.dataDir },
      'api-host': { type: 'string', default: d.apiHost },
      'api-port': { type: 'string', default: String(d.apiPort) },
      'xds-host': { type: 'string', default: d.xdsHost },
      'xds-port': { type: 'string', default: String(d.xdsPort) },
      'http-port': { type: 'string', default: String(d.httpPort) },
      'https-port': { type: 'string', default: String(d.httpsPort) },
      'listen-address': { type: 'string', default: d.listenAddress },
      'base-domain': { type: 'string', default: d.baseDomain },
      region: { type: 'string', default: d.region },
      token: { type: 'string' },
      // Global rate limiting is on when either is given (--redis-url alone listens on the default port).
      'ratelimit-port': { type: 'string' },
      'redis-url': { type: 'string' },
    },
    strict: true,
  });
  const cp = await startControlPlane({
    dataDir: values['data-dir'] === ':memory:' ? ':memory:' : path.resolve(values['data-dir']),
    apiHost: values['api-host'],
    apiPort: portFlag(values['api-port'], '--api-port'),
    xdsHost: values['xds-host'],
    xdsPort: portFlag(values['xds-port'], '--xds-port'),
    httpPort: portFlag(values['http-port'], '--http-port'),
    httpsPort: portFlag(values['https-port'], '--https-port'),
    listenAddress: values['listen-address'],
    baseDomain: values['base-domain'],
    region: values.region,
    token: values.token ?? process.env.SWITCHYARD_TOKEN ?? null,
    rateLimitPort:
      values['ratelimit-port'] !== undefined ? portFlag(values['ratelimit-port'], '--ratelimit-port')
      : values['redis-url'] !== undefined ? DEFAULT_RATE_LIMIT_PORT
      : null,
    redisUrl: values['redis-url'] ?? null,
  });
  // Machine-readable readiness line for scripts and tests that pass port 0.
  process.stdout.write(JSON.stringify({ ready: true, api: cp.apiUrl, apiPort: cp.apiPort, xdsPort: cp.xdsPort, rateLimitPort: cp.rateLimitPort }) + '\n');
  const stop = (): void => void cp.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

export function portFlag(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError('SY_ERR_USAGE', `${flag} must be a port 0–65535, got ${text}`);
  return n;
}
