/**
 * assemble-virtual-hosts.ts's domain settling, kept up to date spec by spec for the incremental
 * translator: adding or removing a spec re-settles only that spec and the specs it shares a
 * domain with, and settle() hands out the VirtualHosts sorted by name (the previous array when
 * nothing changed, sorted-by-name.ts), so a change costs O(changed specs), not a pass over all.
 *
 * The full pass gives a domain to its first claim attempt in the order (pass: platform domains
 * before custom ones, then virtual host name, then position in the spec's list); every later
 * attempt loses it. So this keeps, per lower-cased domain, every attempt on it: a domain with a
 * single attempt belongs to that spec (the common case, decided without comparing anything), and
 * for a contested one the first attempt in that order wins.
 */
import type { ProtoObject } from '../../xds/proto-object.js';
import { compareStrings } from './order.js';
import { virtualHostOf } from './assemble-virtual-hosts.js';
import { SortedByName } from './sorted-by-name.js';
import type { VirtualHostSpec } from './to-virtual-hosts.js';

interface Claim {
  readonly spec: VirtualHostSpec;
  /** 0: a platform domain, 1: a custom one (claimed after every platform domain). */
  readonly pass: 0 | 1;
  /** Position in the spec's attempts (platform domains in order, then custom ones sorted). */
  readonly position: number;
  readonly domain: string;
}

interface SpecClaims {
  readonly claims: readonly Claim[];
  /** Every attempt's domain in order: the spec's domains when none is contested. */
  readonly domains: readonly string[];
}

export class DomainClaims {
  private readonly byDomain = new Map<string, Claim[]>();
  /** The live spec of each virtual host name. */
  private readonly specs = new Map<string, VirtualHostSpec>();
  /** The settled VirtualHosts by name (a name whose spec has no domain left has none). */
  private readonly hosts = new SortedByName<ProtoObject>();
  /** Specs to settle again: added, or sharing a domain with one added or removed. */
  private readonly dirty = new Set<VirtualHostSpec>();
  /** Names whose spec was removed: dropped at settle() unless a new spec took the name. */
  private readonly removedNames = new Set<string>();

  add(spec: VirtualHostSpec): void {
    this.specs.set(spec.name, spec);
    this.dirty.add(spec);
    for (const claim of claimsOf(spec).claims) {
      const list = this.byDomain.get(claim.domain);
      if (list === undefined) {
        this.byDomain.set(claim.domain, [claim]);
        continue;
      }
      for (const other of list) this.dirty.add(other.spec);
      list.push(claim);
    }
  }

  remove(spec: VirtualHostSpec): void {
    if (this.specs.get(spec.name) === spec) this.specs.delete(spec.name);
    this.dirty.delete(spec);
    this.removedNames.add(spec.name);
    for (const claim of claimsOf(spec).claims) {
      const list = this.byDomain.get(claim.domain);
      if (list === undefined) continue;
      const i = list.indexOf(claim);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byDomain.delete(claim.domain);
      else for (const other of list) this.dirty.add(other.spec);
    }
  }

  /** assembleVirtualHosts over the specs added and not removed; the same array as last time when nothing changed. */
  settle(): readonly ProtoObject[] {
    for (const name of this.removedNames) if (!this.specs.has(name)) this.hosts.delete(name);
    this.removedNames.clear();
    for (const spec of this.dirty) {
      // Marked by a claim it shared with itself (a domain listed twice) and then removed: not live.
      if (this.specs.get(spec.name) !== spec) continue;
      const { claims, domains } = claimsOf(spec);
      const contested = claims.some((c) => (this.byDomain.get(c.domain)?.length ?? 0) > 1);
      const own = contested ? claims.filter((c) => this.wins(c)).map((c) => c.domain) : domains;
      if (own.length > 0) this.hosts.set(spec.name, virtualHostOf(spec, own));
      else this.hosts.delete(spec.name);
    }
    this.dirty.clear();
    return this.hosts.array();
  }

  private wins(claim: Claim): boolean {
    let first: Claim | null = null;
    for (const c of this.byDomain.get(claim.domain) ?? []) if (first === null || before(c, first)) first = c;
    return first === claim;
  }
}

function before(a: Claim, b: Claim): boolean {
  if (a.pass !== b.pass) return a.pass < b.pass;
  if (a.spec !== b.spec) return compareStrings(a.spec.name, b.spec.name) < 0;
  return a.position < b.position;
}

/** A spec's claim attempts, once per spec object (specs are frozen). */
function claimsOf(spec: VirtualHostSpec): SpecClaims {
  let known = memo.get(spec);
  if (known !== undefined) return known;
  const claims: Claim[] = [];
  const attempt = (domain: string, pass: 0 | 1): void => {
    if (domain !== '') claims.push({ spec, pass, position: claims.length, domain });
  };
  for (const raw of spec.platformDomains) attempt(raw.toLowerCase(), 0);
  for (const d of spec.customDomains.map((x) => x.toLowerCase()).sort(compareStrings)) attempt(d, 1);
  known = { claims, domains: claims.map((c) => c.domain) };
  memo.set(spec, known);
  return known;
}

const memo = new WeakMap<VirtualHostSpec, SpecClaims>();
