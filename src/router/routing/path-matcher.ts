/**
 * RouteMatch.path_specifier, compiled once per route.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routematch
 *
 * Every kind is matched against the path without its query (Envoy's PathMatcher strips the query
 * and fragment first):
 * - prefix: starts with the value;
 * - path: equals the value;
 * - safe_regex: RE2 full match (case_sensitive does not apply);
 * - path_separated_prefix: the value, followed by the end of the path or '/';
 * - connect_matcher: CONNECT requests, whatever the path.
 * case_sensitive (default true) folds ASCII case for prefix, path and path_separated_prefix.
 */
import type { PathSpecifier } from '../../xds/resources/route-configuration.types.js';
import { compileSafeRegex, type SafeRegex } from '../../xds/safe-regex.js';
import { asciiLower, regionMatchesIgnoreCase } from './string-matcher.js';

export const PATH_PREFIX = 0;
export const PATH_EXACT = 1;
export const PATH_REGEX = 2;
export const PATH_SEPARATED_PREFIX = 3;
export const PATH_CONNECT = 4;

export class PathMatcher {
  /** One of the PATH_* constants. */
  readonly kind: number;
  /** The configured value (lower-cased when case-insensitive); '' for connect. */
  readonly value: string;
  readonly caseSensitive: boolean;
  private readonly regex: SafeRegex | null;

  private constructor(kind: number, value: string, caseSensitive: boolean, regex: SafeRegex | null) {
    this.kind = kind;
    this.value = value;
    this.caseSensitive = caseSensitive;
    this.regex = regex;
  }

  static compile(spec: PathSpecifier, caseSensitive: boolean): { ok: true; matcher: PathMatcher } | { ok: false; message: string } {
    switch (spec.kind) {
      case 'safeRegex': {
        const r = compileSafeRegex(spec.value);
        if (!r.ok) return { ok: false, message: `safeRegex ${JSON.stringify(spec.value)}: ${r.message}` };
        return { ok: true, matcher: new PathMatcher(PATH_REGEX, spec.value, true, r.regex) };
      }
      case 'connectMatcher':
        return { ok: true, matcher: new PathMatcher(PATH_CONNECT, '', true, null) };
      default: {
        const kind = spec.kind === 'prefix' ? PATH_PREFIX : spec.kind === 'path' ? PATH_EXACT : PATH_SEPARATED_PREFIX;
        return { ok: true, matcher: new PathMatcher(kind, caseSensitive ? spec.value : asciiLower(spec.value), caseSensitive, null) };
      }
    }
  }

  /** Does `path` (no query) match? `method` matters for connect_matcher only. */
  match(path: string, method: string): boolean {
    const v = this.value;
    switch (this.kind) {
      case PATH_PREFIX:
        return this.caseSensitive ? path.startsWith(v) : regionMatchesIgnoreCase(path, 0, v);
      case PATH_EXACT:
        return this.caseSensitive ? path === v : path.length === v.length && regionMatchesIgnoreCase(path, 0, v);
      case PATH_SEPARATED_PREFIX: {
        if (path.length < v.length) return false;
        if (!(this.caseSensitive ? path.startsWith(v) : regionMatchesIgnoreCase(path, 0, v))) return false;
        return path.length === v.length || path.charCodeAt(v.length) === 47 /* '/' */;
      }
      case PATH_REGEX:
        return this.regex!.fullMatch(path);
      default:
        return method === 'CONNECT';
    }
  }

  /**
   * How many leading characters of a matched path prefix_rewrite replaces: the configured length
   * for prefix and path_separated_prefix, the whole path otherwise (Envoy `matched_path`).
   */
  matchedLength(path: string): number {
    return this.kind === PATH_PREFIX || this.kind === PATH_SEPARATED_PREFIX ? this.value.length : path.length;
  }
}
