/**
 * XdsServer: the control plane's xDS v3 management server over gRPC (insecure, 127.0.0.1 by
 * default). It serves the SnapshotCache's per-group snapshots to Envoy, our router and proxyless
 * gRPC clients, following the checklist in /work/shared/XDS.md.
 *
 * Public API (used by the control plane's composition root, the router's tests and ours):
 *
 *   const cache = new SnapshotCache();
 *   cache.setSnapshot('local', buildSnapshot('1', { listeners, routeConfigurations, clusters, clusterLoadAssignments }));
 *   // optional 3rd argument { namedOnly: { listeners, clusters } }: served only to explicit names,
 *   // never in a wildcard LDS/CDS set (cache/resource-snapshot.ts)
 *   const server = new XdsServer({ cache, defaultGroup: 'local' });   // nodeGroup?: (node) => string, logger?: Logger
 *   const port = await server.listen(0);                               // host defaults to '127.0.0.1'; returns the bound port
 *   server.on('nack', (e) => …);   // also 'ack', 'connect', 'disconnect', 'response' (callbacks.ts)
 *   server.clients();              // XdsClientStatus[] (client-status.ts)
 *   server.bytesSent();            // total encoded response bytes
 *   await server.close();
 *
 * Services (all on one port):
 *   envoy.service.discovery.v3.AggregatedDiscoveryService  StreamAggregatedResources (SotW, ads-sotw.ts)
 *                                                          DeltaAggregatedResources (Delta, ads-delta.ts)
 *   envoy.service.{cluster,endpoint,listener,route}.v3.*DiscoveryService
 *                                                          Stream* (SotW), Delta*, Fetch* — the same state
 *                                                          machines restricted to one type
 *
 * Node groups: a stream's group is fixed by the node of its first request: `nodeGroup(node)`,
 * by default `node.locality.region || defaultGroup`. A stream whose group has no snapshot yet
 * waits; `cache.setSnapshot(group, …)` updates every open stream of that group.
 */
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { Logger } from '../../../common/logger.js';
import { InvalidArgumentError, InvalidStateError } from '../../../common/errors.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '../../../xds/type-urls.js';
import { encodeSnapshot, type EncodedSnapshot } from '../cache/encoded-snapshot.js';
import type { SnapshotCache } from '../cache/snapshot-cache.js';
import { DeltaStream } from './ads-delta.js';
import { SotwStream } from './ads-sotw.js';
import type { XdsServerEvents } from './callbacks.js';
import type { StreamKind, XdsClientStatus } from './client-status.js';
import { discoveryService, type DiscoveryServiceName } from './discovery-services.js';
import { fetchResponse } from './fetch.js';
import { regionGroup, toNodeInfo, type NodeGroupFn, type NodeInfo } from './node-group.js';
import type { HostedStream, StreamHost } from './served-stream.js';
import type { WireDeltaDiscoveryRequest, WireDiscoveryRequest, WireDiscoveryResponse } from './wire-types.js';

/** Constructor options of XdsServer. */
export interface XdsServerOptions {
  /** Where snapshots come from. The server subscribes to it for its whole life. */
  readonly cache: SnapshotCache;
  /** Node → group. Default: `node.locality.region || defaultGroup`. */
  readonly nodeGroup?: NodeGroupFn;
  /** The group of a node that names no region (with the default nodeGroup). */
  readonly defaultGroup: string;
  readonly logger?: Logger;
}

/** How long close() lets gRPC drain before forcing the shutdown. */
const SHUTDOWN_GRACE_MS = 1_000;

const SINGLE_TYPE_SERVICES: readonly { name: Exclude<DiscoveryServiceName, 'ads'>; typeUrl: string; stem: string }[] = [
  { name: 'cds', typeUrl: CLUSTER_TYPE_URL, stem: 'Clusters' },
  { name: 'eds', typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, stem: 'Endpoints' },
  { name: 'lds', typeUrl: LISTENER_TYPE_URL, stem: 'Listeners' },
  { name: 'rds', typeUrl: ROUTE_CONFIGURATION_TYPE_URL, stem: 'Routes' },
];

export interface XdsServer {
  on<K extends keyof XdsServerEvents>(event: K, listener: XdsServerEvents[K]): this;
  once<K extends keyof XdsServerEvents>(event: K, listener: XdsServerEvents[K]): this;
  off<K extends keyof XdsServerEvents>(event: K, listener: XdsServerEvents[K]): this;
}

export class XdsServer extends EventEmitter {
  private readonly cache: SnapshotCache;
  private readonly nodeGroup: NodeGroupFn;
  private readonly logger: Logger;
  private readonly streams = new Set<HostedStream>();
  private readonly unsubscribe: () => void;
  private grpcServer: grpc.Server | null = null;
  private closed = false;
  private bytes = 0;

  constructor(opts: XdsServerOptions) {
    super();
    if (opts === null || typeof opts !== 'object' || opts.cache === undefined) throw new InvalidArgumentError('XdsServer needs { cache, defaultGroup }');
    if (typeof opts.defaultGroup !== 'string') throw new InvalidArgumentError('XdsServer: defaultGroup must be a string');
    this.cache = opts.cache;
    this.nodeGroup = opts.nodeGroup ?? regionGroup(opts.defaultGroup);
    this.logger = opts.logger ?? new Logger('xds-server');
    this.unsubscribe = this.cache.onSnapshot((group) => {
      // Runs inside the publisher's setSnapshot call: one broken stream must not fail it.
      for (const s of this.streams) {
        if (!s.started || s.group !== group) continue;
        try {
          s.onSnapshot();
        } catch (err) {
          this.logger.error('xDS push failed', { nodeId: s.nodeId, peer: s.peer, error: (err as Error).stack ?? String(err) });
        }
      }
    });
  }

  /**
   * Binds the gRPC server (insecure credentials) and starts serving. `port` 0 picks an ephemeral
   * port. Resolves with the bound port. Call once.
   */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    if (this.grpcServer !== null || this.closed) throw new InvalidStateError('XdsServer.listen may be called once, before close()');
    const server = new grpc.Server({ 'grpc.max_send_message_length': -1, 'grpc.max_receive_message_length': 16 * 1024 * 1024 });
    this.addServices(server);
    this.grpcServer = server;
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return new Promise<number>((resolve, reject) => {
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
    });
  }

  /** Ends every stream and stops the gRPC server. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const s of [...this.streams]) s.end();
    const server = this.grpcServer;
    if (server === null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** One entry per open stream that has sent its first request. */
  clients(): XdsClientStatus[] {
    const out: XdsClientStatus[] = [];
    for (const s of this.streams) if (s.started) out.push(s.status());
    return out;
  }

  /** Total bytes of every encoded response written so far (SotW and Delta, all services). */
  bytesSent(): number {
    return this.bytes;
  }

  private host(): StreamHost {
    return {
      groupOf: (node: NodeInfo) => this.nodeGroup(node),
      snapshotFor: (group: string) => this.snapshotFor(group),
      emit: (name, payload) => this.safeEmit(name, payload),
      logger: this.logger,
      opened: (s) => {
        this.logger.info('xDS client connected', { nodeId: s.nodeId, group: s.group, streamKind: s.kind, peer: s.peer });
        this.safeEmit('connect', { nodeId: s.nodeId, group: s.group, streamKind: s.kind, peer: s.peer });
      },
      closed: (s) => {
        if (!this.streams.delete(s)) return;
        if (!s.started) return;
        this.logger.info('xDS client disconnected', { nodeId: s.nodeId, group: s.group, streamKind: s.kind, peer: s.peer });
        this.safeEmit('disconnect', { nodeId: s.nodeId, group: s.group, streamKind: s.kind, peer: s.peer });
      },
    };
  }

  private snapshotFor(group: string): EncodedSnapshot | undefined {
    const s = this.cache.getSnapshot(group);
    if (s === undefined) return undefined;
    const encoded = encodeSnapshot(s); // memoized; setSnapshot already proved it encodes
    return encoded.ok ? encoded.value : undefined;
  }

  private safeEmit<K extends keyof XdsServerEvents>(name: K, payload: Parameters<XdsServerEvents[K]>[0]): void {
    try {
      this.emit(name, payload);
    } catch (err) {
      this.logger.error(`'${name}' listener threw`, { error: (err as Error).stack ?? String(err) });
    }
  }

  private track(call: grpc.ServerDuplexStream<unknown, unknown>, make: () => HostedStream): void {
    // A client reconnecting while we shut down gets its stream ended instead of left hanging.
    if (this.closed) {
      call.end();
      return;
    }
    this.streams.add(make());
  }

  private addServices(server: grpc.Server): void {
    const count = (n: number): void => {
      this.bytes += n;
    };
    const host = this.host();
    server.addService(discoveryService('ads', count), {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<WireDiscoveryRequest, WireDiscoveryResponse>) =>
        this.track(call as grpc.ServerDuplexStream<unknown, unknown>, () => new SotwStream(call, host, 'ads', null)),
      DeltaAggregatedResources: (call: grpc.ServerDuplexStream<WireDeltaDiscoveryRequest, unknown>) =>
        this.track(call as grpc.ServerDuplexStream<unknown, unknown>, () => new DeltaStream(call, host, 'ads-delta', null)),
    });
    for (const svc of SINGLE_TYPE_SERVICES) {
      server.addService(discoveryService(svc.name, count), {
        [`Stream${svc.stem}`]: (call: grpc.ServerDuplexStream<WireDiscoveryRequest, WireDiscoveryResponse>) =>
          this.track(call as grpc.ServerDuplexStream<unknown, unknown>, () => new SotwStream(call, host, svc.name as StreamKind, svc.typeUrl)),
        [`Delta${svc.stem}`]: (call: grpc.ServerDuplexStream<WireDeltaDiscoveryRequest, unknown>) =>
          this.track(call as grpc.ServerDuplexStream<unknown, unknown>, () => new DeltaStream(call, host, `${svc.name}-delta` as StreamKind, svc.typeUrl)),
        [`Fetch${svc.stem}`]: (
          call: grpc.ServerUnaryCall<WireDiscoveryRequest, WireDiscoveryResponse>,
          callback: grpc.sendUnaryData<WireDiscoveryResponse>,
        ) => {
          const group = this.nodeGroup(toNodeInfo(call.request.node));
          const result = fetchResponse(call.request, svc.typeUrl, this.snapshotFor(group));
          if (result === null) callback({ code: grpc.status.UNAVAILABLE, details: `no snapshot for node group "${group}"` });
          else callback(null, result);
        },
      });
    }
  }
}
