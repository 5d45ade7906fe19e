/**
 * Envoy's local reply bodies: what a client sees when the router answers by itself.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/local_reply
 */
import { ResponseFlag, type ProxyError } from '../codec/response-flags.js';

export const BODY_NO_HEALTHY_UPSTREAM = 'no healthy upstream';
export const BODY_UPSTREAM_TIMEOUT = 'upstream request timeout';
export const BODY_OVERFLOW = 'upstream connect error or disconnect/reset before headers. reset reason: overflow';

/** Status and body of the local reply for a request-path failure, as Envoy words them. */
export function localReplyFor(error: ProxyError): { status: number; body: string } {
  switch (error.flag) {
    case ResponseFlag.NoHealthyUpstream:
      return { status: 503, body: BODY_NO_HEALTHY_UPSTREAM };
    case ResponseFlag.UpstreamRequestTimeout:
      return { status: 504, body: BODY_UPSTREAM_TIMEOUT };
    case ResponseFlag.UpstreamOverflow:
      return { status: 503, body: BODY_OVERFLOW };
    case ResponseFlag.UpstreamConnectionFailure:
      return {
        status: 503,
        body: `upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: ${error.details}`,
      };
    case ResponseFlag.UpstreamProtocolError:
      return { status: 502, body: `upstream connect error or disconnect/reset before headers. reset reason: protocol error` };
    case ResponseFlag.UpstreamConnectionTermination:
    case ResponseFlag.UpstreamRemoteReset:
      return { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination' };
    case ResponseFlag.NoClusterFound:
      return { status: 503, body: '' };
    default:
      return { status: 503, body: error.details };
  }
}
