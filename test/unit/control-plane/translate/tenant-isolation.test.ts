/**
 * The tenant boundary as a property over random platforms (seeded, so a failure reproduces):
 * a virtual host of service X routes only to X's clusters and answers only X's hosts and domains,
 * each service host stays with its own service even when another claims it as a custom domain,
 * an API listener holds only its service's virtual hosts, and everything still decodes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom, type RandomSource } from '../../../../src/common/random.js';
import { DEFAULT_HEALTH_CHECK, DEFAULT_ROUTING } from '../../../../src/control-plane/model/defaults.js';
import type { Endpoint, PlatformState, ServiceState, TrafficTarget } from '../../../../src/control-plane/model/types.js';
import { clusterName, grpcClusterName, tagHost } from '../../../../src/control-plane/translate/names.js';
import { translatePlatform } from '../../../../src/control-plane/translate/translate-platform.js';
import type { RouteConfiguration } from '../../../../src/xds/resources/route-configuration.types.js';
import { decodeAll } from './resource-checks.js';
import { makeRevision, makeService, makeServiceState, makeState } from './sample-platform.js';

const PLATFORMS = 100;
const LB_POLICIES = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'RING_HASH', 'MAGLEV'] as const;
const ADDRESSES = ['127.0.0.1', '10.0.0.1', '10.0.0.2', '::1', 'localhost', '999.1.1.1'];
const DOMAINS = ['a.example.com', 'b.example.com', 'shared.example.org', 'www.example.net'];
const TAGS = ['canary', 'blue', 'green'];

function pick<T>(rnd: RandomSource, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)];
}

function int(rnd: RandomSource, max: number): number {
  return Math.floor(rnd() * (max + 1));
}

function randomPlatform(seed: number): PlatformState {
  const rnd = createSeededRandom(seed);
  const services: ServiceState[] = [];
  const count = 1 + int(rnd, 5);
  for (let s = 0; s < count; s++) {
    const id = `${s}${seed.toString(16).padStart(7, '0')}`.slice(0, 8);
    const rps = rnd() < 0.3 ? 1 + int(rnd, 99) : null;
    const service = makeService(id, `svc${s}`, {
      status: rnd() < 0.1 ? 'DELETED' : 'RUNNING',
      healthCheck: rnd() < 0.5 ? DEFAULT_HEALTH_CHECK : { ...DEFAULT_HEALTH_CHECK, protocol: 'HTTP', path: '/health' },
      rateLimit: { requestsPerSecond: rps, burst: rps !== null && rnd() < 0.5 ? rps * 2 : null },
      routing: { ...DEFAULT_ROUTING, lbPolicy: pick(rnd, LB_POLICIES), retries: { ...DEFAULT_ROUTING.retries, numRetries: int(rnd, 2) } },
    });
    const revisions = Array.from({ length: int(rnd, 4) }, (_, r) => {
      const endpoints: Endpoint[] = Array.from({ length: int(rnd, 3) }, () => ({ address: pick(rnd, ADDRESSES), port: 8000 + int(rnd, 3) }));
      return makeRevision(id, r + 1, endpoints);
    });
    const traffic: TrafficTarget[] = Array.from({ length: int(rnd, 3) }, () => ({
      revision: `rev-${1 + int(rnd, 4)}`, // sometimes a revision that doesn't exist
      percent: int(rnd, 4) * 25,
      tag: rnd() < 0.4 ? pick(rnd, TAGS) : null,
    }));
    // Domains may clash across services, and one may even be another service's host.
    const domains = DOMAINS.filter(() => rnd() < 0.25);
    if (s > 0 && rnd() < 0.2) domains.push(services[0].service.host);
    services.push(makeServiceState(service, revisions, traffic, domains));
  }
  return makeState(services);
}

/** vhost name → the service it belongs to (the id is the name, or its prefix before --tag--). */
function ownerOf(vhostName: string): string {
  const i = vhostName.indexOf('--tag--');
  return i < 0 ? vhostName : vhostName.slice(0, i);
}

function referencedClusters(rc: RouteConfiguration, vhostIndex: number): string[] {
  const out: string[] = [];
  for (const route of rc.virtualHosts[vhostIndex].routes) {
    if (route.action.kind !== 'route') continue;
    const c = route.action.cluster;
    if (c.kind === 'cluster') out.push(c.name);
    else if (c.kind === 'weightedClusters') out.push(...c.clusters.map((w) => w.name));
  }
  return out;
}

test(`tenant isolation holds on ${PLATFORMS} random platforms`, () => {
  for (let seed = 1; seed <= PLATFORMS; seed++) {
    const state = randomPlatform(seed);
    const live = state.services.filter((s) => s.service.status !== 'DELETED');
    const byId = new Map(live.map((s) => [s.service.id, s]));
    const resources = translatePlatform(state);
    const decoded = decodeAll(resources);
    const where = `seed ${seed}`;

    for (const list of [resources.listeners.map((l) => l.name), resources.clusters.map((c) => c.name), resources.clusterLoadAssignments.map((a) => a.cluster_name)]) {
      assert.equal(new Set(list).size, list.length, `${where}: duplicate resource names`);
    }

    const check = (rc: RouteConfiguration, onlyService: string | null): void => {
      rc.virtualHosts.forEach((vh, i) => {
        const owner = byId.get(ownerOf(vh.name));
        assert.ok(owner !== undefined, `${where}: virtual host ${vh.name} belongs to no live service`);
        if (onlyService !== null) assert.equal(owner.service.id, onlyService, `${where}: API listener of ${onlyService} holds ${vh.name}`);
        const id = owner.service.id;
        const own = new Set(owner.revisions.flatMap((r) => [clusterName(id, r.name), grpcClusterName(id, r.name)]));
        for (const cluster of referencedClusters(rc, i)) assert.ok(own.has(cluster), `${where}: ${vh.name} routes to ${cluster}, not a cluster of ${id}`);
        const ownDomains = new Set([owner.service.host, ...TAGS.map((t) => tagHost(t, owner.service.host)), ...owner.domains.map((d) => d.name)]);
        for (const domain of vh.domains) assert.ok(ownDomains.has(domain), `${where}: ${vh.name} answers ${domain}, not a domain of ${id}`);
      });
    };

    const ingress = decoded.routeConfigurations[0];
    check(ingress, null);
    for (const s of live) {
      const holders = ingress.virtualHosts.filter((vh) => vh.domains.includes(s.service.host)).map((vh) => vh.name);
      assert.deepStrictEqual(holders, [s.service.id], `${where}: host of ${s.service.id} is answered by ${holders.join(', ')}`);
    }
    for (const l of decoded.listeners) {
      if (l.apiListener === null) continue;
      assert.equal(l.apiListener.route.kind, 'inline');
      if (l.apiListener.route.kind !== 'inline') continue;
      const owner = live.find((s) => s.service.host === l.name);
      assert.ok(owner !== undefined, `${where}: API listener ${l.name} is no service's host`);
      check(l.apiListener.route.routeConfig, owner.service.id);
    }
  }
});
