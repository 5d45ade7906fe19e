/**
 * The control plane's store: the platform model in SQLite (better-sqlite3, WAL), one repository
 * per table, and the rules that need the whole picture (a domain belongs to one service across
 * all tenants, the deployment strategy moves traffic, traffic names only existing revisions).
 *
 * Every change is one transaction that also appends the next global config version, and
 * `onChange` listeners run synchronously after the commit (store/change-runner.ts). A
 * PlatformError thrown inside a change rolls all of it back.
 *
 * Callers, all on the control-plane process: the platform API (writes and scoped reads) and
 * the publisher (`readPlatformState` on its first read of a region, then `readChangedServices`
 * after each `onChange`).
 */
import type Database from 'better-sqlite3';
import { InvalidArgumentError } from '../../common/errors.js';
import { DEFAULT_TENANT } from '../model/defaults.js';
import { PlatformError } from '../model/platform-error.js';
import { trafficAfterRevision } from '../model/traffic-after-revision.js';
import type { Domain, Endpoint, NewRevision, NewService, PlatformChanges, PlatformState, Revision, Service, ServiceSettings, ServiceState, Tenant, TrafficTarget } from '../model/types.js';
import { checkTrafficTargets } from '../model/validate-traffic.js';
import { ChangeRunner, type ChangeListener } from './change-runner.js';
import { ConfigVersionLog, type ConfigVersion } from './config-version-log.js';
import { DomainRepository } from './domain-repository.js';
import { appliedMigrations, migrate } from './migrations.js';
import { openDatabase } from './open-database.js';
import { randomId } from './random-id.js';
import { RevisionRepository } from './revision-repository.js';
import { ServiceRepository, type Naming } from './service-repository.js';
import { TenantRepository, generateTenantToken, hashToken } from './tenant-repository.js';
import { TrafficRepository } from './traffic-repository.js';

export interface StoreOptions {
  /** A data directory (the file is `<path>/switchyard.db`, created with the directory) or ':memory:'. */
  readonly path: string;
  /** Base domain of service hosts in API answers (DESIGN §3). */
  readonly baseDomain: string;
  /** The region services are created in when a body names none. */
  readonly region: string;
  /** The published HTTP listener port: part of service URLs unless it is 80. */
  readonly httpPort: number;
}

/** Opens (creating and migrating as needed) the store at `options.path`. */
export function openStore(options: StoreOptions): Store {
  if (options.path === '') throw new InvalidArgumentError('store path must be a directory or ":memory:"');
  if (!Number.isInteger(options.httpPort) || options.httpPort < 1 || options.httpPort > 65_535) throw new InvalidArgumentError(`httpPort must be 1–65535, got ${options.httpPort}`);
  if (options.baseDomain === '' || options.region === '') throw new InvalidArgumentError('baseDomain and region must not be empty');
  const db = openDatabase(options.path);
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return new Store(db, options);
}

export class Store {
  private readonly services: ServiceRepository;
  private readonly revisions: RevisionRepository;
  private readonly traffic: TrafficRepository;
  private readonly domains: DomainRepository;
  private readonly tenants: TenantRepository;
  private readonly versions: ConfigVersionLog;
  private readonly changes: ChangeRunner;
  private readonly naming: Naming;

  /** Use openStore(). */
  constructor(
    private readonly db: Database.Database,
    readonly options: StoreOptions,
  ) {
    this.services = new ServiceRepository(db);
    this.revisions = new RevisionRepository(db);
    this.traffic = new TrafficRepository(db);
    this.domains = new DomainRepository(db);
    this.tenants = new TenantRepository(db);
    this.versions = new ConfigVersionLog(db);
    this.naming = { baseDomain: options.baseDomain, httpPort: options.httpPort };
    this.changes = new ChangeRunner(db, this.versions);
  }

  // ---- change machinery ----

  /** Subscribes to committed changes (called synchronously after each commit); returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    return this.changes.subscribe(listener);
  }

  /** The current global config version (0 before the first change). */
  configVersion(): number {
    return this.versions.current();
  }

  /** The newest `limit` config versions, newest first. */
  listConfigVersions(limit = 50): ConfigVersion[] {
    return this.versions.list(Math.max(1, Math.min(limit, 10_000)));
  }

  private change<T>(fn: (now: string, version: number) => { value: T; reason: string }): T {
    return this.changes.run(fn);
  }

  // ---- tenants ----

  /** Creates a tenant and its token; the token is returned only here (the store keeps its hash). */
  createTenant(name: string): { tenant: Tenant; token: string } {
    return this.change((now) => {
      if (this.tenants.get(name) !== null) throw new PlatformError('SY_ERR_TENANT_EXISTS', `tenant "${name}" already exists`);
      const token = generateTenantToken(name);
      const tenant = this.tenants.insert(randomId(), name, hashToken(token), now);
      return { value: { tenant, token }, reason: `create tenant ${name}` };
    });
  }

  /** Replaces a tenant's token (the old one stops working at once); returns the new one. */
  rotateTenantToken(name: string): { tenant: Tenant; token: string } {
    return this.change(() => {
      const tenant = this.tenants.get(name);
      if (tenant === null) throw new PlatformError('SY_ERR_NOT_FOUND', `no tenant named "${name}"`);
      const token = generateTenantToken(name);
      this.tenants.setTokenHash(name, hashToken(token));
      return { value: { tenant, token }, reason: `rotate the token of tenant ${name}` };
    });
  }

  getTenant(name: string): Tenant | null {
    return this.tenants.get(name);
  }

  listTenants(): Tenant[] {
    return this.tenants.list();
  }

  /** The tenant whose token this is, or null. */
  tenantByToken(token: string): Tenant | null {
    return this.tenants.byTokenHash(hashToken(token));
  }

  // ---- services ----

  /** Creates a service (no revisions yet); `spec.tenant` null means the default tenant. */
  createService(spec: NewService): Service {
    const tenant = spec.tenant ?? DEFAULT_TENANT;
    return this.change((now, version) => {
      if (this.tenants.get(tenant) === null) throw PlatformError.validation([{ path: 'tenant', message: `unknown tenant "${tenant}" (create it with POST /v1/tenants)` }]);
      if (this.services.findByName(tenant, spec.name, this.naming) !== null) {
        throw new PlatformError('SY_ERR_SERVICE_EXISTS', `tenant "${tenant}" already has a service named "${spec.name}"`);
      }
      let id = randomId();
      while (this.services.exists(id)) id = randomId();
      this.services.insert(id, tenant, { ...spec, region: spec.region ?? this.options.region }, now, version);
      return { value: this.requireService(id), reason: `create service ${spec.name} (${id}) in tenant ${tenant}` };
    });
  }

  /** A live service by id, or null (deleted services are gone for every reader). */
  getService(id: string): Service | null {
    return this.services.get(id, this.naming);
  }

  listServices(filter: { tenant?: string; region?: string } = {}): Service[] {
    return this.services.list(filter, this.naming);
  }

  /** Replaces a service's settings (already validated and merged, see validateServiceUpdate). */
  updateService(id: string, settings: ServiceSettings): Service {
    return this.change((now, version) => {
      const service = this.requireService(id);
      this.services.updateSettings(id, settings, now, version);
      return { value: this.requireService(id), reason: `update settings of service ${service.name} (${id})` };
    });
  }

  /** Deletes a service: it leaves every region's config and frees its name and domains. */
  deleteService(id: string): Service {
    return this.change((now, version) => {
      const service = this.requireService(id);
      this.domains.deleteAll(id);
      this.services.markDeleted(id, now, version);
      return { value: { ...service, status: 'DELETED' as const, updatedAt: now }, reason: `delete service ${service.name} (${id})` };
    });
  }

  /** One service with its revisions, traffic and domains, or null. */
  getServiceState(id: string): ServiceState | null {
    const service = this.getService(id);
    if (service === null) return null;
    return { service, revisions: this.revisions.list(id), traffic: this.traffic.list(id), domains: this.domains.list(id) };
  }

  /** Regions that have at least one live service. */
  regions(): string[] {
    return this.services.regions();
  }

  // ---- revisions ----

  /** Adds the next revision and applies the deployment strategy to traffic (model/traffic-after-revision.ts). */
  createRevision(serviceId: string, input: NewRevision): Revision {
    return this.change((now, version) => {
      const service = this.requireService(serviceId);
      const revision = this.revisions.insert(serviceId, input, now);
      const next = trafficAfterRevision(this.traffic.list(serviceId), { name: revision.name, endpointCount: revision.endpoints.length }, service.deployment);
      if (next !== null) this.traffic.replace(serviceId, next);
      this.services.touch(serviceId, now, version);
      const moved = next === null ? '' : ', traffic 100% to it';
      return { value: revision, reason: `create revision ${revision.name} of service ${service.name} (${serviceId})${moved}` };
    });
  }

  listRevisions(serviceId: string): Revision[] {
    this.requireService(serviceId);
    return this.revisions.list(serviceId);
  }

  getRevision(serviceId: string, name: string): Revision {
    const revision = this.listRevisions(serviceId).find((r) => r.name === name);
    if (revision === undefined) throw new PlatformError('SY_ERR_REVISION_NOT_FOUND', `service ${serviceId} has no revision "${name}"`);
    return revision;
  }

  /** Replaces the instances of one revision (for instance providers; the revision stays immutable otherwise). */
  setEndpoints(serviceId: string, revision: string, endpoints: readonly Endpoint[]): void {
    this.change((now, version) => {
      const service = this.requireService(serviceId);
      const found = this.revisions.list(serviceId).find((r) => r.name === revision);
      if (found === undefined) throw new PlatformError('SY_ERR_REVISION_NOT_FOUND', `service ${serviceId} has no revision "${revision}"`);
      this.revisions.replaceEndpoints(serviceId, found.number, endpoints);
      this.services.touch(serviceId, now, version);
      return { value: undefined, reason: `set ${endpoints.length} endpoint(s) of ${service.name} (${serviceId}) ${revision}` };
    });
  }

  // ---- traffic ----

  getTraffic(serviceId: string): TrafficTarget[] {
    this.requireService(serviceId);
    return this.traffic.list(serviceId);
  }

  /** Replaces the split; the cross-checks (revisions exist, sum, tags) are re-run inside the transaction. */
  setTraffic(serviceId: string, targets: readonly TrafficTarget[]): TrafficTarget[] {
    return this.change((now, version) => {
      const service = this.requireService(serviceId);
      const errors = checkTrafficTargets(targets, { serviceName: service.name, revisions: this.revisions.list(serviceId).map((r) => r.name) });
      if (targets.length === 0) errors.push({ path: 'targets', message: 'must have at least 1 item, got 0' });
      if (errors.length > 0) throw PlatformError.validation(errors);
      this.traffic.replace(serviceId, targets);
      this.services.touch(serviceId, now, version);
      const split = targets.map((t) => `${t.revision}=${t.percent}%${t.tag === null ? '' : `(${t.tag})`}`).join(' ');
      return { value: this.traffic.list(serviceId), reason: `set traffic of service ${service.name} (${serviceId}): ${split}` };
    });
  }

  // ---- domains ----

  /** Adds a custom domain; 409 SY_ERR_DOMAIN_TAKEN when any service (of any tenant) has it. */
  addDomain(serviceId: string, name: string): Domain {
    return this.change((now, version) => {
      const service = this.requireService(serviceId);
      const owner = this.domains.get(name);
      if (owner !== null) {
        const whose = owner.serviceId === serviceId ? 'this service already has it' : 'it belongs to another service';
        throw new PlatformError('SY_ERR_DOMAIN_TAKEN', `domain "${name}" is taken: ${whose}`);
      }
      const domain = this.domains.insert(name, serviceId, now);
      this.services.touch(serviceId, now, version);
      return { value: domain, reason: `add domain ${name} to service ${service.name} (${serviceId})` };
    });
  }

  removeDomain(serviceId: string, name: string): void {
    this.change((now, version) => {
      const service = this.requireService(serviceId);
      if (!this.domains.delete(name, serviceId)) throw new PlatformError('SY_ERR_NOT_FOUND', `service ${serviceId} has no domain "${name}"`);
      this.services.touch(serviceId, now, version);
      return { value: undefined, reason: `remove domain ${name} from service ${service.name} (${serviceId})` };
    });
  }

  listDomains(serviceId: string): Domain[] {
    this.requireService(serviceId);
    return this.domains.list(serviceId);
  }

  // ---- the publisher's read ----

  /**
   * Everything the translator needs for one region, read in one transaction so it matches
   * `version`: live services (oldest first) with all their revisions, traffic and domains.
   * Hosts and URLs are spelled with the given base domain and listener port.
   */
  readPlatformState(region: string, options: { listenAddress: string; httpPort: number; baseDomain: string }): PlatformState {
    const read = this.db.transaction((): PlatformState => {
      const naming = { baseDomain: options.baseDomain, httpPort: options.httpPort };
      const revisions = this.revisions.listByRegion(region);
      const traffic = this.traffic.listByRegion(region);
      const domains = this.domains.listByRegion(region);
      const services = this.services.list({ region }, naming).map((service) => ({
        service,
        revisions: revisions.get(service.id) ?? [],
        traffic: traffic.get(service.id) ?? [],
        domains: domains.get(service.id) ?? [],
      }));
      return { version: this.versions.current(), region, baseDomain: options.baseDomain, listenAddress: options.listenAddress, httpPort: options.httpPort, services };
    });
    return read();
  }

  /**
   * What changed in `region` after config version `since`, read in one transaction so it matches
   * `version`: every live service touched since (complete, as readPlatformState gives it, oldest
   * first) and the ids of services deleted since. O(changed services), not O(region): the
   * publisher applies it to what it read before. Services never move between regions (region is
   * fixed at creation), so "left the region" is always a deletion.
   */
  readChangedServices(region: string, since: number, options: { baseDomain: string; httpPort: number }): PlatformChanges {
    const read = this.db.transaction((): PlatformChanges => {
      const naming = { baseDomain: options.baseDomain, httpPort: options.httpPort };
      const touched = this.services.listChangedInRegion(region, since, naming);
      const removed = touched.filter((s) => s.status === 'DELETED').map((s) => s.id);
      const live = touched.filter((s) => s.status !== 'DELETED');
      if (live.length === 0) return { version: this.versions.current(), since, changed: [], removed };
      const revisions = this.revisions.listByRegion(region, since);
      const traffic = this.traffic.listByRegion(region, since);
      const domains = this.domains.listByRegion(region, since);
      const changed = live.map((service) => ({
        service,
        revisions: revisions.get(service.id) ?? [],
        traffic: traffic.get(service.id) ?? [],
        domains: domains.get(service.id) ?? [],
      }));
      return { version: this.versions.current(), since, changed, removed };
    });
    return read();
  }

  /** The schema migrations applied to this database, oldest first. */
  migrations(): { version: number; name: string; appliedAt: string }[] {
    return appliedMigrations(this.db);
  }

  /** Closes the database; idempotent. */
  close(): void {
    this.changes.clear();
    if (this.db.open) this.db.close();
  }

  private requireService(id: string): Service {
    const service = this.services.get(id, this.naming);
    if (service === null) throw new PlatformError('SY_ERR_SERVICE_NOT_FOUND', `no service with id "${id}"`);
    return service;
  }
}
