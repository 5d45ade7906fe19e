import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlatformError } from '../../../../src/control-plane/model/platform-error.js';
import { openStore } from '../../../../src/control-plane/store/store.js';
import { BASE_DOMAIN, codeOf, ep, memoryStore, newRevision, newService } from './store-fixture.js';

test('createService assigns an 8-character id and derives host and url (DESIGN §3)', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const s = store.createService(newService('web'));
  assert.match(s.id, /^[0-9a-z]{8}$/);
  assert.equal(s.host, `web-${s.id}.local.${BASE_DOMAIN}`);
  assert.equal(s.url, `http://web-${s.id}.local.${BASE_DOMAIN}:8080`);
  assert.equal(s.tenant, 'default');
  assert.equal(s.region, 'local');
  assert.equal(s.status, 'CREATED');
  assert.deepEqual(store.getService(s.id), s);
  assert.deepEqual(store.getServiceState(s.id), { service: s, revisions: [], traffic: [], domains: [] });
});

test('ids are random', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const ids = new Set(Array.from({ length: 50 }, (_, i) => store.createService(newService(`s${i}`)).id));
  assert.equal(ids.size, 50);
});

test('a service name is unique per tenant, not across tenants', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  store.createTenant('acme');
  store.createService(newService('web'));
  assert.equal(codeOf(() => store.createService(newService('web'))), 'SY_ERR_SERVICE_EXISTS');
  const other = store.createService(newService('web', { tenant: 'acme' }));
  assert.equal(other.tenant, 'acme');
  assert.deepEqual(store.listServices({ tenant: 'acme' }).map((s) => s.id), [other.id]);
  assert.equal(store.listServices().length, 2);
});

test('an unknown tenant is a validation error on `tenant`', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  try {
    store.createService(newService('web', { tenant: 'nobody' }));
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof PlatformError);
    assert.equal(err.code, 'SY_ERR_VALIDATION');
    assert.deepEqual(err.errors.map((e) => e.path), ['tenant']);
  }
});

test('revisions are rev-1, rev-2, … per service, and the first takes 100% of traffic', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const a = store.createService(newService('a'));
  const b = store.createService(newService('b'));
  assert.equal(store.createRevision(a.id, newRevision()).name, 'rev-1');
  assert.deepEqual(store.getTraffic(a.id), [{ revision: 'rev-1', percent: 100, tag: null }]);
  assert.equal(store.getService(a.id)?.status, 'RUNNING');
  assert.equal(store.createRevision(a.id, newRevision(ep(1))).name, 'rev-2');
  assert.equal(store.createRevision(b.id, newRevision()).name, 'rev-1');
  const revs = store.listRevisions(a.id);
  assert.deepEqual(revs.map((r) => [r.name, r.number, r.endpoints]), [['rev-1', 1, []], ['rev-2', 2, [ep(1)]]]);
  assert.deepEqual(store.getRevision(a.id, 'rev-2'), revs[1]);
  assert.equal(codeOf(() => store.getRevision(a.id, 'rev-3')), 'SY_ERR_REVISION_NOT_FOUND');
});

test("'all-at-once' moves 100% to a revision with endpoints; tags stay at 0%", (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const s = store.createService(newService('web'));
  store.createRevision(s.id, newRevision(ep(1)));
  store.createRevision(s.id, newRevision(ep(2)));
  assert.deepEqual(store.getTraffic(s.id), [{ revision: 'rev-2', percent: 100, tag: null }]);
  store.setTraffic(s.id, [{ revision: 'rev-2', percent: 100, tag: 'stable' }]);
  store.createRevision(s.id, newRevision()); // no endpoints: traffic stays
  assert.deepEqual(store.getTraffic(s.id), [{ revision: 'rev-2', percent: 100, tag: 'stable' }]);
  store.createRevision(s.id, newRevision(ep(4)));
  assert.deepEqual(store.getTraffic(s.id), [{ revision: 'rev-4', percent: 100, tag: null }, { revision: 'rev-2', percent: 0, tag: 'stable' }]);
});

test("'manual' leaves traffic where it is after the first revision", (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const s = store.createService(newService('web', { deployment: { strategy: 'manual' } }));
  store.createRevision(s.id, newRevision(ep(1)));
  store.createRevision(s.id, newRevision(ep(2)));
  assert.deepEqual(store.getTraffic(s.id), [{ revision: 'rev-1', percent: 100, tag: null }]);
});

test('setTraffic re-checks revisions and percents inside its transaction', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const s = store.createService(newService('web'));
  store.createRevision(s.id, newRevision(ep(1)));
  store.createRevision(s.id, newRevision(ep(2)));
  const version = store.configVersion();
  try {
    store.setTraffic(s.id, [{ revision: 'rev-1', percent: 50, tag: null }, { revision: 'rev-9', percent: 40, tag: null }]);
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof PlatformError);
    assert.deepEqual(err.errors.map((e) => e.path), ['targets[1].revision', 'targets']);
  }
  assert.equal(store.configVersion(), version);
  assert.deepEqual(store.getTraffic(s.id), [{ revision: 'rev-2', percent: 100, tag: null }]);
  assert.deepEqual(store.setTraffic(s.id, [{ revision: 'rev-1', percent: 25, tag: 'old' }, { revision: 'rev-2', percent: 75, tag: null }]), [
    { revision: 'rev-1', percent: 25, tag: 'old' },
    { revision: 'rev-2', percent: 75, tag: null },
  ]);
});

test('a domain belongs to one service across all tenants', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  store.createTenant('acme');
  const mine = store.createService(newService('web'));
  const theirs = store.createService(newService('web', { tenant: 'acme' }));
  assert.deepEqual(store.addDomain(mine.id, 'app.example.com').serviceId, mine.id);
  assert.equal(codeOf(() => store.addDomain(theirs.id, 'app.example.com')), 'SY_ERR_DOMAIN_TAKEN');
  assert.equal(codeOf(() => store.addDomain(mine.id, 'app.example.com')), 'SY_ERR_DOMAIN_TAKEN');
  assert.deepEqual(store.listDomains(theirs.id), []);
  store.removeDomain(mine.id, 'app.example.com');
  assert.equal(codeOf(() => store.removeDomain(mine.id, 'app.example.com')), 'SY_ERR_NOT_FOUND');
  assert.equal(store.addDomain(theirs.id, 'app.example.com').serviceId, theirs.id);
});

test('deleting a service hides it, frees its name and domains, and drops it from the platform state', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const s = store.createService(newService('web'));
  store.createRevision(s.id, newRevision(ep(1)));
  store.addDomain(s.id, 'app.example.com');
  const deleted = store.deleteService(s.id);
  assert.equal(deleted.status, 'DELETED');
  assert.equal(store.getService(s.id), null);
  assert.equal(codeOf(() => store.deleteService(s.id)), 'SY_ERR_SERVICE_NOT_FOUND');
  assert.equal(codeOf(() => store.createRevision(s.id, newRevision())), 'SY_ERR_SERVICE_NOT_FOUND');
  assert.deepEqual(store.readPlatformState('local', { listenAddress: '0.0.0.0', httpPort: 80, baseDomain: BASE_DOMAIN }).services, []);
  assert.deepEqual(store.regions(), []);
  const again = store.createService(newService('web'));
  store.addDomain(again.id, 'app.example.com');
  assert.notEqual(again.id, s.id);
});

test('every change bumps the config version once, and listeners hear it synchronously after the commit', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const heard: number[] = [];
  const unsubscribe = store.onChange((v) => {
    assert.equal(store.configVersion(), v); // committed: a read inside the listener sees it
    heard.push(v);
  });
  assert.equal(store.configVersion(), 0);
  const s = store.createService(newService('web'));
  assert.deepEqual(heard, [1]);
  store.createRevision(s.id, newRevision(ep(1)));
  store.setTraffic(s.id, [{ revision: 'rev-1', percent: 100, tag: 'a' }]);
  store.addDomain(s.id, 'x.example.com');
  store.removeDomain(s.id, 'x.example.com');
  store.updateService(s.id, { ...s, port: 9000 });
  store.setEndpoints(s.id, 'rev-1', [ep(2)]);
  store.createTenant('acme');
  store.deleteService(s.id);
  assert.deepEqual(heard, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.throws(() => store.addDomain('nope', 'y.example.com'));
  assert.equal(store.configVersion(), 9, 'a failed change bumps nothing');
  unsubscribe();
  store.createTenant('other');
  assert.deepEqual(heard.length, 9);
  const history = store.listConfigVersions(3);
  assert.deepEqual(history.map((h) => h.version), [10, 9, 8]);
  assert.equal(history[0].reason, 'create tenant other');
  assert.match(history[1].reason, /^delete service web \(/);
  assert.equal(store.listConfigVersions(100).length, 10);
});

test('a listener that throws does not undo the change or stop the others', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const heard: number[] = [];
  store.onChange(() => {
    throw new Error('listener bug');
  });
  store.onChange((v) => heard.push(v));
  const s = store.createService(newService('web'));
  assert.deepEqual(heard, [1]);
  assert.notEqual(store.getService(s.id), null);
});

test('readPlatformState returns the live services of one region with revisions, traffic, domains and the version', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const a = store.createService(newService('a'));
  const b = store.createService(newService('b', { region: 'eu' }));
  store.createRevision(a.id, newRevision(ep(1), ep(2)));
  store.createRevision(b.id, newRevision(ep(3)));
  store.addDomain(a.id, 'a.example.com');
  assert.deepEqual(store.regions(), ['eu', 'local']);
  const state = store.readPlatformState('local', { listenAddress: '0.0.0.0', httpPort: 80, baseDomain: 'apps.example.net' });
  assert.equal(state.version, store.configVersion());
  assert.deepEqual({ ...state, services: undefined }, { version: 5, region: 'local', baseDomain: 'apps.example.net', listenAddress: '0.0.0.0', httpPort: 80, services: undefined });
  assert.equal(state.services.length, 1);
  const [only] = state.services;
  assert.equal(only.service.id, a.id);
  assert.equal(only.service.url, `http://a-${a.id}.local.apps.example.net`, 'spelled with the state’s base domain and port');
  assert.deepEqual(only.revisions.map((r) => r.endpoints), [[ep(1), ep(2)]]);
  assert.deepEqual(only.traffic, [{ revision: 'rev-1', percent: 100, tag: null }]);
  assert.deepEqual(only.domains.map((d) => d.name), ['a.example.com']);
  const eu = store.readPlatformState('eu', { listenAddress: '0.0.0.0', httpPort: 80, baseDomain: BASE_DOMAIN });
  assert.deepEqual(eu.services.map((s) => s.service.id), [b.id]);
  assert.deepEqual(store.readPlatformState('nowhere', { listenAddress: '0.0.0.0', httpPort: 80, baseDomain: BASE_DOMAIN }).services, []);
});

test('updateService replaces settings and keeps identity', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const s = store.createService(newService('web'));
  const updated = store.updateService(s.id, { ...s, port: 9000, healthCheck: { ...s.healthCheck, protocol: 'HTTP', path: '/ready' } });
  assert.equal(updated.id, s.id);
  assert.equal(updated.port, 9000);
  assert.equal(updated.healthCheck.path, '/ready');
  assert.deepEqual(store.getService(s.id), updated);
});

test('setEndpoints replaces one revision’s instances', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const s = store.createService(newService('web'));
  store.createRevision(s.id, newRevision(ep(1)));
  store.setEndpoints(s.id, 'rev-1', [ep(5), ep(6)]);
  assert.deepEqual(store.getRevision(s.id, 'rev-1').endpoints, [ep(5), ep(6)]);
  assert.equal(codeOf(() => store.setEndpoints(s.id, 'rev-2', [])), 'SY_ERR_REVISION_NOT_FOUND');
});

test('tenants: the token is returned once and resolves to its tenant', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const { tenant, token } = store.createTenant('acme');
  assert.match(token, /^sy_acme_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(store.tenantByToken(token), tenant);
  assert.equal(store.tenantByToken(token + 'x'), null);
  assert.equal(codeOf(() => store.createTenant('acme')), 'SY_ERR_TENANT_EXISTS');
  assert.deepEqual(store.listTenants().map((x) => x.name), ['default', 'acme']);
  assert.deepEqual(store.getTenant('acme'), tenant);
});

test('openStore refuses bad options', () => {
  assert.throws(() => openStore({ path: '', baseDomain: 'd', region: 'r', httpPort: 80 }), /store path/);
  assert.throws(() => openStore({ path: ':memory:', baseDomain: 'd', region: 'r', httpPort: 0 }), /httpPort must be 1–65535, got 0/);
});

test('rotateTenantToken replaces the token and bumps the version', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const { token } = store.createTenant('acme');
  const version = store.configVersion();
  const rotated = store.rotateTenantToken('acme');
  assert.equal(store.tenantByToken(token), null);
  assert.equal(store.tenantByToken(rotated.token)?.name, 'acme');
  assert.equal(store.configVersion(), version + 1);
  assert.equal(codeOf(() => store.rotateTenantToken('nobody')), 'SY_ERR_NOT_FOUND');
});
