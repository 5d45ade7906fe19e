/**
 * RouteMatch compiled: path specifier, header and query parameter matchers, runtime_fraction and
 * grpc, all of which must hold (Envoy RouteEntryImplBase::matchRoute plus the path check of each
 * route kind). The path is checked first because it is the cheapest and most selective test.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routematch
 */
import type { FieldError } from '../../xds/validation.js';
import type { RouteMatch } from '../../xds/resources/route-configuration.types.js';
import { CompiledHeaderMatcher, CompiledQueryParameterMatcher } from './header-matcher.js';
import { PathMatcher } from './path-matcher.js';
import { firstHeaderValue, type RouteRequest } from './route-request.js';

export class CompiledRouteMatch {
  readonly path: PathMatcher;
  private readonly headers: readonly CompiledHeaderMatcher[];
  private readonly queryParameters: readonly CompiledQueryParameterMatcher[];
  /** runtime_fraction as numerator/denominator; denominator 0 when not set. */
  private readonly numerator: number;
  private readonly denominator: number;
  private readonly grpc: boolean;

  private constructor(
    path: PathMatcher,
    headers: CompiledHeaderMatcher[],
    queryParameters: CompiledQueryParameterMatcher[],
    match: RouteMatch,
  ) {
    this.path = path;
    this.headers = headers;
    this.queryParameters = queryParameters;
    this.numerator = match.runtimeFraction === null ? 0 : match.runtimeFraction.numerator;
    this.denominator = match.runtimeFraction === null ? 0 : match.runtimeFraction.denominator;
    this.grpc = match.grpc;
  }

  /** Compiles `match`; pushes one FieldError per bad regex (under `path`) and returns null then. */
  static compile(match: RouteMatch, path: string, errors: FieldError[]): CompiledRouteMatch | null {
    const before = errors.length;
    const p = PathMatcher.compile(match.path, match.caseSensitive);
    if (!p.ok) errors.push({ path: `${path}.path`, message: p.message });
    const headers: CompiledHeaderMatcher[] = [];
    for (let i = 0; i < match.headers.length; i++) {
      const r = CompiledHeaderMatcher.compile(match.headers[i]);
      if (r.ok) headers.push(r.matcher);
      else errors.push({ path: `${path}.headers[${i}]`, message: r.message });
    }
    const query: CompiledQueryParameterMatcher[] = [];
    for (let i = 0; i < match.queryParameters.length; i++) {
      const r = CompiledQueryParameterMatcher.compile(match.queryParameters[i]);
      if (r.ok) query.push(r.matcher);
      else errors.push({ path: `${path}.queryParameters[${i}]`, message: r.message });
    }
    if (errors.length !== before || !p.ok) return null;
    return new CompiledRouteMatch(p.matcher, headers, query, match);
  }

  /**
   * Does the request match? `random` is a non-negative integer; runtime_fraction holds when
   * `random % denominator < numerator` (Envoy featureEnabled).
   */
  matches(req: RouteRequest, random: number): boolean {
    if (!this.path.match(req.path, req.method)) return false;
    if (this.denominator !== 0 && random % this.denominator >= this.numerator) return false;
    if (this.grpc && !isGrpcRequest(req.headers)) return false;
    const headers = this.headers;
    for (let i = 0; i < headers.length; i++) if (!headers[i].matches(req)) return false;
    const query = this.queryParameters;
    for (let i = 0; i < query.length; i++) if (!query[i].matches(req.query)) return false;
    return true;
  }
}

/**
 * Envoy Grpc::Common::isGrpcRequestHeaders: content-type is 'application/grpc' or starts with
 * 'application/grpc+' or 'application/grpc;'.
 */
export function isGrpcRequest(headers: readonly string[]): boolean {
  const ct = firstHeaderValue(headers, 'content-type');
  if (ct === null || !ct.startsWith('application/grpc')) return false;
  if (ct.length === 16) return true;
  const c = ct.charCodeAt(16);
  return c === 43 /* + */ || c === 59 /* ; */;
}
