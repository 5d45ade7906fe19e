/**
 * Views shared by several Envoy resources (envoy.config.core.v3 and envoy.type.matcher.v3).
 * Every view is plain data, camelCase, deep-frozen, with Envoy's defaults already applied.
 * Durations are milliseconds (fields end in `Ms`); 0 means "disabled" where Envoy says so.
 */
import type { ProtoObject } from '../proto-object.js';

/** envoy.config.core.v3.SocketAddress (TCP only). `host` is an IP literal or a hostname. */
export interface SocketAddress {
  readonly host: string;
  readonly port: number;
}

/** envoy.type.matcher.v3.StringMatcher. `safeRegex` is RE2 syntax and must match the whole input. */
export interface StringMatcher {
  readonly kind: 'exact' | 'prefix' | 'suffix' | 'contains' | 'safeRegex';
  readonly value: string;
  readonly ignoreCase: boolean;
}

/** envoy.config.core.v3.HeaderValueOption, with `append_action` resolved (deprecated `append` mapped onto it). */
export interface HeaderValueOption {
  /** Lower-case header name. */
  readonly key: string;
  /** May hold Envoy command operators such as %DOWNSTREAM_REMOTE_ADDRESS%. */
  readonly value: string;
  readonly appendAction: 'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS';
  readonly keepEmptyValue: boolean;
}

/** envoy.type.v3.FractionalPercent as numerator / denominator (100, 10000 or 1000000). */
export interface FractionalPercent {
  readonly numerator: number;
  readonly denominator: 100 | 10_000 | 1_000_000;
}

/** envoy.config.core.v3.Locality. */
export interface Locality {
  readonly region: string;
  readonly zone: string;
  readonly subZone: string;
}

/** A typed extension config: the Any's type URL and its decoded message. */
export interface TypedExtensionConfig {
  readonly name: string;
  readonly typeUrl: string;
  readonly config: ProtoObject;
}

/** envoy.config.core.v3.ConfigSource, the subset we speak: ADS or self. */
export interface ConfigSource {
  readonly kind: 'ads' | 'self';
  readonly resourceApiVersion: 'V3';
}
