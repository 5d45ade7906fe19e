/**
 * Turns a finished stream into an access-log record and hands it to the listener's loggers. Runs
 * once per request when at least one logger is configured; the sinks write off the hot path.
 */
import { AccessLogRecord } from '../accesslog/access-log-record.js';
import type { HttpStream } from './http-stream.js';

export function logStream(stream: HttpStream): void {
  const record = new AccessLogRecord();
  const downstream = stream.downstream;
  record.startTimeMs = stream.startMs;
  record.method = stream.method;
  record.path = stream.path;
  record.authority = stream.authority;
  record.scheme = downstream.isTls ? 'https' : 'http';
  record.protocol = downstream.protocol === 'HTTP/2' ? 'HTTP/2' : stream.versionMinor === 0 ? 'HTTP/1.0' : 'HTTP/1.1';
  record.requestHeaders = stream.requestHeaders;
  record.responseHeaders = stream.responseHeaders;
  record.responseCode = stream.responseCode;
  record.responseCodeDetails = stream.responseCodeDetails === '' ? 'via_upstream' : stream.responseCodeDetails;
  record.responseFlags = stream.responseFlags === '' ? '-' : stream.responseFlags;
  record.bytesReceived = stream.bytesReceived;
  record.bytesSent = stream.responseBytes;
  record.durationMs = Math.round(performance.now() - stream.startHr);
  record.upstreamServiceTimeMs = stream.upstreamServiceTimeMs;
  const host = stream.lastHost;
  record.upstreamHost = host === null ? '-' : host.address;
  record.upstreamCluster = stream.cluster === null ? '-' : stream.cluster.name;
  record.downstreamRemoteAddress = joinHostPort(downstream.remoteAddress, downstream.remotePort);
  record.downstreamDirectRemoteAddress = record.downstreamRemoteAddress;
  record.downstreamLocalAddress = joinHostPort(downstream.localAddress, downstream.localPort);
  record.requestId = stream.requestId;
  record.routeName = stream.route === null ? '' : stream.route.name;
  record.attemptCount = stream.attempts;
  record.connectionId = downstream.connectionId;
  const loggers = stream.config.accessLoggers;
  for (let i = 0; i < loggers.length; i++) loggers[i].log(record);
}

function joinHostPort(host: string, port: number): string {
  if (host.startsWith('::ffff:')) host = host.slice(7);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
