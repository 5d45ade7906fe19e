/**
 * One parsed Envoy command operator (%NAME(args):Z%) and its evaluation against a record.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#command-operators
 *
 * Parsing happens once at config time; `value(record)` is a switch on a small integer, so every
 * operator object has the same shape and the per-request path allocates nothing but the result.
 * `value` returns null for "not set" (text prints '-', typed JSON prints null).
 */
import { hostname } from 'node:os';
import type { AccessLogRecord } from './access-log-record.js';
import { longResponseFlags } from './response-flag-names.js';
import { formatDefaultStartTime, StartTimeFormat } from './start-time-format.js';

const enum Op {
  StartTime,
  ReqHeader,
  RespHeader,
  Trailer,
  ResponseCode,
  ResponseCodeDetails,
  ResponseFlags,
  ResponseFlagsLong,
  Duration,
  RequestDuration,
  ResponseDuration,
  BytesReceived,
  BytesSent,
  Protocol,
  UpstreamHost,
  UpstreamHostWithoutPort,
  UpstreamCluster,
  UpstreamLocalAddress,
  UpstreamLocalAddressWithoutPort,
  UpstreamTransportFailureReason,
  DownstreamRemoteAddress,
  DownstreamRemoteAddressWithoutPort,
  DownstreamRemotePort,
  DownstreamLocalAddress,
  DownstreamLocalAddressWithoutPort,
  DownstreamLocalPort,
  DownstreamDirectRemoteAddress,
  DownstreamDirectRemoteAddressWithoutPort,
  DownstreamDirectRemotePort,
  RequestId,
  RouteName,
  VirtualClusterName,
  AttemptCount,
  ConnectionId,
  Hostname,
}

/** Operators without arguments, by name. */
const SIMPLE_OPS: ReadonlyMap<string, Op> = new Map([
  ['RESPONSE_CODE', Op.ResponseCode],
  ['RESPONSE_CODE_DETAILS', Op.ResponseCodeDetails],
  ['RESPONSE_FLAGS', Op.ResponseFlags],
  ['RESPONSE_FLAGS_LONG', Op.ResponseFlagsLong],
  ['DURATION', Op.Duration],
  ['REQUEST_DURATION', Op.RequestDuration],
  ['RESPONSE_DURATION', Op.ResponseDuration],
  ['BYTES_RECEIVED', Op.BytesReceived],
  ['BYTES_SENT', Op.BytesSent],
  ['PROTOCOL', Op.Protocol],
  ['UPSTREAM_HOST', Op.UpstreamHost],
  ['UPSTREAM_REMOTE_ADDRESS', Op.UpstreamHost],
  ['UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT', Op.UpstreamHostWithoutPort],
  ['UPSTREAM_CLUSTER', Op.UpstreamCluster],
  ['UPSTREAM_LOCAL_ADDRESS', Op.UpstreamLocalAddress],
  ['UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT', Op.UpstreamLocalAddressWithoutPort],
  ['UPSTREAM_TRANSPORT_FAILURE_REASON', Op.UpstreamTransportFailureReason],
  ['DOWNSTREAM_REMOTE_ADDRESS', Op.DownstreamRemoteAddress],
  ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT', Op.DownstreamRemoteAddressWithoutPort],
  ['DOWNSTREAM_REMOTE_PORT', Op.DownstreamRemotePort],
  ['DOWNSTREAM_LOCAL_ADDRESS', Op.DownstreamLocalAddress],
  ['DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT', Op.DownstreamLocalAddressWithoutPort],
  ['DOWNSTREAM_LOCAL_PORT', Op.DownstreamLocalPort],
  ['DOWNSTREAM_DIRECT_REMOTE_ADDRESS', Op.DownstreamDirectRemoteAddress],
  ['DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT', Op.DownstreamDirectRemoteAddressWithoutPort],
  ['DOWNSTREAM_DIRECT_REMOTE_PORT', Op.DownstreamDirectRemotePort],
  ['REQUEST_ID', Op.RequestId],
  ['STREAM_ID', Op.RequestId],
  ['ROUTE_NAME', Op.RouteName],
  ['VIRTUAL_CLUSTER_NAME', Op.VirtualClusterName],
  ['UPSTREAM_REQUEST_ATTEMPT_COUNT', Op.AttemptCount],
  ['CONNECTION_ID', Op.ConnectionId],
  ['HOSTNAME', Op.Hostname],
]);

const HEADER_OPS: ReadonlyMap<string, Op> = new Map([
  ['REQ', Op.ReqHeader],
  ['REQUEST_HEADER', Op.ReqHeader],
  ['RESP', Op.RespHeader],
  ['RESPONSE_HEADER', Op.RespHeader],
  ['TRAILER', Op.Trailer],
  ['RESPONSE_TRAILER', Op.Trailer],
]);

const HOSTNAME = hostname();

export type OperatorValue = string | number | null;

export class CommandOperator {
  private readonly op: Op;
  /** Header names (lower-case): main and alternative ('' = none). */
  private readonly header: string;
  private readonly altHeader: string;
  /** Truncation length (:Z); 0 = none. */
  private readonly maxLength: number;
  private readonly time: StartTimeFormat | null;

  private constructor(op: Op, header: string, altHeader: string, maxLength: number, time: StartTimeFormat | null) {
    this.op = op;
    this.header = header;
    this.altHeader = altHeader;
    this.maxLength = maxLength;
    this.time = time;
  }

  /**
   * Builds an operator from its parts (`%NAME(args):Z%`). Returns an error message for an
   * unknown name or bad arguments.
   */
  static create(name: string, args: string | null, maxLength: number): CommandOperator | string {
    if (name === 'START_TIME') {
      return new CommandOperator(Op.StartTime, '', '', maxLength, args === null || args === '' ? null : new StartTimeFormat(args));
    }
    const headerOp = HEADER_OPS.get(name);
    if (headerOp !== undefined) {
      if (args === null || args === '') return `${name} requires a header name: %${name}(X?Y):Z%`;
      const names = args.split('?');
      if (names.length > 2) return `${name}(${args}): more than 1 alternative header specified`;
      if (names.some((n) => n === '')) return `${name}(${args}): empty header name`;
      return new CommandOperator(headerOp, names[0].toLowerCase(), (names[1] ?? '').toLowerCase(), maxLength, null);
    }
    const op = SIMPLE_OPS.get(name);
    if (op === undefined) return `unsupported command operator %${name}%`;
    if (args !== null) return `%${name}% takes no arguments`;
    return new CommandOperator(op, '', '', maxLength, null);
  }

  /** True when typed JSON renders this operator as a number (Envoy's "renders a numeric value"). */
  get numeric(): boolean {
    switch (this.op) {
      case Op.ResponseCode:
      case Op.Duration:
      case Op.RequestDuration:
      case Op.ResponseDuration:
      case Op.BytesReceived:
      case Op.BytesSent:
      case Op.AttemptCount:
      case Op.ConnectionId:
      case Op.DownstreamRemotePort:
      case Op.DownstreamLocalPort:
      case Op.DownstreamDirectRemotePort:
        return true;
      default:
        return false;
    }
  }

  /** The value for typed output: number, string, or null when not set. Truncated to :Z. */
  value(r: AccessLogRecord): OperatorValue {
    const v = this.raw(r);
    if (this.maxLength > 0 && typeof v === 'string' && v.length > this.maxLength) return v.slice(0, this.maxLength);
    return v;
  }

  /** The value as text: '-' when not set. */
  text(r: AccessLogRecord): string {
    const v = this.value(r);
    return v === null ? '-' : typeof v === 'number' ? String(v) : v;
  }

  private raw(r: AccessLogRecord): OperatorValue {
    switch (this.op) {
      case Op.StartTime:
        return this.time === null ? formatDefaultStartTime(r.startTimeMs) : this.time.format(r.startTimeMs);
      case Op.ReqHeader:
        return this.requestHeader(r);
      case Op.RespHeader:
        return headerOrAlt(r.responseHeaders, this.header, this.altHeader, r);
      case Op.Trailer:
        return headerOrAlt(r.responseTrailers, this.header, this.altHeader, null);
      case Op.ResponseCode:
        return r.responseCode;
      case Op.ResponseCodeDetails:
        return str(r.responseCodeDetails);
      case Op.ResponseFlags:
        return str(r.responseFlags);
      case Op.ResponseFlagsLong:
        return str(longResponseFlags(r.responseFlags));
      case Op.Duration:
        return num(r.durationMs);
      case Op.RequestDuration:
        return num(r.requestDurationMs);
      case Op.ResponseDuration:
        return num(r.responseDurationMs);
      case Op.BytesReceived:
        return r.bytesReceived;
      case Op.BytesSent:
        return r.bytesSent;
      case Op.Protocol:
        return str(r.protocol);
      case Op.UpstreamHost:
        return str(r.upstreamHost);
      case Op.UpstreamHostWithoutPort:
        return str(withoutPort(r.upstreamHost));
      case Op.UpstreamCluster:
        return str(r.upstreamCluster);
      case Op.UpstreamLocalAddress:
        return str(r.upstreamLocalAddress);
      case Op.UpstreamLocalAddressWithoutPort:
        return str(withoutPort(r.upstreamLocalAddress));
      case Op.UpstreamTransportFailureReason:
        return str(r.upstreamTransportFailureReason);
      case Op.DownstreamRemoteAddress:
        return str(r.downstreamRemoteAddress);
      case Op.DownstreamRemoteAddressWithoutPort:
        return str(withoutPort(r.downstreamRemoteAddress));
      case Op.DownstreamRemotePort:
        return portOf(r.downstreamRemoteAddress);
      case Op.DownstreamLocalAddress:
        return str(r.downstreamLocalAddress);
      case Op.DownstreamLocalAddressWithoutPort:
        return str(withoutPort(r.downstreamLocalAddress));
      case Op.DownstreamLocalPort:
        return portOf(r.downstreamLocalAddress);
      case Op.DownstreamDirectRemoteAddress:
        return str(r.downstreamDirectRemoteAddress);
      case Op.DownstreamDirectRemoteAddressWithoutPort:
        return str(withoutPort(r.downstreamDirectRemoteAddress));
      case Op.DownstreamDirectRemotePort:
        return portOf(r.downstreamDirectRemoteAddress);
      case Op.RequestId:
        return str(r.requestId);
      case Op.RouteName:
        return str(r.routeName);
      case Op.VirtualClusterName:
        return null;
      case Op.AttemptCount:
        return r.attemptCount;
      case Op.ConnectionId:
        return r.connectionId;
      case Op.Hostname:
        return HOSTNAME;
    }
  }

  /** Pseudo-headers come from the record's fields; the rest from the flat header list. */
  private requestHeader(r: AccessLogRecord): OperatorValue {
    const v = pseudoOrHeader(r, this.header);
    if (v !== null || this.altHeader === '') return v;
    return pseudoOrHeader(r, this.altHeader);
  }
}

function pseudoOrHeader(r: AccessLogRecord, name: string): OperatorValue {
  if (name.charCodeAt(0) === 58 /* ':' */) {
    switch (name) {
      case ':method':
        return str(r.method);
      case ':path':
        return str(r.path);
      case ':authority':
        return r.authority !== '' ? r.authority : findHeader(r.requestHeaders, 'host');
      case ':scheme':
        return str(r.scheme);
      default:
        return findHeader(r.requestHeaders, name);
    }
  }
  return findHeader(r.requestHeaders, name);
}

function headerOrAlt(headers: readonly string[] | null, name: string, alt: string, statusOf: AccessLogRecord | null): OperatorValue {
  let v = statusOf !== null && name === ':status' ? status(statusOf) : findHeader(headers, name);
  if (v === null && alt !== '') v = statusOf !== null && alt === ':status' ? status(statusOf) : findHeader(headers, alt);
  return v;
}

function status(r: AccessLogRecord): string | null {
  return r.responseCode > 0 ? String(r.responseCode) : null;
}

/** Header lookup in a flat [name, value, …] list with lower-case names; null when absent. */
function findHeader(headers: readonly string[] | null, name: string): string | null {
  if (headers === null) return null;
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return null;
}

function str(v: string): string | null {
  return v === '' || v === '-' ? null : v;
}

function num(v: number): number | null {
  return v < 0 || Number.isNaN(v) ? null : v;
}

/** '1.2.3.4:80' → '1.2.3.4', '[::1]:80' → '::1'. */
export function withoutPort(address: string): string {
  if (address === '' || address === '-') return address;
  if (address.charCodeAt(0) === 91 /* '[' */) {
    const end = address.indexOf(']');
    return end < 0 ? address : address.slice(1, end);
  }
  const colon = address.lastIndexOf(':');
  return colon < 0 || address.indexOf(':') !== colon ? address : address.slice(0, colon);
}

function portOf(address: string): number | null {
  if (address === '' || address === '-') return null;
  const colon = address.lastIndexOf(':');
  if (colon < 0 || (address.charCodeAt(0) !== 91 && address.indexOf(':') !== colon)) return null;
  const port = Number(address.slice(colon + 1));
  return Number.isInteger(port) ? port : null;
}
