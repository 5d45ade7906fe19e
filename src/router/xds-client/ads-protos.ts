/**
 * The AggregatedDiscoveryService client constructor, built once per process with
 * @grpc/proto-loader from the ads.proto that @grpc/grpc-js-xds ships in deps/ (DESIGN.md §1: we
 * never copy .proto files). Loader options as XDS.md "Encoding pitfalls" says: keepCase so Any is
 * {type_url, value} and snake_case request objects keep their fields; enums and longs as strings;
 * defaults so absent repeated fields arrive as [].
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export type AdsClientConstructor = new (target: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => grpc.Client & {
  StreamAggregatedResources(): grpc.ClientDuplexStream<unknown, unknown>;
  DeltaAggregatedResources(): grpc.ClientDuplexStream<unknown, unknown>;
};

let cached: AdsClientConstructor | null = null;

export function adsClientConstructor(): AdsClientConstructor {
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  const deps = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const definition = protoLoader.loadSync('envoy/service/discovery/v3/ads.proto', {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(deps, d)),
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    envoy: { service: { discovery: { v3: { AggregatedDiscoveryService: AdsClientConstructor } } } };
  };
  cached = pkg.envoy.service.discovery.v3.AggregatedDiscoveryService;
  return cached;
}
