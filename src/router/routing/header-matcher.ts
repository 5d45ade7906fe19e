/**
 * envoy.config.route.v3.HeaderMatcher and QueryParameterMatcher, compiled once per config.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-headermatcher
 *
 * Envoy's rules (source/common/http/header_utility):
 * - repeated headers are joined with ',' before matching;
 * - an absent header fails every value matcher, inverted or not, unless
 *   treat_missing_header_as_empty, in which case it is matched as '';
 * - present_match compares presence with the flag, then invert_match applies;
 * - range_match parses the whole value as a signed integer and tests start <= v < end.
 */
import type { HeaderMatcher, QueryParameterMatcher } from '../../xds/resources/route-configuration.types.js';
import { firstQueryValue, requestHeaderValue, type RouteRequest } from './route-request.js';
import { CompiledStringMatcher } from './string-matcher.js';

const STRING = 0;
const RANGE = 1;
const PRESENT = 2;

/** Parses `s` as absl::SimpleAtoi does for int64 (surrounding ASCII whitespace, optional sign); NaN if not. */
export function parseInteger(s: string): number {
  let i = 0;
  let end = s.length;
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  if (i === end) return NaN;
  let negative = false;
  const sign = s.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    negative = sign === 45;
    i++;
    if (i === end) return NaN;
  }
  let v = 0;
  for (; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return negative ? -v : v;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A compiled HeaderMatcher; `matches` runs on the request path. */
export class CompiledHeaderMatcher {
  readonly name: string;
  private readonly kind: number;
  private readonly invert: boolean;
  private readonly missingAsEmpty: boolean;
  private readonly string: CompiledStringMatcher | null;
  private readonly start: number;
  private readonly end: number;
  private readonly present: boolean;

  private constructor(m: HeaderMatcher, string: CompiledStringMatcher | null) {
    this.name = m.name;
    this.invert = m.invertMatch;
    this.missingAsEmpty = m.treatMissingHeaderAsEmpty;
    this.string = string;
    const match = m.match;
    this.kind = match.kind === 'string' ? STRING : match.kind === 'range' ? RANGE : PRESENT;
    this.start = match.kind === 'range' ? match.start : 0;
    this.end = match.kind === 'range' ? match.end : 0;
    this.present = match.kind === 'present' ? match.present : false;
  }

  static compile(m: HeaderMatcher): { ok: true; matcher: CompiledHeaderMatcher } | { ok: false; message: string } {
    let string: CompiledStringMatcher | null = null;
    if (m.match.kind === 'string') {
      const r = CompiledStringMatcher.compile(m.match.matcher);
      if (!r.ok) return r;
      string = r.matcher;
    }
    return { ok: true, matcher: new CompiledHeaderMatcher(m, string) };
  }

  matches(req: RouteRequest): boolean {
    return this.matchesValue(requestHeaderValue(req, this.name));
  }

  /** Matches a header value already looked up (null = absent), e.g. on response headers. */
  matchesValue(value: string | null): boolean {
    if (this.kind === PRESENT) return (value !== null) === this.present !== this.invert;
    if (value === null) {
      if (!this.missingAsEmpty) return false;
      value = '';
    }
    return this.matchValue(value) !== this.invert;
  }

  private matchValue(value: string): boolean {
    if (this.kind === STRING) return this.string!.match(value);
    const v = parseInteger(value);
    return v === v && v >= this.start && v < this.end;
  }
}

/**
 * A compiled QueryParameterMatcher. Envoy (ConfigUtility::QueryParameterMatcher) looks at the
 * first value of the parameter only, undecoded; an absent parameter never matches, and a present
 * one matches `present_match` exactly when the flag is true.
 */
export class CompiledQueryParameterMatcher {
  readonly name: string;
  private readonly string: CompiledStringMatcher | null;
  private readonly present: boolean;

  private constructor(name: string, string: CompiledStringMatcher | null, present: boolean) {
    this.name = name;
    this.string = string;
    this.present = present;
  }

  static compile(m: QueryParameterMatcher): { ok: true; matcher: CompiledQueryParameterMatcher } | { ok: false; message: string } {
    if (m.match.kind === 'present') return { ok: true, matcher: new CompiledQueryParameterMatcher(m.name, null, m.match.present) };
    const r = CompiledStringMatcher.compile(m.match.matcher);
    if (!r.ok) return r;
    return { ok: true, matcher: new CompiledQueryParameterMatcher(m.name, r.matcher, true) };
  }

  matches(query: string): boolean {
    const value = firstQueryValue(query, this.name);
    if (value === null) return false;
    if (this.string === null) return this.present;
    return this.string.match(value);
  }
}
