/**
 * After a successful upgrade (101 Switching Protocols, e.g. WebSocket) the router stops speaking
 * HTTP on both connections and copies bytes both ways with backpressure until either side ends.
 * The upstream socket reads with `onread` (no 'data' events), so that direction is forwarded by
 * the upstream connection itself instead of pipe().
 */
import type net from 'node:net';

/** The upstream end of a tunnel: its socket, and a way to send every read it gets to a peer. */
export interface UpstreamTunnelEnd {
  readonly socket: net.Socket;
  forwardReadsTo(peer: net.Socket): void;
}

export function startTunnel(downstream: net.Socket, downstreamRemainder: Buffer | null, upstream: UpstreamTunnelEnd, upstreamRemainder: Buffer | null): void {
  const upstreamSocket = upstream.socket;
  if (upstreamRemainder !== null && upstreamRemainder.length > 0) downstream.write(upstreamRemainder);
  if (downstreamRemainder !== null && downstreamRemainder.length > 0) upstreamSocket.write(downstreamRemainder);
  downstream.pipe(upstreamSocket);
  upstream.forwardReadsTo(downstream);
  downstream.resume();
  const closeBoth = (): void => {
    downstream.destroy();
    upstreamSocket.destroy();
  };
  downstream.once('close', closeBoth);
  upstreamSocket.once('close', closeBoth);
  downstream.on('error', closeBoth);
  upstreamSocket.on('error', closeBoth);
}
