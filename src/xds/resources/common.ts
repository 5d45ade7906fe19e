/**
 * Decoders for the small messages several resources share: type.matcher.v3.StringMatcher,
 * core.v3.HeaderValueOption, type.v3.FractionalPercent, config.route.v3.HeaderMatcher,
 * core.v3.Locality and core.v3.ConfigSource. Each is `(msg, path, errors) → view`: it pushes a
 * FieldError for every problem and still returns a usable view so decoding goes on.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/type/matcher/v3/string.proto
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto
 */
import { Buffer } from 'node:buffer';
import type { ProtoObject } from '../proto-object.js';
import { compileSafeRegex } from '../safe-regex.js';
import type { ConfigSource, FractionalPercent, HeaderValueOption, Locality, StringMatcher } from './common.types.js';
import { bool, enumOf, fieldPath, has, isObject, list, num, obj, str, wrappedBool, type Errors } from './fields.js';
import type { HeaderMatcher } from './route-configuration.types.js';
import { joinPath } from '../validation.js';

/** RFC 9110 token: the characters node:http accepts in a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
/** Envoy's non-strict HTTP_HEADER_VALUE rule: no NUL, CR or LF. */
const BAD_HEADER_VALUE = /[\0\r\n]/;

/** Whether `name` (already lower-cased) is a valid header name; `:`-prefixed pseudo-headers only when `allowPseudo`. */
export function isHeaderName(name: string, allowPseudo = false): boolean {
  if (allowPseudo && name.startsWith(':')) return TOKEN.test(name.slice(1));
  return TOKEN.test(name);
}

/** Whether a header value is acceptable (no NUL, CR or LF). */
export function isHeaderValue(value: string): boolean {
  return !BAD_HEADER_VALUE.test(value);
}

/**
 * Validates a header name that a mutation adds or removes. Envoy refuses `:`-prefixed headers and
 * `host` there (HeaderUtility::isModifiableHeader): ":-prefixed or host headers may not be modified".
 */
function checkMutableHeaderName(name: string, path: string, errors: Errors): void {
  if (name === '') errors.push({ path, message: 'is required' });
  else if (name.startsWith(':') || name === 'host') errors.push({ path, message: `${JSON.stringify(name)}: ':'-prefixed or host headers may not be modified` });
  else if (!isHeaderName(name)) errors.push({ path, message: `${JSON.stringify(name)} is not a valid header name` });
}

/**
 * A repeated header-name field such as request_headers_to_remove or internal_only_headers:
 * lower-cased; `mutable` applies Envoy's "no pseudo-headers, no host" rule for removals.
 */
export function decodeHeaderNames(msg: ProtoObject, field: string, path: string, errors: Errors, mutable: boolean): string[] {
  const base = fieldPath(path, field);
  const out: string[] = [];
  const items = list(msg, field, path, errors);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (typeof item !== 'string') {
      errors.push({ path: itemPath, message: 'must be a string' });
      continue;
    }
    const name = item.toLowerCase();
    if (mutable) checkMutableHeaderName(name, itemPath, errors);
    else if (!isHeaderName(name, true)) errors.push({ path: itemPath, message: `${JSON.stringify(item)} is not a valid header name` });
    out.push(name);
  }
  return out;
}

/** type.matcher.v3.RegexMatcher → its pattern, compiled once here to validate it (RE2 syntax). */
export function decodeRegexMatcher(msg: ProtoObject, path: string, errors: Errors): string {
  // google_re2.max_program_size is deprecated and only tunes a limit: accepted and ignored.
  const regex = str(msg, 'regex', path, errors);
  const regexPath = fieldPath(path, 'regex');
  if (regex === '') {
    errors.push({ path: regexPath, message: 'is required' });
    return regex;
  }
  const compiled = compileSafeRegex(regex);
  if (!compiled.ok) errors.push({ path: regexPath, message: compiled.message });
  return regex;
}

const STRING_MATCH_FIELDS = ['exact', 'prefix', 'suffix', 'contains', 'safe_regex'] as const;
const STRING_MATCH_KINDS = { exact: 'exact', prefix: 'prefix', suffix: 'suffix', contains: 'contains', safe_regex: 'safeRegex' } as const;

/**
 * type.matcher.v3.StringMatcher. Exactly one of exact/prefix/suffix/contains/safe_regex;
 * prefix, suffix and contains must be non-empty (Envoy PGV min_len 1). `ignore_case` has no
 * effect on safe_regex in Envoy; it is kept as given.
 */
export function decodeStringMatcher(msg: ProtoObject, path: string, errors: Errors): StringMatcher {
  const ignoreCase = bool(msg, 'ignore_case', path, errors);
  if (has(msg, 'custom')) errors.push({ path: fieldPath(path, 'custom'), message: 'is not supported' });
  const set = STRING_MATCH_FIELDS.filter((f) => has(msg, f));
  if (set.length === 0) {
    if (!has(msg, 'custom')) errors.push({ path, message: 'must set one of exact, prefix, suffix, contains, safeRegex' });
    return { kind: 'exact', value: '', ignoreCase };
  }
  if (set.length > 1) errors.push({ path, message: `must set only one of exact, prefix, suffix, contains, safeRegex, got ${set.map((f) => fieldPath('', f)).join(', ')}` });
  const field = set[0];
  const kind = STRING_MATCH_KINDS[field];
  if (field === 'safe_regex') {
    const regexMsg = obj(msg, 'safe_regex', path, errors);
    const value = regexMsg === null ? '' : decodeRegexMatcher(regexMsg, fieldPath(path, 'safe_regex'), errors);
    return { kind, value, ignoreCase };
  }
  const value = str(msg, field, path, errors);
  if (value === '' && field !== 'exact') errors.push({ path: fieldPath(path, field), message: 'must not be empty' });
  return { kind, value, ignoreCase };
}

const APPEND_ACTIONS = ['APPEND_IF_EXISTS_OR_ADD', 'ADD_IF_ABSENT', 'OVERWRITE_IF_EXISTS_OR_ADD', 'OVERWRITE_IF_EXISTS'] as const;
/** Envoy's cap on each header name and value in a HeaderValue (PGV max_bytes). */
const MAX_HEADER_BYTES = 16_384;

/**
 * core.v3.HeaderValueOption. The key is lower-cased and must be a modifiable header name.
 * The deprecated `append` BoolValue maps onto append_action (true → APPEND_IF_EXISTS_OR_ADD,
 * false → OVERWRITE_IF_EXISTS_OR_ADD) and cannot be combined with it; the default is
 * APPEND_IF_EXISTS_OR_ADD (Envoy default). `header.raw_value` bytes are read as latin1.
 */
export function decodeHeaderValueOption(msg: ProtoObject, path: string, errors: Errors): HeaderValueOption {
  const header = obj(msg, 'header', path, errors);
  const headerPath = fieldPath(path, 'header');
  let key = '';
  let value = '';
  if (header === null) errors.push({ path: headerPath, message: 'is required' });
  else {
    key = str(header, 'key', headerPath, errors).toLowerCase();
    const keyPath = fieldPath(headerPath, 'key');
    checkMutableHeaderName(key, keyPath, errors);
    if (key.length > MAX_HEADER_BYTES) errors.push({ path: keyPath, message: `must be at most ${MAX_HEADER_BYTES} bytes` });
    const raw = header.raw_value;
    if (has(header, 'value') && raw !== undefined && raw !== null) {
      errors.push({ path: fieldPath(headerPath, 'raw_value'), message: 'cannot be set together with value' });
    }
    if (Buffer.isBuffer(raw)) value = raw.toString('latin1');
    else if (raw !== undefined && raw !== null) errors.push({ path: fieldPath(headerPath, 'raw_value'), message: 'must be bytes' });
    else value = str(header, 'value', headerPath, errors);
    const valuePath = fieldPath(headerPath, Buffer.isBuffer(raw) ? 'raw_value' : 'value');
    if (!isHeaderValue(value)) errors.push({ path: valuePath, message: 'must not contain NUL, CR or LF' });
    if (Buffer.byteLength(value) > MAX_HEADER_BYTES) errors.push({ path: valuePath, message: `must be at most ${MAX_HEADER_BYTES} bytes` });
  }
  let appendAction: HeaderValueOption['appendAction'] = enumOf(msg, 'append_action', path, errors, APPEND_ACTIONS, 'APPEND_IF_EXISTS_OR_ADD');
  if (has(msg, 'append')) {
    if (has(msg, 'append_action')) errors.push({ path: fieldPath(path, 'append'), message: 'cannot be set together with appendAction' });
    else appendAction = wrappedBool(msg, 'append', path, errors, true) ? 'APPEND_IF_EXISTS_OR_ADD' : 'OVERWRITE_IF_EXISTS_OR_ADD';
  }
  return { key, value, appendAction, keepEmptyValue: bool(msg, 'keep_empty_value', path, errors) };
}

const DENOMINATORS = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 } as const;

/** type.v3.FractionalPercent; denominator defaults to HUNDRED (Envoy default). */
export function decodeFractionalPercent(msg: ProtoObject, path: string, errors: Errors): FractionalPercent {
  const numerator = num(msg, 'numerator', path, errors);
  if (!Number.isInteger(numerator) || numerator < 0 || numerator > 0xffff_ffff) {
    errors.push({ path: fieldPath(path, 'numerator'), message: `must be an integer 0–4294967295, got ${numerator}` });
  }
  const name = enumOf(msg, 'denominator', path, errors, ['HUNDRED', 'TEN_THOUSAND', 'MILLION'] as const, 'HUNDRED');
  // Envoy treats a numerator above the denominator as 100%; kept as given.
  return { numerator: Math.max(0, Math.trunc(numerator)), denominator: DENOMINATORS[name] };
}

const HEADER_MATCH_STRING_FIELDS = ['exact_match', 'prefix_match', 'suffix_match', 'contains_match', 'safe_regex_match'] as const;
const HEADER_MATCH_FIELDS = [...HEADER_MATCH_STRING_FIELDS, 'string_match', 'range_match', 'present_match'] as const;

/**
 * config.route.v3.HeaderMatcher. The name is lower-cased (pseudo-headers allowed). The deprecated
 * exact/prefix/suffix/contains/safe_regex_match fields become a StringMatcher; no specifier at all
 * means "present" (Envoy: the header must be in the request).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-headermatcher
 */
export function decodeHeaderMatcher(msg: ProtoObject, path: string, errors: Errors): HeaderMatcher {
  const name = str(msg, 'name', path, errors).toLowerCase();
  const namePath = fieldPath(path, 'name');
  if (name === '') errors.push({ path: namePath, message: 'is required' });
  else if (!isHeaderName(name, true)) errors.push({ path: namePath, message: `${JSON.stringify(name)} is not a valid header name` });
  const invertMatch = bool(msg, 'invert_match', path, errors);
  const treatMissingHeaderAsEmpty = bool(msg, 'treat_missing_header_as_empty', path, errors);
  const set = HEADER_MATCH_FIELDS.filter((f) => has(msg, f));
  if (set.length > 1) errors.push({ path, message: `must set only one header match specifier, got ${set.map((f) => fieldPath('', f)).join(', ')}` });
  const field = set[0];
  let match: HeaderMatcher['match'] = { kind: 'present', present: true };
  if (field === 'string_match') {
    const m = obj(msg, 'string_match', path, errors);
    if (m !== null) match = { kind: 'string', matcher: decodeStringMatcher(m, fieldPath(path, 'string_match'), errors) };
  } else if (field === 'safe_regex_match') {
    const m = obj(msg, 'safe_regex_match', path, errors);
    const value = m === null ? '' : decodeRegexMatcher(m, fieldPath(path, 'safe_regex_match'), errors);
    match = { kind: 'string', matcher: { kind: 'safeRegex', value, ignoreCase: false } };
  } else if (field === 'range_match') {
    const r = obj(msg, 'range_match', path, errors) ?? {};
    const rangePath = fieldPath(path, 'range_match');
    match = { kind: 'range', start: integer(r, 'start', rangePath, errors), end: integer(r, 'end', rangePath, errors) };
  } else if (field === 'present_match') {
    match = { kind: 'present', present: bool(msg, 'present_match', path, errors) };
  } else if (field !== undefined) {
    const value = str(msg, field, path, errors);
    if (value === '' && field !== 'exact_match') errors.push({ path: fieldPath(path, field), message: 'must not be empty' });
    const kind = ({ exact_match: 'exact', prefix_match: 'prefix', suffix_match: 'suffix', contains_match: 'contains' } as const)[field];
    match = { kind: 'string', matcher: { kind, value, ignoreCase: false } };
  }
  return { name, invertMatch, treatMissingHeaderAsEmpty, match };
}

function integer(msg: ProtoObject, field: string, path: string, errors: Errors): number {
  const n = num(msg, field, path, errors);
  if (Number.isInteger(n)) return n;
  errors.push({ path: fieldPath(path, field), message: `must be an integer, got ${n}` });
  return Math.trunc(n);
}

/** core.v3.Locality; all parts default to ''. */
export function decodeLocality(msg: ProtoObject, path: string, errors: Errors): Locality {
  return { region: str(msg, 'region', path, errors), zone: str(msg, 'zone', path, errors), subZone: str(msg, 'sub_zone', path, errors) };
}

/**
 * core.v3.ConfigSource: only `ads` and `self` (the router speaks ADS to one management server);
 * resource_api_version must be V3 (AUTO, the proto default, means V3 in current Envoy).
 * initial_fetch_timeout and authorities are accepted and ignored.
 */
export function decodeConfigSource(msg: ProtoObject, path: string, errors: Errors): ConfigSource {
  const others = ['path', 'path_config_source', 'api_config_source'].filter((f) => has(msg, f));
  const ads = has(msg, 'ads');
  const self = has(msg, 'self');
  if (others.length > 0) {
    errors.push({ path, message: `only ads and self config sources are supported, got ${others.map((f) => fieldPath('', f)).join(', ')}` });
  } else if (ads && self) errors.push({ path, message: 'must set only one of ads, self' });
  else if (!ads && !self) errors.push({ path, message: 'must set ads or self' });
  if (ads && !isObject(msg.ads)) errors.push({ path: fieldPath(path, 'ads'), message: 'must be a message' });
  if (self && !isObject(msg.self)) errors.push({ path: fieldPath(path, 'self'), message: 'must be a message' });
  const version = msg.resource_api_version;
  if (version !== undefined && version !== null && version !== 'V3' && version !== 'AUTO') {
    errors.push({ path: fieldPath(path, 'resource_api_version'), message: `must be V3, got ${JSON.stringify(version)}` });
  }
  return { kind: self && !ads ? 'self' : 'ads', resourceApiVersion: 'V3' };
}
