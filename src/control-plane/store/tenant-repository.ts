/**
 * The `tenants` table. A tenant's token is shown once, when it is created, and stored only as its
 * SHA-256: tokens are 256 random bits, so a fast hash is enough (no password stretching needed)
 * and lookup stays an index probe.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Tenant } from '../model/types.js';

interface TenantRow {
  id: string;
  name: string;
  token_hash: string | null;
  created_at: string;
}

/** Tokens look like `sy_<tenant>_<43 base64url chars>`, so a leaked one says whose it is. */
export function generateTenantToken(tenant: string): string {
  return `sy_${tenant}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TenantRepository {
  private readonly insertStmt: Database.Statement;
  private readonly byNameStmt: Database.Statement;
  private readonly byHashStmt: Database.Statement;
  private readonly listStmt: Database.Statement;
  private readonly setHashStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare('INSERT INTO tenants (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)');
    this.byNameStmt = db.prepare('SELECT * FROM tenants WHERE name = ?');
    this.byHashStmt = db.prepare('SELECT * FROM tenants WHERE token_hash = ?');
    this.listStmt = db.prepare('SELECT * FROM tenants ORDER BY rowid');
    this.setHashStmt = db.prepare('UPDATE tenants SET token_hash = ? WHERE name = ?');
  }

  insert(id: string, name: string, tokenHash: string, now: string): Tenant {
    this.insertStmt.run(id, name, tokenHash, now);
    return { id, name, createdAt: now };
  }

  get(name: string): Tenant | null {
    const row = this.byNameStmt.get(name) as TenantRow | undefined;
    return row === undefined ? null : toTenant(row);
  }

  byTokenHash(hash: string): Tenant | null {
    const row = this.byHashStmt.get(hash) as TenantRow | undefined;
    return row === undefined ? null : toTenant(row);
  }

  list(): Tenant[] {
    return (this.listStmt.all() as TenantRow[]).map(toTenant);
  }

  setTokenHash(name: string, hash: string): boolean {
    return this.setHashStmt.run(hash, name).changes === 1;
  }
}

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
