/** A real platform API on 127.0.0.1:0 over a real store (a temp data directory), for socket-level tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createApiServer } from '../../../src/control-plane/api/api-server.js';
import type { EventBus } from '../../../src/control-plane/events/event-bus.js';
import { openStore, type Store } from '../../../src/control-plane/store/store.js';

export interface Answer {
  status: number;
  headers: Headers;
  json: any;
}

export interface RunningApi {
  readonly port: number;
  readonly store: Store;
  request(method: string, path: string, body?: unknown, token?: string | null): Promise<Answer>;
}

export async function startApi(t: TestContext, options: { adminToken?: string; xdsClients?: () => unknown[]; events?: EventBus } = {}): Promise<RunningApi> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-api-'));
  const store = openStore({ path: dir, baseDomain: 'switchyard.localhost', region: 'local', httpPort: 8080 });
  const api = createApiServer({ store, adminToken: options.adminToken, xdsClients: options.xdsClients ?? (() => []), events: options.events });
  const port = await api.listen(0, '127.0.0.1');
  t.after(async () => {
    await api.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    port,
    store,
    async request(method, path, body, token) {
      const bearer = token === undefined ? options.adminToken : token;
      const headers: Record<string, string> = {};
      if (bearer !== undefined && bearer !== null) headers.authorization = `Bearer ${bearer}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: text === '' ? null : JSON.parse(text) };
    },
  };
}
