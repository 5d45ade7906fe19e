/**
 * The global config version and its history. Every committed store change appends one row
 * (version, time, reason) in the same transaction, so the version a reader sees always matches
 * the data it reads. The history is capped so a long-lived control plane's file does not grow
 * without bound.
 */
import type Database from 'better-sqlite3';

/** One published config version (GET /v1/config-versions). */
export interface ConfigVersion {
  readonly version: number;
  readonly createdAt: string;
  /** What changed, e.g. `create service web (k3f9a0b2) in tenant default`. */
  readonly reason: string;
}

/** How many versions of history are kept. */
export const CONFIG_HISTORY_LIMIT = 10_000;

export class ConfigVersionLog {
  private readonly currentStmt: Database.Statement;
  private readonly insertStmt: Database.Statement;
  private readonly pruneStmt: Database.Statement;
  private readonly listStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.currentStmt = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM config_versions');
    this.insertStmt = db.prepare('INSERT INTO config_versions (version, created_at, reason) VALUES (?, ?, ?)');
    this.pruneStmt = db.prepare('DELETE FROM config_versions WHERE version <= ?');
    this.listStmt = db.prepare('SELECT * FROM config_versions ORDER BY version DESC LIMIT ?');
  }

  /** The current version: 0 before the first change. */
  current(): number {
    return (this.currentStmt.get() as { v: number }).v;
  }

  /** The version the change in progress will get; call inside its (write-locked) transaction. */
  next(): number {
    return this.current() + 1;
  }

  /** Appends `version` (from next()) with its reason; call inside the same transaction. */
  append(version: number, reason: string, now: string): void {
    this.insertStmt.run(version, now, reason);
    if (version > CONFIG_HISTORY_LIMIT) this.pruneStmt.run(version - CONFIG_HISTORY_LIMIT);
  }

  /** The newest `limit` versions, newest first. */
  list(limit: number): ConfigVersion[] {
    return (this.listStmt.all(limit) as { version: number; created_at: string; reason: string }[]).map((r) => ({
      version: r.version,
      createdAt: r.created_at,
      reason: r.reason,
    }));
  }
}
