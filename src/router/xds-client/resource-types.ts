/**
 * The four xDS resource types the router subscribes to over ADS, and how each one is decoded.
 *
 * Decoding a resource is `unpackAny` (bytes → ProtoObject) then the shared `decodeX` validator
 * from xds/resources (ProtoObject → frozen camelCase view). A failure carries every error with its
 * path, prefixed with the resource's position and name, so the NACK names exactly what was wrong.
 */
import { unpackAny, type PackedAny } from '../../xds/any.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { decodeCluster } from '../../xds/resources/cluster.js';
import { decodeClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.js';
import { decodeListener } from '../../xds/resources/listener.js';
import { decodeRouteConfiguration } from '../../xds/resources/route-configuration.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '../../xds/type-urls.js';
import { fail, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';

export type XdsKind = 'lds' | 'rds' | 'cds' | 'eds';

/** One decoded resource: its name, the validated view, and the ProtoObject it came from. */
export interface DecodedResource<T = unknown> {
  readonly name: string;
  readonly value: T;
  readonly proto: ProtoObject;
}

export interface ResourceType {
  readonly kind: XdsKind;
  readonly typeUrl: string;
  /**
   * LDS and CDS responses carry every resource of the type (a missing one was deleted); RDS and
   * EDS responses may carry only the changed ones [xDS protocol, "Grouping Resources into Responses"].
   */
  readonly fullStateInSotw: boolean;
  /** Envoy subscribes to LDS and CDS with a wildcard, to RDS and EDS by name. */
  readonly wildcard: boolean;
  decode(proto: ProtoObject, path: string): ValidationResult<DecodedResource>;
}

function named<T>(proto: ProtoObject, result: ValidationResult<T>, name: (v: T) => string): ValidationResult<DecodedResource> {
  return result.ok ? ok({ name: name(result.value), value: result.value, proto }) : result;
}

export const LISTENER_TYPE: ResourceType = {
  kind: 'lds',
  typeUrl: LISTENER_TYPE_URL,
  fullStateInSotw: true,
  wildcard: true,
  decode: (proto, path) => named(proto, decodeListener(proto, path), (l) => l.name),
};

export const ROUTE_CONFIGURATION_TYPE: ResourceType = {
  kind: 'rds',
  typeUrl: ROUTE_CONFIGURATION_TYPE_URL,
  fullStateInSotw: false,
  wildcard: false,
  decode: (proto, path) => named(proto, decodeRouteConfiguration(proto, path), (r) => r.name),
};

export const CLUSTER_TYPE: ResourceType = {
  kind: 'cds',
  typeUrl: CLUSTER_TYPE_URL,
  fullStateInSotw: true,
  wildcard: true,
  decode: (proto, path) => named(proto, decodeCluster(proto, path), (c) => c.name),
};

export const CLUSTER_LOAD_ASSIGNMENT_TYPE: ResourceType = {
  kind: 'eds',
  typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  fullStateInSotw: false,
  wildcard: false,
  decode: (proto, path) => named(proto, decodeClusterLoadAssignment(proto, path), (c) => c.clusterName),
};

/**
 * In the order Envoy subscribes and the xDS docs' make-before-break order wants updates applied:
 * CDS, EDS, LDS, RDS [xDS protocol, "Eventual consistency considerations"].
 */
export const RESOURCE_TYPES: readonly ResourceType[] = [CLUSTER_TYPE, CLUSTER_LOAD_ASSIGNMENT_TYPE, LISTENER_TYPE, ROUTE_CONFIGURATION_TYPE];

export function resourceTypeOf(typeUrl: string): ResourceType | undefined {
  for (const t of RESOURCE_TYPES) if (t.typeUrl === typeUrl) return t;
  return undefined;
}

/**
 * Decodes one Any of a response. `where` names it in error paths ('resources[3]'). The Any's
 * type_url must equal the response's [xDS protocol: every resource is of the response type].
 */
export function decodeResourceAny(type: ResourceType, any: PackedAny, where: string): ValidationResult<DecodedResource> {
  if (any.type_url !== type.typeUrl) {
    return fail([{ path: where, message: `resource type "${any.type_url}" does not match the response type "${type.typeUrl}"` }]);
  }
  const unpacked = unpackAny(any, where);
  if (!unpacked.ok) return unpacked;
  return decodeProto(type, unpacked.value, where);
}

/** Decodes a resource already in ProtoObject form (the config cache stores this form too). */
export function decodeProto(type: ResourceType, proto: ProtoObject, where: string): ValidationResult<DecodedResource> {
  const name = typeof proto.name === 'string' ? proto.name : typeof proto.cluster_name === 'string' ? proto.cluster_name : '';
  const result = type.decode(proto, '');
  if (result.ok) return result;
  const prefix = name === '' ? where : `${where}(${name})`;
  return fail(result.errors.map((e): FieldError => ({ path: e.path === '' ? prefix : `${prefix}.${e.path}`, message: e.message })));
}
