/**
 * envoy.service.ratelimit.v3.RateLimitService for @grpc/grpc-js, loaded once per process with
 * @grpc/proto-loader from the rls.proto that @grpc/grpc-js-xds ships in deps/ (DESIGN §1: never
 * copied). Both planes use it: the router's RLS client (router/ratelimit/rls-client.ts) and the
 * control plane's server (control-plane/ratelimit/rate-limit-server.ts) — the wire is the contract.
 * Loader options: grpc-service-protos.ts (longs as numbers here: hits and limits are counts).
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { envoyProtoLoaderOptions } from './grpc-service-protos.js';

/** RateLimitRequest as the loader hands it over (keepCase). */
export interface RlsRequest {
  domain: string;
  descriptors: { entries: { key: string; value: string }[] }[];
  hits_addend: number;
}

/** RateLimitResponse.DescriptorStatus, the fields we read and write. */
export interface RlsDescriptorStatus {
  code: 'UNKNOWN' | 'OK' | 'OVER_LIMIT';
  current_limit?: { requests_per_unit: number; unit: 'UNKNOWN' | 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'MONTH' | 'YEAR'; name?: string } | null;
  limit_remaining: number;
  duration_until_reset?: { seconds: number | string; nanos: number } | null;
}

/** RateLimitResponse, the fields we read and write. */
export interface RlsResponse {
  overall_code: 'UNKNOWN' | 'OK' | 'OVER_LIMIT';
  statuses: RlsDescriptorStatus[];
  response_headers_to_add?: { key: string; value: string }[];
  request_headers_to_add?: { key: string; value: string }[];
  raw_body?: Buffer;
}

export type RateLimitServiceClient = grpc.Client & {
  ShouldRateLimit(request: RlsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response?: RlsResponse) => void): grpc.ClientUnaryCall;
};
export type RateLimitServiceClientConstructor = (new (target: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => RateLimitServiceClient) & {
  service: grpc.ServiceDefinition;
};

let cached: RateLimitServiceClientConstructor | null = null;

/** The generated client constructor; `.service` is the definition a server adds. */
export function rateLimitServiceConstructor(): RateLimitServiceClientConstructor {
  if (cached !== null) return cached;
  const definition = protoLoader.loadSync('envoy/service/ratelimit/v3/rls.proto', envoyProtoLoaderOptions(Number));
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    envoy: { service: { ratelimit: { v3: { RateLimitService: RateLimitServiceClientConstructor } } } };
  };
  cached = pkg.envoy.service.ratelimit.v3.RateLimitService;
  return cached;
}
