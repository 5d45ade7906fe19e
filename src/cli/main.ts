/**
 * The `switchyard` command: the only module that may import both planes. Sub-commands parse their
 * own flags with node:util parseArgs and print usage on bad input (exit 2).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';

const USAGE = `usage: switchyard <command> [flags]

commands:
  router --config bootstrap.yaml [--concurrency N] [--drain-time-s S] [--config-cache PATH]
                      run the data plane from an Envoy v3 bootstrap (YAML or JSON)
`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'router':
      return runRouterCommand(rest);
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
