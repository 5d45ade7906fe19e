/**
 * The slice of node:http the API handler uses, so the same handler serves real sockets
 * (IncomingMessage/ServerResponse satisfy these) and `inject` (api/inject.ts) without one.
 */

export interface ApiRequest extends AsyncIterable<Buffer | string> {
  readonly method?: string;
  readonly url?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface ApiResponse {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body?: string): unknown;
}
