/**
 * The `services` table. Every change that touches a service stamps its row with the change's
 * config version (`config_version`), so `listChangedInRegion` finds what changed since a version.
 * Settings are stored as one JSON column per settings type and read back
 * merged over today's defaults, so a settings field added later gets its default on old rows.
 * The host and URL are derived on read (they depend on the base domain and listener port the
 * control plane runs with, which may change between runs), never stored.
 */
import type Database from 'better-sqlite3';
import { DEFAULT_AUTOSCALING, DEFAULT_DEPLOYMENT, DEFAULT_HEALTH_CHECK, DEFAULT_RATE_LIMIT, DEFAULT_ROUTING } from '../model/defaults.js';
import { serviceHost, serviceUrl } from '../model/names.js';
import type { NewService, Service, ServiceSettings } from '../model/types.js';

/** How hosts and URLs are spelled: the platform's base domain and the published HTTP port. */
export interface Naming {
  readonly baseDomain: string;
  readonly httpPort: number;
}

interface ServiceRow {
  id: string;
  tenant: string;
  name: string;
  region: string;
  port: number;
  health_check: string;
  autoscaling: string;
  routing: string;
  rate_limit: string;
  deployment: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  has_traffic: number;
}

const SELECT = `SELECT s.*, EXISTS (SELECT 1 FROM traffic_targets t WHERE t.service_id = s.id) AS has_traffic FROM services s`;

export class ServiceRepository {
  private readonly insertStmt: Database.Statement;
  private readonly byIdStmt: Database.Statement;
  private readonly byNameStmt: Database.Statement;
  private readonly updateStmt: Database.Statement;
  private readonly touchStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private readonly regionsStmt: Database.Statement;
  private readonly existsStmt: Database.Statement;
  private readonly changedStmt: Database.Statement;
  /** list() statements by their WHERE clause (four shapes at most). */
  private readonly listStmts = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO services (id, tenant, name, region, port, health_check, autoscaling, routing, rate_limit, deployment, created_at, updated_at, config_version)
      VALUES (@id, @tenant, @name, @region, @port, @health_check, @autoscaling, @routing, @rate_limit, @deployment, @now, @now, @version)`);
    this.byIdStmt = db.prepare(`${SELECT} WHERE s.id = ? AND s.deleted_at IS NULL`);
    this.byNameStmt = db.prepare(`${SELECT} WHERE s.tenant = ? AND s.name = ? AND s.deleted_at IS NULL`);
    this.updateStmt = db.prepare(`UPDATE services SET port = @port, health_check = @health_check, autoscaling = @autoscaling, routing = @routing,
      rate_limit = @rate_limit, deployment = @deployment, updated_at = @now, config_version = @version WHERE id = @id`);
    this.touchStmt = db.prepare('UPDATE services SET updated_at = ?, config_version = ? WHERE id = ?');
    this.deleteStmt = db.prepare('UPDATE services SET deleted_at = ?, updated_at = ?, config_version = ? WHERE id = ? AND deleted_at IS NULL');
    // Deleted rows too: they tell the reader which services left.
    this.changedStmt = db.prepare(`${SELECT} WHERE s.region = ? AND s.config_version > ? ORDER BY s.rowid`);
    this.existsStmt = db.prepare('SELECT 1 FROM services WHERE id = ?');
    this.regionsStmt = db.prepare('SELECT DISTINCT region FROM services WHERE deleted_at IS NULL ORDER BY region');
  }

  insert(id: string, tenant: string, spec: NewService & { region: string }, now: string, version: number): void {
    this.insertStmt.run({ id, tenant, name: spec.name, region: spec.region, now, version, ...settingsColumns(spec) });
  }

  /** A live (not deleted) service, or null. */
  get(id: string, naming: Naming): Service | null {
    const row = this.byIdStmt.get(id) as ServiceRow | undefined;
    return row === undefined ? null : toService(row, naming);
  }

  /** True if any service, live or deleted, has this id (ids are never reused). */
  exists(id: string): boolean {
    return this.existsStmt.get(id) !== undefined;
  }

  findByName(tenant: string, name: string, naming: Naming): Service | null {
    const row = this.byNameStmt.get(tenant, name) as ServiceRow | undefined;
    return row === undefined ? null : toService(row, naming);
  }

  /** Live services, oldest first, optionally of one tenant and/or region. */
  list(filter: { tenant?: string; region?: string }, naming: Naming): Service[] {
    const where = ['s.deleted_at IS NULL'];
    const params: string[] = [];
    if (filter.tenant !== undefined) (where.push('s.tenant = ?'), params.push(filter.tenant));
    if (filter.region !== undefined) (where.push('s.region = ?'), params.push(filter.region));
    const key = where.join(' AND ');
    let stmt = this.listStmts.get(key);
    if (stmt === undefined) this.listStmts.set(key, (stmt = this.db.prepare(`${SELECT} WHERE ${key} ORDER BY s.rowid`)));
    const rows = stmt.all(...params) as ServiceRow[];
    return rows.map((r) => toService(r, naming));
  }

  /**
   * Services of `region` whose config version is above `since`, oldest first: live ones and
   * deleted ones (status DELETED). Served by the (region, config_version) index: O(changed).
   */
  listChangedInRegion(region: string, since: number, naming: Naming): Service[] {
    return (this.changedStmt.all(region, since) as ServiceRow[]).map((r) => toService(r, naming));
  }

  updateSettings(id: string, settings: ServiceSettings, now: string, version: number): void {
    this.updateStmt.run({ id, now, version, ...settingsColumns(settings) });
  }

  /** Marks a change of the service's revisions, endpoints, traffic or domains in change `version`. */
  touch(id: string, now: string, version: number): void {
    this.touchStmt.run(now, version, id);
  }

  markDeleted(id: string, now: string, version: number): boolean {
    return this.deleteStmt.run(now, now, version, id).changes === 1;
  }

  regions(): string[] {
    return (this.regionsStmt.all() as { region: string }[]).map((r) => r.region);
  }
}

function settingsColumns(s: ServiceSettings): Record<string, unknown> {
  return {
    port: s.port,
    health_check: JSON.stringify(s.healthCheck),
    autoscaling: JSON.stringify(s.autoscaling),
    routing: JSON.stringify(s.routing),
    rate_limit: JSON.stringify(s.rateLimit),
    deployment: JSON.stringify(s.deployment),
  };
}

function toService(row: ServiceRow, naming: Naming): Service {
  const host = serviceHost(row.name, row.id, row.region, naming.baseDomain);
  const routing = { ...DEFAULT_ROUTING, ...JSON.parse(row.routing) };
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    region: row.region,
    port: row.port,
    url: serviceUrl(host, naming.httpPort),
    host,
    status: row.deleted_at !== null ? 'DELETED' : row.has_traffic ? 'RUNNING' : 'CREATED',
    healthCheck: { ...DEFAULT_HEALTH_CHECK, ...JSON.parse(row.health_check) },
    autoscaling: { ...DEFAULT_AUTOSCALING, ...JSON.parse(row.autoscaling) },
    routing: { ...routing, retries: { ...DEFAULT_ROUTING.retries, ...routing.retries } },
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...JSON.parse(row.rate_limit) },
    deployment: { ...DEFAULT_DEPLOYMENT, ...JSON.parse(row.deployment) },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The settings part of a service (what PATCH merges over). */
export function settingsOf(s: Service): ServiceSettings {
  return { port: s.port, healthCheck: s.healthCheck, autoscaling: s.autoscaling, routing: s.routing, rateLimit: s.rateLimit, deployment: s.deployment };
}
