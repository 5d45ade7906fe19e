import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { InvalidStateError } from '../../../../src/common/errors.js';
import { MIGRATIONS } from '../../../../src/control-plane/store/migrations.js';
import { openStore, type Store } from '../../../../src/control-plane/store/store.js';
import { ep, newRevision, newService } from './store-fixture.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(path: string): Store {
  return openStore({ path, baseDomain: 'switchyard.localhost', region: 'local', httpPort: 8080 });
}

test('a data directory gets switchyard.db in WAL mode (the directory is created)', (t) => {
  const dir = join(tempDir(t), 'nested', 'data');
  const store = open(dir);
  store.createService(newService('web'));
  assert.ok(existsSync(join(dir, 'switchyard.db')));
  const peek = new Database(join(dir, 'switchyard.db'), { readonly: true });
  t.after(() => peek.close());
  assert.equal(peek.pragma('journal_mode', { simple: true }), 'wal');
  store.close();
  store.close(); // idempotent
});

test('migrations run once: reopening applies nothing and keeps every row', (t) => {
  const dir = tempDir(t);
  const first = open(dir);
  const applied = first.migrations();
  assert.deepEqual(applied.map((m) => m.version), MIGRATIONS.map((m) => m.version));
  const s = first.createService(newService('web'));
  first.createRevision(s.id, newRevision(ep(1)));
  first.addDomain(s.id, 'app.example.com');
  const { token } = first.createTenant('acme');
  const version = first.configVersion();
  const state = first.getServiceState(s.id);
  first.close();

  const second = open(dir);
  t.after(() => second.close());
  assert.deepEqual(second.migrations(), applied, 'same rows, same applied_at: nothing re-ran');
  assert.equal(second.configVersion(), version);
  assert.deepEqual(second.getServiceState(s.id), state);
  assert.equal(second.tenantByToken(token)?.name, 'acme');
  assert.deepEqual(second.listConfigVersions(10).map((v) => v.version), [4, 3, 2, 1]);
  second.createRevision(s.id, newRevision(ep(2)));
  assert.equal(second.listRevisions(s.id).at(-1)?.name, 'rev-2');
  assert.equal(second.configVersion(), version + 1);
});

test('a database from a newer Switchyard (unknown schema version) is refused', (t) => {
  const dir = tempDir(t);
  open(dir).close();
  const db = new Database(join(dir, 'switchyard.db'));
  db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
  db.close();
  assert.throws(() => open(dir), (err: unknown) => err instanceof InvalidStateError && /schema version 999/.test(err.message));
});

test('a change that fails half-way rolls back entirely (no revision, no version bump)', (t) => {
  const dir = tempDir(t);
  const store = open(dir);
  t.after(() => store.close());
  const s = store.createService(newService('web'));
  const version = store.configVersion();
  // Make the traffic write (the second half of createRevision) fail from inside SQLite.
  const other = new Database(join(dir, 'switchyard.db'));
  other.exec("CREATE TRIGGER fail_traffic BEFORE INSERT ON traffic_targets BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  other.close();
  assert.throws(() => store.createRevision(s.id, newRevision(ep(1))), /injected failure/);
  assert.deepEqual(store.listRevisions(s.id), []);
  assert.equal(store.configVersion(), version);
  assert.deepEqual(store.getTraffic(s.id), []);
});

test('tenant tokens are stored only as hashes', (t) => {
  const dir = tempDir(t);
  const store = open(dir);
  const { token } = store.createTenant('acme');
  store.close();
  const db = new Database(join(dir, 'switchyard.db'), { readonly: true });
  t.after(() => db.close());
  const row = db.prepare("SELECT token_hash FROM tenants WHERE name = 'acme'").get() as { token_hash: string };
  assert.match(row.token_hash, /^[0-9a-f]{64}$/);
  assert.ok(!readFileSync(join(dir, 'switchyard.db')).includes(token));
});

test("':memory:' stores are independent", () => {
  const a = open(':memory:');
  const b = open(':memory:');
  a.createService(newService('web'));
  assert.equal(b.listServices().length, 0);
  a.close();
  b.close();
});
