/**
 * Spawns the real router (`bin/switchyard.js router`) as a child process with a bootstrap written
 * to a temp file, waits for admin /ready, and stops it by PID in the test's cleanup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from './http-client.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/switchyard.js');

export interface RunningRouter {
  readonly child: ChildProcess;
  readonly adminPort: number;
  readonly configPath: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

export async function writeBootstrap(doc: unknown, ext: 'yaml' | 'json' = 'json'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-test-'));
  const file = path.join(dir, `bootstrap.${ext}`);
  await writeFile(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return file;
}

/** Runs `switchyard router` to completion (for bad-config tests): exit code and output. */
export async function runRouterOnce(configPath: string, timeoutMs = 15_000): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'router', '--config', configPath, '--concurrency', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}

export async function startRouter(
  doc: unknown,
  adminPort: number,
  options: { concurrency?: number; drainTimeS?: number; ext?: 'yaml' | 'json'; configCache?: string; configPath?: string } = {},
): Promise<RunningRouter> {
  const configPath = options.configPath ?? (await writeBootstrap(doc, options.ext));
  const args = [BIN, 'router', '--config', configPath, '--concurrency', String(options.concurrency ?? 1)];
  if (options.drainTimeS !== undefined) args.push('--drain-time-s', String(options.drainTimeS));
  if (options.configCache !== undefined) args.push('--config-cache', options.configCache);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SWITCHYARD_LOG_LEVEL: 'warn' } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`router exited with ${child.exitCode}: ${err}`);
    try {
      const r = await request(adminPort, { path: '/ready', timeoutMs: 1_000 });
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`router not ready after 15s: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    adminPort,
    configPath,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Reads one stat's value from admin /stats?format=json (0 when absent). */
export async function readStat(adminPort: number, name: string): Promise<number> {
  const r = await request(adminPort, { path: `/stats?format=json` });
  const parsed = JSON.parse(r.body) as { stats: { name?: string; value?: number }[] };
  for (const s of parsed.stats) if (s.name === name) return Number(s.value);
  return 0;
}
