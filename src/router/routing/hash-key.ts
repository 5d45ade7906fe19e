/**
 * RouteAction.hash_policy → the uint32 key ring hash and maglev place a request with.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction-hashpolicy
 *
 * Envoy (Http::HashPolicyImpl::generateHash) walks the policies in order; each that yields a
 * value is folded in as `hash = rotl(hash, 1) ^ value` (rotating keeps two equal policies from
 * cancelling out), and a `terminal` policy that has produced a hash stops the walk. We fold on
 * 32 bits with murmur3 (common/hash.ts) where Envoy uses xxHash64 on 64.
 *
 * Per policy:
 * - header: all values of the header, sorted (so order does not matter), joined; absent → none;
 * - cookie: the named cookie's value; when absent and `ttl` is set Envoy makes one up, sends it
 *   back in Set-Cookie and hashes it — here `evaluate` returns that Set-Cookie value for the
 *   connection manager to add to the response;
 * - source_ip: the downstream IP;
 * - query_parameter: the parameter's first value, undecoded.
 */
import { hashString } from '../../common/hash.js';
import type { HashPolicy } from '../../xds/resources/route-configuration.types.js';
import { firstQueryValue } from './route-request.js';

/** What hash policies read of a request. */
export interface HashKeyInput {
  /** Flat lower-cased `[name, value, …]`. */
  readonly headers: readonly string[];
  /** The text after '?', or ''. */
  readonly query: string;
  /** The downstream IP address (no port), or '' when unknown. */
  readonly remoteAddress: string;
  /** For header policies naming ':authority', ':path', ':method'; ':path' includes the query. */
  readonly authority?: string;
  readonly method?: string;
  readonly pathWithQuery?: string;
}

/** The outcome of the hash policies for one request. */
export class HashKeyResult {
  constructor(
    /** uint32, or null when no policy produced a value. */
    readonly hash: number | null,
    /** A Set-Cookie header value to send downstream (a generated hash cookie), or null. */
    readonly setCookie: string | null,
  ) {}
}

const NO_HASH = new HashKeyResult(null, null);

const HEADER = 0;
const COOKIE = 1;
const SOURCE_IP = 2;
const QUERY = 3;

class CompiledHashPolicy {
  readonly kind: number;
  /** Header name (lower-case), cookie name or query parameter name. */
  readonly name: string;
  readonly terminal: boolean;
  readonly ttlSeconds: number | null;
  readonly cookiePath: string;

  constructor(p: HashPolicy) {
    this.terminal = p.terminal;
    this.ttlSeconds = null;
    this.cookiePath = '';
    switch (p.kind) {
      case 'header':
        this.kind = HEADER;
        this.name = p.headerName.toLowerCase();
        break;
      case 'cookie':
        this.kind = COOKIE;
        this.name = p.name;
        this.ttlSeconds = p.ttlMs === null ? null : Math.floor(p.ttlMs / 1000);
        this.cookiePath = p.path;
        break;
      case 'sourceIp':
        this.kind = SOURCE_IP;
        this.name = '';
        break;
      default:
        this.kind = QUERY;
        this.name = p.name;
    }
  }
}

/** A route's hash policies, compiled. */
export class HashPolicyEvaluator {
  private readonly policies: readonly CompiledHashPolicy[];

  constructor(policies: readonly HashPolicy[]) {
    const compiled: CompiledHashPolicy[] = [];
    for (let i = 0; i < policies.length; i++) compiled.push(new CompiledHashPolicy(policies[i]));
    this.policies = compiled;
  }

  evaluate(input: HashKeyInput): HashKeyResult {
    let hash: number | null = null;
    let setCookie: string | null = null;
    const policies = this.policies;
    for (let i = 0; i < policies.length; i++) {
      const p = policies[i];
      let key: string | null;
      switch (p.kind) {
        case HEADER:
          key = headerKey(input, p.name);
          break;
        case COOKIE:
          key = cookieValue(input.headers, p.name);
          if (key === null && p.ttlSeconds !== null) {
            // Envoy hashes the downstream connection's addresses into the new cookie's value, so
            // the streams of one connection agree; we have the remote address only.
            key = hex32(hashString(input.remoteAddress));
            setCookie = makeSetCookieValue(p.name, key, p.cookiePath, p.ttlSeconds);
          }
          break;
        case SOURCE_IP:
          key = input.remoteAddress === '' ? null : input.remoteAddress;
          break;
        default:
          key = firstQueryValue(input.query, p.name);
      }
      if (key !== null) {
        const value = hashString(key);
        hash = hash === null ? value : (((hash << 1) | (hash >>> 31)) ^ value) >>> 0;
      }
      if (p.terminal && hash !== null) break;
    }
    return hash === null && setCookie === null ? NO_HASH : new HashKeyResult(hash, setCookie);
  }
}

function headerKey(input: HashKeyInput, name: string): string | null {
  if (name.charCodeAt(0) === 58 /* ':' */) {
    if (name === ':authority') return input.authority ?? null;
    if (name === ':method') return input.method ?? null;
    if (name === ':path') return input.pathWithQuery ?? null;
    return null;
  }
  const headers = input.headers;
  let first: string | null = null;
  let many: string[] | null = null;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== name) continue;
    if (first === null) first = headers[i + 1];
    else (many ??= [first]).push(headers[i + 1]);
  }
  if (many === null) return first;
  many.sort();
  return many.join('\u0000');
}

/**
 * The value of cookie `name` in the Cookie headers, quotes removed, or null (Envoy
 * Http::Utility::parseCookieValue; an empty value counts as absent there too).
 */
export function cookieValue(headers: readonly string[], name: string): string | null {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== 'cookie') continue;
    const h = headers[i + 1];
    let start = 0;
    while (start < h.length) {
      let end = h.indexOf(';', start);
      if (end === -1) end = h.length;
      let k = start;
      while (k < end && h.charCodeAt(k) === 32) k++;
      const eq = h.indexOf('=', k);
      if (eq !== -1 && eq < end && eq - k === name.length && h.startsWith(name, k)) {
        let v = h.slice(eq + 1, end);
        if (v.length >= 2 && v.charCodeAt(0) === 34 && v.charCodeAt(v.length - 1) === 34) v = v.slice(1, -1);
        return v === '' ? null : v;
      }
      start = end + 1;
    }
  }
  return null;
}

/** Envoy Http::Utility::makeSetCookieValue with httpOnly. */
export function makeSetCookieValue(name: string, value: string, path: string, maxAgeSeconds: number): string {
  let s = `${name}="${value}"`;
  if (maxAgeSeconds > 0) s += `; Max-Age=${maxAgeSeconds}`;
  if (path !== '') s += `; Path=${path}`;
  return `${s}; HttpOnly`;
}

function hex32(v: number): string {
  return v.toString(16).padStart(8, '0');
}
