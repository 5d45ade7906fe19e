/**
 * The Envoy v3 proto definitions, loaded once per process with protobufjs from the copies that
 * @grpc/grpc-js-xds ships in `deps/` (envoy-api, xds, googleapis, protoc-gen-validate). We never
 * copy .proto files into this repository: the package directory is resolved at run time.
 *
 * Loading parses ~100 .proto files and takes 0.6–1 s (measured on Node 20.20: 650–950 ms for
 * load + resolve), so the root is built lazily on the first `getProtoRoot()` call and cached;
 * a process that wants it off the request path calls `getProtoRoot()` once at startup.
 * Field names keep their .proto spelling (`keepCase`), which is what the ProtoObject form uses.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import protobuf from 'protobufjs';
import { PROMETHEUS_CLIENT_MODEL } from './prometheus-client-model.js';
import { envoyProtoIncludeDirs } from './grpc-service-protos.js';

/** The .proto files we load (their imports come along). Paths are relative to the include dirs. */
const PROTO_FILES: readonly string[] = [
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/service/discovery/v3/ads.proto',
  'envoy/service/discovery/v3/discovery.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto',
  'envoy/extensions/filters/http/ratelimit/v3/rate_limit.proto',
  'envoy/extensions/access_loggers/stream/v3/stream.proto',
  'envoy/extensions/access_loggers/file/v3/file.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/service/load_stats/v3/lrs.proto',
  'envoy/service/metrics/v3/metrics_service.proto',
  'envoy/service/accesslog/v3/als.proto',
  'envoy/service/ratelimit/v3/rls.proto',
  'envoy/service/health/v3/hds.proto',
  'udpa/type/v1/typed_struct.proto',
  'xds/type/v3/typed_struct.proto',
];

/** Imports we satisfy from an in-code descriptor instead of a file (see prometheus-client-model.ts). */
const IN_CODE_IMPORTS = new Set(['io/prometheus/client/metrics.proto']);

let cachedRoot: protobuf.Root | null = null;
let loadTimeMs = 0;

function includeDirs(): string[] {
  const require = createRequire(import.meta.url);
  // protobufjs bundles any/duration/struct/…; descriptor.proto (imported by validate.proto) comes from its google/ dir.
  const protobufjsPackage = dirname(require.resolve('protobufjs/package.json'));
  return [...envoyProtoIncludeDirs(), protobufjsPackage];
}

function loadRoot(): protobuf.Root {
  const started = performance.now();
  const dirs = includeDirs();
  const root = new protobuf.Root();
  root.addJSON(PROMETHEUS_CLIENT_MODEL.nested ?? {});
  root.resolvePath = (_origin: string, target: string): string | null => {
    if (isAbsolute(target)) return target;
    if (IN_CODE_IMPORTS.has(target)) return null;
    for (const dir of dirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    // Let protobufjs report the missing file with its name.
    return target;
  };
  root.loadSync(PROTO_FILES as string[], { keepCase: true });
  root.resolveAll();
  loadTimeMs = performance.now() - started;
  return root;
}

/**
 * The process-wide protobufjs Root holding every Envoy type we speak. Loaded synchronously on the
 * first call (≈0.6–1 s), then cached. Throws only if the installed @grpc/grpc-js-xds lacks the
 * protos, which is an installation error, not a config error.
 */
export function getProtoRoot(): protobuf.Root {
  if (cachedRoot === null) cachedRoot = loadRoot();
  return cachedRoot;
}

/** Milliseconds the one-time load took (0 before the first `getProtoRoot()`), for startup logs. */
export function protoLoadTimeMs(): number {
  return loadTimeMs;
}

/**
 * The message type with this full name ('envoy.config.cluster.v3.Cluster', no leading dot),
 * or null when our root does not know it.
 */
export function lookupMessageType(fullName: string): protobuf.Type | null {
  const root = getProtoRoot();
  const found = root.lookup(fullName.startsWith('.') ? fullName : `.${fullName}`);
  return found instanceof protobuf.Type ? found : null;
}
