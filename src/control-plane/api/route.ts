/**
 * What a platform API route is: its method and OpenAPI-style path (`/v1/services/{id}`), who may
 * call it, the schemas of its body and answer (for /openapi.json), and a handler. Handlers are
 * synchronous functions of the request context (the store is synchronous) that return the answer
 * or throw ApiError / PlatformError.
 */
import type { Schema } from '../model/schema.js';
import type { Store } from '../store/store.js';

/** Who is calling: the admin (or anyone, in open mode) or one tenant's token. */
export type Principal = { readonly kind: 'admin' } | { readonly kind: 'tenant'; readonly tenant: string };

/** An event sink; EventBus (control-plane/events) fits it. */
export interface ApiEvents {
  emit(type: string, data?: Record<string, unknown>, serviceId?: string | null): unknown;
  /** For the SSE stream (GET /v1/events); a sink without them cannot be streamed. */
  subscribe?(listener: (event: StreamedEvent) => void): () => void;
  recent?(afterId: number, serviceId: string | null): readonly StreamedEvent[];
}

/** What GET /v1/events sends: EventBus's PlatformEvent. */
export interface StreamedEvent {
  readonly id: number;
  readonly at: string;
  readonly type: string;
  readonly serviceId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface RequestContext {
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body; undefined when the request had none. */
  readonly body: unknown;
  readonly store: Store;
  readonly events: ApiEvents | null;
  readonly xdsClients: () => readonly unknown[];
}

export interface Reply {
  readonly status: number;
  /** Sent as JSON; absent for 204. */
  readonly body?: unknown;
  /** A streaming answer (Server-Sent Events): takes the response over instead of `body`. */
  readonly stream?: (res: StreamingResponse) => void;
}

/** The slice of ServerResponse a streaming reply writes to. */
export interface StreamingResponse {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  write(chunk: string): boolean;
  end(): unknown;
  once(event: 'close', listener: () => void): unknown;
}

/** 'open': no token needed (health, docs); 'tenant': admin or a tenant token; 'admin': admin only. */
export type Access = 'open' | 'tenant' | 'admin';

export interface QueryParameter {
  readonly name: string;
  readonly description: string;
  readonly schema: Schema;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly access: Access;
  readonly tag: string;
  readonly query?: readonly QueryParameter[];
  readonly requestBody?: Schema;
  /** Success status and its answer's schema. */
  readonly status: number;
  readonly response?: Schema;
  /** Set when the success answer is a stream of this media type instead of JSON. */
  readonly streams?: 'text/event-stream';
  /** Error codes this route can answer besides the ones every route can. */
  readonly errors?: readonly string[];
  readonly handler: (ctx: RequestContext) => Reply;
}
