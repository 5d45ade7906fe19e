/**
 * TypeScript shapes of the discovery messages as proto-loader hands them to us and takes them
 * back (keepCase, defaults true: absent strings are '', absent lists [], absent messages null).
 * Field semantics: envoy/service/discovery/v3/discovery.proto.
 */

/** envoy.config.core.v3.Node, the parts the server reads. */
export interface WireNode {
  readonly id: string;
  readonly cluster: string;
  readonly locality: { readonly region: string; readonly zone: string; readonly sub_zone: string } | null;
  readonly metadata: unknown;
}

/** google.rpc.Status as carried in `error_detail`: present ⇔ NACK. */
export interface WireStatus {
  readonly code: number;
  readonly message: string;
}

export interface WireDiscoveryRequest {
  readonly version_info: string;
  readonly node: WireNode | null;
  readonly resource_names: readonly string[];
  readonly type_url: string;
  readonly response_nonce: string;
  readonly error_detail: WireStatus | null;
}

export interface WireAny {
  readonly type_url: string;
  readonly value: Buffer;
}

export interface WireDiscoveryResponse {
  version_info: string;
  resources: WireAny[];
  type_url: string;
  nonce: string;
}

export interface WireDeltaDiscoveryRequest {
  readonly node: WireNode | null;
  readonly type_url: string;
  readonly resource_names_subscribe: readonly string[];
  readonly resource_names_unsubscribe: readonly string[];
  readonly initial_resource_versions: Readonly<Record<string, string>>;
  readonly response_nonce: string;
  readonly error_detail: WireStatus | null;
}

export interface WireResource {
  name: string;
  version: string;
  resource: WireAny;
}

export interface WireDeltaDiscoveryResponse {
  system_version_info: string;
  resources: WireResource[];
  type_url: string;
  removed_resources: string[];
  nonce: string;
}
