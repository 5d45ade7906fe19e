/**
 * A small raw xDS client for the xds-server integration tests: opens a SotW or Delta stream on
 * the ADS service (or a single-type service), sends requests exactly as given, and hands back
 * responses one at a time with a timeout. No protocol logic: tests spell out every ACK.
 */
import * as grpc from '@grpc/grpc-js';
import { unpackAny } from '../../../src/xds/any.js';
import type { ProtoObject } from '../../../src/xds/proto-object.js';
import { discoveryPackage } from '../../../src/control-plane/xds-server/server/discovery-services.js';

export interface TestNode {
  id: string;
  cluster?: string;
  locality?: { region?: string; zone?: string };
}

export interface SotwResponse {
  version_info: string;
  type_url: string;
  nonce: string;
  resources: { type_url: string; value: Buffer }[];
}

export interface DeltaResponse {
  system_version_info: string;
  type_url: string;
  nonce: string;
  removed_resources: string[];
  resources: { name: string; version: string; resource: { type_url: string; value: Buffer } }[];
}

type Ctor = new (address: string, creds: grpc.ChannelCredentials) => grpc.Client;

const SERVICES: Record<string, string> = {
  ads: 'envoy.service.discovery.v3.AggregatedDiscoveryService',
  cds: 'envoy.service.cluster.v3.ClusterDiscoveryService',
  eds: 'envoy.service.endpoint.v3.EndpointDiscoveryService',
  lds: 'envoy.service.listener.v3.ListenerDiscoveryService',
  rds: 'envoy.service.route.v3.RouteDiscoveryService',
};

function clientFor(service: string, port: number): grpc.Client {
  const loaded = grpc.loadPackageDefinition(discoveryPackage());
  let ctor: unknown = loaded;
  for (const part of SERVICES[service].split('.')) ctor = (ctor as Record<string, unknown>)[part];
  return new (ctor as Ctor)(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** Names of the resources in a SotW response (decoded). */
export function decodeResources(resources: readonly { type_url: string; value: Buffer }[]): ProtoObject[] {
  return resources.map((any) => {
    const r = unpackAny(any);
    if (!r.ok) throw new Error(`cannot decode resource: ${JSON.stringify(r.errors)}`);
    return r.value;
  });
}

export function resourceNames(resources: readonly { type_url: string; value: Buffer }[]): string[] {
  return decodeResources(resources).map((r) => String(r.name ?? r.cluster_name));
}

/** One open stream with a response queue. */
export class XdsTestStream<Req, Res> {
  private readonly queue: Res[] = [];
  private waiter: ((r: Res) => void) | null = null;
  ended = false;
  error: Error | null = null;

  constructor(
    private readonly client: grpc.Client,
    private readonly call: grpc.ClientDuplexStream<Req, Res>,
  ) {
    call.on('data', (r: Res) => {
      if (this.waiter !== null) {
        const w = this.waiter;
        this.waiter = null;
        w(r);
      } else this.queue.push(r);
    });
    call.on('error', (err: Error) => {
      this.error = err;
    });
    call.on('end', () => {
      this.ended = true;
    });
  }

  send(req: Req): void {
    this.call.write(req);
  }

  /** The next response, or a rejection after `timeoutMs`. */
  next(timeoutMs = 3_000): Promise<Res> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no xDS response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
    });
  }

  /** Resolves with the responses that arrived within `ms` (normally asserted to be none). */
  async drain(ms = 300): Promise<Res[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.queue.splice(0);
  }

  close(): void {
    this.call.end();
    this.call.cancel();
    this.client.close();
  }
}

export type SotwStream = XdsTestStream<Record<string, unknown>, SotwResponse>;
export type DeltaStream = XdsTestStream<Record<string, unknown>, DeltaResponse>;

/** Opens StreamAggregatedResources (or Stream<Type> of a single-type service). */
export function openSotw(port: number, service: 'ads' | 'cds' | 'eds' | 'lds' | 'rds' = 'ads'): SotwStream {
  const client = clientFor(service, port);
  const method = { ads: 'StreamAggregatedResources', cds: 'StreamClusters', eds: 'StreamEndpoints', lds: 'StreamListeners', rds: 'StreamRoutes' }[service];
  const call = (client as unknown as Record<string, () => grpc.ClientDuplexStream<Record<string, unknown>, SotwResponse>>)[method]();
  return new XdsTestStream(client, call);
}

/** Opens DeltaAggregatedResources (or Delta<Type>). */
export function openDelta(port: number, service: 'ads' | 'cds' | 'eds' | 'lds' | 'rds' = 'ads'): DeltaStream {
  const client = clientFor(service, port);
  const method = { ads: 'DeltaAggregatedResources', cds: 'DeltaClusters', eds: 'DeltaEndpoints', lds: 'DeltaListeners', rds: 'DeltaRoutes' }[service];
  const call = (client as unknown as Record<string, () => grpc.ClientDuplexStream<Record<string, unknown>, DeltaResponse>>)[method]();
  return new XdsTestStream(client, call);
}

/** A SotW DiscoveryRequest. */
export function sotwRequest(typeUrl: string, names: readonly string[], opts: { node?: TestNode; version?: string; nonce?: string; error?: string } = {}): Record<string, unknown> {
  return {
    type_url: typeUrl,
    resource_names: [...names],
    version_info: opts.version ?? '',
    response_nonce: opts.nonce ?? '',
    ...(opts.node ? { node: opts.node } : {}),
    ...(opts.error !== undefined ? { error_detail: { code: 3, message: opts.error } } : {}),
  };
}

/** A DeltaDiscoveryRequest. */
export function deltaRequest(
  typeUrl: string,
  opts: { node?: TestNode; subscribe?: string[]; unsubscribe?: string[]; initial?: Record<string, string>; nonce?: string; error?: string } = {},
): Record<string, unknown> {
  return {
    type_url: typeUrl,
    resource_names_subscribe: opts.subscribe ?? [],
    resource_names_unsubscribe: opts.unsubscribe ?? [],
    initial_resource_versions: opts.initial ?? {},
    response_nonce: opts.nonce ?? '',
    ...(opts.node ? { node: opts.node } : {}),
    ...(opts.error !== undefined ? { error_detail: { code: 3, message: opts.error } } : {}),
  };
}

/** Calls the unary Fetch<Type> of a single-type service. */
export function fetchOnce(port: number, service: 'cds' | 'eds' | 'lds' | 'rds', req: Record<string, unknown>): Promise<SotwResponse> {
  const client = clientFor(service, port);
  const method = { cds: 'FetchClusters', eds: 'FetchEndpoints', lds: 'FetchListeners', rds: 'FetchRoutes' }[service];
  const fn = (client as unknown as Record<string, (r: unknown, cb: (err: Error | null, res: SotwResponse) => void) => void>)[method].bind(client);
  return new Promise((resolve, reject) =>
    fn(req, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res);
    }),
  );
}
