/**
 * Builders for the well-known proto values in the ProtoObject form (src/xds/proto-object.ts):
 * google.protobuf.Duration `{ seconds, nanos }`, wrappers `{ value }`, and the config sources
 * every xDS reference here uses (ADS, v3).
 */
import type { ProtoObject } from '../../xds/proto-object.js';

/** Milliseconds → google.protobuf.Duration (whole milliseconds; Envoy's own resolution). */
export function duration(ms: number): ProtoObject {
  const whole = Math.max(0, Math.round(ms));
  return { seconds: Math.floor(whole / 1000), nanos: (whole % 1000) * 1_000_000 };
}

/** A UInt32Value / BoolValue / DoubleValue wrapper. */
export function wrap(value: number | boolean): ProtoObject {
  return { value };
}

/**
 * core.v3.ConfigSource for resources that come over the same ADS stream. resource_api_version V3:
 * Envoy refuses the (default) AUTO/V2 for xDS v3 resources.
 */
export function adsConfigSource(): ProtoObject {
  return { ads: {}, resource_api_version: 'V3' };
}

/** core.v3.RuntimeFractionalPercent of 100% (no runtime key: there is no runtime layer). */
export function fullRuntimeFraction(): ProtoObject {
  return { default_value: { numerator: 100, denominator: 'HUNDRED' } };
}
