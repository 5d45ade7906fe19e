/**
 * The README's main command end to end: `switchyard up` on a fresh data directory starts the
 * control plane, a router fed over ADS and two revisions of examples/hello split 90/10; the URL
 * serves that split; the platform CLI shifts traffic and the router follows; Ctrl-C (SIGINT)
 * stops everything `up` started.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { boundedLoad } from '../helpers/bounded-load.js';
import { request } from '../helpers/http-client.js';
import { freePort } from '../helpers/ports.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/switchyard.js');

describe('switchyard up', () => {
  let up: ChildProcess;
  let stdout = '';
  let stderr = '';
  let apiUrl: string;
  let httpPort: number;
  let host: string;

  before(async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-up-'));
    const [apiPort, xdsPort, adminPort] = await Promise.all([freePort(), freePort(), freePort()]);
    httpPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    up = spawn(
      process.execPath,
      [BIN, 'up', '--data-dir', dataDir, '--api-port', String(apiPort), '--xds-port', String(xdsPort), '--http-port', String(httpPort), '--admin-port', String(adminPort), '--https-port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    up.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    up.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const deadline = Date.now() + 45_000;
    while (!stdout.includes('Switchyard is up') && Date.now() < deadline && up.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    assert.ok(stdout.includes('Switchyard is up'), `up did not come up:\n${stdout}\n${stderr}`);
    const m = /URL\s+http:\/\/([^\s/:]+)(:\d+)?/.exec(stdout);
    assert.ok(m, stdout);
    host = m[1];
  });

  after(async () => {
    if (up !== undefined && up.exitCode === null) {
      up.kill('SIGKILL');
      await once(up, 'exit');
    }
  });

  const revisionsOf = async (n: number): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    const load = await boundedLoad(n, 8, 20_000, async () => {
      const r = await request(httpPort, { headers: { host }, timeoutMs: 5_000 });
      const rev = /hello from (\S+)/.exec(r.body)?.[1] ?? `status ${r.status}`;
      counts.set(rev, (counts.get(rev) ?? 0) + 1);
      return r.status === 200;
    });
    assert.equal(load.failed, 0, load.errors.join('\n'));
    return counts;
  };

  test('prints the URL, a curl that works and the next commands', () => {
    assert.match(stdout, /curl http:\/\/hello-[a-z0-9]+\.local\.switchyard\.localhost:\d+\//);
    assert.match(stdout, /switchyard traffic hello/);
  });

  test('the URL serves the 90/10 split', async () => {
    const counts = await revisionsOf(400);
    const a = counts.get('rev-1') ?? 0;
    const b = counts.get('rev-2') ?? 0;
    assert.equal(a + b, 400, JSON.stringify([...counts]));
    assert.ok(a >= 320 && a <= 390, `rev-1 got ${a} of 400`);
  });

  test('the CLI shifts traffic and the router follows', async () => {
    const cli = spawnSync(process.execPath, [BIN, 'traffic', 'hello', 'rev-1=0', 'rev-2=100', '--api', apiUrl], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /rev-2\s+100%/);
    const deadline = Date.now() + 10_000;
    let counts = new Map<string, number>();
    while (Date.now() < deadline) {
      counts = await revisionsOf(50);
      if (counts.get('rev-2') === 50) break;
    }
    assert.equal(counts.get('rev-2'), 50, JSON.stringify([...counts]));
    const list = spawnSync(process.execPath, [BIN, 'services', 'list', '--api', apiUrl, '--json'], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /"name": "hello"/);
  });

  test('the router is a connected xDS client that ACKed the config', () => {
    const cli = spawnSync(process.execPath, [BIN, 'xds', 'clients', '--api', apiUrl], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /router-1/);
  });

  test('switchyard events replays what happened: the router connected and ACKed', async () => {
    const cli = spawn(process.execPath, [BIN, 'events', '--api', apiUrl, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = '';
    cli.stdout!.on('data', (c: Buffer) => (lines += c.toString()));
    const deadline = Date.now() + 5_000;
    while (!(lines.includes('"xds.connect"') && lines.includes('"traffic.updated"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    cli.kill('SIGTERM');
    await once(cli, 'exit');
    assert.match(lines, /"type":"xds\.connect".*"nodeId":"router-1"/);
    assert.match(lines, /"type":"config\.published"/);
    assert.match(lines, /"type":"traffic\.updated"/);
  });

  test('SIGINT stops everything it started', async () => {
    up.kill('SIGINT');
    const [code] = (await once(up, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    const r = await request(httpPort, { headers: { host }, timeoutMs: 1_000 }).catch((err: Error) => err);
    assert.ok(r instanceof Error, 'the router is gone');
  });
});
