/**
 * The view of a request that route matching reads, and allocation-light lookups on it.
 *
 * Headers are the codec's flat, lower-cased list `[name0, value0, name1, value1, …]`. Envoy's
 * pseudo-headers (`:authority`, `:method`, `:path`, `:scheme`) are not in that list; they are
 * answered from the request's own fields so header matchers and hash policies naming them work.
 */

/** One request as route matching sees it. Built by the connection manager once per request. */
export interface RouteRequest {
  readonly method: string;
  /** The path without the query ('/a/b'). */
  readonly path: string;
  /** Everything after the first '?', or '' when the request has no query. */
  readonly query: string;
  /** Flat lower-cased `[name, value, …]` request headers. */
  readonly headers: readonly string[];
  /** The downstream scheme (x-forwarded-proto as the connection manager settled it). */
  readonly scheme: 'http' | 'https';
  /** `:authority` as received; when absent the `host` header stands in. */
  readonly authority?: string;
}

/**
 * All values of header `name` joined with ',' (Envoy `getAllOfHeaderAsString`), or null when the
 * header is absent. A single value is returned as is, with no allocation.
 */
export function joinedHeaderValue(headers: readonly string[], name: string): string | null {
  let found: string | null = null;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === name) found = found === null ? headers[i + 1] : `${found},${headers[i + 1]}`;
  }
  return found;
}

/** How many times header `name` occurs. */
export function headerCount(headers: readonly string[], name: string): number {
  let n = 0;
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) n++;
  return n;
}

/** The first value of header `name`, or null. */
export function firstHeaderValue(headers: readonly string[], name: string): string | null {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return null;
}

/** `:authority` of the request: the field when given, else the `host` header, else ''. */
export function requestAuthority(req: RouteRequest): string {
  if (req.authority !== undefined) return req.authority;
  return firstHeaderValue(req.headers, 'host') ?? '';
}

/**
 * The value a header matcher sees for `name`: pseudo-headers from the request fields (`:path`
 * includes the query, as Envoy's `:path` does), other names joined across repeats; null if absent.
 */
export function requestHeaderValue(req: RouteRequest, name: string): string | null {
  if (name.charCodeAt(0) === 58 /* ':' */) {
    switch (name) {
      case ':authority':
        return req.authority !== undefined ? req.authority : firstHeaderValue(req.headers, 'host');
      case ':method':
        return req.method;
      case ':path':
        return req.query === '' ? req.path : `${req.path}?${req.query}`;
      case ':scheme':
        return req.scheme;
      default:
        return null;
    }
  }
  return joinedHeaderValue(req.headers, name);
}

/**
 * The first value of query parameter `name` in `query` (the text after '?'), not URL-decoded, or
 * null when absent. A parameter without '=' has the value ''. Mirrors Envoy's
 * `QueryParamsMulti::parseQueryString(...).getFirstValue(name)`, which route matching and the
 * query-parameter hash policy use.
 */
export function firstQueryValue(query: string, name: string): string | null {
  const n = query.length;
  const len = name.length;
  let start = 0;
  while (start <= n) {
    let end = query.indexOf('&', start);
    if (end === -1) end = n;
    if (end - start >= len && query.startsWith(name, start)) {
      const after = start + len;
      if (after === end) return '';
      if (query.charCodeAt(after) === 61 /* '=' */) return query.slice(after + 1, end);
    }
    start = end + 1;
  }
  return null;
}
