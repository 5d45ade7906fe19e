/**
 * Header rewriting between the two sides of a stream, as Envoy's connection manager and router
 * filter do it: hop-by-hop headers dropped, x-forwarded-for / x-forwarded-proto / x-request-id
 * maintained, x-envoy-* headers from outside stripped on the edge, route header mutations and
 * rewrites applied, and the request head serialized into one buffer for one socket write.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers
 */
import { Buffer } from 'node:buffer';
import { fieldsByteLength, putFields, putLatin1 } from '../codec/head-bytes.js';
import type { Http1MessageHead } from '../codec/http1-parser.js';
import type { CompiledRoute } from '../routing/route-table.js';
import type { Host } from '../upstream/host.js';
import { connectionNominated, isHopByHop } from './hop-by-hop.js';
import type { HttpStream } from './http-stream.js';
import { isInternalAddress } from './internal-address.js';

/** Builds the upstream request head (request line, headers, blank line) for one attempt to `host`, as bytes. */
export function buildUpstreamRequestHead(stream: HttpStream, route: CompiledRoute, head: Http1MessageHead, host: Host): Buffer {
  const view = stream.config.view;
  const downstream = stream.downstream;
  const external = view.useRemoteAddress && !isInternalAddress(downstream.remoteAddress);
  const nominated = connectionNominated(head.headers);
  const out: string[] = [];
  let xff: string | undefined;
  let xfp: string | undefined;
  const src = head.headers;
  for (let i = 0; i < src.length; i += 2) {
    const name = src[i];
    switch (name) {
      case 'host':
      case 'x-request-id':
      case 'content-length':
        continue;
      case 'x-forwarded-for':
        xff = xff === undefined ? src[i + 1] : `${xff},${src[i + 1]}`;
        continue;
      case 'x-forwarded-proto':
        xfp = src[i + 1];
        continue;
      case 'x-envoy-attempt-count':
        // include_request_attempt_count overrides a value set further up the path.
        if (route.includeAttemptCount) continue;
        break;
    }
    if (isHopByHop(name)) continue;
    if (nominated !== null && nominated.has(name)) continue;
    if (external && name.charCodeAt(0) === 120 /* x */ && name.startsWith('x-envoy-')) continue;
    out.push(name, src[i + 1]);
  }

  // :authority, after host rewrite.
  let authority = stream.authority;
  const rewrite = route.hostRewrite;
  if (rewrite.kind === 'literal') authority = rewrite.value;
  else if (rewrite.kind === 'auto') authority = host.hostname !== '' ? host.hostname : host.address;
  else if (rewrite.kind === 'header') {
    for (let i = 0; i < src.length; i += 2) if (src[i] === rewrite.header) authority = src[i + 1];
  }
  if (authority !== stream.authority) out.push('x-forwarded-host', stream.authority);
  out.push('host', authority);

  if (view.useRemoteAddress && !view.skipXffAppend) {
    xff = xff === undefined ? downstream.remoteAddress : `${xff}, ${downstream.remoteAddress}`;
  }
  if (xff !== undefined) out.push('x-forwarded-for', xff);
  const scheme = downstream.isTls ? 'https' : 'http';
  out.push('x-forwarded-proto', view.useRemoteAddress || xfp === undefined ? scheme : xfp);
  if (stream.requestId !== '') out.push('x-request-id', stream.requestId);
  // Envoy: the per-try timeout when one is in force, else the route timeout.
  const perTryMs = stream.retry === null ? 0 : stream.retry.perTryTimeoutMs;
  const expectedMs = perTryMs > 0 ? perTryMs : route.timeoutMs;
  if (expectedMs > 0 && !view.suppressEnvoyHeaders) out.push('x-envoy-expected-rq-timeout-ms', String(expectedMs));
  // virtual_host.include_request_attempt_count: on every attempt, the first one included.
  if (route.includeAttemptCount) out.push('x-envoy-attempt-count', String(stream.attempts));

  let path = stream.path;
  const rewritten = route.rewritePath(stream.path);
  if (rewritten !== null) {
    out.push('x-envoy-original-path', path);
    path = rewritten;
  }
  route.applyRequestHeaderMutations(out, stream);

  if (head.chunked) out.push('transfer-encoding', 'chunked');
  else if (head.contentLength >= 0) out.push('content-length', String(head.contentLength));
  if (stream.upgrade) {
    out.push('connection', 'upgrade');
    for (let i = 0; i < src.length; i += 2) if (src[i] === 'upgrade') out.push('upgrade', src[i + 1]);
  }

  const method = stream.method;
  const bytes = Buffer.allocUnsafe(method.length + path.length + REQUEST_LINE_EXTRA + fieldsByteLength(out) + 2);
  let at = putLatin1(bytes, 0, method);
  bytes[at++] = 0x20;
  at = putLatin1(bytes, at, path);
  at = putLatin1(bytes, at, ' HTTP/1.1\r\n');
  at = putFields(bytes, at, out);
  bytes[at++] = 0x0d;
  bytes[at] = 0x0a;
  return bytes;
}

/** ' ' + ' HTTP/1.1\r\n' around method and path. */
const REQUEST_LINE_EXTRA = 12;

/**
 * The response headers sent downstream (framing headers are added by the downstream codec). The
 * upstream head's header list is the parser's own, fresh for each response and read by nothing
 * after this, so it is filtered in place rather than copied.
 */
export function responseHeadersFor(stream: HttpStream, head: Http1MessageHead): string[] {
  const view = stream.config.view;
  const out = head.headers;
  const nominated = connectionNominated(out);
  // A 101 keeps its upgrade tokens, which the hop-by-hop filter below removes.
  let upgrades: string[] | null = null;
  if (head.statusCode === 101) for (let i = 0; i < out.length; i += 2) if (out[i] === 'upgrade') (upgrades ??= []).push(out[i + 1]);
  let hasServer = false;
  let w = 0;
  for (let r = 0; r < out.length; r += 2) {
    const name = out[r];
    if (name === 'content-length' || isHopByHop(name)) continue;
    if (nominated !== null && nominated.has(name)) continue;
    if (name === 'server') {
      if (view.serverHeaderTransformation === 'OVERWRITE') continue;
      hasServer = true;
    }
    if (w !== r) {
      out[w] = name;
      out[w + 1] = out[r + 1];
    }
    w += 2;
  }
  out.length = w;
  if (upgrades !== null) {
    out.push('connection', 'upgrade');
    for (let i = 0; i < upgrades.length; i++) out.push('upgrade', upgrades[i]);
  }
  if (!view.suppressEnvoyHeaders && stream.upstreamServiceTimeMs >= 0) out.push('x-envoy-upstream-service-time', String(stream.upstreamServiceTimeMs));
  if (!hasServer && view.serverHeaderTransformation !== 'PASS_THROUGH') out.push('server', view.serverName);
  const route = stream.route;
  if (route !== null) {
    if (route.includeAttemptCountInResponse) out.push('x-envoy-attempt-count', String(stream.attempts));
    route.applyResponseHeaderMutations(out, stream);
  }
  return out;
}
