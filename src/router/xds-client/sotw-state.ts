/**
 * Per-type state of a state-of-the-world ADS stream: what the router is subscribed to, the last
 * version it accepted, the last nonce it saw, and the last NACK it sent. One instance per type URL
 * on the stream, since "each type keeps its own version, nonce and subscription, even on one ADS
 * stream" [xDS protocol, "ACK/NACK and resource type instance version"].
 *
 *   response(v, nonce) ──accept──► ack(v, nonce)  → request{version_info: v, response_nonce: nonce}
 *                      └─reject──► nack(nonce, m) → request{version_info: last good, response_nonce: nonce, error_detail}
 *   names changed      ──────────► setNames(...)  → request{version_info: last good, response_nonce: last nonce}
 *   new stream         ──────────► onStreamStart() (nonce forgotten: it does not survive the stream)
 *
 * Pure: builds request messages, the caller sends them.
 */

/** google.rpc.Code INVALID_ARGUMENT, what Envoy puts in a NACK's error_detail. */
export const GRPC_INVALID_ARGUMENT = 3;

/** envoy.service.discovery.v3.DiscoveryRequest in proto-loader's keepCase object form (node added by the stream). */
export interface SotwRequest {
  version_info: string;
  resource_names: string[];
  type_url: string;
  response_nonce: string;
  error_detail?: { code: number; message: string };
}

export class SotwState {
  /** The version of the last accepted response ('' before any: a NACK then carries ''). */
  versionInfo = '';
  /** The nonce of the last response received on the current stream. */
  nonce = '';
  /** The message of the last NACK, until a response of this type is accepted. */
  lastError: string | null = null;
  private names: string[] = [];
  /** Was a request of this type sent on the current stream? (Then later ones must carry the nonce.) */
  private sentOnStream = false;

  /**
   * @param wildcard LDS/CDS: subscribe to everything. Sent as the legacy wildcard (an empty
   *   resource_names on a type that never named resources), which is what Envoy sends.
   */
  constructor(
    readonly typeUrl: string,
    readonly wildcard: boolean,
  ) {}

  get resourceNames(): readonly string[] {
    return this.names;
  }

  /**
   * Replaces the subscription (RDS/EDS). Returns true when it changed and a request is due: a
   * SotW request always carries the full list, and a new list replaces the previous one.
   */
  setNames(names: Iterable<string>): boolean {
    const next = [...new Set(names)].sort();
    if (next.length === this.names.length && next.every((n, i) => n === this.names[i])) return false;
    this.names = next;
    return true;
  }

  /** True when this type should be requested on a new stream. */
  get wanted(): boolean {
    return this.wildcard || this.names.length > 0;
  }

  /**
   * A request is due after a names change only if the type was ever requested on this stream or
   * there is something to ask for (an empty list on a never-requested named type would read as
   * the legacy wildcard).
   */
  get shouldSendUpdate(): boolean {
    return this.sentOnStream || this.names.length > 0;
  }

  /** A new ADS stream started: the nonce is per stream; the version is kept (Envoy resends it). */
  onStreamStart(): void {
    this.nonce = '';
    this.sentOnStream = false;
  }

  /** The request that (re)states the subscription: the first one on a stream, or after setNames. */
  subscriptionRequest(): SotwRequest {
    this.sentOnStream = true;
    return { version_info: this.versionInfo, resource_names: this.wildcard ? [] : [...this.names], type_url: this.typeUrl, response_nonce: this.nonce };
  }

  /** Accepts a response: the ACK carries its version and nonce and no error_detail. */
  ack(versionInfo: string, nonce: string): SotwRequest {
    this.versionInfo = versionInfo;
    this.nonce = nonce;
    this.lastError = null;
    return this.subscriptionRequest();
  }

  /**
   * Rejects a response: the NACK keeps the last accepted version and carries the response's
   * nonce and an error_detail [xDS protocol, "ACK and NACK semantics summary"].
   */
  nack(nonce: string, message: string): SotwRequest {
    this.nonce = nonce;
    this.lastError = message;
    return { ...this.subscriptionRequest(), error_detail: { code: GRPC_INVALID_ARGUMENT, message } };
  }
}
