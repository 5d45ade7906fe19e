/** The JSON answers built from model values (their schemas are in api/response-schemas.ts). */
import { serviceUrl, tagHost } from '../model/names.js';
import type { Service, ServiceState, TrafficTarget } from '../model/types.js';

export interface TrafficTargetView extends TrafficTarget {
  readonly url: string | null;
}

export function trafficView(service: Service, targets: readonly TrafficTarget[], httpPort: number): TrafficTargetView[] {
  return targets.map((t) => ({ revision: t.revision, percent: t.percent, tag: t.tag, url: t.tag === null ? null : serviceUrl(tagHost(t.tag, service.host), httpPort) }));
}

/** A service with its latest revision, traffic and domains. */
export function serviceDetail(state: ServiceState, httpPort: number): Record<string, unknown> {
  const latest = state.revisions.length === 0 ? null : state.revisions[state.revisions.length - 1].name;
  return { ...state.service, latestRevision: latest, traffic: trafficView(state.service, state.traffic, httpPort), domains: state.domains.map((d) => d.name) };
}
