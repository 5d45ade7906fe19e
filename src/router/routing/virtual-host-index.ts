/**
 * Domain → virtual host lookup with Envoy's precedence (RouteMatcher::findVirtualHost):
 *
 *   1. exact domain            'www.foo.com'            one Map lookup
 *   2. longest suffix wildcard '*.foo.com', '*-bar.foo.com'
 *   3. longest prefix wildcard 'foo.*', 'foo-*'
 *   4. the default             '*'
 *
 * A wildcard never matches the empty string ('*.foo.com' does not match '.foo.com'). Hosts and
 * domains are compared lower-case; a domain may carry ':port' and then matches only that
 * authority (the connection manager strips ports beforehand when configured to).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-virtualhost
 *
 * Data layout ("slow build, fast pick"):
 *
 *   exact         Map<'www.foo.com', T>
 *   dotSuffixes   Map<'.foo.com', T>          suffixes that start with '.', the common case
 *   otherSuffixes [{ len: 12, map }, …]       other suffixes grouped by length, longest first
 *   prefixes      [{ len: 4,  map }, …]       prefixes grouped by length, longest first
 *
 * Suffix lookup walks the host's dots left to right — 'a.b.foo.com' tries '.b.foo.com' then
 * '.foo.com' then '.com' — so it costs one Map lookup per label, however many thousands of
 * wildcards there are; the first hit is the longest dot suffix. Non-dot suffixes are then tried
 * only for lengths longer than that hit (Envoy walks all lengths; the result is the same). Prefix
 * lookup costs one Map lookup per distinct prefix length shorter than the host.
 */
import { InvalidStateError } from '../../common/errors.js';
import { asciiLower } from './string-matcher.js';

interface LengthGroup<T> {
  readonly len: number;
  readonly map: Map<string, T>;
}

export class VirtualHostIndex<T> {
  private readonly exact = new Map<string, T>();
  private readonly dotSuffixes = new Map<string, T>();
  private otherSuffixes: LengthGroup<T>[] = [];
  private prefixes: LengthGroup<T>[] = [];
  private fallback: T | null = null;
  private sealed = false;

  /**
   * Adds one domain at build time. Returns an error message for a duplicate domain or a second
   * '*' (Envoy rejects both), else null.
   */
  add(domain: string, target: T): string | null {
    if (this.sealed) throw new InvalidStateError('VirtualHostIndex.add after seal()');
    const d = asciiLower(domain);
    if (d === '*') {
      if (this.fallback !== null) return "only one virtual host may have the domain '*'";
      this.fallback = target;
      return null;
    }
    let map: Map<string, T>;
    let key: string;
    if (d.length > 1 && d.charCodeAt(0) === 42 /* '*' */) {
      key = d.slice(1);
      map = key.charCodeAt(0) === 46 /* '.' */ ? this.dotSuffixes : groupFor(this.otherSuffixes, key.length);
    } else if (d.length > 1 && d.charCodeAt(d.length - 1) === 42) {
      key = d.slice(0, -1);
      map = groupFor(this.prefixes, key.length);
    } else {
      key = d;
      map = this.exact;
    }
    if (map.has(key)) return `domain ${JSON.stringify(domain)} is used by more than one virtual host`;
    map.set(internalize(key), target);
    return null;
  }

  /** Ends the build: orders the length groups longest first. */
  seal(): this {
    this.otherSuffixes.sort(byLengthDescending);
    this.prefixes.sort(byLengthDescending);
    this.sealed = true;
    return this;
  }

  /** The target for `host` (already normalized; case does not matter), or null. */
  find(host: string): T | null {
    const h = asciiLower(host);
    const exact = this.exact.get(h);
    if (exact !== undefined) return exact;

    let best: T | undefined;
    let bestLen = 0;
    if (this.dotSuffixes.size > 0) {
      // A dot at index 0 would leave the wildcard empty, so start at 1.
      for (let dot = h.indexOf('.', 1); dot !== -1; dot = h.indexOf('.', dot + 1)) {
        const hit = this.dotSuffixes.get(h.slice(dot));
        if (hit !== undefined) {
          best = hit;
          bestLen = h.length - dot;
          break;
        }
      }
    }
    const others = this.otherSuffixes;
    for (let i = 0; i < others.length; i++) {
      const g = others[i];
      if (g.len <= bestLen) break;
      if (g.len >= h.length) continue;
      const hit = g.map.get(h.slice(h.length - g.len));
      if (hit !== undefined) return hit;
    }
    if (best !== undefined) return best;

    const prefixes = this.prefixes;
    for (let i = 0; i < prefixes.length; i++) {
      const g = prefixes[i];
      if (g.len >= h.length) continue;
      const hit = g.map.get(h.slice(0, g.len));
      if (hit !== undefined) return hit;
    }
    return this.fallback;
  }
}

function groupFor<T>(groups: LengthGroup<T>[], len: number): Map<string, T> {
  for (let i = 0; i < groups.length; i++) if (groups[i].len === len) return groups[i].map;
  const map = new Map<string, T>();
  groups.push({ len, map });
  return map;
}

function byLengthDescending<T>(a: LengthGroup<T>, b: LengthGroup<T>): number {
  return b.len - a.len;
}

/**
 * The internalized (flat, unique) copy of `s`. Keys built by concatenation are V8 cons strings;
 * comparing a request's host against one walks the rope on every lookup, so keys are flattened and
 * internalized once at build time.
 */
function internalize(s: string): string {
  const o: Record<string, number> = { [s]: 0 };
  return Object.keys(o)[0];
}
