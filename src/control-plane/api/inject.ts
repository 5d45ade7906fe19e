/**
 * Drives an API handler without a socket, the way light-my-request drives fastify.inject: the
 * request is an async-iterable body with method, url and headers; the response records the
 * status, headers and body. Used by the in-process API tests.
 */
import { Buffer } from 'node:buffer';
import type { ApiRequest, ApiResponse } from './http-types.js';

export interface InjectOptions {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON; a string or Buffer as it is (for invalid-JSON tests). */
  readonly body?: unknown;
}

export interface InjectResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; null when there was none. */
  readonly json: unknown;
  readonly body: string;
}

export function inject(handle: (req: ApiRequest, res: ApiResponse) => void, options: InjectOptions): Promise<InjectResponse> {
  const payload =
    options.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
  if (payload.length > 0) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(payload.length);
  }
  const req: ApiRequest = {
    method: options.method.toUpperCase(),
    url: options.url,
    headers,
    async *[Symbol.asyncIterator]() {
      if (payload.length > 0) yield payload;
    },
  };
  return new Promise((resolve) => {
    let status = 0;
    let responseHeaders: Record<string, string> = {};
    const res: ApiResponse = {
      writeHead(code, h) {
        status = code;
        responseHeaders = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]));
        return res;
      },
      end(body) {
        const text = body ?? '';
        resolve({ status, headers: responseHeaders, body: text, json: text === '' ? null : JSON.parse(text) });
        return res;
      },
    };
    handle(req, res);
  });
}
