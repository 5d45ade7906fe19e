/**
 * The platform CLI's client of the REST API (DESIGN §7): one JSON request per call, errors turned
 * into a CliError whose message lists every field error the API returned.
 */
import { SwitchyardError } from '../common/errors.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:7070';

/** An error to print and exit with: the API's code and message, one line per field error. */
export class CliError extends SwitchyardError {
  constructor(
    code: string,
    message: string,
    readonly status: number | null = null,
  ) {
    super(code, message);
  }
}

interface ApiErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string; readonly errors?: readonly { path: string; message: string }[] };
}

export class ApiClient {
  constructor(
    readonly baseUrl: string = DEFAULT_API_URL,
    private readonly token: string | null = null,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** Follows a Server-Sent Events answer, yielding each event's parsed `data`, until the server ends it. */
  async *stream(path: string): AsyncGenerator<unknown> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), { headers });
    } catch (err) {
      throw new CliError('SY_ERR_API_UNREACHABLE', `cannot reach the API at ${this.baseUrl}: ${causeOf(err)}`);
    }
    if (!res.ok || res.body === null) {
      const text = await res.text();
      throw errorFrom('GET', path, res.status, text === '' ? null : (JSON.parse(text) as ApiErrorBody));
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of frame.split('\n')) if (line.startsWith('data: ')) yield JSON.parse(line.slice(6));
      }
    }
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new CliError('SY_ERR_API_UNREACHABLE', `cannot reach the API at ${this.baseUrl}: ${causeOf(err)} (is \`switchyard up\` or \`switchyard control-plane\` running?)`);
    }
    const text = await res.text();
    let json: unknown = null;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        throw new CliError('SY_ERR_BAD_RESPONSE', `${method} ${path}: HTTP ${res.status} with a body that is not JSON`, res.status);
      }
    }
    if (!res.ok) throw errorFrom(method, path, res.status, json as ApiErrorBody | null);
    return json as T;
  }
}

function errorFrom(method: string, path: string, status: number, body: ApiErrorBody | null): CliError {
  const e = body?.error;
  const lines = [`${e?.message ?? `${method} ${path} failed`} (HTTP ${status}${e?.code ? `, ${e.code}` : ''})`];
  for (const fe of e?.errors ?? []) lines.push(`  ${fe.path === '' ? '(body)' : fe.path}: ${fe.message}`);
  return new CliError(e?.code ?? 'SY_ERR_API', lines.join('\n'), status);
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(err);
}

/** Lists come back as an array or as `{ <key>: [...] }`; accept both. */
export function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const inner = (body as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}
