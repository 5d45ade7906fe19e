/** The `traffic_targets` table: a service's split, in the order it was given. */
import type Database from 'better-sqlite3';
import type { TrafficTarget } from '../model/types.js';
import { IN_REGION_CHANGED } from './revision-repository.js';

interface TargetRow {
  service_id: string;
  revision: number;
  percent: number;
  tag: string | null;
}

export class TrafficRepository {
  private readonly listStmt: Database.Statement;
  private readonly regionStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private readonly insertStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.listStmt = db.prepare('SELECT * FROM traffic_targets WHERE service_id = ? ORDER BY position');
    this.regionStmt = db.prepare(`SELECT * FROM traffic_targets WHERE service_id IN (${IN_REGION_CHANGED}) ORDER BY service_id, position`);
    this.deleteStmt = db.prepare('DELETE FROM traffic_targets WHERE service_id = ?');
    this.insertStmt = db.prepare('INSERT INTO traffic_targets (service_id, position, revision, percent, tag) VALUES (?, ?, ?, ?, ?)');
  }

  list(serviceId: string): TrafficTarget[] {
    return (this.listStmt.all(serviceId) as TargetRow[]).map(toTarget);
  }

  /** Splits of every live service in `region` (only those changed after `since`, if given), by service id. */
  listByRegion(region: string, since = -1): Map<string, TrafficTarget[]> {
    const out = new Map<string, TrafficTarget[]>();
    for (const row of this.regionStmt.all(region, since) as TargetRow[]) {
      let list = out.get(row.service_id);
      if (list === undefined) out.set(row.service_id, (list = []));
      list.push(toTarget(row));
    }
    return out;
  }

  /** Replaces the whole split; targets must already be checked (model/validate-traffic.ts). */
  replace(serviceId: string, targets: readonly TrafficTarget[]): void {
    this.deleteStmt.run(serviceId);
    targets.forEach((t, i) => this.insertStmt.run(serviceId, i, revisionNumber(t.revision), t.percent, t.tag));
  }
}

function toTarget(row: TargetRow): TrafficTarget {
  return { revision: `rev-${row.revision}`, percent: row.percent, tag: row.tag };
}

function revisionNumber(name: string): number {
  return Number(name.slice('rev-'.length));
}
