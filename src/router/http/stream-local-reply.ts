/**
 * Answers a request from the router itself: Envoy's local replies with their response flags, for
 * a failure before any response byte went out (failBeforeResponse) or any router decision
 * (sendLocalReply). Functions over the stream, called by HttpStream and its role files.
 */
import { Buffer } from 'node:buffer';
import { type ProxyError, ResponseFlag } from '../codec/response-flags.js';
import type { HttpStream } from './http-stream.js';
import { localReplyFor } from './local-reply.js';
import { Phase } from './stream-phase.js';
import { releaseHost, releaseUpstream } from './upstream-attempt.js';

/** A failure before any response byte went out: answer with Envoy's local reply. */
export function failBeforeResponse(stream: HttpStream, error: ProxyError, retryFlag: string): void {
  if (stream.host !== null) stream.host.rqError++;
  releaseHost(stream);
  const reply = localReplyFor(error);
  // Envoy's router adds x-envoy-overloaded to overflow replies unless suppress_envoy_headers.
  const extra = error.flag === ResponseFlag.UpstreamOverflow && !stream.config.view.suppressEnvoyHeaders ? ['x-envoy-overloaded', 'true'] : null;
  // Envoy prints flags in its bit order: the failure's own flag (UF, UC, UT…) before UO / URX.
  if (retryFlag !== '' && retryFlag !== error.flag) {
    stream.addFlag(error.flag);
    sendLocalReply(stream, reply.status, reply.body, retryFlag, error.details, extra);
    return;
  }
  sendLocalReply(stream, reply.status, reply.body, error.flag, error.details, extra);
}

/** Answers the request from the router itself (a reset once the response has started). */
export function sendLocalReply(stream: HttpStream, status: number, body: string, flag: string, details: string, extraHeaders: string[] | null): void {
  if (flag !== '') stream.addFlag(flag);
  stream.responseCodeDetails = details;
  // Release first: releaseUpstream cancels a pool wait only while the phase still says so.
  releaseUpstream(stream, true);
  stream.phase = Phase.Done;
  const downstream = stream.downstream;
  if (stream.responseStarted) {
    downstream.resetResponse();
    stream.finish();
    return;
  }
  stream.responseCode = status;
  const headers: string[] = [];
  if (body !== '') headers.push('content-type', 'text/plain');
  if (extraHeaders !== null) for (let i = 0; i < extraHeaders.length; i++) headers.push(extraHeaders[i]);
  const route = stream.route;
  if (route !== null && route.includeAttemptCountInResponse && stream.attempts > 0) headers.push('x-envoy-attempt-count', String(stream.attempts));
  headers.push('date', new Date().toUTCString(), 'server', stream.config.view.serverName);
  stream.responseHeaders = headers;
  stream.responseStarted = true;
  const bodyLength = Buffer.byteLength(body);
  const noBody = stream.method === 'HEAD';
  downstream.writeResponseHead(status, headers, bodyLength, noBody);
  if (bodyLength > 0 && !noBody) downstream.writeResponseBody(body);
  stream.responseBytes += noBody ? 0 : bodyLength;
  downstream.endResponse();
  stream.finish();
}
