/**
 * The AggregatedDiscoveryService client constructor, built once per process with
 * @grpc/proto-loader from the ads.proto that @grpc/grpc-js-xds ships in deps/ (DESIGN.md §1: we
 * never copy .proto files), with the shared loader options (xds/grpc-service-protos.ts).
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { envoyProtoLoaderOptions } from '../../xds/grpc-service-protos.js';

export type AdsClientConstructor = new (target: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => grpc.Client & {
  StreamAggregatedResources(): grpc.ClientDuplexStream<unknown, unknown>;
  DeltaAggregatedResources(): grpc.ClientDuplexStream<unknown, unknown>;
};

let cached: AdsClientConstructor | null = null;

export function adsClientConstructor(): AdsClientConstructor {
  if (cached !== null) return cached;
  const definition = protoLoader.loadSync('envoy/service/discovery/v3/ads.proto', envoyProtoLoaderOptions());
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    envoy: { service: { discovery: { v3: { AggregatedDiscoveryService: AdsClientConstructor } } } };
  };
  cached = pkg.envoy.service.discovery.v3.AggregatedDiscoveryService;
  return cached;
}
