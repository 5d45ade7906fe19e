/**
 * Settles domains across the virtual hosts of one RouteConfiguration and emits them sorted by name.
 *
 * Envoy NACKs a whole RouteConfiguration when one domain appears in two virtual hosts, which would
 * break routing for every tenant at once. The store keeps domains unique, so a clash means bad
 * data; it costs only the clashing domain: platform hosts (service and tag hosts) are claimed
 * first, then custom domains, each pass in virtual host name order, and a later claimant loses the
 * domain. A virtual host left with no domain is dropped. Domains are lower-cased (Host matching is
 * case-insensitive, and the duplicate check is too).
 *
 * A spec object seen before (IncrementalTranslator hands back unchanged services' specs) that
 * keeps the same domains yields the very VirtualHost object of last time, so the snapshot cache
 * re-encodes only the virtual hosts that changed (encoded-snapshot.ts).
 */
import type { ProtoObject } from '../../xds/proto-object.js';
import { compareStrings, sortedBy } from './order.js';
import type { VirtualHostSpec } from './to-virtual-hosts.js';

/** VirtualHost messages for `specs`, sorted by name, each domain in exactly one of them. */
export function assembleVirtualHosts(specs: readonly VirtualHostSpec[]): ProtoObject[] {
  return assembleSortedVirtualHosts(sortedBy(specs, (s) => s.name));
}

/** assembleVirtualHosts for specs already sorted by name (the incremental translator keeps them so). */
export function assembleSortedVirtualHosts(ordered: readonly VirtualHostSpec[]): ProtoObject[] {
  const claimed = new Set<string>();
  const domains = new Map<VirtualHostSpec, string[]>();
  for (const spec of ordered) domains.set(spec, []);
  const claim = (spec: VirtualHostSpec, list: readonly string[]): void => {
    for (const raw of list) {
      const domain = raw.toLowerCase();
      if (domain === '' || claimed.has(domain)) continue;
      claimed.add(domain);
      domains.get(spec)?.push(domain);
    }
  };
  for (const spec of ordered) claim(spec, spec.platformDomains);
  for (const spec of ordered) claim(spec, spec.customDomains.map((d) => d.toLowerCase()).sort(compareStrings));

  const out: ProtoObject[] = [];
  for (const spec of ordered) {
    const own = domains.get(spec) ?? [];
    if (own.length > 0) out.push(virtualHostOf(spec, own));
  }
  return out;
}

/** The VirtualHost of `spec` with its settled domains: the one built last time when they are the same. */
export function virtualHostOf(spec: VirtualHostSpec, own: readonly string[]): ProtoObject {
  const previous = built.get(spec);
  if (previous !== undefined && sameStrings(previous.domains as readonly string[], own)) return previous;
  const vhost = { name: spec.name, domains: own, ...spec.body };
  built.set(spec, vhost);
  return vhost;
}

/** The VirtualHost last built from each spec (specs are frozen; a memo, not state: same output either way). */
const built = new WeakMap<VirtualHostSpec, ProtoObject>();

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
