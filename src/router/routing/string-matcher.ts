/**
 * envoy.type.matcher.v3.StringMatcher, compiled once per config.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/type/matcher/v3/string.proto
 *
 * `ignore_case` folds ASCII only, as Envoy does (absl::AsciiStrToLower); the expected value is
 * lowered at compile time and the input is compared character by character, so a match allocates
 * nothing. `safe_regex` is RE2 and must match the whole input; `ignore_case` has no effect on it.
 */
import type { StringMatcher } from '../../xds/resources/common.types.js';
import { compileSafeRegex, type SafeRegex } from '../../xds/safe-regex.js';

const EXACT = 0;
const PREFIX = 1;
const SUFFIX = 2;
const CONTAINS = 3;
const REGEX = 4;

/** ASCII lower-casing of one UTF-16 code unit. */
function foldAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Does `input` hold `lowerNeedle` at `offset`, ignoring ASCII case? `lowerNeedle` is lower-case. */
export function regionMatchesIgnoreCase(input: string, offset: number, lowerNeedle: string): boolean {
  const n = lowerNeedle.length;
  if (offset < 0 || offset + n > input.length) return false;
  for (let i = 0; i < n; i++) {
    if (foldAscii(input.charCodeAt(offset + i)) !== lowerNeedle.charCodeAt(i)) return false;
  }
  return true;
}

/** ASCII-only lower-casing, as Envoy's absl::AsciiStrToLower (non-ASCII letters are kept). */
export function asciiLower(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      out += s.slice(from, i) + String.fromCharCode(c + 32);
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/** A compiled StringMatcher. `match` is called on the request path. */
export class CompiledStringMatcher {
  private readonly kind: number;
  /** Lower-cased when ignoreCase. */
  private readonly value: string;
  private readonly ignoreCase: boolean;
  private readonly regex: SafeRegex | null;

  private constructor(kind: number, value: string, ignoreCase: boolean, regex: SafeRegex | null) {
    this.kind = kind;
    this.value = value;
    this.ignoreCase = ignoreCase;
    this.regex = regex;
  }

  /** Compiles `m`; a regex RE2 rejects comes back as `{ ok: false, message }`. */
  static compile(m: StringMatcher): { ok: true; matcher: CompiledStringMatcher } | { ok: false; message: string } {
    if (m.kind === 'safeRegex') {
      const r = compileSafeRegex(m.value);
      if (!r.ok) return { ok: false, message: `safeRegex ${JSON.stringify(m.value)}: ${r.message}` };
      return { ok: true, matcher: new CompiledStringMatcher(REGEX, m.value, false, r.regex) };
    }
    const kind = m.kind === 'exact' ? EXACT : m.kind === 'prefix' ? PREFIX : m.kind === 'suffix' ? SUFFIX : CONTAINS;
    return { ok: true, matcher: new CompiledStringMatcher(kind, m.ignoreCase ? asciiLower(m.value) : m.value, m.ignoreCase, null) };
  }

  match(input: string): boolean {
    const v = this.value;
    switch (this.kind) {
      case EXACT:
        return this.ignoreCase ? input.length === v.length && regionMatchesIgnoreCase(input, 0, v) : input === v;
      case PREFIX:
        return this.ignoreCase ? regionMatchesIgnoreCase(input, 0, v) : input.startsWith(v);
      case SUFFIX:
        return this.ignoreCase ? regionMatchesIgnoreCase(input, input.length - v.length, v) : input.endsWith(v);
      case CONTAINS:
        if (!this.ignoreCase) return input.includes(v);
        for (let i = 0; i + v.length <= input.length; i++) if (regionMatchesIgnoreCase(input, i, v)) return true;
        return false;
      default:
        return this.regex!.fullMatch(input);
    }
  }
}
