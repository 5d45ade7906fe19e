/**
 * The `revisions` and `endpoints` tables. A revision's row never changes after it is inserted
 * (revisions are immutable); its endpoints are a separate table because instances come and go
 * under one revision (`replaceEndpoints`, for instance providers).
 */
import type Database from 'better-sqlite3';
import { revisionName } from '../model/names.js';
import type { Endpoint, NewRevision, Revision } from '../model/types.js';

interface RevisionRow {
  service_id: string;
  number: number;
  command: string | null;
  args: string;
  env: string;
  created_at: string;
}
interface EndpointRow {
  service_id: string;
  revision: number;
  address: string;
  port: number;
}

/** Live services of one region changed after a config version (-1: all): the scope of the by-region reads. */
export const IN_REGION_CHANGED = 'SELECT id FROM services WHERE region = ? AND config_version > ? AND deleted_at IS NULL';

export class RevisionRepository {
  private readonly insertStmt: Database.Statement;
  private readonly insertEndpointStmt: Database.Statement;
  private readonly deleteEndpointsStmt: Database.Statement;
  private readonly nextNumberStmt: Database.Statement;
  private readonly listStmt: Database.Statement;
  private readonly endpointsStmt: Database.Statement;
  private readonly regionStmt: Database.Statement;
  private readonly regionEndpointsStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare('INSERT INTO revisions (service_id, number, command, args, env, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertEndpointStmt = db.prepare('INSERT INTO endpoints (service_id, revision, position, address, port) VALUES (?, ?, ?, ?, ?)');
    this.deleteEndpointsStmt = db.prepare('DELETE FROM endpoints WHERE service_id = ? AND revision = ?');
    this.nextNumberStmt = db.prepare('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM revisions WHERE service_id = ?');
    this.listStmt = db.prepare('SELECT * FROM revisions WHERE service_id = ? ORDER BY number');
    this.endpointsStmt = db.prepare('SELECT * FROM endpoints WHERE service_id = ? ORDER BY revision, position');
    this.regionStmt = db.prepare(`SELECT * FROM revisions WHERE service_id IN (${IN_REGION_CHANGED}) ORDER BY service_id, number`);
    this.regionEndpointsStmt = db.prepare(`SELECT * FROM endpoints WHERE service_id IN (${IN_REGION_CHANGED}) ORDER BY service_id, revision, position`);
  }

  /** Inserts the service's next revision (rev-1, rev-2, …; numbers are never reused) and returns it. */
  insert(serviceId: string, input: NewRevision, now: string): Revision {
    const number = (this.nextNumberStmt.get(serviceId) as { n: number }).n;
    this.insertStmt.run(serviceId, number, input.command, JSON.stringify(input.args), JSON.stringify(input.env), now);
    this.writeEndpoints(serviceId, number, input.endpoints);
    return { serviceId, name: revisionName(number), number, command: input.command, args: input.args, env: input.env, endpoints: input.endpoints, createdAt: now };
  }

  /** Replaces the instances of one revision (the revision itself stays as it was). */
  replaceEndpoints(serviceId: string, number: number, endpoints: readonly Endpoint[]): void {
    this.deleteEndpointsStmt.run(serviceId, number);
    this.writeEndpoints(serviceId, number, endpoints);
  }

  list(serviceId: string): Revision[] {
    return assemble(this.listStmt.all(serviceId) as RevisionRow[], this.endpointsStmt.all(serviceId) as EndpointRow[]).get(serviceId) ?? [];
  }

  /** Revisions of every live service in `region` (only those changed after `since`, if given), by service id. */
  listByRegion(region: string, since = -1): Map<string, Revision[]> {
    return assemble(this.regionStmt.all(region, since) as RevisionRow[], this.regionEndpointsStmt.all(region, since) as EndpointRow[]);
  }

  private writeEndpoints(serviceId: string, number: number, endpoints: readonly Endpoint[]): void {
    endpoints.forEach((e, i) => this.insertEndpointStmt.run(serviceId, number, i, e.address, e.port));
  }
}

/** Joins revision rows and endpoint rows (both sorted by service, revision) into revisions. */
function assemble(rows: RevisionRow[], endpointRows: EndpointRow[]): Map<string, Revision[]> {
  const endpoints = new Map<string, Endpoint[]>();
  for (const e of endpointRows) {
    const key = `${e.service_id}|${e.revision}`;
    let list = endpoints.get(key);
    if (list === undefined) endpoints.set(key, (list = []));
    list.push({ address: e.address, port: e.port });
  }
  const out = new Map<string, Revision[]>();
  for (const r of rows) {
    let list = out.get(r.service_id);
    if (list === undefined) out.set(r.service_id, (list = []));
    list.push({
      serviceId: r.service_id,
      name: revisionName(r.number),
      number: r.number,
      command: r.command,
      args: JSON.parse(r.args),
      env: JSON.parse(r.env),
      endpoints: endpoints.get(`${r.service_id}|${r.number}`) ?? [],
      createdAt: r.created_at,
    });
  }
  return out;
}
