/**
 * Versioned schema migrations. Each runs once, in order, in its own transaction, and is recorded
 * in `schema_migrations`; a database written by a newer Switchyard (a version we don't know) is
 * refused rather than guessed at. Append new migrations; never edit a released one.
 */
import type Database from 'better-sqlite3';
import { InvalidStateError } from '../../common/errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'platform model',
    sql: `
      CREATE TABLE config_versions (
        version    INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        reason     TEXT NOT NULL
      );
      CREATE TABLE tenants (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        token_hash TEXT UNIQUE,
        created_at TEXT NOT NULL
      );
      -- The tenant every admin call without a 'tenant' lands in (model/defaults.ts DEFAULT_TENANT).
      INSERT INTO tenants (id, name, token_hash, created_at)
        VALUES (lower(hex(randomblob(4))), 'default', NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      CREATE TABLE services (
        id           TEXT PRIMARY KEY,
        tenant       TEXT NOT NULL REFERENCES tenants(name),
        name         TEXT NOT NULL,
        region       TEXT NOT NULL,
        port         INTEGER NOT NULL,
        health_check TEXT NOT NULL,
        autoscaling  TEXT NOT NULL,
        routing      TEXT NOT NULL,
        rate_limit   TEXT NOT NULL,
        deployment   TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted_at   TEXT
      );
      -- A name is unique among a tenant's live services; a deleted service frees it.
      CREATE UNIQUE INDEX services_tenant_name ON services (tenant, name) WHERE deleted_at IS NULL;
      CREATE INDEX services_region ON services (region) WHERE deleted_at IS NULL;
      CREATE TABLE revisions (
        service_id TEXT NOT NULL REFERENCES services(id),
        number     INTEGER NOT NULL,
        command    TEXT,
        args       TEXT NOT NULL,
        env        TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (service_id, number)
      ) WITHOUT ROWID;
      CREATE TABLE endpoints (
        service_id TEXT NOT NULL,
        revision   INTEGER NOT NULL,
        position   INTEGER NOT NULL,
        address    TEXT NOT NULL,
        port       INTEGER NOT NULL,
        PRIMARY KEY (service_id, revision, position),
        FOREIGN KEY (service_id, revision) REFERENCES revisions(service_id, number)
      ) WITHOUT ROWID;
      CREATE TABLE traffic_targets (
        service_id TEXT NOT NULL REFERENCES services(id),
        position   INTEGER NOT NULL,
        revision   INTEGER NOT NULL,
        percent    INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
        tag        TEXT,
        PRIMARY KEY (service_id, position),
        UNIQUE (service_id, revision),
        UNIQUE (service_id, tag),
        FOREIGN KEY (service_id, revision) REFERENCES revisions(service_id, number)
      ) WITHOUT ROWID;
      -- DESIGN §3: a domain belongs to exactly one service across all tenants.
      CREATE TABLE domains (
        name       TEXT PRIMARY KEY,
        service_id TEXT NOT NULL REFERENCES services(id),
        created_at TEXT NOT NULL
      );
      CREATE INDEX domains_service ON domains (service_id);
    `,
  },
  {
    version: 2,
    name: 'per-service config version',
    // The config version of the last change that touched a service (its row, revisions,
    // endpoints, traffic, domains), so the publisher reads only what changed since it last read.
    // Deleted services keep their row, and so their version: they are the tombstones.
    sql: `
      ALTER TABLE services ADD COLUMN config_version INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX services_region_config_version ON services (region, config_version);
    `,
  },
];

/** Applies the migrations `db` has not seen yet; returns the versions applied now. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  const newest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  if (current > newest) {
    throw new InvalidStateError(`the database is at schema version ${current} but this Switchyard knows only up to ${newest}; upgrade Switchyard`);
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}

/** The migrations recorded in `db`, oldest first. */
export function appliedMigrations(db: Database.Database): { version: number; name: string; appliedAt: string }[] {
  return (db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as { version: number; name: string; applied_at: string }[]).map(
    (r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at }),
  );
}
