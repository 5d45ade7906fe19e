/**
 * Opens the SQLite database of a store: `<dir>/switchyard.db` (the directory is created), or an
 * in-memory one for tests. WAL lets readers (the publisher, GETs) run beside the one writer;
 * foreign keys are off by default in SQLite and we rely on them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DATABASE_FILE_NAME = 'switchyard.db';

export function openDatabase(path: string): Database.Database {
  const file = path === ':memory:' ? ':memory:' : join(path, DATABASE_FILE_NAME);
  if (path !== ':memory:') mkdirSync(path, { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across process crashes, one fsync per checkpoint
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000'); // another process (a CLI reading the file) may hold a lock briefly
  return db;
}
