/**
 * Per-type state of an incremental (Delta) ADS stream [xDS protocol, "Incremental xDS"]:
 * the subscription, the version of every resource the router holds, the last nonce and the
 * pending subscribe/unsubscribe diff.
 *
 *   first request on a stream: resource_names_subscribe = every name (wildcard: none, the legacy
 *     form "first request with both lists empty"), initial_resource_versions = what we hold, so the
 *     server does not resend resources whose version matches [discovery.proto initial_resource_versions]
 *   response accepted:  ack(nonce)          → {response_nonce}
 *   response rejected:  nack(nonce, m)      → {response_nonce, error_detail}
 *   names changed:      setNames(...)       → {resource_names_subscribe, resource_names_unsubscribe}
 *     (subscription changes are honoured even with a stale nonce, unlike SotW)
 *
 * Pure: builds request messages, the caller sends them.
 */
import { GRPC_INVALID_ARGUMENT } from './sotw-state.js';

/** envoy.service.discovery.v3.DeltaDiscoveryRequest, keepCase object form (node added by the stream). */
export interface DeltaRequest {
  type_url: string;
  resource_names_subscribe: string[];
  resource_names_unsubscribe: string[];
  initial_resource_versions: Record<string, string>;
  response_nonce: string;
  error_detail?: { code: number; message: string };
}

export class DeltaState {
  nonce = '';
  lastError: string | null = null;
  /** system_version_info of the last accepted response (debugging only, per the protocol). */
  systemVersionInfo = '';
  /** name → version of every resource of this type the router holds. */
  readonly versions = new Map<string, string>();
  private names = new Set<string>();
  private toSubscribe = new Set<string>();
  private toUnsubscribe = new Set<string>();
  private sentOnStream = false;

  constructor(
    readonly typeUrl: string,
    readonly wildcard: boolean,
  ) {}

  get resourceNames(): readonly string[] {
    return [...this.names].sort();
  }

  get wanted(): boolean {
    return this.wildcard || this.names.size > 0;
  }

  /** True when a names change must be sent now (the type was already requested on this stream). */
  get shouldSendUpdate(): boolean {
    return this.sentOnStream ? this.toSubscribe.size + this.toUnsubscribe.size > 0 : this.names.size > 0;
  }

  /** Replaces the subscription (RDS/EDS); returns true when it changed. Versions of dropped names are forgotten. */
  setNames(names: Iterable<string>): boolean {
    const next = new Set(names);
    let changed = false;
    for (const n of next) {
      if (!this.names.has(n)) {
        changed = true;
        this.toUnsubscribe.delete(n);
        this.toSubscribe.add(n);
      }
    }
    for (const n of this.names) {
      if (!next.has(n)) {
        changed = true;
        // A subscribe not sent yet is simply withdrawn.
        if (!this.toSubscribe.delete(n)) this.toUnsubscribe.add(n);
        this.versions.delete(n);
      }
    }
    this.names = next;
    return changed;
  }

  onStreamStart(): void {
    this.nonce = '';
    this.sentOnStream = false;
    this.toSubscribe.clear();
    this.toUnsubscribe.clear();
  }

  /** The request to send now: the stream's first one for the type, or the pending diff. */
  subscriptionRequest(): DeltaRequest {
    if (!this.sentOnStream) {
      this.sentOnStream = true;
      this.toSubscribe.clear();
      this.toUnsubscribe.clear();
      return {
        type_url: this.typeUrl,
        resource_names_subscribe: this.wildcard ? [] : [...this.names].sort(),
        resource_names_unsubscribe: [],
        initial_resource_versions: Object.fromEntries(this.versions),
        response_nonce: '',
      };
    }
    const request: DeltaRequest = {
      type_url: this.typeUrl,
      resource_names_subscribe: [...this.toSubscribe].sort(),
      resource_names_unsubscribe: [...this.toUnsubscribe].sort(),
      initial_resource_versions: {},
      response_nonce: this.nonce,
    };
    this.toSubscribe.clear();
    this.toUnsubscribe.clear();
    return request;
  }

  /**
   * Records an accepted response: the versions of what it carried, and forgets what it removed.
   * Returns the ACK.
   */
  ack(nonce: string, systemVersionInfo: string, updated: ReadonlyMap<string, string>, removed: readonly string[]): DeltaRequest {
    this.nonce = nonce;
    this.systemVersionInfo = systemVersionInfo;
    this.lastError = null;
    for (const [name, version] of updated) this.versions.set(name, version);
    for (const name of removed) this.versions.delete(name);
    return this.plain({ response_nonce: nonce });
  }

  /** Rejects a response; nothing it carried is recorded. Returns the NACK. */
  nack(nonce: string, message: string): DeltaRequest {
    this.nonce = nonce;
    this.lastError = message;
    return this.plain({ response_nonce: nonce, error_detail: { code: GRPC_INVALID_ARGUMENT, message } });
  }

  private plain(extra: Pick<DeltaRequest, 'response_nonce' | 'error_detail'>): DeltaRequest {
    return { type_url: this.typeUrl, resource_names_subscribe: [], resource_names_unsubscribe: [], initial_resource_versions: {}, ...extra };
  }
}
