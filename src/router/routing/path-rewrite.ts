/**
 * Path rewrites for forwarded requests (RouteAction.prefix_rewrite / regex_rewrite) and the
 * Location of redirect routes (RedirectAction), after Envoy's RouteEntryImplBase
 * (currentUrlPathAfterRewriteWithMatchedPath) and Http::Utility::newUri.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-redirectaction
 *
 * - prefix_rewrite replaces the matched part of the path: the configured prefix for prefix and
 *   path_separated_prefix routes, the whole path (without query) for path, safe_regex and CONNECT
 *   routes. The query is kept.
 * - regex_rewrite runs replaceAll on the path without the query; the query is kept.
 */
import type { RedirectAction } from '../../xds/resources/route-configuration.types.js';
import { checkRewriteString, compileSafeRegex, type SafeRegex } from '../../xds/safe-regex.js';
import { getPortStart } from './authority.js';
import type { PathMatcher } from './path-matcher.js';
import type { RouteRequest } from './route-request.js';

/** A route's compiled prefix_rewrite or regex_rewrite. */
export class PathRewriter {
  private readonly prefix: string | null;
  private readonly regex: SafeRegex | null;
  private readonly substitution: string;
  private readonly matcher: PathMatcher;

  private constructor(prefix: string | null, regex: SafeRegex | null, substitution: string, matcher: PathMatcher) {
    this.prefix = prefix;
    this.regex = regex;
    this.substitution = substitution;
    this.matcher = matcher;
  }

  /**
   * Compiles the rewrite of a route or redirect; null when it has none. An invalid regex comes
   * back as `{ ok: false }`.
   */
  static compile(
    prefixRewrite: string | null,
    regexRewrite: { readonly pattern: string; readonly substitution: string } | null,
    matcher: PathMatcher,
  ): { ok: true; rewriter: PathRewriter | null } | { ok: false; message: string } {
    if (regexRewrite !== null) {
      const r = compileSafeRegex(regexRewrite.pattern);
      if (!r.ok) return { ok: false, message: `regexRewrite.pattern ${JSON.stringify(regexRewrite.pattern)}: ${r.message}` };
      const bad = checkRewriteString(r.regex, regexRewrite.substitution);
      if (bad !== null) return { ok: false, message: `regexRewrite.substitution ${JSON.stringify(regexRewrite.substitution)}: ${bad}` };
      return { ok: true, rewriter: new PathRewriter(null, r.regex, regexRewrite.substitution, matcher) };
    }
    if (prefixRewrite !== null && prefixRewrite !== '') return { ok: true, rewriter: new PathRewriter(prefixRewrite, null, '', matcher) };
    return { ok: true, rewriter: null };
  }

  /** Rewrites `pathWithQuery` ('/a/b?x=1'), which the route matched. */
  rewrite(pathWithQuery: string): string {
    const q = pathWithQuery.indexOf('?');
    const pathLen = q === -1 ? pathWithQuery.length : q;
    if (this.regex !== null) {
      const path = q === -1 ? pathWithQuery : pathWithQuery.slice(0, q);
      const rewritten = this.regex.replaceAll(path, this.substitution);
      return q === -1 ? rewritten : rewritten + pathWithQuery.slice(q);
    }
    const path = q === -1 ? pathWithQuery : pathWithQuery.slice(0, q);
    const matched = Math.min(this.matcher.matchedLength(path), pathLen);
    return this.prefix! + pathWithQuery.slice(matched);
  }
}

/** A redirect route compiled for Location building. */
export class CompiledRedirect {
  readonly action: RedirectAction;
  readonly rewriter: PathRewriter | null;
  /** ':8443', or '' when port_redirect is not set. */
  readonly port: string;
  readonly pathRedirectHasQuery: boolean;

  constructor(action: RedirectAction, rewriter: PathRewriter | null) {
    this.action = action;
    this.rewriter = rewriter;
    this.port = action.portRedirect !== null && action.portRedirect !== 0 ? `:${action.portRedirect}` : '';
    this.pathRedirectHasQuery = action.pathRedirect !== null && action.pathRedirect.includes('?');
  }
}

/**
 * The Location of a redirect (Envoy Http::Utility::newUri):
 * - scheme: scheme_redirect / https_redirect, else the request's;
 * - host: host_redirect, else the request's authority, whose port is dropped when port_redirect
 *   is set, or when the scheme changes and the port was the old scheme's default (':80' for
 *   http, ':443' for https);
 * - path: path_redirect (the request's query appended unless path_redirect has its own), else
 *   the request path after prefix_rewrite / regex_rewrite; strip_query drops the query unless
 *   path_redirect carries one.
 */
export function buildRedirectLocation(redirect: CompiledRedirect, req: RouteRequest, authority: string): string {
  const action = redirect.action;
  const scheme = action.schemeRedirect !== null && action.schemeRedirect !== '' ? action.schemeRedirect : req.scheme;
  const port = redirect.port;
  const host = action.hostRedirect !== null && action.hostRedirect !== '' ? action.hostRedirect : requestHostFor(authority, req.scheme, scheme, port);

  let path: string;
  const pathRedirect = action.pathRedirect;
  if (pathRedirect !== null && pathRedirect !== '') {
    path = redirect.pathRedirectHasQuery || req.query === '' ? pathRedirect : `${pathRedirect}?${req.query}`;
  } else {
    const current = req.query === '' ? req.path : `${req.path}?${req.query}`;
    path = redirect.rewriter !== null ? redirect.rewriter.rewrite(current) : current;
  }
  if (path.charCodeAt(0) !== 47 /* '/' */) path = `/${path}`;
  if (!redirect.pathRedirectHasQuery && action.stripQuery) {
    const q = path.indexOf('?');
    if (q !== -1) path = path.slice(0, q);
  }
  return `${scheme}://${host}${port}${path}`;
}

/** The request's host for a redirect, its port dropped as Envoy's processRequestHost does. */
function requestHostFor(authority: string, requestScheme: string, newScheme: string, newPort: string): string {
  if (authority === '') return authority;
  let hostEnd: number;
  if (authority.charCodeAt(0) === 91 /* '[' */) {
    hostEnd = authority.lastIndexOf(']:');
    if (hostEnd !== -1) hostEnd += 1;
  } else {
    hostEnd = getPortStart(authority) === -1 ? -1 : authority.lastIndexOf(':');
  }
  if (hostEnd === -1) return authority;
  const requestPort = authority.slice(hostEnd);
  let removePort = newPort !== '';
  if (newScheme !== requestScheme) {
    removePort ||= (requestScheme === 'https' && requestPort === ':443') || (requestScheme === 'http' && requestPort === ':80');
  }
  return removePort ? authority.slice(0, hostEnd) : authority;
}
