/**
 * The control plane's rate limit service with the Redis counters: two replicas (each its own
 * RateLimitServer and Redis connection, one store) behind one real redis-server enforce one
 * shared limit over real gRPC; the keys are `sy:rl:<domain>:<descriptor>:<window>` and expire;
 * a Redis that goes away turns calls into UNAVAILABLE (the router's failure mode decides).
 * redis-server is started here on a free port (no persistence) and stopped by PID.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { validateCreateService } from '../../../src/control-plane/model/validate-service.js';
import { startRateLimitService, type RunningRateLimitService } from '../../../src/control-plane/ratelimit/start-rate-limit-service.js';
import { openStore, type Store } from '../../../src/control-plane/store/store.js';
import { rateLimitServiceConstructor, type RateLimitServiceClient, type RlsResponse } from '../../../src/xds/ratelimit-service-protos.js';
import { freePort } from '../../helpers/ports.js';

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch {
      probe.disconnect();
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

function ask(client: RateLimitServiceClient, serviceId: string): Promise<RlsResponse> {
  return new Promise((resolve, reject) =>
    client.ShouldRateLimit({ domain: 'switchyard', descriptors: [{ entries: [{ key: 'service', value: serviceId }] }], hits_addend: 0 }, new grpc.Metadata(), { deadline: Date.now() + 5000 }, (e, r) => (e ? reject(e) : resolve(r!))),
  );
}

describe('rate limit service: Redis counters shared by two replicas', () => {
  let redis: ChildProcess;
  let redisPort: number;
  let store: Store;
  const replicas: RunningRateLimitService[] = [];
  const clients: RateLimitServiceClient[] = [];
  let serviceId = '';

  before(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    store = openStore({ path: ':memory:', baseDomain: 'switchyard.localhost', region: 'local', httpPort: 8080 });
    // 5 requests at once, 1/s on average: fixed 5 s windows (rate-limit-rule.ts).
    const spec = validateCreateService({ name: 'shop', rateLimit: { requestsPerSecond: 1, burst: 5 } });
    assert.ok(spec.ok);
    serviceId = store.createService(spec.value).id;
    const Client = rateLimitServiceConstructor();
    for (let i = 0; i < 2; i++) {
      const replica = await startRateLimitService(store, '127.0.0.1', 0, `redis://127.0.0.1:${redisPort}`);
      replicas.push(replica);
      clients.push(new Client(`127.0.0.1:${replica.port}`, grpc.credentials.createInsecure()));
    }
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const r of replicas) await r.close();
    store?.close();
    if (redis !== undefined) await stopRedis(redis);
  });

  test('one limit across both replicas', async () => {
    // Start early in a window, so the ten calls cannot straddle an (epoch-aligned) boundary.
    const into = Date.now() % 5000;
    if (into > 2000) await new Promise((r) => setTimeout(r, 5000 - into + 20));
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) codes.push((await ask(clients[i % 2], serviceId)).overall_code);
    assert.deepEqual(codes, ['OK', 'OK', 'OK', 'OK', 'OK', 'OVER_LIMIT', 'OVER_LIMIT', 'OVER_LIMIT', 'OVER_LIMIT', 'OVER_LIMIT']);
    assert.equal(replicas[0].server.calls + replicas[1].server.calls, 10);
    assert.equal(replicas[0].server.calls, 5);
    assert.equal((await ask(clients[0], 'no-such-service')).overall_code, 'OK');
  });

  test('keys are sy:rl:<domain>:<descriptor>:<window> and expire', async () => {
    const probe = new Redis({ port: redisPort, host: '127.0.0.1' });
    try {
      const keys = await probe.keys('sy:rl:*');
      assert.equal(keys.length, 1, keys.join(','));
      assert.match(keys[0], new RegExp(`^sy:rl:switchyard:service=${serviceId}:\\d+$`));
      assert.equal(await probe.get(keys[0]), '10');
      const ttl = await probe.pttl(keys[0]);
      assert.ok(ttl > 0 && ttl <= 10_000, `ttl ${ttl}`);
    } finally {
      probe.disconnect();
    }
  });

  test('Redis gone: calls fail UNAVAILABLE', async () => {
    await stopRedis(redis);
    await new Promise((r) => setTimeout(r, 100));
    await assert.rejects(ask(clients[1], serviceId), (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE);
  });
});
