/**
 * config.route.v3.RedirectAction and DirectResponseAction → their views.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-redirectaction
 */
import { Buffer } from 'node:buffer';
import type { ProtoObject } from '../proto-object.js';
import { isHeaderValue } from './common.js';
import { bool, enumOf, fieldPath, has, num, obj, str, type Errors } from './fields.js';
import type { DirectResponseAction, RedirectAction } from './route-configuration.types.js';
import { decodeRegexRewrite } from './route-fields.js';

const RESPONSE_CODES = { MOVED_PERMANENTLY: 301, FOUND: 302, SEE_OTHER: 303, TEMPORARY_REDIRECT: 307, PERMANENT_REDIRECT: 308 } as const;
const RESPONSE_CODE_NAMES = Object.keys(RESPONSE_CODES) as (keyof typeof RESPONSE_CODES)[];

/** Envoy default for RouteConfiguration.max_direct_response_body_size_bytes. */
export const DEFAULT_MAX_DIRECT_RESPONSE_BODY_BYTES = 4096;

/**
 * RedirectAction: scheme (https_redirect or scheme_redirect), host, port, one path rewrite
 * (path_redirect, prefix_rewrite or regex_rewrite), response code (default 301), strip_query.
 */
export function decodeRedirectAction(msg: ProtoObject, path: string, errors: Errors): RedirectAction {
  let schemeRedirect: string | null = null;
  if (has(msg, 'https_redirect') && has(msg, 'scheme_redirect')) errors.push({ path, message: 'must set only one of httpsRedirect, schemeRedirect' });
  if (has(msg, 'scheme_redirect')) {
    const scheme = str(msg, 'scheme_redirect', path, errors).toLowerCase();
    if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) errors.push({ path: fieldPath(path, 'scheme_redirect'), message: `must be a URI scheme, got ${JSON.stringify(scheme)}` });
    schemeRedirect = scheme;
  } else if (bool(msg, 'https_redirect', path, errors)) schemeRedirect = 'https';

  const hostRedirect = optionalValue(msg, 'host_redirect', path, errors);
  const port = num(msg, 'port_redirect', path, errors);
  if (!Number.isInteger(port) || port < 0 || port > 65535) errors.push({ path: fieldPath(path, 'port_redirect'), message: `must be 0–65535, got ${port}` });

  const rewrites = ['path_redirect', 'prefix_rewrite', 'regex_rewrite'].filter((f) => has(msg, f));
  if (rewrites.length > 1) errors.push({ path, message: `must set at most one of pathRedirect, prefixRewrite, regexRewrite, got ${rewrites.map((f) => fieldPath('', f)).join(', ')}` });
  const pathRedirect = optionalValue(msg, 'path_redirect', path, errors);
  const prefixRewrite = optionalValue(msg, 'prefix_rewrite', path, errors);
  const regexRewrite = decodeRegexRewrite(msg, 'regex_rewrite', path, errors);

  const code = enumOf(msg, 'response_code', path, errors, RESPONSE_CODE_NAMES, 'MOVED_PERMANENTLY');
  return {
    kind: 'redirect',
    schemeRedirect,
    hostRedirect,
    portRedirect: port > 0 && port <= 65535 && Number.isInteger(port) ? port : null,
    pathRedirect,
    prefixRewrite,
    regexRewrite,
    responseCode: RESPONSE_CODES[code],
    stripQuery: bool(msg, 'strip_query', path, errors),
  };
}

/** A string field that is null when unset and must be a valid header value when set. */
function optionalValue(msg: ProtoObject, field: string, path: string, errors: Errors): string | null {
  if (!has(msg, field)) return null;
  const value = str(msg, field, path, errors);
  if (!isHeaderValue(value)) errors.push({ path: fieldPath(path, field), message: 'must not contain NUL, CR or LF' });
  return value;
}

/**
 * DirectResponseAction: status 200–599 and an optional inline body (inline_string or inline_bytes,
 * read as UTF-8) of at most `maxBodyBytes`. File and environment bodies are refused: the router
 * decodes config without touching the file system.
 */
export function decodeDirectResponseAction(msg: ProtoObject, path: string, errors: Errors, maxBodyBytes: number): DirectResponseAction {
  const status = num(msg, 'status', path, errors);
  if (!Number.isInteger(status) || status < 200 || status > 599) errors.push({ path: fieldPath(path, 'status'), message: `must be 200–599, got ${status}` });
  const source = obj(msg, 'body', path, errors);
  let body: string | null = null;
  if (source !== null) {
    const bodyPath = fieldPath(path, 'body');
    for (const field of ['filename', 'environment_variable', 'watched_directory']) {
      if (has(source, field)) errors.push({ path: fieldPath(bodyPath, field), message: 'is not supported, use inlineString or inlineBytes' });
    }
    const set = ['inline_string', 'inline_bytes'].filter((f) => has(source, f));
    if (set.length > 1) errors.push({ path: bodyPath, message: 'must set only one of inlineString, inlineBytes' });
    const bytes = source.inline_bytes;
    if (has(source, 'inline_string')) body = str(source, 'inline_string', bodyPath, errors);
    else if (Buffer.isBuffer(bytes)) body = bytes.toString('utf8');
    else if (has(source, 'inline_bytes')) errors.push({ path: fieldPath(bodyPath, 'inline_bytes'), message: 'must be bytes' });
    const size = body === null ? 0 : Buffer.isBuffer(bytes) && !has(source, 'inline_string') ? bytes.length : Buffer.byteLength(body);
    if (size > maxBodyBytes) {
      errors.push({ path: bodyPath, message: `is ${size} bytes, the maximum is ${maxBodyBytes} (maxDirectResponseBodySizeBytes)` });
    }
  }
  return { kind: 'directResponse', status, body };
}
