/**
 * Matches a request path against the route table. Paths are split into segments once when the
 * table is built; `{name}` segments capture one non-empty, percent-decoded segment. A path that
 * some route has but not for this method is a 405 with the allowed methods.
 */
import type { Route } from './route.js';

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly string[];
}

export type MatchResult =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

export class RouteMatcher {
  private readonly compiled: readonly CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: split(route.path) }));
  }

  match(method: string, pathname: string): MatchResult {
    const segments = split(pathname);
    const allowed: string[] = [];
    for (const { route, segments: pattern } of this.compiled) {
      const params = matchSegments(pattern, segments);
      if (params === null) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith('{') && p.endsWith('}')) {
      let value: string;
      try {
        value = decodeURIComponent(segments[i]);
      } catch {
        return null; // a malformed escape matches nothing: 404
      }
      params[p.slice(1, -1)] = value;
    } else if (p !== segments[i]) return null;
  }
  return params;
}
