/**
 * DeltaStream: one incremental xDS stream — DeltaAggregatedResources on ADS, or
 * Delta{Clusters,Endpoints,Listeners,Routes} restricted to one type. Per-type protocol in
 * DeltaTypeState (delta-state.ts); this file reports ACK/NACK events and writes
 * DeltaDiscoveryResponses.
 *
 * Response (XDS.md §15–16, §19): `nonce` on every response (per-stream counter),
 * `system_version_info` = snapshot version (debugging only), `resources` = changed resources as
 * `Resource { name, version = hash of the bytes, resource = pre-packed Any }`,
 * `removed_resources` = deletions and answers to subscriptions of names that do not exist.
 */
import { performance } from 'node:perf_hooks';
import type { EncodedResource, EncodedSnapshot } from '../cache/encoded-snapshot.js';
import { isFullStateType } from './ads-sotw.js';
import { DeltaTypeState } from './delta-state.js';
import { ServedStream } from './served-stream.js';
import type { WireDeltaDiscoveryRequest, WireDeltaDiscoveryResponse } from './wire-types.js';

export class DeltaStream extends ServedStream<DeltaTypeState, WireDeltaDiscoveryRequest> {
  protected handleRequest(typeUrl: string, req: WireDeltaDiscoveryRequest): void {
    let state = this.states.get(typeUrl);
    if (state === undefined) {
      state = new DeltaTypeState(typeUrl, isFullStateType(typeUrl));
      this.states.set(typeUrl, state);
    }
    // The version of the response this request answers (if it is an ACK/NACK).
    const answeredVersion = state.sentVersion ?? '';
    const kind = state.onRequest(req, new Date().toISOString());
    const base = { nodeId: this.nodeId, streamKind: this.kind, typeUrl, nonce: req.response_nonce };
    if (kind === 'ack') {
      this.host.emit('ack', { ...base, version: answeredVersion });
    } else if (kind === 'nack') {
      const message = req.error_detail?.message ?? '';
      this.host.logger.warn('xDS NACK (delta)', { stream: this.label, typeUrl, nonce: req.response_nonce, message });
      this.host.emit('nack', { ...base, version: answeredVersion, message });
    }
  }

  protected pushType(state: DeltaTypeState, available: ReadonlyMap<string, EncodedResource>, snapshot: EncodedSnapshot, deferRemovals: boolean): boolean {
    // A wildcard covers only the wildcard set; named-only resources go to explicit names alone.
    const plan = state.plan(available, deferRemovals, snapshot.wildcardByType.get(state.typeUrl) ?? available);
    if (plan === null) return false;
    const nonce = this.nextNonce();
    const response: WireDeltaDiscoveryResponse = {
      system_version_info: snapshot.version,
      resources: plan.resources.map((r) => ({ name: r.name, version: r.version, resource: r.any })),
      type_url: state.typeUrl,
      removed_resources: [...plan.removed],
      nonce,
    };
    state.markSent(plan, snapshot.version, nonce, performance.now());
    this.call.write(response);
    this.host.emit('response', {
      nodeId: this.nodeId,
      streamKind: this.kind,
      typeUrl: state.typeUrl,
      version: snapshot.version,
      nonce,
      resources: plan.resources.map((r) => r.name),
      removed: plan.removed,
    });
    return true;
  }
}
