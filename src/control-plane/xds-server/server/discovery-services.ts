/**
 * gRPC service definitions of the xDS discovery services, loaded once per process with
 * @grpc/proto-loader from the protos @grpc/grpc-js-xds ships in deps/ (never copied here).
 *
 * Options follow XDS.md §2 "Encoding pitfalls": keepCase (Any fields are `type_url`/`value`),
 * longs String, enums String, defaults true (absent fields read as ''/[]/null), oneofs true.
 *
 * `bytesCounter` wraps every response serializer so the server can report the total encoded
 * response bytes (SotW vs Delta benchmarks) without encoding anything twice.
 */
import * as protoLoader from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { envoyProtoLoaderOptions } from '../../../xds/grpc-service-protos.js';

/** Which discovery service a definition is; the key also names the stream kind in status. */
export type DiscoveryServiceName = 'ads' | 'cds' | 'eds' | 'lds' | 'rds';

const SERVICES: Record<DiscoveryServiceName, { file: string; service: string }> = {
  ads: { file: 'envoy/service/discovery/v3/ads.proto', service: 'envoy.service.discovery.v3.AggregatedDiscoveryService' },
  cds: { file: 'envoy/service/cluster/v3/cds.proto', service: 'envoy.service.cluster.v3.ClusterDiscoveryService' },
  eds: { file: 'envoy/service/endpoint/v3/eds.proto', service: 'envoy.service.endpoint.v3.EndpointDiscoveryService' },
  lds: { file: 'envoy/service/listener/v3/lds.proto', service: 'envoy.service.listener.v3.ListenerDiscoveryService' },
  rds: { file: 'envoy/service/route/v3/rds.proto', service: 'envoy.service.route.v3.RouteDiscoveryService' },
};

/** proto-loader options every xDS client and server in this repo uses (see file comment). */
export function protoLoaderOptions(): protoLoader.Options {
  return envoyProtoLoaderOptions();
}

let cached: protoLoader.PackageDefinition | null = null;

/** The package definition holding all five services (loaded on first use, ≈0.5 s). */
export function discoveryPackage(): protoLoader.PackageDefinition {
  if (cached === null) cached = protoLoader.loadSync(Object.values(SERVICES).map((s) => s.file), protoLoaderOptions());
  return cached;
}

/**
 * The definition of one service, with every response serializer wrapped to add the encoded
 * length to `countBytes` (pass undefined for the unwrapped definition, e.g. for a test client).
 */
export function discoveryService(name: DiscoveryServiceName, countBytes?: (n: number) => void): ServiceDefinition {
  const def = discoveryPackage()[SERVICES[name].service] as unknown as ServiceDefinition;
  if (countBytes === undefined) return def;
  const wrapped: Record<string, unknown> = {};
  for (const [method, m] of Object.entries(def)) {
    const serialize = m.responseSerialize;
    wrapped[method] = {
      ...m,
      responseSerialize: (value: unknown): Buffer => {
        const bytes = serialize(value);
        countBytes(bytes.length);
        return bytes;
      },
    };
  }
  return wrapped as unknown as ServiceDefinition;
}
