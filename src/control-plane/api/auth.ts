/**
 * Who a request is from (DESIGN §7 auth). `Authorization: Bearer <token>`:
 * - the admin token → admin; a tenant's token → that tenant (confined to its services);
 * - no admin token configured (open mode, loopback development): a request without a token, or
 *   with one that is not a tenant's, is the admin; a tenant token still narrows to its tenant;
 * - otherwise, no or an unknown token → null (401).
 * Tokens are compared as SHA-256 digests with timingSafeEqual, so the comparison time says
 * nothing about how much of a guess was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { Principal } from './route.js';

const ADMIN: Principal = { kind: 'admin' };

export class Authenticator {
  private readonly adminDigest: Buffer | null;

  constructor(
    private readonly store: Store,
    adminToken: string | undefined,
  ) {
    this.adminDigest = adminToken === undefined || adminToken === '' ? null : digest(adminToken);
  }

  /** True when no admin token is configured. */
  get open(): boolean {
    return this.adminDigest === null;
  }

  authenticate(authorization: string | undefined): Principal | null {
    const token = bearerToken(authorization);
    if (token !== null) {
      if (this.adminDigest !== null && timingSafeEqual(digest(token), this.adminDigest)) return ADMIN;
      const tenant = this.store.tenantByToken(token);
      if (tenant !== null) return { kind: 'tenant', tenant: tenant.name };
    }
    return this.open ? ADMIN : null;
  }
}

function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(header);
  return m === null ? null : m[1];
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
