/**
 * request/response_headers_to_add and _to_remove, compiled per level (route configuration, virtual
 * host, route, weighted cluster) and applied with Envoy's HeaderParser::evaluateHeaders rules:
 *
 * 1. the level's removals run first;
 * 2. each addition is evaluated against the headers as they are after the removals — not after
 *    this level's other additions — and, when its value is '' and keep_empty_value is false, skipped;
 * 3. overwrites (OVERWRITE_IF_EXISTS_OR_ADD, and OVERWRITE_IF_EXISTS when present) are applied,
 *    then appends (APPEND_IF_EXISTS_OR_ADD, and ADD_IF_ABSENT when absent).
 *
 * An overwrite replaces the first occurrence in place and drops the others; the resulting header
 * set equals Envoy's remove-then-add, only the position differs.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#custom-request-response-headers
 *
 * Values with %COMMAND% operators are marked `dynamic`. Routing stays pure: the caller gives a
 * formatter factory at compile time (`HeaderValueFormatterFactory`, e.g. the access-log
 * formatter) or an `evaluate` function at apply time; with neither, the text is sent as is.
 */
import type { HeaderValueOption } from '../../xds/resources/common.types.js';

/** A compiled header value with command operators, evaluated per request. */
export interface HeaderValueFormatter {
  /** `context` is whatever the caller passed to apply (the connection manager passes its stream). */
  format(context: unknown): string;
}

/** Compiles a header value template that contains %COMMAND% operators; null to leave it as text. */
export type HeaderValueFormatterFactory = (value: string) => HeaderValueFormatter | null;

/** Evaluates a dynamic header value at apply time (used when no compiled formatter exists). */
export type HeaderValueEvaluator = (value: string, context: unknown) => string;

export type AppendAction = HeaderValueOption['appendAction'];

const APPEND_IF_EXISTS_OR_ADD = 0;
const ADD_IF_ABSENT = 1;
const OVERWRITE_IF_EXISTS_OR_ADD = 2;
const OVERWRITE_IF_EXISTS = 3;

/** One header to add. */
export class CompiledHeaderMutation {
  readonly name: string;
  /** The configured text ('%%' already unescaped to '%' when not dynamic). */
  readonly value: string;
  readonly appendAction: AppendAction;
  readonly keepEmptyValue: boolean;
  /** The value holds %COMMAND% operators. */
  readonly dynamic: boolean;
  readonly formatter: HeaderValueFormatter | null;
  /** appendAction as a small integer for the switch in apply. */
  readonly action: number;

  constructor(option: HeaderValueOption, factory: HeaderValueFormatterFactory | null) {
    this.name = option.key;
    this.appendAction = option.appendAction;
    this.keepEmptyValue = option.keepEmptyValue;
    this.dynamic = hasCommandOperator(option.value);
    this.value = this.dynamic ? option.value : option.value.replaceAll('%%', '%');
    this.formatter = this.dynamic && factory !== null ? factory(option.value) : null;
    this.action =
      option.appendAction === 'APPEND_IF_EXISTS_OR_ADD'
        ? APPEND_IF_EXISTS_OR_ADD
        : option.appendAction === 'ADD_IF_ABSENT'
          ? ADD_IF_ABSENT
          : option.appendAction === 'OVERWRITE_IF_EXISTS_OR_ADD'
            ? OVERWRITE_IF_EXISTS_OR_ADD
            : OVERWRITE_IF_EXISTS;
  }
}

/** One level's removals and additions. */
export interface HeaderMutationLevel {
  /** Lower-case names. */
  readonly remove: readonly string[];
  readonly add: readonly CompiledHeaderMutation[];
}

/** Compiles one level; null when it changes nothing (so callers can skip it). */
export function compileHeaderMutationLevel(
  toAdd: readonly HeaderValueOption[],
  toRemove: readonly string[],
  factory: HeaderValueFormatterFactory | null = null,
): HeaderMutationLevel | null {
  if (toAdd.length === 0 && toRemove.length === 0) return null;
  const add: CompiledHeaderMutation[] = [];
  for (let i = 0; i < toAdd.length; i++) add.push(new CompiledHeaderMutation(toAdd[i], factory));
  const remove: string[] = [];
  for (let i = 0; i < toRemove.length; i++) remove.push(toRemove[i].toLowerCase());
  return { remove, add };
}

/**
 * True when `value` holds an Envoy command operator: '%' + an upper-case identifier + optional
 * '(…)' + optional ':N' + '%'. '%%' is an escaped '%'.
 */
export function hasCommandOperator(value: string): boolean {
  let i = value.indexOf('%');
  while (i !== -1 && i + 1 < value.length) {
    if (value.charCodeAt(i + 1) === 37) {
      i = value.indexOf('%', i + 2);
      continue;
    }
    let j = i + 1;
    while (j < value.length && isCommandChar(value.charCodeAt(j))) j++;
    if (j > i + 1 && j < value.length) {
      if (value.charCodeAt(j) === 40 /* ( */) {
        const close = value.indexOf(')', j);
        j = close === -1 ? value.length : close + 1;
      }
      if (j < value.length && value.charCodeAt(j) === 58 /* : */) {
        j++;
        while (j < value.length && value.charCodeAt(j) >= 48 && value.charCodeAt(j) <= 57) j++;
      }
      if (j < value.length && value.charCodeAt(j) === 37) return true;
    }
    i = value.indexOf('%', i + 1);
  }
  return false;
}

function isCommandChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Removes every occurrence of `name` from a flat header list, in place. */
export function removeHeader(headers: string[], name: string): void {
  let w = 0;
  for (let r = 0; r < headers.length; r += 2) {
    if (headers[r] === name) continue;
    if (w !== r) {
      headers[w] = headers[r];
      headers[w + 1] = headers[r + 1];
    }
    w += 2;
  }
  headers.length = w;
}

/** Sets `name` to `value`: replaces the first occurrence, drops the rest, or appends. */
export function setHeader(headers: string[], name: string, value: string): void {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === name) {
      headers[i + 1] = value;
      let w = i + 2;
      for (let r = i + 2; r < headers.length; r += 2) {
        if (headers[r] === name) continue;
        if (w !== r) {
          headers[w] = headers[r];
          headers[w + 1] = headers[r + 1];
        }
        w += 2;
      }
      headers.length = w;
      return;
    }
  }
  headers.push(name, value);
}

function hasHeader(headers: readonly string[], name: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return true;
  return false;
}

/**
 * Applies one level to `headers` (flat lower-cased `[name, value, …]`, mutated in place).
 * `context` goes to formatters and `evaluate`.
 */
export function applyHeaderMutations(
  headers: string[],
  level: HeaderMutationLevel,
  context: unknown = null,
  evaluate: HeaderValueEvaluator | null = null,
): void {
  const remove = level.remove;
  for (let i = 0; i < remove.length; i++) removeHeader(headers, remove[i]);
  const add = level.add;
  if (add.length === 0) return;
  if (add.length === 1) return applyOneAddition(headers, add[0], context, evaluate);
  // Decide every addition against the post-removal headers, then write: overwrites, then appends.
  let overwrites: string[] | null = null;
  let appends: string[] | null = null;
  for (let i = 0; i < add.length; i++) {
    const m = add[i];
    const value = m.formatter !== null ? m.formatter.format(context) : m.dynamic && evaluate !== null ? evaluate(m.value, context) : m.value;
    if (value === '' && !m.keepEmptyValue) continue;
    switch (m.action) {
      case APPEND_IF_EXISTS_OR_ADD:
        (appends ??= []).push(m.name, value);
        break;
      case ADD_IF_ABSENT:
        if (!hasHeader(headers, m.name)) (appends ??= []).push(m.name, value);
        break;
      case OVERWRITE_IF_EXISTS:
        if (hasHeader(headers, m.name)) (overwrites ??= []).push(m.name, value);
        break;
      default:
        (overwrites ??= []).push(m.name, value);
    }
  }
  if (overwrites !== null) for (let i = 0; i < overwrites.length; i += 2) setHeader(headers, overwrites[i], overwrites[i + 1]);
  if (appends !== null) for (let i = 0; i < appends.length; i += 2) headers.push(appends[i], appends[i + 1]);
}

/** The common single addition: nothing to decide against, so no lists of pending writes. */
function applyOneAddition(headers: string[], m: CompiledHeaderMutation, context: unknown, evaluate: HeaderValueEvaluator | null): void {
  const value = m.formatter !== null ? m.formatter.format(context) : m.dynamic && evaluate !== null ? evaluate(m.value, context) : m.value;
  if (value === '' && !m.keepEmptyValue) return;
  switch (m.action) {
    case APPEND_IF_EXISTS_OR_ADD:
      headers.push(m.name, value);
      break;
    case ADD_IF_ABSENT:
      if (!hasHeader(headers, m.name)) headers.push(m.name, value);
      break;
    case OVERWRITE_IF_EXISTS:
      if (hasHeader(headers, m.name)) setHeader(headers, m.name, value);
      break;
    default:
      setHeader(headers, m.name, value);
  }
}

/** Applies levels in order (the order is settled at compile time; see CompiledRoute). */
export function applyHeaderMutationLevels(
  headers: string[],
  levels: readonly HeaderMutationLevel[],
  context: unknown = null,
  evaluate: HeaderValueEvaluator | null = null,
): void {
  for (let i = 0; i < levels.length; i++) applyHeaderMutations(headers, levels[i], context, evaluate);
}
