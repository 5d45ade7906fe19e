/**
 * The bootstrap's Node as envoy.config.core.v3.Node in proto-loader's keepCase object form, for
 * the first DiscoveryRequest. metadata (a google.protobuf.Struct) goes from plain JSON to the
 * Struct message shape {fields: {k: Value}}.
 */
import type { Node } from '../../xds/resources/bootstrap.types.js';

export const USER_AGENT_NAME = 'switchyard';
export const USER_AGENT_VERSION = '0.1.0';

export function nodeToProto(node: Node): Record<string, unknown> {
  return {
    id: node.id,
    cluster: node.cluster,
    locality: { region: node.locality.region, zone: node.locality.zone, sub_zone: node.locality.subZone },
    metadata: toStruct(node.metadata),
    user_agent_name: node.userAgentName !== '' ? node.userAgentName : USER_AGENT_NAME,
    user_agent_version: USER_AGENT_VERSION,
    client_features: [],
  };
}

function toStruct(obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) fields[k] = toValue(v);
  return { fields };
}

function toValue(v: unknown): Record<string, unknown> {
  if (v === null || v === undefined) return { null_value: 'NULL_VALUE' };
  if (typeof v === 'number') return { number_value: v };
  if (typeof v === 'string') return { string_value: v };
  if (typeof v === 'boolean') return { bool_value: v };
  if (Array.isArray(v)) return { list_value: { values: v.map(toValue) } };
  return { struct_value: toStruct(v as Record<string, unknown>) };
}
