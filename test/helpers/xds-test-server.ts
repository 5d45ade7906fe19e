/**
 * A real xDS management server for router tests: the control plane's own XdsServer and
 * SnapshotCache, wrapped with setters (in the spirit of grpc-js-xds's test ControlPlaneServer).
 * Each setter publishes a new snapshot with a fresh version; NACKs and ACKs are recorded.
 * `close()` then `restart()` bring the same server back on the same port with the same resources
 * (and a newer version), for reconnect tests.
 */
import { SnapshotCache } from '../../src/control-plane/xds-server/cache/snapshot-cache.js';
import { buildSnapshot } from '../../src/control-plane/xds-server/cache/resource-snapshot.js';
import type { AckEvent, NackEvent, ResponseEvent } from '../../src/control-plane/xds-server/server/callbacks.js';
import type { XdsClientStatus } from '../../src/control-plane/xds-server/server/client-status.js';
import { XdsServer } from '../../src/control-plane/xds-server/server/xds-server.js';
import { formatErrors } from '../../src/xds/validation.js';
import type { ProtoObject } from '../../src/xds/proto-object.js';

const GROUP = 'local';

export interface XdsResources {
  listeners?: ProtoObject[];
  routeConfigurations?: ProtoObject[];
  clusters?: ProtoObject[];
  clusterLoadAssignments?: ProtoObject[];
}

export class XdsTestServer {
  readonly cache = new SnapshotCache();
  readonly nacks: NackEvent[] = [];
  readonly acks: AckEvent[] = [];
  readonly responses: ResponseEvent[] = [];
  port = 0;
  private server: XdsServer | null = null;
  private versionSeq = 0;
  private resources: Required<XdsResources> = { listeners: [], routeConfigurations: [], clusters: [], clusterLoadAssignments: [] };

  static async start(resources: XdsResources = {}): Promise<XdsTestServer> {
    const s = new XdsTestServer();
    if (resources.listeners || resources.clusters || resources.routeConfigurations || resources.clusterLoadAssignments) s.set(resources);
    await s.listen(0);
    return s;
  }

  /** The version of the snapshot in force. */
  get version(): string {
    return String(this.versionSeq);
  }

  /** Replaces every resource and publishes (throws when the snapshot is inconsistent). */
  set(resources: XdsResources): string {
    this.resources = {
      listeners: resources.listeners ?? [],
      routeConfigurations: resources.routeConfigurations ?? [],
      clusters: resources.clusters ?? [],
      clusterLoadAssignments: resources.clusterLoadAssignments ?? [],
    };
    return this.publish();
  }

  /** Changes some types, keeps the others, publishes. */
  update(resources: XdsResources): string {
    this.resources = { ...this.resources, ...Object.fromEntries(Object.entries(resources).filter(([, v]) => v !== undefined)) } as Required<XdsResources>;
    return this.publish();
  }

  clients(): XdsClientStatus[] {
    return this.server?.clients() ?? [];
  }

  /** The version the (first) connected client ACKed for the type whose URL ends with `typeSuffix`, or null. */
  ackedVersion(typeSuffix: string): string | null {
    const client = this.clients()[0];
    if (client === undefined) return null;
    for (const [url, status] of Object.entries(client.types)) if (url.endsWith(typeSuffix)) return status.ackedVersion;
    return null;
  }

  /** Stops the server (the router's stream breaks); the resources are kept for restart(). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }

  /** A new XdsServer on the same port, serving the same resources at a new version. */
  async restart(): Promise<void> {
    if (this.server !== null) await this.close();
    this.publish();
    await this.listen(this.port);
  }

  /** Polls `predicate` every 25 ms until it holds or `timeoutMs` passes. */
  async waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private publish(): string {
    const version = String(++this.versionSeq);
    const result = this.cache.setSnapshot(GROUP, buildSnapshot(version, this.resources));
    if (!result.ok) throw new Error(`test snapshot rejected:\n${formatErrors(result.errors)}`);
    return version;
  }

  private async listen(port: number): Promise<void> {
    const server = new XdsServer({ cache: this.cache, defaultGroup: GROUP });
    server.on('nack', (e) => this.nacks.push(e));
    server.on('ack', (e) => this.acks.push(e));
    server.on('response', (e) => this.responses.push(e));
    this.port = await server.listen(port);
    this.server = server;
  }
}

/** A bootstrap whose listeners and clusters all come over ADS from 127.0.0.1:xdsPort. */
export function adsBootstrap(adminPort: number, xdsPort: number, apiType: 'GRPC' | 'DELTA_GRPC' = 'GRPC', via: 'envoy_grpc' | 'google_grpc' = 'envoy_grpc'): Record<string, unknown> {
  const grpcService = via === 'envoy_grpc' ? { envoy_grpc: { cluster_name: 'xds_cluster' } } : { google_grpc: { target_uri: `127.0.0.1:${xdsPort}`, stat_prefix: 'xds' } };
  return {
    node: { id: 'test-router', cluster: 'test' },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } },
    dynamic_resources: {
      ads_config: { api_type: apiType, transport_api_version: 'V3', set_node_on_first_message_only: true, grpc_services: [grpcService] },
      cds_config: { resource_api_version: 'V3', ads: {} },
      lds_config: { resource_api_version: 'V3', ads: {} },
    },
    static_resources: {
      clusters: [
        {
          name: 'xds_cluster',
          type: 'STATIC',
          connect_timeout: '1s',
          load_assignment: { cluster_name: 'xds_cluster', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: xdsPort } } } }] }] },
        },
      ],
    },
  };
}
