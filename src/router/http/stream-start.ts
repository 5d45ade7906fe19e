/**
 * The request-start half of an HttpStream (Envoy's decodeHeaders up to the router filter): the
 * request id, route matching, the decoder filters (local and global rate limit), and the route's
 * action up to the first upstream attempt. Functions over the stream; HttpStream.start() and
 * HttpStream.resumeAfterFilters() call them.
 */
import type { Http1MessageHead } from '../codec/http1-parser.js';
import { ResponseFlag } from '../codec/response-flags.js';
import type { CompiledRoute } from '../routing/route-table.js';
import { getHeader } from './hop-by-hop.js';
import type { HttpStream } from './http-stream.js';
import { isInternalAddress } from './internal-address.js';
import { RetryState } from './retry-state.js';
import { sendLocalReply } from './stream-local-reply.js';
import { Phase } from './stream-phase.js';
import { bufferHeldBody } from './stream-retry.js';
import { sendUpstream } from './upstream-attempt.js';
import { randomRequestId } from '../../common/request-id.js';

/** The request head arrived: takes in the request, sets its id and routes it. */
export function startStream(stream: HttpStream, head: Http1MessageHead, authority: string, path: string): void {
  const config = stream.config;
  const stats = config.stats;
  stats.downstreamRqTotal.inc();
  stats.downstreamRqActive.inc();
  stream.method = head.method;
  stream.path = path;
  stream.authority = authority;
  stream.versionMinor = head.versionMinor;
  stream.requestHeaders = head.headers;
  stream.requestChunked = head.chunked;
  stream.requestHasBody = head.chunked || head.contentLength > 0;
  stream.upgrade = head.upgrade;

  const view = config.view;
  let requestId = getHeader(head.headers, 'x-request-id');
  const external = view.useRemoteAddress && !isInternalAddress(stream.downstream.remoteAddress);
  if (requestId === undefined || (external && !view.preserveExternalRequestId)) {
    requestId = view.generateRequestId ? randomRequestId() : (requestId ?? '');
  }
  stream.requestId = requestId;

  const vhost = config.routeTable.selectVirtualHost(authority);
  const route = vhost === null ? null : vhost.matchRoute(buildRouteRequest(stream), Math.random());
  if (route === null) {
    stats.noRoute.inc();
    sendLocalReply(stream, 404, '', ResponseFlag.NoRouteFound, 'route_not_found', null);
    return;
  }
  stream.route = route;
  stream.timers.onRouted(route, head.headers);
  const limiter = config.localRateLimit;
  if (limiter !== null && limiter.limit(route, stream, Math.random())) return;
  stream.head = head;
  // Global rate limit (RLS): only routes with rate_limits reach the filter; it may make the stream wait.
  const rateLimit = config.rateLimit;
  if (rateLimit !== null && route.rateLimits.length > 0) {
    stream.phase = Phase.Filters;
    if (rateLimit.start(route, stream)) return;
    stream.phase = Phase.Routing;
  }
  runRouteAction(stream);
}

/**
 * The part of startStream() after the decoder filters: the route's action. Runs from
 * startStream() itself or, once, from a filter that made the stream wait (its answer came and
 * lets the request go on).
 */
export function runRouteAction(stream: HttpStream): void {
  stream.phase = Phase.Routing;
  const config = stream.config;
  const stats = config.stats;
  const route = stream.route!;
  const head = stream.head!;
  const action = route.action;
  if (action.kind === 'directResponse') {
    stats.rqDirectResponse.inc();
    sendLocalReply(stream, action.status, action.body ?? '', '', 'direct_response', null);
    return;
  }
  if (action.kind === 'redirect') {
    stats.rqRedirect.inc();
    const location = route.redirectLocation(buildRouteRequest(stream), stream.authority);
    sendLocalReply(stream, action.responseCode, '', '', 'direct_response', ['location', location]);
    return;
  }
  if (action.kind !== 'route') {
    sendLocalReply(stream, 404, '', ResponseFlag.NoRouteFound, 'route_not_found', null);
    return;
  }
  if (stream.upgrade && !upgradeAllowed(stream, route)) {
    stats.downstreamRqWsOnNonWsRoute.inc();
    sendLocalReply(stream, 403, '', '', 'upgrade_failed', null);
    return;
  }
  const clusterName = route.pickCluster(head.headers, Math.random());
  const cluster = clusterName === null ? undefined : config.clusters.get(clusterName);
  if (cluster === undefined) {
    stats.noCluster.inc();
    sendLocalReply(stream, 503, '', ResponseFlag.NoClusterFound, 'cluster_not_found', null);
    return;
  }
  stream.cluster = cluster;
  const retryPolicy = route.compiledRetryPolicy;
  if (retryPolicy !== null && !stream.upgrade) {
    const enabled = retryPolicy.retryOn !== 0 && (!retryPolicy.hasRequestHeaderMatchers || retryPolicy.retriesAllowed(buildRouteRequest(stream)));
    // No state when nothing of the policy applies to this request (per-try timeouts apply without retries).
    if (enabled || retryPolicy.perTryTimeoutMs > 0 || retryPolicy.perTryIdleTimeoutMs > 0) {
      stream.retry = new RetryState(retryPolicy, cluster, enabled, route.timeoutMs, route.retryBufferLimitBytes, stream.requestHasBody, stream);
      const held = stream.pendingBody;
      if (held !== null && stream.retry.body !== null) bufferHeldBody(stream, held);
    }
  }
  sendUpstream(stream, false);
}

function upgradeAllowed(stream: HttpStream, route: CompiledRoute): boolean {
  const upgradeType = (getHeader(stream.requestHeaders, 'upgrade') ?? '').toLowerCase();
  const fromRoute = route.upgradeEnabled(upgradeType);
  if (fromRoute !== null) return fromRoute;
  for (const u of stream.config.view.upgradeConfigs) if (u.enabled && u.upgradeType.toLowerCase() === upgradeType) return true;
  return false;
}

/** The view of this request that route matching reads. */
export function buildRouteRequest(stream: HttpStream) {
  const path = stream.path;
  const downstream = stream.downstream;
  const q = path.indexOf('?');
  return {
    method: stream.method,
    path: q === -1 ? path : path.slice(0, q),
    query: q === -1 ? '' : path.slice(q + 1),
    headers: stream.requestHeaders,
    scheme: downstream.isTls ? ('https' as const) : ('http' as const),
    authority: stream.authority,
    remoteAddress: downstream.remoteAddress,
  };
}
