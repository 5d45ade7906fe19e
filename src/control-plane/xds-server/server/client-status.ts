/**
 * What `XdsServer.clients()` reports about each open stream: the data behind the platform API's
 * `GET /v1/xds/clients` (DESIGN §7) and the assertions of the xds-server tests.
 */

/** The last NACK a client sent for one type (XDS.md §6: keep serving, but expose the detail). */
export interface NackInfo {
  /** SotW: `version_info` of the NACK, the last version the client accepted ('' if none). Delta: the rejected response's system version. */
  readonly version: string;
  /** The nonce of the response that was rejected. */
  readonly nonce: string;
  /** `error_detail.message`: the client's reason. */
  readonly message: string;
  /** ISO 8601 time the NACK arrived. */
  readonly at: string;
}

/** Per-type state of one stream. */
export interface TypeStatus {
  /** The subscribed names, sorted; a wildcard subscription is '*' followed by any names also subscribed explicitly. */
  readonly subscribed: string[];
  /** Snapshot version of the last response sent for the type (null before the first). */
  readonly sentVersion: string | null;
  /** Snapshot version of the last response the client ACKed (null before the first ACK). */
  readonly ackedVersion: string | null;
  readonly lastNack: NackInfo | null;
}

/** How a client is connected: which RPC of which discovery service. */
export type StreamKind = 'ads' | 'ads-delta' | 'cds' | 'cds-delta' | 'eds' | 'eds-delta' | 'lds' | 'lds-delta' | 'rds' | 'rds-delta';

/** One open stream. */
export interface XdsClientStatus {
  /** `node.id` from the stream's first request ('' if the client sent none). */
  readonly nodeId: string;
  readonly cluster: string;
  /** `node.locality.region` ('' if none). */
  readonly region: string;
  /** The node group whose snapshot the stream is served. */
  readonly group: string;
  readonly streamKind: StreamKind;
  /** ISO 8601 time the stream opened. */
  readonly connectedAt: string;
  /** The gRPC peer address (`127.0.0.1:54321`). */
  readonly peer: string;
  /** type URL → state. Only types the client has requested appear. */
  readonly types: { readonly [typeUrl: string]: TypeStatus };
}
