/**
 * Envoy's access-log formats compiled once into arrays of parts ("slow build, fast pick").
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#format-rules
 *
 * - text ("format strings"): literals and %COMMAND% operators; '%%' is a literal '%'; a value
 *   that is not set prints '-'. The template carries its own newline (Envoy adds none).
 * - json ("format dictionaries"): each value is a format string; a value that is exactly one
 *   operator keeps its type (numbers stay numbers, unset is null), as Envoy's typed JSON does;
 *   nested objects are allowed; one JSON object per line.
 *
 * Called by the config builder on the worker (never per request); `format(record)` is the only
 * per-request call.
 */
import { Buffer } from 'node:buffer';
import { putBytes } from '../codec/head-bytes.js';
import { fail, joinPath, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';
import type { AccessLogFormat } from '../../xds/resources/listener.types.js';
import type { AccessLogRecord } from './access-log-record.js';
import { CommandOperator } from './command-operator.js';

/** A compiled access-log format. */
export interface Formatter {
  /** One log entry for the record, newline included where the format has one (JSON: always). */
  format(record: AccessLogRecord): string;
  /**
   * The same entry as UTF-8 bytes written into `buf` from `at`: returns the end offset, or -1
   * when it does not fit (the bytes from `at` on are then garbage; write nothing of them).
   */
  formatInto(record: AccessLogRecord, buf: Buffer, at: number): number;
}

type Part = string | CommandOperator;

// %NAME%, %NAME(args)%, %NAME(args):Z% — Envoy's command grammar (args cannot hold ')').
const COMMAND = /%([A-Z0-9_]+)(?:\(([^)]*)\))?(?::(\d+))?%/y;

/** Parses a format string into parts. Errors are messages (the caller adds the field path). */
export function parseFormatString(template: string): Part[] | string {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const pct = template.indexOf('%', i);
    if (pct < 0) {
      literal += template.slice(i);
      break;
    }
    literal += template.slice(i, pct);
    if (template[pct + 1] === '%') {
      literal += '%';
      i = pct + 2;
      continue;
    }
    COMMAND.lastIndex = pct;
    const m = COMMAND.exec(template);
    if (m === null) return `couldn't find a valid command at position ${pct} in ${JSON.stringify(template)}`;
    const op = CommandOperator.create(m[1], m[2] ?? null, m[3] === undefined ? 0 : Number(m[3]));
    if (typeof op === 'string') return op;
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(op);
    i = pct + m[0].length;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/** Text format: concatenation over a precompiled part array. */
class TextFormatter implements Formatter {
  /** The literal parts as UTF-8 bytes (null at operator positions), for formatInto. */
  private readonly literalBytes: readonly (Buffer | null)[];
  private readonly unsetBytes: Buffer;

  constructor(
    private readonly parts: readonly Part[],
    /** Printed for an unset operator: '-' in logs, '' in header values. */
    private readonly unset: string,
  ) {
    this.literalBytes = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : null));
    this.unsetBytes = Buffer.from(unset, 'utf8');
  }

  /** Each part copied into the sink's buffer as it is produced: no line string, no cons per part. */
  formatInto(r: AccessLogRecord, buf: Buffer, at: number): number {
    const parts = this.parts;
    const literals = this.literalBytes;
    for (let i = 0; i < parts.length && at >= 0; i++) {
      const p = parts[i];
      if (typeof p === 'string') at = putLiteral(buf, at, literals[i]!);
      else {
        const v = p.value(r);
        at = v === null ? putLiteral(buf, at, this.unsetBytes) : typeof v === 'number' ? putNumber(buf, at, v) : putUtf8(buf, at, v);
      }
    }
    return at;
  }

  format(r: AccessLogRecord): string {
    const parts = this.parts;
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (typeof p === 'string') out += p;
      else {
        const v = p.value(r);
        out += v === null ? this.unset : typeof v === 'number' ? String(v) : v;
      }
    }
    return out;
  }
}

/** A compiled JSON value: `emit` appends its JSON text. */
type JsonNode =
  | { readonly kind: 'literal'; readonly json: string }
  | { readonly kind: 'typed'; readonly op: CommandOperator }
  | { readonly kind: 'text'; readonly text: TextFormatter }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly values: readonly JsonNode[] }
  | { readonly kind: 'array'; readonly values: readonly JsonNode[] };

class JsonFormatter implements Formatter {
  constructor(private readonly root: JsonNode) {}

  format(r: AccessLogRecord): string {
    return emit(this.root, r) + '\n';
  }

  formatInto(r: AccessLogRecord, buf: Buffer, at: number): number {
    return putUtf8(buf, at, this.format(r));
  }
}

function putLiteral(buf: Buffer, at: number, bytes: Buffer): number {
  return at + bytes.length > buf.length ? -1 : putBytes(buf, at, bytes);
}

/** `s` as UTF-8: ASCII by a loop, the rest (from the first non-ASCII char) by the native encoder. */
function putUtf8(buf: Buffer, at: number, s: string): number {
  const n = s.length;
  // UTF-8 needs at most 3 bytes per UTF-16 unit.
  if (at + n * 3 > buf.length && at + Buffer.byteLength(s) > buf.length) return -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return at + buf.write(i === 0 ? s : s.slice(i), at, 'utf8');
    buf[at++] = c;
  }
  return at;
}

/** A number as String(v) prints it; non-negative integers without making a string. */
function putNumber(buf: Buffer, at: number, v: number): number {
  if (!(v >= 0 && v <= 0xffffffff && Math.floor(v) === v)) return putUtf8(buf, at, String(v));
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  if (at + digits > buf.length) return -1;
  let x = v;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = 0x30 + (x % 10);
    x = Math.floor(x / 10);
  }
  return at + digits;
}

function emit(node: JsonNode, r: AccessLogRecord): string {
  switch (node.kind) {
    case 'literal':
      return node.json;
    case 'typed': {
      const v = node.op.value(r);
      if (v === null) return 'null';
      if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
      return JSON.stringify(v);
    }
    case 'text':
      return JSON.stringify(node.text.format(r));
    case 'object': {
      let out = '{';
      for (let i = 0; i < node.keys.length; i++) {
        if (i > 0) out += ',';
        out += node.keys[i] + emit(node.values[i], r);
      }
      return out + '}';
    }
    case 'array': {
      let out = '[';
      for (let i = 0; i < node.values.length; i++) {
        if (i > 0) out += ',';
        out += emit(node.values[i], r);
      }
      return out + ']';
    }
  }
}

function compileJsonValue(value: unknown, path: string, errors: FieldError[]): JsonNode {
  if (typeof value === 'string') {
    const parts = parseFormatString(value);
    if (typeof parts === 'string') {
      errors.push({ path, message: parts });
      return { kind: 'literal', json: 'null' };
    }
    if (parts.length === 1 && typeof parts[0] !== 'string') {
      // Exactly one operator: typed (numbers stay numbers, unset is null).
      return { kind: 'typed', op: parts[0] };
    }
    return { kind: 'text', text: new TextFormatter(parts, '-') };
  }
  if (Array.isArray(value)) return { kind: 'array', values: value.map((v, i) => compileJsonValue(v, joinPath(path, i), errors)) };
  if (value !== null && typeof value === 'object') {
    const keys: string[] = [];
    const values: JsonNode[] = [];
    for (const [k, v] of Object.entries(value)) {
      keys.push(JSON.stringify(k) + ':');
      values.push(compileJsonValue(v, joinPath(path, k), errors));
    }
    return { kind: 'object', keys, values };
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return { kind: 'literal', json: JSON.stringify(value) };
  errors.push({ path, message: `must be a string, number, boolean, object or list, got ${typeof value}` });
  return { kind: 'literal', json: 'null' };
}

/**
 * Compiles an access-log format. Errors carry paths relative to the format: '' for a text
 * template, the key path (`upstream.host`) for JSON; the caller prefixes its own field path.
 */
export function compileFormat(format: AccessLogFormat): ValidationResult<Formatter> {
  if (format.kind === 'text') {
    const parts = parseFormatString(format.template);
    if (typeof parts === 'string') return fail([{ path: '', message: parts }]);
    return ok(new TextFormatter(parts, '-'));
  }
  const errors: FieldError[] = [];
  const root = compileJsonValue(format.fields, '', errors);
  return errors.length > 0 ? fail(errors) : ok(new JsonFormatter(root));
}

/** A dynamic header value (request_headers_to_add …): unset operators render as ''. */
export type HeaderValueFormatter = (record: AccessLogRecord) => string;

/**
 * Compiles a header value that may hold command operators (`%DOWNSTREAM_REMOTE_ADDRESS%`,
 * `%REQ(x)%`, `%START_TIME%` …). A value without operators compiles to a constant function; use
 * `isStaticHeaderValue` first to skip building a record at all. Envoy omits unset values in
 * headers, so they render as '' (and an empty result means "do not add the header").
 */
export function compileHeaderValueFormat(value: string): ValidationResult<HeaderValueFormatter> {
  const parts = parseFormatString(value);
  if (typeof parts === 'string') return fail([{ path: '', message: parts }]);
  if (parts.length === 0) return ok(() => '');
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const constant = parts[0];
    return ok(() => constant);
  }
  const text = new TextFormatter(parts, '');
  return ok((record) => text.format(record));
}

/** True when a header value has no command operators (only literal text and '%%'). */
export function isStaticHeaderValue(value: string): boolean {
  return !value.replaceAll('%%', '').includes('%');
}
