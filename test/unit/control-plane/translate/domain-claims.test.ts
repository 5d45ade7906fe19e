/**
 * DomainClaims settles domains exactly as assembleVirtualHosts does, kept up to date spec by spec:
 * random virtual host specs drawing on a small pool of domains (so platform and custom claims,
 * case variants and duplicates within one spec clash all the time) are added and removed, and
 * after every step settle() equals the full pass.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleVirtualHosts } from '../../../../src/control-plane/translate/assemble-virtual-hosts.js';
import { DomainClaims } from '../../../../src/control-plane/translate/domain-claims.js';
import type { VirtualHostSpec } from '../../../../src/control-plane/translate/to-virtual-hosts.js';

const POOL = ['a.test', 'A.test', 'b.test', 'c.test', 'svc-1.local', 'SVC-2.local', ''];

test('DomainClaims.settle equals assembleVirtualHosts after every random add and remove', () => {
  let seed = 5;
  const random = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
  const pick = (): string[] => Array.from({ length: random(5) }, () => POOL[random(POOL.length)]);
  const claims = new DomainClaims();
  const live = new Map<string, VirtualHostSpec>();
  for (let i = 0; i < 2_000; i++) {
    const name = `vh-${random(12)}`;
    const old = live.get(name);
    if (old !== undefined) {
      claims.remove(old);
      live.delete(name);
    }
    if (old === undefined || random(3) > 0) {
      const spec: VirtualHostSpec = Object.freeze({ name, serviceId: name, platformDomains: pick(), customDomains: pick(), body: { routes: [] } });
      claims.add(spec);
      live.set(name, spec);
    }
    const ordered = [...live.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
    assert.deepEqual(claims.settle(), assembleVirtualHosts(ordered), `step ${i}`);
  }
});
