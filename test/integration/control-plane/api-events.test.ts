/**
 * GET /v1/events over a real socket: Server-Sent Events of what the API does, filtered by
 * service, replayed after a given id, and confined to the caller's tenant.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { EventBus } from '../../../src/control-plane/events/event-bus.js';
import { startApi } from './api-test-server.js';

interface Sse {
  readonly status: number;
  /** Resolves with the first `count` events (id, event, data), or rejects after `ms`. */
  take(count: number, ms?: number): Promise<{ id: number; event: string; data: { type: string; serviceId: string | null } }[]>;
  close(): void;
}

function openSse(port: number, path: string, token?: string): Promise<Sse> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }, (res) => {
      let buffer = '';
      const frames: { id: number; event: string; data: { type: string; serviceId: string | null } }[] = [];
      let wake: (() => void) | null = null;
      res.on('data', (c: Buffer) => {
        buffer += c.toString();
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          if (fields.has('data')) frames.push({ id: Number(fields.get('id')), event: fields.get('event') ?? '', data: JSON.parse(fields.get('data')!) });
        }
        wake?.();
      });
      resolve({
        status: res.statusCode ?? 0,
        async take(count, ms = 3_000) {
          const deadline = Date.now() + ms;
          while (frames.length < count && Date.now() < deadline) await new Promise<void>((r) => ((wake = r), setTimeout(r, 50)));
          if (frames.length < count) throw new Error(`got ${frames.length} of ${count} events: ${JSON.stringify(frames)}`);
          return frames.slice(0, count);
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

test('events: the stream carries API events, filtered by service, with replay', async (t) => {
  const events = new EventBus();
  const api = await startApi(t, { events });
  const all = await openSse(api.port, '/v1/events');
  t.after(() => all.close());
  assert.equal(all.status, 200);
  const a = (await api.request('POST', '/v1/services', { name: 'alpha' })).json as { id: string };
  const b = (await api.request('POST', '/v1/services', { name: 'beta' })).json as { id: string };
  await api.request('POST', `/v1/services/${b.id}/revisions`, { endpoints: [{ address: '127.0.0.1', port: 9000 }] });
  const seen = await all.take(4);
  assert.deepEqual(seen.map((e) => [e.event, e.data.serviceId]), [
    ['service.created', a.id],
    ['service.created', b.id],
    ['revision.created', b.id],
    ['traffic.updated', b.id], // the first revision takes 100%
  ]);
  // Replay: a client that saw the first event asks for the rest of beta's.
  const replay = await openSse(api.port, `/v1/events?service=${b.id}&after=${seen[0].id}`);
  t.after(() => replay.close());
  const replayed = await replay.take(3);
  assert.deepEqual(replayed.map((e) => e.event), ['service.created', 'revision.created', 'traffic.updated']);
  assert.ok(replayed.every((e) => e.data.serviceId === b.id));
  // Live events published by others (the publisher, the xDS server) reach the stream too.
  events.emit('xds.nack', { nodeId: 'router-1', message: 'bad' });
  const live = await all.take(5);
  assert.equal(live[4].event, 'xds.nack');
});

test('events: a tenant sees only its own services and must name one', async (t) => {
  const events = new EventBus();
  const api = await startApi(t, { adminToken: 'admin-secret', events });
  const acme = (await api.request('POST', '/v1/tenants', { name: 'acme' })).json as { token: string };
  const globex = (await api.request('POST', '/v1/tenants', { name: 'globex' })).json as { token: string };
  const theirs = (await api.request('POST', '/v1/services', { name: 'gadget' }, globex.token)).json as { id: string };
  const mine = (await api.request('POST', '/v1/services', { name: 'widget' }, acme.token)).json as { id: string };
  const noService = await api.request('GET', '/v1/events', undefined, acme.token);
  assert.equal(noService.status, 400);
  assert.equal(noService.json.error.errors[0].path, 'service');
  const other = await api.request('GET', `/v1/events?service=${theirs.id}`, undefined, acme.token);
  assert.equal(other.status, 404);
  assert.equal(other.json.error.code, 'SY_ERR_SERVICE_NOT_FOUND');
  const own = await openSse(api.port, `/v1/events?service=${mine.id}`, acme.token);
  t.after(() => own.close());
  assert.equal(own.status, 200);
  const [first] = await own.take(1);
  assert.equal(first.event, 'service.created');
  assert.equal(first.data.serviceId, mine.id);
  const anonymous = await api.request('GET', '/v1/events', undefined, null);
  assert.equal(anonymous.status, 401);
});
