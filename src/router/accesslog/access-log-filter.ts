/**
 * envoy.config.accesslog.v3.AccessLogFilter compiled into a predicate tree, once per config.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/accesslog/v3/accesslog.proto#config-accesslog-v3-accesslogfilter
 *
 * Supported: status_code_filter, duration_filter, not_health_check_filter, traceable_filter,
 * runtime_filter (its default percentage), and_filter, or_filter, header_filter (exact / prefix /
 * suffix / contains / present, incl. string_match and invert_match), response_flag_filter.
 * Anything else is a validation error naming the field, never silently "log everything".
 * The input is the ProtoObject form (snake_case proto field names), as the decoder keeps it.
 */
import { Buffer } from 'node:buffer';
import type { ProtoObject, ProtoValue } from '../../xds/proto-object.js';
import { fail, joinPath, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';
import type { AccessLogRecord } from './access-log-record.js';
import { RESPONSE_FLAG_LONG_NAMES } from './response-flag-names.js';

/** A compiled filter: true = write the entry. */
export interface AccessLogFilter {
  evaluate(record: AccessLogRecord): boolean;
}

const ALL: AccessLogFilter = { evaluate: () => true };
const NONE: AccessLogFilter = { evaluate: () => false };

class ComparisonFilter implements AccessLogFilter {
  constructor(
    private readonly field: 'responseCode' | 'durationMs',
    private readonly op: 'EQ' | 'GE' | 'LE' | 'NE',
    private readonly value: number,
  ) {}

  evaluate(r: AccessLogRecord): boolean {
    const v = r[this.field];
    switch (this.op) {
      case 'EQ':
        return v === this.value;
      case 'GE':
        return v >= this.value;
      case 'LE':
        return v <= this.value;
      case 'NE':
        return v !== this.value;
    }
  }
}

class AllOf implements AccessLogFilter {
  constructor(private readonly filters: readonly AccessLogFilter[]) {}
  evaluate(r: AccessLogRecord): boolean {
    for (let i = 0; i < this.filters.length; i++) if (!this.filters[i].evaluate(r)) return false;
    return true;
  }
}

class AnyOf implements AccessLogFilter {
  constructor(private readonly filters: readonly AccessLogFilter[]) {}
  evaluate(r: AccessLogRecord): boolean {
    for (let i = 0; i < this.filters.length; i++) if (this.filters[i].evaluate(r)) return true;
    return false;
  }
}

class ResponseFlagFilter implements AccessLogFilter {
  /** Empty = any flag set. */
  constructor(private readonly flags: readonly string[]) {}
  evaluate(r: AccessLogRecord): boolean {
    const set = r.responseFlags;
    if (set === '-' || set === '') return false;
    if (this.flags.length === 0) return true;
    const have = set.split(',');
    for (let i = 0; i < this.flags.length; i++) if (have.includes(this.flags[i])) return true;
    return false;
  }
}

class SampleFilter implements AccessLogFilter {
  constructor(private readonly fraction: number) {}
  evaluate(): boolean {
    return Math.random() < this.fraction;
  }
}

class HeaderFilter implements AccessLogFilter {
  constructor(
    private readonly name: string,
    private readonly test: (value: string | undefined) => boolean,
    private readonly invert: boolean,
  ) {}
  evaluate(r: AccessLogRecord): boolean {
    let value: string | undefined;
    const h = r.requestHeaders;
    if (h !== null) for (let i = 0; i < h.length; i += 2) if (h[i] === this.name) { value = h[i + 1]; break; }
    return this.test(value) !== this.invert;
  }
}

/** Compiles a filter (null = log every request). Errors carry paths under `path`. */
export function compileAccessLogFilter(filter: ProtoObject | null, path = 'filter'): ValidationResult<AccessLogFilter> {
  if (filter === null) return ok(ALL);
  const errors: FieldError[] = [];
  const compiled = compileOne(filter, path, errors);
  return errors.length > 0 ? fail(errors) : ok(compiled);
}

function compileOne(f: ProtoObject, path: string, errors: FieldError[]): AccessLogFilter {
  const keys = Object.keys(f).filter((k) => f[k] !== undefined);
  if (keys.length !== 1) {
    errors.push({ path, message: `must set exactly one filter, got ${keys.length === 0 ? 'none' : keys.join(', ')}` });
    return ALL;
  }
  const key = keys[0];
  const body = asObject(f[key]);
  const p = joinPath(path, key);
  switch (key) {
    case 'status_code_filter':
      return comparison('responseCode', body, p, errors);
    case 'duration_filter':
      return comparison('durationMs', body, p, errors);
    case 'not_health_check_filter':
      // Health-check requests are only marked by Envoy's health_check HTTP filter, which we do
      // not run: no request is a health check, so this filter passes everything.
      return ALL;
    case 'traceable_filter':
      // No tracing: no request is traceable.
      return NONE;
    case 'runtime_filter':
      return runtime(body, p, errors);
    case 'and_filter':
    case 'or_filter': {
      const list = body.filters;
      if (!Array.isArray(list) || list.length < 2) {
        errors.push({ path: joinPath(p, 'filters'), message: 'must list at least 2 filters' });
        return ALL;
      }
      const children = list.map((c, i) => compileOne(asObject(c), joinPath(joinPath(p, 'filters'), i), errors));
      return key === 'and_filter' ? new AllOf(children) : new AnyOf(children);
    }
    case 'response_flag_filter': {
      const flags = Array.isArray(body.flags) ? (body.flags as ProtoValue[]) : [];
      const out: string[] = [];
      flags.forEach((flag, i) => {
        if (typeof flag === 'string' && RESPONSE_FLAG_LONG_NAMES.has(flag)) out.push(flag);
        else errors.push({ path: joinPath(joinPath(p, 'flags'), i), message: `unknown response flag ${JSON.stringify(flag)}: one of ${[...RESPONSE_FLAG_LONG_NAMES.keys()].join(', ')}` });
      });
      return new ResponseFlagFilter(out);
    }
    case 'header_filter':
      return header(asObject(body.header), joinPath(p, 'header'), errors);
    default:
      errors.push({ path: p, message: 'is not supported: use statusCodeFilter, durationFilter, notHealthCheckFilter, traceableFilter, runtimeFilter, andFilter, orFilter, headerFilter or responseFlagFilter' });
      return ALL;
  }
}

function comparison(field: 'responseCode' | 'durationMs', body: ProtoObject, path: string, errors: FieldError[]): AccessLogFilter {
  const cmp = asObject(body.comparison);
  const op = cmp.op === undefined ? 'EQ' : cmp.op;
  if (op !== 'EQ' && op !== 'GE' && op !== 'LE' && op !== 'NE') {
    errors.push({ path: joinPath(joinPath(path, 'comparison'), 'op'), message: `must be EQ, GE, LE or NE, got ${JSON.stringify(op)}` });
    return ALL;
  }
  const runtime = asObject(cmp.value);
  const value = runtime.default_value ?? 0;
  if (typeof value !== 'number' || value < 0) {
    errors.push({ path: joinPath(joinPath(joinPath(path, 'comparison'), 'value'), 'defaultValue'), message: `must be a non-negative integer, got ${JSON.stringify(value)}` });
    return ALL;
  }
  return new ComparisonFilter(field, op, value);
}

const DENOMINATORS: Record<string, number> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

function runtime(body: ProtoObject, path: string, errors: FieldError[]): AccessLogFilter {
  // Envoy: runtime_key's value overrides percent_sampled; we have no runtime, so the default holds.
  const pct = asObject(body.percent_sampled);
  const numerator = typeof pct.numerator === 'number' ? pct.numerator : 0;
  const denominator = DENOMINATORS[typeof pct.denominator === 'string' ? pct.denominator : 'HUNDRED'];
  if (denominator === undefined) {
    errors.push({ path: joinPath(joinPath(path, 'percentSampled'), 'denominator'), message: 'must be HUNDRED, TEN_THOUSAND or MILLION' });
    return ALL;
  }
  const fraction = Math.min(1, numerator / denominator);
  return fraction >= 1 ? ALL : fraction <= 0 ? NONE : new SampleFilter(fraction);
}

function header(m: ProtoObject, path: string, errors: FieldError[]): AccessLogFilter {
  const name = typeof m.name === 'string' ? m.name.toLowerCase() : '';
  if (name === '') {
    errors.push({ path: joinPath(path, 'name'), message: 'is required' });
    return ALL;
  }
  const invert = m.invert_match === true;
  const sm = asObject(m.string_match);
  const ignoreCase = sm.ignore_case === true;
  const norm = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const pick = (legacy: string, modern: string): string | null => {
    const v = m[legacy] ?? sm[modern];
    return typeof v === 'string' ? norm(v) : null;
  };
  const exact = pick('exact_match', 'exact');
  if (exact !== null) return new HeaderFilter(name, (v) => v !== undefined && norm(v) === exact, invert);
  const prefix = pick('prefix_match', 'prefix');
  if (prefix !== null) return new HeaderFilter(name, (v) => v !== undefined && norm(v).startsWith(prefix), invert);
  const suffix = pick('suffix_match', 'suffix');
  if (suffix !== null) return new HeaderFilter(name, (v) => v !== undefined && norm(v).endsWith(suffix), invert);
  const contains = pick('contains_match', 'contains');
  if (contains !== null) return new HeaderFilter(name, (v) => v !== undefined && norm(v).includes(contains), invert);
  if (m.safe_regex_match !== undefined || sm.safe_regex !== undefined || m.range_match !== undefined) {
    errors.push({ path, message: 'only exact, prefix, suffix, contains and present matches are supported in an access-log header filter' });
    return ALL;
  }
  // present_match, or no match specifier at all (Envoy: header present).
  const wantPresent = m.present_match !== false;
  return new HeaderFilter(name, (v) => (v !== undefined) === wantPresent, invert);
}

function asObject(v: ProtoValue | undefined): ProtoObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) ? (v as ProtoObject) : {};
}
