/**
 * The platform API server (DESIGN §7): REST + JSON on node:http, a route table (api/routes/*),
 * bearer-token auth (api/auth.ts) and one error mapping (api/errors.ts). It writes the store and
 * emits events; it never talks to the xDS server (STYLE.md rule 5) — the publisher sees the
 * store change, and connected-router status comes in through the injected `xdsClients`.
 *
 * Request flow: match route (404/405) → authenticate (401) → access check (403) → read JSON
 * body for POST/PUT/PATCH (400/413/415) → handler → JSON answer; any throw becomes the error
 * answer of its code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Buffer } from 'node:buffer';
import { Logger } from '../../common/logger.js';
import type { Store } from '../store/store.js';
import { Authenticator } from './auth.js';
import { ApiError, errorBody, toApiError } from './errors.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { inject, type InjectOptions, type InjectResponse } from './inject.js';
import { buildOpenApiDocument } from './openapi.js';
import { headerValue, readJsonBody } from './read-body.js';
import type { ApiEvents, Principal, Reply, RequestContext, Route, StreamingResponse } from './route.js';
import { RouteMatcher } from './route-matcher.js';
import { DOMAIN_ROUTES } from './routes/domains.js';
import { EVENT_ROUTES } from './routes/events.js';
import { metaRoutes } from './routes/meta.js';
import { PLATFORM_ROUTES } from './routes/platform.js';
import { REVISION_ROUTES } from './routes/revisions.js';
import { SERVICE_ROUTES } from './routes/services.js';
import { TENANT_ROUTES } from './routes/tenants.js';
import { TRAFFIC_ROUTES } from './routes/traffic.js';

const log = new Logger('api');

/** The platform API's version (the `/v1` of its paths). */
export const API_VERSION = '1.0.0';

export interface ApiServerOptions {
  readonly store: Store;
  /** The admin bearer token; absent or '' = open mode (every caller is the admin; loopback only). */
  readonly adminToken?: string;
  /** Connected routers as the xDS server reports them (GET /v1/xds/clients). */
  readonly xdsClients: () => readonly unknown[];
  /** Where platform events go (service.created, revision.created, traffic.updated, …). */
  readonly events?: ApiEvents;
}

export interface ApiServer {
  /** The node:http request handler. */
  handle(req: ApiRequest, res: ApiResponse): void;
  /** Runs one request through `handle` without a socket (tests). */
  inject(options: InjectOptions): Promise<InjectResponse>;
  /** Listens on host:port (0 = any free port); resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening and closes idle and active connections. */
  close(): Promise<void>;
  /** The route table (for tests and the OpenAPI document). */
  readonly routes: readonly Route[];
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function createApiServer(options: ApiServerOptions): ApiServer {
  const { store } = options;
  const events = options.events ?? null;
  const auth = new Authenticator(store, options.adminToken);
  let openApi: Record<string, unknown> | null = null;
  const routes: Route[] = [
    ...SERVICE_ROUTES,
    ...REVISION_ROUTES,
    ...TRAFFIC_ROUTES,
    ...DOMAIN_ROUTES,
    ...TENANT_ROUTES,
    ...PLATFORM_ROUTES,
    ...EVENT_ROUTES,
    ...metaRoutes(() => (openApi ??= buildOpenApiDocument(routes, { version: API_VERSION }))),
  ];
  const matcher = new RouteMatcher(routes);

  async function serve(req: ApiRequest): Promise<Reply & { headers?: Readonly<Record<string, string>> }> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    const match = matcher.match(method, url.pathname);
    if (match.kind === 'not-found') throw new ApiError('SY_ERR_NOT_FOUND', `no route ${method} ${url.pathname}`);
    if (match.kind === 'method-not-allowed') {
      throw new ApiError('SY_ERR_METHOD_NOT_ALLOWED', `${url.pathname} does not support ${method} (allowed: ${match.allowed.join(', ')})`, [], { allow: match.allowed.join(', ') });
    }
    const { route, params } = match;
    let principal: Principal = { kind: 'admin' };
    if (route.access !== 'open') {
      const who = auth.authenticate(headerValue(req.headers.authorization));
      if (who === null) {
        throw new ApiError('SY_ERR_UNAUTHORIZED', 'send Authorization: Bearer <token> with the admin token or a tenant token', [], { 'www-authenticate': 'Bearer realm="switchyard"' });
      }
      if (route.access === 'admin' && who.kind !== 'admin') throw new ApiError('SY_ERR_FORBIDDEN', `${method} ${route.path} needs the admin token`);
      principal = who;
    }
    const body = BODY_METHODS.has(method) ? await readJsonBody(req) : undefined;
    const ctx: RequestContext = { principal, params, query: url.searchParams, body, store, events, xdsClients: options.xdsClients };
    return route.handler(ctx);
  }

  function handle(req: ApiRequest, res: ApiResponse): void {
    serve(req).then(
      (reply) => {
        if (reply.stream !== undefined && isStreaming(res)) reply.stream(res);
        else if (reply.stream !== undefined) send(res, 406, errorBody(new ApiError('SY_ERR_NOT_ACCEPTABLE', 'this answer is a stream; call it over a socket')));
        else send(res, reply.status, reply.body, reply.headers);
      },
      (err: unknown) => {
        const apiError = toApiError(err);
        if (apiError.code === 'SY_ERR_INTERNAL') log.error('request failed', { method: req.method, url: req.url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        send(res, apiError.status, errorBody(apiError), apiError.headers);
      },
    );
  }

  let server: http.Server | null = null;
  return {
    routes,
    handle,
    inject: (injectOptions) => inject(handle, injectOptions),
    listen(port, host) {
      const s = http.createServer((req, res) => handle(req, res));
      server = s;
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          resolve((s.address() as AddressInfo).port);
        });
      });
    },
    close() {
      const s = server;
      server = null;
      if (s === null) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}

function isStreaming(res: ApiResponse): res is ApiResponse & StreamingResponse {
  const r = res as Partial<StreamingResponse>;
  return typeof r.write === 'function' && typeof r.once === 'function';
}

function send(res: ApiResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { ...headers, 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
