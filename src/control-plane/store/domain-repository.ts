/** The `domains` table; its primary key is what makes a domain belong to one service across all tenants. */
import type Database from 'better-sqlite3';
import type { Domain } from '../model/types.js';
import { IN_REGION_CHANGED } from './revision-repository.js';

interface DomainRow {
  name: string;
  service_id: string;
  created_at: string;
}

export class DomainRepository {
  private readonly getStmt: Database.Statement;
  private readonly listStmt: Database.Statement;
  private readonly regionStmt: Database.Statement;
  private readonly insertStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private readonly deleteAllStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT * FROM domains WHERE name = ?');
    this.listStmt = db.prepare('SELECT * FROM domains WHERE service_id = ? ORDER BY name');
    this.regionStmt = db.prepare(`SELECT * FROM domains WHERE service_id IN (${IN_REGION_CHANGED}) ORDER BY service_id, name`);
    this.insertStmt = db.prepare('INSERT INTO domains (name, service_id, created_at) VALUES (?, ?, ?)');
    this.deleteStmt = db.prepare('DELETE FROM domains WHERE name = ? AND service_id = ?');
    this.deleteAllStmt = db.prepare('DELETE FROM domains WHERE service_id = ?');
  }

  get(name: string): Domain | null {
    const row = this.getStmt.get(name) as DomainRow | undefined;
    return row === undefined ? null : toDomain(row);
  }

  list(serviceId: string): Domain[] {
    return (this.listStmt.all(serviceId) as DomainRow[]).map(toDomain);
  }

  /** Domains of every live service in `region` (only those changed after `since`, if given), by service id. */
  listByRegion(region: string, since = -1): Map<string, Domain[]> {
    const out = new Map<string, Domain[]>();
    for (const row of this.regionStmt.all(region, since) as DomainRow[]) {
      let list = out.get(row.service_id);
      if (list === undefined) out.set(row.service_id, (list = []));
      list.push(toDomain(row));
    }
    return out;
  }

  insert(name: string, serviceId: string, now: string): Domain {
    this.insertStmt.run(name, serviceId, now);
    return { name, serviceId, createdAt: now };
  }

  delete(name: string, serviceId: string): boolean {
    return this.deleteStmt.run(name, serviceId).changes === 1;
  }

  /** Frees every domain of a deleted service. */
  deleteAll(serviceId: string): void {
    this.deleteAllStmt.run(serviceId);
  }
}

function toDomain(row: DomainRow): Domain {
  return { name: row.name, serviceId: row.service_id, createdAt: row.created_at };
}
