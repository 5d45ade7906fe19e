/**
 * The router's client of envoy.service.ratelimit.v3.RateLimitService: one gRPC channel (HTTP/2)
 * per RLS address, shared by every filter and config snapshot of the worker process, so an xDS
 * update does not reconnect. Each ShouldRateLimit call carries a deadline of the filter's
 * `timeout`; an answer after it is an error (DEADLINE_EXCEEDED), as in Envoy. Calls never wait
 * for the channel to become ready (gRPC's default): an RLS that is down fails a call at once.
 */
import * as grpc from '@grpc/grpc-js';
import { rateLimitServiceConstructor, type RateLimitServiceClient, type RlsRequest, type RlsResponse } from '../../xds/ratelimit-service-protos.js';

const clients = new Map<string, RateLimitServiceClient>();
const NO_METADATA = new grpc.Metadata();

/** Who hears a call's outcome: the response, or null with what went wrong. */
export interface RlsCallHandler {
  onRlsResponse(response: RlsResponse | null, error: string): void;
}

/** The shared client of `target` ("host:port"), created on first use and connecting right away. */
export function rlsClient(target: string): RateLimitServiceClient {
  let client = clients.get(target);
  if (client === undefined) {
    const Client = rateLimitServiceConstructor();
    client = new Client(target, grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 60_000 });
    // Start connecting now: with a 20 ms deadline the first call could not afford the handshake.
    client.getChannel().getConnectivityState(true);
    clients.set(target, client);
  }
  return client;
}

/** One ShouldRateLimit call with a `timeoutMs` deadline (0 = none); `handler` hears exactly once. */
export function callShouldRateLimit(target: string, request: RlsRequest, timeoutMs: number, handler: RlsCallHandler): grpc.ClientUnaryCall {
  const options: grpc.CallOptions = timeoutMs > 0 ? { deadline: Date.now() + timeoutMs } : {};
  return rlsClient(target).ShouldRateLimit(request, NO_METADATA, options, (error, response) => {
    if (error !== null) handler.onRlsResponse(null, `${grpc.status[error.code] ?? error.code}: ${error.details}`);
    else handler.onRlsResponse(response ?? null, response === undefined ? 'empty response' : '');
  });
}

/** Closes every channel (worker shutdown). */
export function closeRlsClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}
