/**
 * The `switchyard` command: the only module that may import both planes. Sub-commands parse their
 * own flags with node:util parseArgs and print usage on bad input (exit 2).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CliError } from './api-client.js';

const USAGE = `usage: switchyard <command> [flags]

commands:
  up [--data-dir D] [--api-port P] [--xds-port P] [--http-port P] [--https-port P] [--admin-port P]
                      the whole platform on this machine: control plane, a router, a sample app
  control-plane [--data-dir D] [--api-port P] [--xds-port P] [--http-port P] [--base-domain D]
                [--region R] [--token T] [--listen-address A]
                      the control plane alone: platform API (:7070) and xDS server (:18000)
  router --config bootstrap.yaml [--concurrency N] [--drain-time-s S] [--config-cache PATH]
                      the data plane from an Envoy v3 bootstrap (YAML or JSON)

  services create NAME [--port P] [--region R] [--tenant T] [--health-check-path /p]
  services list | get SERVICE | delete SERVICE
  deploy SERVICE --endpoint host:port [--endpoint host:port ...]
  traffic SERVICE [rev-1=90 rev-2=10] [--tag rev-2=canary]
  xds clients
  events [SERVICE]    follow the platform's event stream (deploys, traffic, router ACK/NACK)
                      platform CLI; common flags: --api URL (default http://127.0.0.1:7070,
                      or $SWITCHYARD_API), --token T (or $SWITCHYARD_TOKEN), --json
`;

export async function main(argv: string[]): Promise<void> {
  try {
    await dispatch(argv);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    process.stderr.write(`switchyard: ${err.message}\n`);
    if (err.code === 'SY_ERR_USAGE') process.stderr.write(`\n${USAGE}`);
    process.exit(err.code === 'SY_ERR_USAGE' ? 2 : 1);
  }
}

const print = (text: string): void => void process.stdout.write(text);

async function dispatch(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'router':
      return runRouterCommand(rest);
    case 'up':
      return (await import('./commands/up.js')).upCommand(rest, print);
    case 'control-plane':
      return (await import('./commands/control-plane.js')).controlPlaneCommand(rest);
    case 'services':
      return (await import('./commands/platform-commands.js')).servicesCommand(rest, print);
    case 'deploy':
      return (await import('./commands/platform-commands.js')).deployCommand(rest, print);
    case 'traffic':
      return (await import('./commands/platform-commands.js')).trafficCommand(rest, print);
    case 'xds':
      return (await import('./commands/platform-commands.js')).xdsCommand(rest, print);
    case 'events':
      return (await import('./commands/platform-commands.js')).eventsCommand(rest, print);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`switchyard: unknown command "${command}"\n\n${USAGE}`);
      process.exit(2);
  }
}

async function runRouterCommand(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        concurrency: { type: 'string' },
        'drain-time-s': { type: 'string' },
        'config-cache': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`switchyard router: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.config === undefined) {
    process.stderr.write(`switchyard router: --config is required\n\n${USAGE}`);
    process.exit(2);
  }
  const concurrency = values.concurrency === undefined ? os.availableParallelism() : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    process.stderr.write(`switchyard router: --concurrency must be an integer 1–256, got ${values.concurrency}\n`);
    process.exit(2);
  }
  const drainTimeS = values['drain-time-s'] === undefined ? 5 : Number(values['drain-time-s']);
  if (!Number.isFinite(drainTimeS) || drainTimeS < 0) {
    process.stderr.write(`switchyard router: --drain-time-s must be a non-negative number, got ${values['drain-time-s']}\n`);
    process.exit(2);
  }
  const { startRouter } = await import('../router/index.js');
  await startRouter({ configPath: values.config, concurrency, drainTimeMs: drainTimeS * 1000, configCachePath: values['config-cache'] ?? null });
}
