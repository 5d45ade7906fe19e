/**
 * Runs store changes: each one is an IMMEDIATE transaction (the write lock is taken up front, so
 * a check and the write it guards cannot interleave with another writer) that appends the next
 * config version with its reason. The change knows its version while it runs, so the rows it
 * touches can be stamped with it (services.config_version). After the commit the listeners hear the new version
 * synchronously, in subscription order. A throw inside the change rolls all of it back and
 * nobody is told anything; a throwing listener is logged and the others still run.
 */
import type Database from 'better-sqlite3';
import { Logger } from '../../common/logger.js';
import type { ConfigVersionLog } from './config-version-log.js';

const log = new Logger('store');

/** Called synchronously after each committed change with the new config version. */
export type ChangeListener = (version: number) => void;

export class ChangeRunner {
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    private readonly db: Database.Database,
    private readonly versions: ConfigVersionLog,
  ) {}

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.listeners.clear();
  }

  /** Runs `fn(now, version)` as one change; `fn` returns its result and the reason recorded with the version. */
  run<T>(fn: (now: string, version: number) => { value: T; reason: string }): T {
    let version = 0;
    const transaction = this.db.transaction(() => {
      const now = new Date().toISOString();
      version = this.versions.next();
      const { value, reason } = fn(now, version);
      this.versions.append(version, reason, now);
      return value;
    });
    const value = transaction.immediate();
    for (const listener of this.listeners) {
      try {
        listener(version);
      } catch (err) {
        log.error('change listener failed', { version, error: String(err) });
      }
    }
    return value;
  }
}
