/**
 * Turns a finished stream into an access-log record and hands it to the listener's loggers. Runs
 * once per request when at least one logger is configured; the sinks write off the hot path.
 *
 * One record is reused for every request of the worker: loggers read it synchronously (filter,
 * then formatter to a string) and keep nothing, so a fresh object per request would only feed
 * the GC. Every field is therefore written here each time.
 */
import { AccessLogRecord } from '../accesslog/access-log-record.js';
import type { HttpStream } from './http-stream.js';

const record = new AccessLogRecord();

export function logStream(stream: HttpStream): void {
  const downstream = stream.downstream;
  record.startTimeMs = stream.startMs;
  record.startHr = stream.startHr;
  record.method = stream.method;
  record.path = stream.path;
  record.authority = stream.authority;
  record.scheme = downstream.isTls ? 'https' : 'http';
  record.protocol = downstream.protocol === 'HTTP/2' ? 'HTTP/2' : stream.versionMinor === 0 ? 'HTTP/1.0' : 'HTTP/1.1';
  record.requestHeaders = stream.requestHeaders;
  record.responseHeaders = stream.responseHeaders;
  record.responseTrailers = null;
  record.responseCode = stream.responseCode;
  record.responseCodeDetails = stream.responseCodeDetails === '' ? 'via_upstream' : stream.responseCodeDetails;
  record.responseFlags = stream.responseFlags === '' ? '-' : stream.responseFlags;
  record.bytesReceived = stream.bytesReceived;
  record.bytesSent = stream.responseBytes;
  record.durationMs = Math.round(stream.finishHr - stream.startHr);
  record.requestDurationMs = -1;
  record.responseDurationMs = -1;
  record.upstreamServiceTimeMs = stream.upstreamServiceTimeMs;
  const host = stream.lastHost;
  record.upstreamHost = host === null ? '-' : host.address;
  record.upstreamCluster = stream.cluster === null ? '-' : stream.cluster.name;
  record.upstreamLocalAddress = '-';
  record.upstreamTransportFailureReason = '';
  record.downstreamRemoteAddress = downstream.remoteEndpoint;
  record.downstreamDirectRemoteAddress = downstream.remoteEndpoint;
  record.downstreamLocalAddress = downstream.localEndpoint;
  record.requestId = stream.requestId;
  record.routeName = stream.route === null ? '' : stream.route.name;
  record.attemptCount = stream.attempts;
  record.connectionId = downstream.connectionId;
  const loggers = stream.config.accessLoggers;
  for (let i = 0; i < loggers.length; i++) loggers[i].log(record);
}
