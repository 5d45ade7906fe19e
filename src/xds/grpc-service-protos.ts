/**
 * The one way both planes load Envoy's gRPC service protos for @grpc/grpc-js: @grpc/proto-loader
 * over the .proto files @grpc/grpc-js-xds ships in deps/ (DESIGN §1: never copied), with the
 * options XDS.md's "Encoding pitfalls" settles — keepCase (Any is {type_url, value} and snake_case
 * objects keep their fields), enums as strings, defaults on (absent repeated fields arrive as []),
 * oneofs. Longs are strings for xDS (versions, nonces) unless a caller asks for numbers.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as protoLoader from '@grpc/proto-loader';

/** The Envoy API folders inside @grpc/grpc-js-xds/deps that service protos import from. */
export function envoyProtoIncludeDirs(): string[] {
  const require = createRequire(import.meta.url);
  const deps = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  return ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(deps, d));
}

/** proto-loader options for Envoy service protos. */
export function envoyProtoLoaderOptions(longs: typeof String | typeof Number = String): protoLoader.Options {
  return { keepCase: true, longs, enums: String, defaults: true, oneofs: true, includeDirs: envoyProtoIncludeDirs() };
}
