/**
 * SotwStream: one state-of-the-world stream — StreamAggregatedResources on ADS, or
 * Stream{Clusters,Endpoints,Listeners,Routes} restricted to one type. The per-type protocol
 * lives in SotwTypeState (stream-state.ts); this file turns requests into state transitions,
 * reports ACK/NACK events and writes DiscoveryResponses.
 *
 * Response envelope (XDS.md §3–4): `version_info` = snapshot version, `nonce` = per-stream
 * counter (unique across types, as go-control-plane sotw/v3/server.go), `type_url` = the type,
 * `resources` = the snapshot's pre-packed Anys (encoded once per snapshot, shared by streams).
 */
import { performance } from 'node:perf_hooks';
import type { EncodedResource, EncodedSnapshot } from '../cache/encoded-snapshot.js';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '../../../xds/type-urls.js';
import { ServedStream } from './served-stream.js';
import { SotwTypeState } from './stream-state.js';
import type { WireDiscoveryRequest, WireDiscoveryResponse } from './wire-types.js';

/** LDS and CDS are the full-state, wildcard-capable types (XDS.md §9, §11). */
export function isFullStateType(typeUrl: string): boolean {
  return typeUrl === LISTENER_TYPE_URL || typeUrl === CLUSTER_TYPE_URL;
}

export class SotwStream extends ServedStream<SotwTypeState, WireDiscoveryRequest> {
  protected handleRequest(typeUrl: string, req: WireDiscoveryRequest): void {
    let state = this.states.get(typeUrl);
    if (state === undefined) {
      state = new SotwTypeState(typeUrl, isFullStateType(typeUrl));
      this.states.set(typeUrl, state);
    }
    const kind = state.onRequest(req, new Date().toISOString());
    const base = { nodeId: this.nodeId, streamKind: this.kind, typeUrl, nonce: req.response_nonce };
    switch (kind) {
      case 'stale':
        if (this.host.logger.debugEnabled) this.host.logger.debug('stale nonce ignored', { stream: this.label, typeUrl, nonce: req.response_nonce });
        break;
      case 'ack':
        this.host.emit('ack', { ...base, version: req.version_info });
        break;
      case 'nack': {
        const message = req.error_detail?.message ?? '';
        this.host.logger.warn('xDS NACK', { stream: this.label, typeUrl, version: req.version_info, nonce: req.response_nonce, message });
        this.host.emit('nack', { ...base, version: req.version_info, message });
        break;
      }
      case 'initial':
        break;
    }
  }

  protected override afterRequestFlush(typeUrl: string): void {
    this.states.get(typeUrl)?.settle();
  }

  protected pushType(state: SotwTypeState, available: ReadonlyMap<string, EncodedResource>, snapshot: EncodedSnapshot, deferRemovals: boolean): boolean {
    // A wildcard covers only the wildcard set; named-only resources go to explicit names alone.
    const plan = state.plan(available, deferRemovals, snapshot.wildcardByType.get(state.typeUrl) ?? available);
    if (plan === null) return false;
    const nonce = this.nextNonce();
    const version = plan.transitional === true ? `${snapshot.version}-mbb` : snapshot.version;
    const response: WireDiscoveryResponse = {
      version_info: version,
      resources: plan.resources.map((r) => r.any),
      type_url: state.typeUrl,
      nonce,
    };
    state.markSent(plan, version, nonce, performance.now());
    this.call.write(response);
    this.host.emit('response', {
      nodeId: this.nodeId,
      streamKind: this.kind,
      typeUrl: state.typeUrl,
      version,
      nonce,
      resources: plan.resources.map((r) => r.name),
      removed: [],
    });
    return true;
  }
}
