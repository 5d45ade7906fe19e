/**
 * Events the XdsServer emits (its EventEmitter names and payloads), the TypeScript face of
 * go-control-plane's server `Callbacks` (OnStreamOpen / OnStreamRequest / OnStreamResponse /
 * OnStreamClosed). Listeners run synchronously on the server's event loop turn; they must not
 * throw (a throwing listener is logged and otherwise ignored).
 *
 *   'connect'     a stream sent its first request (the node is known)     StreamEvent
 *   'disconnect'  a stream ended, was cancelled or failed                 StreamEvent
 *   'ack'         a client accepted a response                            AckEvent
 *   'nack'        a client rejected a response (error_detail present)     NackEvent
 *   'response'    the server sent a response                              ResponseEvent
 */
import type { StreamKind } from './client-status.js';

export interface StreamEvent {
  readonly nodeId: string;
  readonly group: string;
  readonly streamKind: StreamKind;
  readonly peer: string;
}

export interface AckEvent {
  readonly nodeId: string;
  readonly streamKind: StreamKind;
  readonly typeUrl: string;
  /** The snapshot version acknowledged. */
  readonly version: string;
  readonly nonce: string;
}

export interface NackEvent {
  readonly nodeId: string;
  readonly streamKind: StreamKind;
  readonly typeUrl: string;
  /** SotW: the version the client still uses (`version_info` of the NACK). Delta: the rejected response's system version. */
  readonly version: string;
  readonly nonce: string;
  /** `error_detail.message`. */
  readonly message: string;
}

export interface ResponseEvent {
  readonly nodeId: string;
  readonly streamKind: StreamKind;
  readonly typeUrl: string;
  readonly version: string;
  readonly nonce: string;
  /** Names of the resources in the response. */
  readonly resources: readonly string[];
  /** Delta only: names in removed_resources. */
  readonly removed: readonly string[];
}

/** Event name → listener signature. */
export interface XdsServerEvents {
  connect: (e: StreamEvent) => void;
  disconnect: (e: StreamEvent) => void;
  ack: (e: AckEvent) => void;
  nack: (e: NackEvent) => void;
  response: (e: ResponseEvent) => void;
}

/** What a stream needs to report events (implemented by XdsServer). */
export type EmitEvent = <K extends keyof XdsServerEvents>(name: K, payload: Parameters<XdsServerEvents[K]>[0]) => void;
