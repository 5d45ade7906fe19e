/** An in-process API over an in-memory store, driven with inject (no sockets). */
import type { TestContext } from 'node:test';
import { createApiServer, type ApiServer } from '../../../../src/control-plane/api/api-server.js';
import type { InjectResponse } from '../../../../src/control-plane/api/inject.js';
import { openStore, type Store } from '../../../../src/control-plane/store/store.js';

export interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
  serviceId: string | null;
}

export interface ApiFixture {
  readonly api: ApiServer;
  readonly store: Store;
  readonly events: RecordedEvent[];
  /** One request; `token` null sends no Authorization header, undefined sends the admin token (if any). */
  call(method: string, url: string, body?: unknown, token?: string | null): Promise<InjectResponse>;
}

export const ADMIN_TOKEN = 'admin-secret';

export function apiFixture(t: TestContext, options: { adminToken?: string; xdsClients?: () => unknown[] } = {}): ApiFixture {
  const store = openStore({ path: ':memory:', baseDomain: 'switchyard.localhost', region: 'local', httpPort: 8080 });
  t.after(() => store.close());
  const events: RecordedEvent[] = [];
  const api = createApiServer({
    store,
    adminToken: options.adminToken,
    xdsClients: options.xdsClients ?? (() => []),
    events: { emit: (type, data = {}, serviceId = null) => events.push({ type, data, serviceId }) },
  });
  return {
    api,
    store,
    events,
    call(method, url, body, token) {
      const bearer = token === undefined ? options.adminToken : token;
      return api.inject({ method, url, body, headers: bearer === undefined || bearer === null ? {} : { authorization: `Bearer ${bearer}` } });
    },
  };
}

/** The `path: message` lines of an error answer. */
export function fieldErrors(res: InjectResponse): string[] {
  const body = res.json as { error: { errors: { path: string; message: string }[] } };
  return body.error.errors.map((e) => `${e.path}: ${e.message}`);
}

export function errorCode(res: InjectResponse): string {
  return (res.json as { error: { code: string } }).error.code;
}

/** Creates a service and returns its id. */
export async function createService(f: ApiFixture, body: Record<string, unknown> = { name: 'web' }, token?: string | null): Promise<string> {
  const res = await f.call('POST', '/v1/services', body, token);
  if (res.status !== 201) throw new Error(`create service: ${res.status} ${res.body}`);
  return (res.json as { id: string }).id;
}
