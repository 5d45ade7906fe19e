/**
 * One ADS call to the management server: StreamAggregatedResources (SotW) or
 * DeltaAggregatedResources (incremental), on a fresh gRPC channel. The stream knows nothing of
 * resource types: it adds the node to the first request (or to every request unless
 * set_node_on_first_message_only), hands responses up and reports its end exactly once.
 *
 * A new channel per attempt, closed with the stream, so the reconnect schedule is ours
 * (backoff.ts) and not grpc-js's own channel backoff, which grows to 120 s.
 */
import * as grpc from '@grpc/grpc-js';
import { Logger } from '../../common/logger.js';
import { adsClientConstructor } from './ads-protos.js';

const log = new Logger('xds-client');

export type AdsProtocol = 'sotw' | 'delta';

/** What the stream tells its owner (the AdsClient), on the primary's event loop. */
export interface AdsStreamHandler {
  /** The server answered with headers or a first response: the stream is established. */
  onEstablished(): void;
  onResponse(message: Record<string, unknown>): void;
  /** The stream ended (error, server close, or our own close()); called once. */
  onClosed(reason: string): void;
}

export class AdsStream {
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<unknown, unknown>;
  private nodeSent = false;
  private closed = false;
  private established = false;

  constructor(
    target: string,
    readonly protocol: AdsProtocol,
    private readonly node: Record<string, unknown>,
    private readonly nodeOnFirstMessageOnly: boolean,
    private readonly handler: AdsStreamHandler,
  ) {
    const Ctor = adsClientConstructor();
    this.client = new Ctor(target, grpc.credentials.createInsecure(), {
      // Notice a dead control plane (no RST, e.g. a partitioned host) within ~40 s.
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    const c = this.client as unknown as { StreamAggregatedResources(): grpc.ClientDuplexStream<unknown, unknown>; DeltaAggregatedResources(): grpc.ClientDuplexStream<unknown, unknown> };
    this.call = protocol === 'sotw' ? c.StreamAggregatedResources() : c.DeltaAggregatedResources();
    this.call.on('metadata', () => this.markEstablished());
    this.call.on('data', (message: Record<string, unknown>) => {
      if (this.closed) return;
      this.markEstablished();
      this.handler.onResponse(message);
    });
    this.call.on('error', (err: grpc.ServiceError) => this.finish(`${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`));
    this.call.on('status', (status: grpc.StatusObject) => this.finish(`${grpc.status[status.code] ?? status.code}: ${status.details}`));
    this.call.on('end', () => this.finish('stream ended by the server'));
  }

  /** Sends one DiscoveryRequest / DeltaDiscoveryRequest (keepCase object form). */
  send(request: Record<string, unknown>): void {
    if (this.closed) return;
    const withNode = !this.nodeSent || !this.nodeOnFirstMessageOnly ? { ...request, node: this.node } : request;
    this.nodeSent = true;
    if (log.debugEnabled) log.debug('send', { protocol: this.protocol, request: summarize(request) });
    this.call.write(withNode);
  }

  /** Ends the call and its channel; onClosed follows (once). */
  close(): void {
    if (this.closed) return;
    this.call.cancel();
    this.finish('closed by the client');
  }

  private markEstablished(): void {
    if (this.established || this.closed) return;
    this.established = true;
    this.handler.onEstablished();
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
    this.handler.onClosed(reason);
  }
}

function summarize(request: Record<string, unknown>): Record<string, unknown> {
  const { node: _node, ...rest } = request;
  return rest;
}
